import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableProblems } from './table-schema-checker.js';
import type { TableStructure } from './table-structure.js';

const t = (over: Partial<TableStructure>): TableStructure => ({
  schema: 'db',
  table: 't',
  charset: 'utf8mb4',
  columns: [{ name: 'id', type: 'int(11)', nullable: false, autoIncrement: false, charset: null }],
  indexes: [{ name: 'PRIMARY', unique: true, columns: ['id'] }],
  foreignKeys: [],
  ...over,
});
const mariadb = { kind: 'mariadb' as const, charsets: new Set(['utf8mb4', 'latin1']) };

test('no primary/unique key is a warning', () => {
  assert.deepEqual(tableProblems(t({}), mariadb), []);
  assert.deepEqual(
    tableProblems(t({ indexes: [{ name: 'k', unique: false, columns: ['id'] }] }), mariadb).map((p) => [p.severity, p.message]),
    [['warn', 'table `db`.`t` primary/unique key does not exist']],
  );
});

test('charsets the downstream lacks fail; foreign keys warn for TiDB only', () => {
  const utf16 = t({ charset: 'utf16', columns: [{ name: 'c', type: 'text', nullable: true, autoIncrement: false, charset: 'ucs2' }] });
  assert.deepEqual(tableProblems(utf16, mariadb).map((p) => p.message), ['table `db`.`t` unsupport charset utf16', 'table `db`.`t` column c unsupport charset ucs2']);
  const fk = t({ foreignKeys: [{ name: 'fk1', referencedTable: 'p' }] });
  assert.deepEqual(tableProblems(fk, mariadb), []);
  assert.deepEqual(tableProblems(fk, { kind: 'tidb', charsets: mariadb.charsets }).map((p) => p.severity), ['warn']);
});
