import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binlogDbProblem } from './binlog-db-checker.js';

test('binlog-do-db wins over binlog-ignore-db, as in MySQL', () => {
  assert.equal(binlogDbProblem('', '', ['a'], false), undefined);
  assert.equal(binlogDbProblem('a, b', 'c', ['a', 'c'], false), 'these dbs [c] are not in binlog_do_db[a,b]');
  assert.equal(binlogDbProblem('', 'Shop,x', ['shop', 'y'], false), 'db [shop] is in binlog_ignore_db[shop,x]');
  assert.equal(binlogDbProblem('', 'Shop', ['shop'], true), undefined);
});
