import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsDm } from '../../config/test-support.js';
import { CtlUsageError } from '../ctl-env.js';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { operateSourceCommand, operateSourceRequest } from './operate-source-command.js';

const files = memFiles({ 'a.yaml': 'source-id: a\n', 'b.yaml': 'source-id: b\n' });

test('operate-source create/update send the files\' text', () => {
  assert.deepEqual(operateSourceRequest(['create', 'a.yaml', 'b.yaml'], [], files), { op: 'create', config: ['source-id: a\n', 'source-id: b\n'], sourceID: [] });
  assert.deepEqual(operateSourceRequest(['update', 'a.yaml'], [], files), { op: 'update', config: ['source-id: a\n'], sourceID: [] });
  throwsDm(() => operateSourceRequest(['create', 'missing.yaml'], [], files), 20018, 'missing.yaml', 'no such file');
});

test('operate-source stop/show: files are configs, other arguments and -s are source ids', () => {
  assert.deepEqual(operateSourceRequest(['stop', 'a.yaml', 'mysql-02'], ['mysql-03'], files), { op: 'stop', config: ['source-id: a\n'], sourceID: ['mysql-03', 'mysql-02'] });
  assert.deepEqual(operateSourceRequest(['stop'], ['s1'], files), { op: 'stop', config: [], sourceID: ['s1'] });
  assert.deepEqual(operateSourceRequest(['show'], [], files), { op: 'show', config: [], sourceID: [] });
  assert.deepEqual(operateSourceRequest(['show'], ['s1', 's2'], files), { op: 'show', config: [], sourceID: ['s1', 's2'] });
  assert.deepEqual(operateSourceRequest(['show', 'mysql-01'], [], files), { op: 'show', config: [], sourceID: ['mysql-01'] });
});

test('operate-source usage errors', () => {
  assert.throws(() => operateSourceRequest([], [], files), CtlUsageError);
  assert.throws(() => operateSourceRequest(['start', 'a.yaml'], [], files), /invalid operate 'start'/);
  assert.throws(() => operateSourceRequest(['create'], [], files), /at least one source config file/);
  assert.throws(() => operateSourceRequest(['stop'], [], files), /source config files or source ids/);
});

test('operate-source -p prints the sample config without asking dm-master', async () => {
  const m = fakeMaster();
  const env = fakeEnv(m, files);
  await operateSourceCommand(env).parseAsync(['create', 'a.yaml', '-p'], { from: 'user' });
  assert.equal(m.calls.length, 0);
  assert.match(env.output.join(''), /^# source\.yaml/);
  assert.match(env.output.join(''), /source-id: /);
});
