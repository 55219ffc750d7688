import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsDm } from '../../config/test-support.js';
import { memFiles } from '../ctl-test-support.js';
import { startTaskRequest } from './start-task-command.js';

const files = memFiles({ 'task.yaml': 'name: test\n' });

test('start-task sends the task text, the -s sources and --remove-meta', () => {
  assert.deepEqual(startTaskRequest(['task.yaml'], { sources: [], removeMeta: false }, files), { task: 'name: test\n', sources: [], removeMeta: false });
  assert.deepEqual(startTaskRequest(['task.yaml'], { sources: ['s1', 's2'], removeMeta: true }, files), { task: 'name: test\n', sources: ['s1', 's2'], removeMeta: true });
});

test('start-task needs exactly one readable file', () => {
  assert.throws(() => startTaskRequest([], { sources: [], removeMeta: false }, files), /missing the task config file/);
  assert.throws(() => startTaskRequest(['a', 'b'], { sources: [], removeMeta: false }, files), /one task config file, got 2/);
  throwsDm(() => startTaskRequest(['nope.yaml'], { sources: [], removeMeta: false }, files), 20018, 'nope.yaml');
});
