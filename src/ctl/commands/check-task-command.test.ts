import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memFiles } from '../ctl-test-support.js';
import { checkTaskRequest } from './check-task-command.js';

const files = memFiles({ 'task.yaml': 'name: t\n' });

test('check-task: the task text and the error/warning limits (default 10)', () => {
  assert.deepEqual(checkTaskRequest(['task.yaml'], { error: '10', warn: '10' }, files), { task: 'name: t\n', errCnt: 10, warnCnt: 10 });
  assert.deepEqual(checkTaskRequest(['task.yaml'], { error: '0', warn: ' 3 ' }, files), { task: 'name: t\n', errCnt: 0, warnCnt: 3 });
  assert.throws(() => checkTaskRequest(['task.yaml'], { error: '-1', warn: '10' }, files), /--error must be a non-negative integer/);
  assert.throws(() => checkTaskRequest(['task.yaml'], { error: '1', warn: 'many' }, files), /--warn/);
  assert.throws(() => checkTaskRequest([], { error: '10', warn: '10' }, files), /missing the task config file/);
});
