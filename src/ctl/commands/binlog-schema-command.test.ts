import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { binlogSchemaCommand, binlogSchemaRequest } from './binlog-schema-command.js';
import { operateSchemaRequest } from './operate-schema-command.js';

const files = memFiles({ 'task.yaml': 'name: t1\n', 'schema.sql': 'CREATE TABLE t (id INT PRIMARY KEY)' });
const base = { task: 't1', sources: [], database: '', table: '', schema: '', flush: false, sync: false, fromSource: false, fromTarget: false };

test('binlog-schema list/get', () => {
  assert.deepEqual(binlogSchemaRequest('list', ['t1'], { sources: [] }, files), { ...base, op: 'list' });
  assert.deepEqual(binlogSchemaRequest('list', ['task.yaml', 'db'], { sources: ['s1'] }, files), { ...base, op: 'list', sources: ['s1'], database: 'db' });
  assert.deepEqual(binlogSchemaRequest('list', ['t1', 'db', 'tb'], { sources: [] }, files), { ...base, op: 'get', database: 'db', table: 'tb' });
  assert.throws(() => binlogSchemaRequest('list', [], { sources: [] }, files), /task name/);
  assert.throws(() => binlogSchemaRequest('list', ['t', 'd', 't', 'x'], { sources: [] }, files), /got 4 arguments/);
});

test('binlog-schema update: the file, or --from-source/--from-target; --flush defaults to true', () => {
  assert.deepEqual(binlogSchemaRequest('update', ['t1', 'db', 'tb', 'schema.sql'], { sources: ['s1'] }, files), {
    ...base,
    op: 'set',
    sources: ['s1'],
    database: 'db',
    table: 'tb',
    schema: 'CREATE TABLE t (id INT PRIMARY KEY)',
    flush: true,
  });
  assert.deepEqual(binlogSchemaRequest('update', ['t1', 'db', 'tb', 'schema.sql'], { sources: [], flush: false, sync: true }, files).flush, false);
  assert.deepEqual(binlogSchemaRequest('update', ['t1', 'db', 'tb', 'schema.sql'], { sources: [], sync: true }, files).sync, true);
  const fs = binlogSchemaRequest('update', ['t1', 'db', 'tb'], { sources: [], fromSource: true }, files);
  assert.deepEqual([fs.op, fs.schema, fs.fromSource, fs.fromTarget], ['set', '', true, false]);
  assert.equal(binlogSchemaRequest('update', ['t1', 'db', 'tb'], { sources: [], fromTarget: true }, files).fromTarget, true);
  assert.throws(() => binlogSchemaRequest('update', ['t1', 'db', 'tb'], { sources: [] }, files), /give a schema file/);
  assert.throws(() => binlogSchemaRequest('update', ['t1', 'db', 'tb', 'schema.sql'], { sources: [], fromSource: true }, files), /can not be used with --from-source/);
  assert.throws(() => binlogSchemaRequest('update', ['t1', 'db', 'tb'], { sources: [], fromSource: true, fromTarget: true }, files), /only one of/);
  assert.throws(() => binlogSchemaRequest('update', ['t1', 'db'], { sources: [] }, files), /got 2 arguments/);
});

test('binlog-schema delete', () => {
  assert.deepEqual(binlogSchemaRequest('delete', ['t1', 'db', 'tb'], { sources: ['s1'] }, files), { ...base, op: 'remove', sources: ['s1'], database: 'db', table: 'tb' });
  assert.throws(() => binlogSchemaRequest('delete', ['t1', 'db'], { sources: [] }, files), /got 2 arguments/);
});

test('binlog-schema command forms: bare (DM), list, update --no-flush, delete', async () => {
  const m = fakeMaster();
  const run = (args: string[]): Promise<unknown> => binlogSchemaCommand(fakeEnv(m, files)).parseAsync(args, { from: 'user' });
  await run(['t1', 'db', 'tb']);
  await run(['list', 't1']);
  await run(['update', 't1', 'db', 'tb', 'schema.sql', '--no-flush', '--sync']);
  await run(['delete', 't1', 'db', 'tb']);
  assert.deepEqual(
    m.calls.map((c) => {
      const r = c.req as { op: string; flush: boolean; sync: boolean };
      return [c.method, r.op, r.flush, r.sync];
    }),
    [
      ['OperateSchema', 'get', false, false],
      ['OperateSchema', 'list', false, false],
      ['OperateSchema', 'set', false, true],
      ['OperateSchema', 'remove', false, false],
    ],
  );
});

test('operate-schema (old alias): -s, -d and -t required; set needs the file', () => {
  const opts = { sources: ['s1'], database: 'db', table: 'tb' };
  assert.deepEqual(operateSchemaRequest(['get', 'task.yaml'], opts, files), { ...base, op: 'get', sources: ['s1'], database: 'db', table: 'tb' });
  assert.deepEqual(operateSchemaRequest(['set', 't1', 'schema.sql'], { ...opts, sync: true }, files), {
    ...base,
    op: 'set',
    sources: ['s1'],
    database: 'db',
    table: 'tb',
    schema: 'CREATE TABLE t (id INT PRIMARY KEY)',
    flush: true,
    sync: true,
  });
  assert.equal(operateSchemaRequest(['remove', 't1'], opts, files).op, 'remove');
  assert.throws(() => operateSchemaRequest(['get', 't1'], { ...opts, sources: [] }, files), /at least one source/);
  assert.throws(() => operateSchemaRequest(['get', 't1'], { ...opts, database: '' }, files), /--database/);
  assert.throws(() => operateSchemaRequest(['get', 't1'], { ...opts, table: undefined }, files), /--table/);
  assert.throws(() => operateSchemaRequest(['set', 't1'], opts, files), /must specify schema file/);
  assert.throws(() => operateSchemaRequest(['get', 't1', 'schema.sql'], opts, files), /only for `set`/);
  assert.throws(() => operateSchemaRequest(['drop', 't1'], opts, files), /invalid operation 'drop'/);
  assert.throws(() => operateSchemaRequest(['get'], opts, files), /task name/);
});
