import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoIncrementIdChecker } from './auto-increment-id-checker.js';
import type { TaskTables } from './checker.js';
import type { MigratedTable } from './table-inventory.js';
import type { TableStructure } from './table-structure.js';
import { blankSubtask } from './test-subtask.js';
import type { ColumnMappingRule } from '../config/rules.js';

function tables(idType: string, mappings: ColumnMappingRule[] = []): TaskTables {
  const m = (sourceId: string, schema: string): MigratedTable => ({ sourceId, upstream: { schema, table: 't' }, target: { schema: 'merged', table: 't' } });
  const s = (schema: string): TableStructure => ({
    schema,
    table: 't',
    charset: 'utf8mb4',
    columns: [{ name: 'id', type: idType, nullable: false, autoIncrement: true, charset: null }],
    indexes: [{ name: 'PRIMARY', unique: true, columns: ['id'] }],
    foreignKeys: [],
  });
  const list = [m('s1', 'shard_1'), m('s2', 'shard_2')];
  return { tables: list, structureOf: (t) => s(t.upstream.schema), subtasks: new Map(['s1', 's2'].map((id) => [id, blankSubtask({ sourceId: id, columnMappingRules: mappings })])) };
}

test('auto-increment keys of merged shards fail unless BIGINT with a column mapping (spec §6.1)', async () => {
  const [int] = await new AutoIncrementIdChecker(tables('int(11)')).run();
  assert.equal(int?.state, 'fail');
  assert.match(int?.errors?.[0]?.short_error ?? '', /not bigint/);
  const [big] = await new AutoIncrementIdChecker(tables('bigint(20)')).run();
  assert.equal(big?.state, 'fail');
  assert.match(big?.errors?.[0]?.short_error ?? '', /without a column mapping/);
  const mapping: ColumnMappingRule = { name: 'm', schemaPattern: 'shard_*', tablePattern: 't', sourceColumn: 'id', targetColumn: 'id', expression: 'partition id', arguments: ['1', 'shard_', 't'], createTableQuery: '' };
  const [mapped] = await new AutoIncrementIdChecker(tables('bigint(20)', [mapping])).run();
  assert.equal(mapped?.state, 'success');
});
