import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaTracker } from './schema-tracker.js';
import { DmError } from '../../observability/dm-error.js';

const names = (t: SchemaTracker, s: string, n: string): (string | undefined)[] => t.requireTableSchema(s, n).columns.map((c) => c.name);

test('DDL sequence: create, alter (split per spec), rename, like, drop', () => {
  const t = new SchemaTracker();
  t.applyDdl('CREATE DATABASE shop CHARACTER SET latin1', '');
  t.applyDdl('CREATE TABLE orders (id BIGINT UNSIGNED PRIMARY KEY, note VARCHAR(10), st ENUM("a","b"))', 'shop');
  assert.deepEqual(names(t, 'shop', 'orders'), ['id', 'note', 'st']);
  const s = t.requireTableSchema('shop', 'orders');
  assert.equal(s.columns[0]!.unsigned, true);
  assert.equal(s.columns[1]!.charset, 'latin1', 'the database default charset applies');
  assert.deepEqual(s.columns[2]!.enumValues, ['a', 'b']);
  assert.deepEqual(s.primaryKey, [0]);

  const parts = t.applyDdl('ALTER TABLE orders ADD COLUMN amount DECIMAL(10,2) AFTER id, DROP COLUMN note', 'shop');
  assert.equal(parts.length, 2, 'one statement per ALTER spec, as DM splits it');
  assert.deepEqual(names(t, 'shop', 'orders'), ['id', 'amount', 'st']);

  t.applyDdl('ALTER TABLE shop.orders CHANGE st state ENUM("a","b","c") NOT NULL', 'other');
  const state = t.requireTableSchema('shop', 'orders').columns[2]!;
  assert.equal(state.name, 'state');
  assert.equal(state.charset, 'latin1');
  assert.deepEqual(state.enumValues, ['a', 'b', 'c']);

  t.applyDdl('RENAME TABLE shop.orders TO shop.orders_v2', '');
  assert.equal(t.tableSchema('shop', 'orders'), undefined);
  assert.deepEqual(names(t, 'shop', 'orders_v2'), ['id', 'amount', 'state']);

  t.applyDdl('CREATE TABLE copy LIKE orders_v2', 'shop');
  t.applyDdl('ALTER TABLE copy RENAME TO archive', 'shop');
  assert.deepEqual(names(t, 'shop', 'archive'), ['id', 'amount', 'state']);

  const drop = t.applyDdl('DROP TABLE archive, orders_v2', 'shop');
  assert.equal(drop.length, 2, 'one statement per dropped table');
  assert.deepEqual(t.listTables(), []);
});

test('DROP DATABASE forgets its tables; TRUNCATE and unmodelled DDL change nothing', () => {
  const t = new SchemaTracker();
  t.setTable('a', 'CREATE TABLE t (id INT)');
  t.setTable('b', 'CREATE TABLE t (id INT, v INT)');
  t.applyDdl('TRUNCATE TABLE a.t', '');
  t.applyDdl('CREATE VIEW a.v AS SELECT 1', '');
  t.applyDdl('DROP DATABASE a', '');
  assert.deepEqual(t.listTables(), [{ schema: 'b', name: 't' }]);
});

test('contradictions are coded errors (44006), never guesses', () => {
  const t = new SchemaTracker();
  t.setTable('a', 'CREATE TABLE t (id INT)');
  for (const sql of ['ALTER TABLE nope ADD c INT', 'ALTER TABLE t DROP COLUMN missing', 'CREATE TABLE t (x INT)']) {
    assert.throws(
      () => t.applyDdl(sql, 'a'),
      (e: unknown) => e instanceof DmError && e.code === 44006,
      sql,
    );
  }
  assert.throws(() => t.requireTableSchema('a', 'zz'), (e: unknown) => e instanceof DmError && e.code === 44005);
  assert.throws(() => t.setTable('a', 'DROP TABLE t'), (e: unknown) => e instanceof DmError && e.code === 44009);
});

test('case-insensitive names when the upstream folds them', () => {
  const t = new SchemaTracker({ caseSensitive: false });
  t.setTable('Shop', 'CREATE TABLE Orders (id INT)');
  t.applyDdl('ALTER TABLE shop.ORDERS ADD v INT', '');
  assert.deepEqual(names(t, 'SHOP', 'orders'), ['id', 'v']);
});

test('save / load round trip keeps every table definition', () => {
  const t = new SchemaTracker();
  t.applyDdl('CREATE DATABASE d DEFAULT CHARSET utf8mb4', '');
  t.applyDdl("CREATE TABLE d.`we ird` (`k` INT UNSIGNED NOT NULL, `s` SET('x','y'), `j` JSON, PRIMARY KEY (`k`)) DEFAULT CHARSET=latin1", '');
  const saved = JSON.parse(JSON.stringify(t.save())) as ReturnType<SchemaTracker['save']>;
  const u = SchemaTracker.load(saved);
  assert.deepEqual(u.requireTableSchema('d', 'we ird'), t.requireTableSchema('d', 'we ird'));
  assert.throws(() => SchemaTracker.load(null as never), (e: unknown) => e instanceof DmError && e.code === 44001);
});
