import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryStatusResponse, QueryStatusSourceJson } from '../../master/master-api.js';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { mergeStatusDetails, queryStatusCommand, queryStatusRequest, wantsAllDetails } from './query-status-command.js';

const files = memFiles({ 'task.yaml': 'name: t1\n' });

function src(source: string, tasks: string[], result = true, msg = ''): QueryStatusSourceJson {
  return {
    result,
    msg,
    sourceStatus: { source, worker: `w-${source}`, result: null, relayStatus: null },
    subTaskStatus: tasks.map((name) => ({ name, stage: 'Running', unit: 'Sync', result: null, unresolvedDDLLockID: '' })),
  };
}

test('query-status requests', () => {
  assert.deepEqual(queryStatusRequest([], [], files), { name: '', sources: [] });
  assert.deepEqual(queryStatusRequest(['t9'], ['s1'], files), { name: 't9', sources: ['s1'] });
  assert.deepEqual(queryStatusRequest(['task.yaml'], [], files), { name: 't1', sources: [] });
  assert.throws(() => queryStatusRequest(['a', 'b'], [], files), /at most one task/);
  assert.equal(wantsAllDetails({ name: '', sources: [] }, false), false);
  assert.equal(wantsAllDetails({ name: '', sources: ['s1'] }, false), true);
  assert.equal(wantsAllDetails({ name: '', sources: [] }, true), true);
  assert.equal(wantsAllDetails({ name: 't', sources: [] }, true), false);
});

test('per-task details merge into one entry per source', () => {
  const merged = mergeStatusDetails([
    { result: true, msg: '', sources: [src('s1', ['t1']), src('s2', ['t1'])] },
    { result: false, msg: 'x', sources: [src('s1', ['t2'], false, 'bad')] },
  ]);
  assert.equal(merged.result, false);
  assert.equal(merged.msg, 'x');
  assert.deepEqual(
    merged.sources?.map((s) => [s.sourceStatus.source, s.result, s.msg, s.subTaskStatus.map((t) => t.name)]),
    [
      ['s1', false, 'bad', ['t1', 't2']],
      ['s2', true, '', ['t1']],
    ],
  );
  assert.deepEqual(mergeStatusDetails([]), { result: true, msg: '', sources: [] });
});

test('query-status -s without a task: the summary, then each task in detail for those sources', async () => {
  const m = fakeMaster({
    QueryStatus: (req: { name: string; sources: string[] }): QueryStatusResponse =>
      req.name === '' ? { result: true, msg: '', tasks: [{ taskName: 't1', taskStatus: 'Running', sources: ['s1'] }, { taskName: 't2', taskStatus: 'Paused', sources: ['s1'] }] } : { result: true, msg: '', sources: [src('s1', [req.name])] },
  });
  const env = fakeEnv(m, files);
  await queryStatusCommand(env).parseAsync([], { from: 'user' });
  assert.deepEqual(m.calls.map((c) => c.req), [{ name: '', sources: [] }]);
  m.calls.length = 0;
  env.output.length = 0;
  await queryStatusCommand(env).parseAsync(['--more'], { from: 'user' });
  assert.deepEqual(m.calls.map((c) => c.req), [{ name: '', sources: [] }, { name: 't1', sources: [] }, { name: 't2', sources: [] }]);
  const printed = JSON.parse(env.output.join('')) as QueryStatusResponse;
  assert.deepEqual(printed.sources?.[0]?.subTaskStatus.map((t) => t.name), ['t1', 't2']);
});
