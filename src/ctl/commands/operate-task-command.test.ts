import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskNameFromArgOrFile } from '../ctl-env.js';
import { memFiles } from '../ctl-test-support.js';
import { operateTaskRequest } from './operate-task-command.js';

const files = memFiles({
  'task.yaml': 'name: from-file\ntask-mode: all\n',
  'other.yml': '---\nname: yml-task\n',
  'noname.yaml': 'task-mode: all\n',
  'bad.yaml': ': : :\n  - [\n',
  'plain-file': 'name: not-yaml-suffix\n',
});

test('task name or task file (DM GetTaskNameFromArgOrFile)', () => {
  assert.equal(taskNameFromArgOrFile('task.yaml', files), 'from-file');
  assert.equal(taskNameFromArgOrFile('other.yml', files), 'yml-task');
  assert.equal(taskNameFromArgOrFile('noname.yaml', files), 'noname.yaml', 'no name: the argument');
  assert.equal(taskNameFromArgOrFile('bad.yaml', files), 'bad.yaml', 'not YAML: the argument');
  assert.equal(taskNameFromArgOrFile('missing.yaml', files), 'missing.yaml', 'no such file: the argument');
  assert.equal(taskNameFromArgOrFile('plain-file', files), 'plain-file', 'only .yaml/.yml arguments are files');
  assert.equal(taskNameFromArgOrFile('test', files), 'test');
});

test('stop/pause/resume-task requests', () => {
  assert.deepEqual(operateTaskRequest('Stop', ['test'], [], files), { op: 'Stop', name: 'test', sources: [] });
  assert.deepEqual(operateTaskRequest('Pause', ['task.yaml'], ['s1'], files), { op: 'Pause', name: 'from-file', sources: ['s1'] });
  assert.deepEqual(operateTaskRequest('Resume', [], ['s1', 's2'], files), { op: 'Resume', name: '', sources: ['s1', 's2'] });
  assert.throws(() => operateTaskRequest('Stop', [], [], files), /task name .* or sources with -s/);
  assert.throws(() => operateTaskRequest('Pause', ['a', 'b'], [], files), /at most one task/);
});
