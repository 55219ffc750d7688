import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMetadata, scanDumpDir, unescapeFileName } from './dump-dir-scanner.js';
import { DmError } from '../../observability/dm-error.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-scan-'));
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return dir;
}

test('Dumpling layout with escaped names', async () => {
  const dir = dirWith({
    'my%2Edb-schema-create.sql': 'CREATE DATABASE `my.db`;',
    'my%2Edb.t%2E1-schema.sql': '/*!40101 SET NAMES binary*/;\nCREATE TABLE `t.1` (a int);',
    'my%2Edb.t%2E1.000000000.sql': 'INSERT INTO `t.1` VALUES (1);',
    'my%2Edb.t%2E1.000000001.csv': '"a"\n1\n',
    'my%2Edb.x%2Dschema-schema.sql': 'CREATE TABLE `x-schema` (a int);',
    'my%2Edb.x%2Dschema.0000000010000.sql': 'INSERT INTO `x-schema` VALUES (1);',
    'my%2Edb.v-schema-view.sql': 'CREATE VIEW v AS SELECT 1;',
    'my%2Edb.t%2E1-schema-triggers.sql': '',
    metadata: 'Started dump at: 2020-11-10 10:40:19\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 2022\n\tGTID: 09bec856-ba95-11ea-850a-58f2b4af5188:1-9\n\nFinished dump at: 2020-11-10 10:40:20\n',
  });
  try {
    const d = await scanDumpDir(dir);
    assert.deepEqual(d.schemas.map((s) => s.schema), ['my.db']);
    assert.deepEqual(d.tables.map((t) => `${t.schema}|${t.table}`).sort(), ['my.db|t.1', 'my.db|x-schema']);
    assert.deepEqual(
      d.dataFiles.map((f) => `${f.file}>${f.schema}|${f.table}|${f.format}`).sort(),
      ['my%2Edb.t%2E1.000000000.sql>my.db|t.1|sql', 'my%2Edb.t%2E1.000000001.csv>my.db|t.1|csv', 'my%2Edb.x%2Dschema.0000000010000.sql>my.db|x-schema|sql'],
    );
    assert.deepEqual(d.orphanDataFiles, []);
    assert.deepEqual(d.metadata, { binlogName: 'mysql-bin.000001', binlogPos: 2022, gtid: '09bec856-ba95-11ea-850a-58f2b4af5188:1-9' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mydumper 0.10 layout: raw names, unnumbered and numbered data files, no file for empty tables', async () => {
  const dir = dirWith({
    'd1-schema-create.sql': 'CREATE DATABASE `d1`;',
    'd1.t1-schema.sql': 'CREATE TABLE `t1` (a int);',
    'd1.t1.sql': 'INSERT INTO `t1` VALUES (1);',
    'd1.big-schema.sql': 'CREATE TABLE `big` (a int);',
    'd1.big.00000.sql': 'INSERT INTO `big` VALUES (1);',
    'd1.big.00001.sql': '',
    'd1.empty-schema.sql': 'CREATE TABLE `empty` (a int);',
    'd1.名字-schema.sql': 'CREATE TABLE `名字` (a int);',
    'd1.名字.sql': 'INSERT INTO `名字` VALUES (1);',
    'd1.orphan.sql': 'INSERT INTO `orphan` VALUES (1);',
    'd1.big.00002.sql.gz': 'x',
    'notes.txt': 'x',
  });
  try {
    const d = await scanDumpDir(dir);
    assert.deepEqual(d.tables.map((t) => t.table).sort(), ['big', 'empty', 't1', '名字']);
    assert.deepEqual(d.dataFiles.map((f) => `${f.file}>${f.table}:${f.size}`).sort(), ['d1.big.00000.sql>big:29', 'd1.big.00001.sql>big:0', 'd1.t1.sql>t1:28', 'd1.名字.sql>名字:32']);
    assert.deepEqual(d.orphanDataFiles.map((f) => `${f.schema}.${f.table}`), ['d1.orphan']);
    assert.deepEqual(d.compressedFiles.map((f) => `${f.file}>${f.table}`), ['d1.big.00002.sql.gz>big']);
    assert.equal(d.metadata, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing dump dir is 34014; two schema files for one table are 34015', async () => {
  await assert.rejects(scanDumpDir('/nonexistent/dm-ts-dump'), (e: unknown) => e instanceof DmError && e.code === 34014);
  const dir = dirWith({ 'd-schema-create.sql': 'CREATE DATABASE d;', 'd.a-schema.sql': 'CREATE TABLE `t` (a int);', 'd.b-schema.sql': 'CREATE TABLE `t` (a int);' });
  try {
    await assert.rejects(scanDumpDir(dir), (e: unknown) => e instanceof DmError && e.code === 34015);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('metadata: mydumper and Dumpling forms, multi-line GTID sets, replica block', () => {
  assert.deepEqual(parseMetadata('Started dump at: x\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 2347\n\tGTID:0-1-11\n\nFinished dump at: y\n'), {
    binlogName: 'mysql-bin.000001',
    binlogPos: 2347,
    gtid: '0-1-11',
  });
  const multi = parseMetadata(
    'SHOW MASTER STATUS:\n\tLog: bin.000003\n\tPos: 154\n\tGTID:3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14,\n406a3f61-690d-11e7-87c5-6c92bf46f384:1-94321383\n\nSHOW SLAVE STATUS:\n\tHost: 10.0.0.1\n\tLog: other.000001\n\tPos: 4\n',
  );
  assert.deepEqual(multi, { binlogName: 'bin.000003', binlogPos: 154, gtid: '3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14,406a3f61-690d-11e7-87c5-6c92bf46f384:1-94321383' });
  assert.equal(parseMetadata('Started dump at: x\nFinished dump at: y\n'), undefined);
});

test('unescapes Dumpling file names', () => {
  assert.equal(unescapeFileName('a%2Eb%25c%2Dschema'), 'a.b%c-schema');
  assert.equal(unescapeFileName('%E5%90%8D'), '名');
  assert.equal(unescapeFileName('plain'), 'plain');
});
