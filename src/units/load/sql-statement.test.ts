import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStatement, findInsertTarget, parseCreateHead, rewriteCreateDatabase, rewriteCreateTable, setNamesCharset, utf8ToLatin1, latin1ToUtf8 } from './sql-statement.js';

const L = utf8ToLatin1;

test('classifies dump statements, version comments included', () => {
  const cases: [string, string][] = [
    ['/*!40101 SET NAMES binary*/;', 'set'],
    ["/*!40103 SET TIME_ZONE='+00:00' */;", 'set'],
    ['SET FOREIGN_KEY_CHECKS=0;', 'set'],
    ['\n-- c\nINSERT INTO `t` VALUES (1);', 'insert'],
    ['insert ignore into t values (1)', 'insert'],
    ['REPLACE INTO t VALUES (1)', 'insert'],
    ['CREATE TABLE `t` (a int)', 'create-table'],
    ['CREATE OR REPLACE TABLE t (a int)', 'create-table'],
    ['CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 */', 'create-database'],
    ['CREATE SCHEMA IF NOT EXISTS d', 'create-database'],
    ['CREATE VIEW v AS SELECT 1', 'other'],
    ['DROP TABLE IF EXISTS t', 'drop'],
    ['/*!40000 ALTER TABLE `t` DISABLE KEYS */;', 'ignorable'],
    ['ALTER TABLE t ADD COLUMN c int', 'other'],
    ['LOCK TABLES `t` WRITE;', 'ignorable'],
    ['UNLOCK TABLES;', 'ignorable'],
    ['USE `db`;', 'ignorable'],
    ['  \n/* only a comment */ ;', 'empty'],
    ['', 'empty'],
    ['DELETE FROM t', 'other'],
  ];
  for (const [sql, kind] of cases) assert.equal(classifyStatement(sql), kind, sql);
});

test('finds the table name of an INSERT, quoted, qualified, unicode, with modifiers', () => {
  const cases: [string, string | undefined, string][] = [
    ['INSERT INTO `t1` VALUES (1)', undefined, 't1'],
    ['insert into t1(a) values (1)', undefined, 't1'],
    ['INSERT IGNORE INTO `d`.`t` VALUES (1)', 'd', 't'],
    ['INSERT LOW_PRIORITY IGNORE `d` . `t` VALUES (1)', 'd', 't'],
    ['/* x */ INSERT INTO `we``ird name` VALUES (1)', undefined, 'we`ird name'],
    [L('INSERT INTO `名字` VALUES (1)'), undefined, '名字'],
    [L('INSERT INTO 名字 VALUES (1)'), undefined, '名字'],
    ['REPLACE INTO `select` VALUES (1)', undefined, 'select'],
  ];
  for (const [sql, schema, name] of cases) {
    const t = findInsertTarget(sql);
    assert.ok(t, sql);
    assert.equal(t.schema, schema, sql);
    assert.equal(t.name, name, sql);
    const rewritten = sql.slice(0, t.start) + '`x`.`y`' + sql.slice(t.end);
    assert.match(rewritten, /(INTO|IGNORE|INSERT) `x`\.`y` ?(\(a\) )?(values|VALUES|\(a\))/i, rewritten);
  }
  assert.equal(findInsertTarget('SELECT 1'), undefined);
});

test('rewrites CREATE TABLE / CREATE DATABASE names and keeps the rest byte for byte', () => {
  const t = L("/*!40101 SET x*/; CREATE TABLE IF NOT EXISTS `src`.`t 1` (\n  `a` int COMMENT 'é'\n) ENGINE=InnoDB");
  const stmt = t.slice(t.indexOf('CREATE'));
  const head = parseCreateHead(stmt);
  assert.ok(head);
  assert.equal(head.kind, 'table');
  assert.equal(head.name.schema, 'src');
  assert.equal(head.name.name, 't 1');
  const out = rewriteCreateTable(stmt, head, 'dst', 'tbl`x');
  assert.equal(latin1ToUtf8(out), "CREATE TABLE `dst`.`tbl``x` (\n  `a` int COMMENT 'é'\n) ENGINE=InnoDB");

  const cr = 'CREATE OR REPLACE TABLE t (a int)';
  const h2 = parseCreateHead(cr);
  assert.ok(h2);
  assert.equal(rewriteCreateTable(cr, h2, 'd', 't'), 'CREATE TABLE `d`.`t` (a int)', 'OR REPLACE is dropped: a resumed load must not drop data');

  const db = 'CREATE DATABASE `d1` /*!40100 DEFAULT CHARACTER SET utf8mb4 */';
  const h3 = parseCreateHead(db);
  assert.ok(h3);
  assert.equal(h3.kind, 'database');
  assert.equal(rewriteCreateDatabase(db, h3, 'routed'), 'CREATE DATABASE IF NOT EXISTS `routed` /*!40100 DEFAULT CHARACTER SET utf8mb4 */');
});

test('SET NAMES charset', () => {
  assert.equal(setNamesCharset('/*!40101 SET NAMES binary*/;'), 'binary');
  assert.equal(setNamesCharset("SET NAMES 'utf8mb4' COLLATE 'x'"), 'utf8mb4');
  assert.equal(setNamesCharset('SET FOREIGN_KEY_CHECKS=0'), undefined);
});
