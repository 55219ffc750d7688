import { test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { batchSql, compactOps } from './batch-sql.js';
import type { RowOp } from './sync-job.js';
import { buildSyncTable, rowKeys, type SyncTable } from './sync-table.js';
import { TableModel } from '../../sql/ddl/table-model.js';
import { parseDDL } from '../../sql/ddl/parser.js';
import type { CreateTableStatement } from '../../sql/ddl/ast.js';
import { ddlEventNames, routedSql } from './ddl-route.js';
import { splitDDL } from '../../sql/ddl/ddl-split.js';
import { TableRouterImpl } from '../../filter/table-router.js';

function table(create: string, downstreamKey?: string[]): SyncTable {
  const model = new TableModel(parseDDL(create) as CreateTableStatement, 'db');
  return buildSyncTable(model, model.toTableSchema(), { schema: 'db', table: model.name }, downstreamKey);
}

const t = table('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), g INT AS (id * 2) VIRTUAL)');
const ins = (id: number, name: string): RowOp => ({ action: 'insert', table: t, after: [id, name, id * 2], safe: false });
const upd = (id: number, a: string, id2: number, b: string): RowOp => ({ action: 'update', table: t, before: [id, a, id * 2], after: [id2, b, id2 * 2], safe: false });
const del = (id: number, a: string): RowOp => ({ action: 'delete', table: t, before: [id, a, id * 2], safe: false });
const opts = { compact: false, multipleRows: true, escape: (v: unknown) => mysql.escape(v as string) };

test('multiple-rows: consecutive inserts of a table become one statement, key deletes one IN list; generated columns are not written', () => {
  assert.deepEqual(batchSql([ins(1, 'a'), ins(2, "b'c"), del(3, 'x'), del(4, 'y'), upd(5, 'p', 5, 'q')], opts), [
    "INSERT INTO `db`.`t` (`id`,`name`) VALUES (1,'a'),(2,'b\\'c')",
    'DELETE FROM `db`.`t` WHERE (`id`) IN ((3),(4))',
    "UPDATE `db`.`t` SET `name` = 'q' WHERE `id` = 5 LIMIT 1",
  ]);
  assert.deepEqual(batchSql([ins(1, 'a'), ins(2, 'b')], { ...opts, multipleRows: false }).length, 2);
});

test("compact: DM's rules fold changes of one row; a key change is a barrier", () => {
  const c = (ops: RowOp[]): string[] => compactOps(ops).map((o) => `${o.action}${o.safe ? '!' : ''}:${JSON.stringify(o.action === 'insert' ? o.after : o.action === 'delete' ? o.before : [o.before, o.after])}`);
  assert.deepEqual(c([ins(1, 'a'), upd(1, 'a', 1, 'b')]), ['insert:[1,"b",2]']);
  assert.deepEqual(c([upd(1, 'a', 1, 'b'), upd(1, 'b', 1, 'c')]), ['update:[[1,"a",2],[1,"c",2]]']);
  assert.deepEqual(c([ins(1, 'a'), del(1, 'a')]), ['delete:[1,"a",2]']);
  assert.deepEqual(c([upd(1, 'a', 1, 'b'), del(1, 'b')]), ['delete:[1,"a",2]']);
  assert.deepEqual(c([del(1, 'a'), ins(1, 'z')]), ['insert!:[1,"z",2]'], 'DELETE + INSERT → REPLACE');
  assert.equal(c([ins(1, 'a'), upd(1, 'a', 2, 'a'), upd(2, 'a', 2, 'b')]).length, 3, 'a key change is neither folded nor folded into');
  assert.deepEqual(c([ins(1, 'a'), ins(2, 'b'), upd(1, 'a', 1, 'c')]), ['insert:[2,"b",4]', 'insert:[1,"c",2]']);
});

test('keys: downstream key preferred; unique keys for causality, case-folded for _ci collations; whole-table key without one', () => {
  const u = table('CREATE TABLE u (id INT NOT NULL, code VARCHAR(10), bin VARCHAR(10) COLLATE utf8mb4_bin, PRIMARY KEY (id), UNIQUE KEY (code), UNIQUE KEY (bin))', ['code']);
  assert.deepEqual(u.dml.key, [1], 'the downstream identifies rows by code');
  const keys: string[] = [];
  rowKeys(u, [1, 'AbC  ', 'XyZ'], keys);
  assert.ok(keys.some((k) => k.endsWith('|3:abc')), keys.join(' '));
  assert.ok(keys.some((k) => k.endsWith('|3:XyZ')), 'binary collation keeps case');
  const n = table('CREATE TABLE n (a INT, b INT)');
  const nk: string[] = [];
  rowKeys(n, [1, 2], nk);
  assert.deepEqual(nk, ['`db`.`n`|*']);
  assert.deepEqual(n.dml.key, []);
});

test('DDL routing: names routed, IF [NOT] EXISTS added, DM event names', () => {
  const router = new TableRouterImpl([{ schemaPattern: 'shard_*', tablePattern: 't_*', targetSchema: 'merged', targetTable: 't' }, { schemaPattern: 'shard_*', tablePattern: '', targetSchema: 'merged', targetTable: '' }], false);
  const split = (sql: string): string[] => splitDDL(parseDDL(sql), 'shard_1').map((p) => routedSql(p, router, 'shard_1'));
  assert.deepEqual(split('CREATE TABLE t_1 (id INT PRIMARY KEY)'), ['CREATE TABLE IF NOT EXISTS `merged`.`t` (\n  `id` INT PRIMARY KEY\n)']);
  assert.deepEqual(split('ALTER TABLE t_1 ADD COLUMN c INT, DROP COLUMN d'), ['ALTER TABLE `merged`.`t` ADD COLUMN `c` INT', 'ALTER TABLE `merged`.`t` DROP COLUMN `d`']);
  assert.deepEqual(split('DROP TABLE t_1, other'), ['DROP TABLE IF EXISTS `merged`.`t`', 'DROP TABLE IF EXISTS `merged`.`other`']);
  assert.deepEqual(split('CREATE DATABASE shard_1'), ['CREATE DATABASE IF NOT EXISTS `merged`']);
  assert.deepEqual(ddlEventNames(parseDDL('ALTER TABLE t DROP COLUMN c')), { general: 'alter table', specific: 'drop column' });
  assert.deepEqual(ddlEventNames(parseDDL('TRUNCATE TABLE t')), { general: 'truncate table' });
});

test('multiple-rows: consecutive key-keeping updates become one INSERT … ON DUPLICATE KEY UPDATE; a key change stays an UPDATE', () => {
  assert.deepEqual(batchSql([upd(1, 'a', 1, 'b'), upd(2, 'c', 2, 'd'), upd(3, 'e', 4, 'e')], opts), [
    "INSERT INTO `db`.`t` (`id`,`name`) VALUES (1,'b'),(2,'d') ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)",
    'UPDATE `db`.`t` SET `id` = 4 WHERE `id` = 3 LIMIT 1',
  ]);
});

test('safe mode: an UPDATE that keeps its key is one REPLACE; a key change is DELETE + REPLACE', () => {
  const safe = (op: RowOp): RowOp => ({ ...op, safe: true });
  assert.deepEqual(batchSql([safe(upd(1, 'a', 1, 'b')), safe(upd(2, 'c', 3, 'c'))], { ...opts, multipleRows: false }), [
    "REPLACE INTO `db`.`t` (`id`,`name`) VALUES (1,'b')",
    'DELETE FROM `db`.`t` WHERE `id` = 2 LIMIT 1',
    "REPLACE INTO `db`.`t` (`id`,`name`) VALUES (3,'c')",
  ]);
});

test('collation folding: keys equal under a _ci collation (accents, case, emoji, trailing spaces) give one causality key', async () => {
  const { foldCollation } = await import('./sync-table.js');
  assert.equal(foldCollation('0000177-Ü  '), foldCollation('0000177-u'));
  assert.equal(foldCollation('Straße'), foldCollation('strase'));
  assert.equal(foldCollation('a😀'), foldCollation('a🎉'));
  assert.notEqual(foldCollation('abc'), foldCollation('abd'));
});
