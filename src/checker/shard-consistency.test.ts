import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareShardTables, type ShardTable } from './shard-consistency.js';
import type { ColumnInfo, IndexInfo } from './table-structure.js';

const col = (name: string, type = 'int(11)'): ColumnInfo => ({ name, type, nullable: true, autoIncrement: false, charset: null });
function shard(sourceId: string, table: string, columns: ColumnInfo[], indexes: IndexInfo[] = [{ name: 'PRIMARY', unique: true, columns: ['id'] }]): ShardTable {
  return { sourceId, structure: { schema: 'db', table, charset: 'utf8mb4', columns, indexes, foreignKeys: [] } };
}

test('pessimistic: same columns in the same order with the same types and keys', () => {
  const a = shard('s1', 't1', [col('id'), col('a')]);
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('a')]), 'pessimistic'), undefined);
  assert.deepEqual(compareShardTables(a, shard('s2', 't2', [col('id'), col('a'), col('b')]), 'pessimistic'), {
    message: 'column length mismatch (self: 2 vs other: 3)',
    self: 'sourceID s1 table `db`.`t1` columns [id a]',
    other: 'sourceID s2 table `db`.`t2` columns [id a b]',
  });
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('a', 'bigint(20)')]), 'pessimistic')?.message, 'different column definition');
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('a')], [{ name: 'PRIMARY', unique: true, columns: ['a'] }]), 'pessimistic')?.message, 'different primary key');
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('a')], [{ name: 'PRIMARY', unique: true, columns: ['id'] }, { name: 'u', unique: true, columns: ['a'] }]), '')?.message, 'different unique keys');
});

test('optimistic: extra columns are fine, same-named columns must agree on type', () => {
  const a = shard('s1', 't1', [col('id'), col('a')]);
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('b'), col('a')]), 'optimistic'), undefined);
  assert.equal(compareShardTables(a, shard('s2', 't2', [col('id'), col('a', 'varchar(5)')]), 'optimistic')?.message, 'different column definition');
});
