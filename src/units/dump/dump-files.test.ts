import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFileName, escapeFileName, parseDumpFileName, schemaCreateFileName, tableSchemaFileName, unescapeFileName, viewSchemaFileName } from './dump-files.js';

test('Dumpling file names', () => {
  assert.equal(schemaCreateFileName('db'), 'db-schema-create.sql');
  assert.equal(tableSchemaFileName('db', 't'), 'db.t-schema.sql');
  assert.equal(viewSchemaFileName('db', 'v'), 'db.v-schema-view.sql');
  assert.equal(dataFileName('db', 't', 0, 0), 'db.t.0000000000000.sql');
  assert.equal(dataFileName('db', 't', 1, 0), 'db.t.0000000010000.sql');
  assert.equal(dataFileName('db', 't', 12, 3), 'db.t.0000000120003.sql');
});

test('names are escaped like Dumpling: dots, slashes, control bytes, percent, -schema', () => {
  assert.equal(escapeFileName('a.b/c'), 'a%2Eb%2Fc');
  assert.equal(escapeFileName('x%y'), 'x%25y');
  assert.equal(escapeFileName('t-schema'), 't%2Dschema');
  assert.equal(escapeFileName('t-SCHEMA-x'), 't%2DSCHEMA-x');
  assert.equal(escapeFileName('tab\tnl\n'), 'tab%09nl%0A');
  assert.equal(escapeFileName('a:b*c?d"e<f>g|h\\i'), 'a%3Ab%2Ac%3Fd%22e%3Cf%3Eg%7Ch%5Ci');
  // kept as they are: spaces, backquotes, unicode, reserved words
  assert.equal(escapeFileName('my `table` ünï 表 select'), 'my `table` ünï 表 select');
  for (const n of ['a.b/c', 'x%y', 't-schema', 'tab\tnl\n', 'my `table` ünï 表']) assert.equal(unescapeFileName(escapeFileName(n)), n);
});

test('parseDumpFileName reads Dumpling and mydumper names', () => {
  assert.deepEqual(parseDumpFileName('db-schema-create.sql'), { kind: 'schema-create', db: 'db' });
  assert.deepEqual(parseDumpFileName('db.t-schema.sql'), { kind: 'table-schema', db: 'db', table: 't' });
  assert.deepEqual(parseDumpFileName('db.v-schema-view.sql'), { kind: 'view-schema', db: 'db', table: 'v' });
  assert.deepEqual(parseDumpFileName('db.t.0000000010000.sql'), { kind: 'data', db: 'db', table: 't', index: '0000000010000' });
  assert.deepEqual(parseDumpFileName('db.t.00001.sql'), { kind: 'data', db: 'db', table: 't', index: '00001' });
  assert.deepEqual(parseDumpFileName('db.t.sql'), { kind: 'data', db: 'db', table: 't', index: '' });
  assert.deepEqual(parseDumpFileName(dataFileName('a.b', 'x-schema', 2, 0)), { kind: 'data', db: 'a.b', table: 'x-schema', index: '0000000020000' });
  assert.deepEqual(parseDumpFileName('metadata'), { kind: 'metadata' });
  assert.equal(parseDumpFileName('README'), undefined);
});
