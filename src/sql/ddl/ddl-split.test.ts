import assert from 'node:assert/strict';
import { test } from 'node:test';

import { splitDDL } from './ddl-split.js';
import { parseDDL } from './parser.js';

const split = (sql: string, db?: string) => splitDDL(parseDDL(sql), db).map((s) => ({ sql: s.sql, table: s.table, newTable: s.newTable, schema: s.schema }));

test('DROP TABLE a, b → one statement per table', () => {
  assert.deepEqual(split('DROP TABLE IF EXISTS a, other.b', 'db'), [
    { sql: 'DROP TABLE IF EXISTS `db`.`a`', table: { schema: 'db', name: 'a' }, newTable: undefined, schema: undefined },
    { sql: 'DROP TABLE IF EXISTS `other`.`b`', table: { schema: 'other', name: 'b' }, newTable: undefined, schema: undefined },
  ]);
});

test('RENAME TABLE a TO b, c TO d → two renames', () => {
  const r = split('RENAME TABLE t TO _t_del, _t_gho TO t', 'test');
  assert.deepEqual(r.map((x) => x.sql), ['RENAME TABLE `test`.`t` TO `test`.`_t_del`', 'RENAME TABLE `test`.`_t_gho` TO `test`.`t`']);
  assert.deepEqual(r[1]?.table, { schema: 'test', name: '_t_gho' });
  assert.deepEqual(r[1]?.newTable, { schema: 'test', name: 't' });
});

test('ALTER TABLE with several specs → one statement per spec', () => {
  const r = split('ALTER TABLE t ADD a INT, DROP b, ADD COLUMN (c INT, d TEXT), ADD INDEX i (a), ENGINE=InnoDB');
  assert.deepEqual(r.map((x) => x.sql), [
    'ALTER TABLE `t` ADD COLUMN `a` INT',
    'ALTER TABLE `t` DROP COLUMN `b`',
    'ALTER TABLE `t` ADD COLUMN `c` INT',
    'ALTER TABLE `t` ADD COLUMN `d` TEXT',
    'ALTER TABLE `t` ADD KEY `i` (`a`)',
    'ALTER TABLE `t` ENGINE=InnoDB',
  ]);
  assert.ok(r.every((x) => x.table?.name === 't' && x.table.schema === undefined));
});

test('ALTER … RENAME TO: later specs act on the new name', () => {
  const r = split('ALTER TABLE a RENAME TO b, ADD x INT', 's');
  assert.deepEqual(r.map((x) => x.sql), ['ALTER TABLE `s`.`a` RENAME TO `s`.`b`', 'ALTER TABLE `s`.`b` ADD COLUMN `x` INT']);
  assert.deepEqual(r[0]?.newTable, { schema: 's', name: 'b' });
});

test('single-table and database statements pass through', () => {
  assert.deepEqual(split('CREATE TABLE t (a INT)', 'd')[0]?.table, { schema: 'd', name: 't' });
  assert.deepEqual(split('TRUNCATE t', 'd')[0]?.sql, 'TRUNCATE TABLE `d`.`t`');
  assert.deepEqual(split('CREATE INDEX i ON t (a)', 'd')[0]?.sql, 'CREATE INDEX `i` ON `d`.`t` (`a`)');
  assert.deepEqual(split('DROP DATABASE x')[0]?.schema, 'x');
  assert.deepEqual(split('CREATE VIEW v AS SELECT 1')[0], { sql: 'CREATE VIEW v AS SELECT 1', table: undefined, newTable: undefined, schema: undefined });
});
