import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AlterTableStatement, CreateTableStatement } from './ast.js';
import { parseDDL } from './parser.js';
import { TableModel, TableModelError } from './table-model.js';

const create = (sql: string, db = 'db') => new TableModel(parseDDL(sql) as CreateTableStatement, db);
const alter = (m: TableModel, sql: string) => m.apply(parseDDL(sql) as AlterTableStatement);

test('sysbench table → TableSchema', () => {
  const m = create('CREATE TABLE sbtest1 (id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT 0 NOT NULL, c CHAR(120) DEFAULT \'\' NOT NULL, pad CHAR(60) DEFAULT \'\' NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB /*!40101 DEFAULT CHARSET=latin1 */');
  assert.deepEqual(m.toTableSchema(), {
    schema: 'db',
    table: 'sbtest1',
    columns: [{ name: 'id' }, { name: 'k' }, { name: 'c', charset: 'latin1' }, { name: 'pad', charset: 'latin1' }],
    primaryKey: [0],
  });
});

test('charsets, unsigned, enum/set, column-level primary key', () => {
  const m = create(`CREATE TABLE t (
    a INT UNSIGNED PRIMARY KEY, b VARCHAR(3) COLLATE utf8mb4_bin, c TEXT CHARACTER SET latin1, d BLOB, e VARBINARY(3),
    f ENUM('x','y'), g SET('p','q','r'), h DECIMAL(5,2) UNSIGNED, i NCHAR(2), j CHAR(1)
  ) DEFAULT CHARACTER SET = utf8`);
  assert.deepEqual(m.toTableSchema().columns, [
    { name: 'a', unsigned: true },
    { name: 'b', charset: 'utf8mb4' },
    { name: 'c', charset: 'latin1' },
    { name: 'd', charset: 'binary' },
    { name: 'e', charset: 'binary' },
    { name: 'f', charset: 'utf8', enumValues: ['x', 'y'] },
    { name: 'g', charset: 'utf8', setValues: ['p', 'q', 'r'] },
    { name: 'h', unsigned: true },
    { name: 'i', charset: 'utf8' },
    { name: 'j', charset: 'utf8' },
  ]);
  assert.deepEqual(m.toTableSchema().primaryKey, [0]);
  const noCharset = new TableModel(parseDDL('CREATE TABLE t (a CHAR(1))') as CreateTableStatement, 'db', 'utf8mb4');
  assert.equal(noCharset.toTableSchema().columns[0]?.charset, 'utf8mb4');
});

test('alter sequence ends in the expected TableSchema', () => {
  const m = create('CREATE TABLE t (id INT NOT NULL, a INT, b VARCHAR(10), c INT, PRIMARY KEY (id), KEY ib (b), KEY ibc (b, c)) DEFAULT CHARSET=utf8mb4');
  alter(m, 'ALTER TABLE t ADD COLUMN x BIGINT UNSIGNED FIRST, ADD y ENUM(\'a\',\'b\') AFTER a, DROP COLUMN c');
  assert.deepEqual(m.columns.map((c) => c.name), ['x', 'id', 'a', 'y', 'b']);
  assert.deepEqual(m.indexes.find((i) => i.name === 'ibc')?.columns, [{ column: 'b' }]);
  alter(m, 'ALTER TABLE t CHANGE b bb TEXT CHARACTER SET latin1, MODIFY a INT UNSIGNED AFTER bb, RENAME COLUMN y TO yy');
  assert.deepEqual(m.columns.map((c) => c.name), ['x', 'id', 'yy', 'bb', 'a']);
  assert.deepEqual(m.indexes.find((i) => i.name === 'ib')?.columns, [{ column: 'bb' }]);
  alter(m, 'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, id), DROP INDEX ib, RENAME INDEX ibc TO i2, ADD UNIQUE KEY u (x)');
  alter(m, 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 5, RENAME TO db2.t2');
  assert.equal(m.columns.find((c) => c.name === 'a')?.default, '5');
  assert.deepEqual(m.toTableSchema(), {
    schema: 'db2',
    table: 't2',
    columns: [
      { name: 'x', unsigned: true },
      { name: 'id' },
      { name: 'yy', charset: 'utf8mb4', enumValues: ['a', 'b'] },
      { name: 'bb', charset: 'latin1' },
      { name: 'a', unsigned: true },
    ],
    primaryKey: [4, 1],
  });
  assert.deepEqual(m.indexes.map((i) => i.name ?? i.kind), ['i2', 'primary', 'u']);
  // toCreateTable re-parses to an equal model
  const again = create(m.toCreateTable());
  assert.deepEqual(again.toTableSchema(), m.toTableSchema());
  assert.match(m.toCreateTable(), /^CREATE TABLE `db2`\.`t2` \(/);
  alter(m, 'ALTER TABLE t2 CONVERT TO CHARACTER SET latin1');
  assert.equal(m.toTableSchema().columns[2]?.charset, 'latin1');
});

test('CREATE INDEX / DROP INDEX statements and errors', () => {
  const m = create('CREATE TABLE t (a INT, b INT)');
  m.apply(parseDDL('CREATE UNIQUE INDEX u ON t (a)') as never);
  assert.equal(m.indexes[0]?.kind, 'unique');
  m.apply(parseDDL('DROP INDEX u ON t') as never);
  assert.equal(m.indexes.length, 0);
  assert.throws(() => alter(m, 'ALTER TABLE t DROP COLUMN zz'), TableModelError);
  assert.throws(() => alter(m, 'ALTER TABLE t ADD a INT'), /duplicate column name 'a'/);
  assert.throws(() => alter(m, 'ALTER TABLE t ADD KEY k (nope)'), /unknown column 'nope'/);
  assert.throws(() => alter(m, 'ALTER TABLE t DROP PRIMARY KEY'), TableModelError);
  alter(m, 'ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT, DROP COLUMN IF EXISTS zz');
  assert.equal(m.columns.length, 2);
  const like = TableModel.like(m, 'db', 'copy');
  assert.equal(like.toTableSchema().table, 'copy');
});
