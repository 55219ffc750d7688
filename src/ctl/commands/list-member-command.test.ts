import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeEnv, fakeMaster } from '../ctl-test-support.js';
import { listMemberCommand, listMemberRequest } from './list-member-command.js';
import { offlineMemberRequest } from './offline-member-command.js';
import { transferSourceRequest } from './transfer-source-command.js';

test('list-member requests', () => {
  assert.deepEqual(listMemberRequest([], {}), { leader: false, master: false, worker: false, names: [] });
  assert.deepEqual(listMemberRequest([], { leader: true, worker: true, name: ['w1', 'w2'] }), { leader: true, master: false, worker: true, names: ['w1', 'w2'] });
  assert.throws(() => listMemberRequest(['w1'], {}), /takes no arguments/);
});

test('list-member flags: -l -m -w, -n repeatable and comma-separated', async () => {
  const m = fakeMaster({ ListMember: { result: true, msg: '', members: [] } });
  await listMemberCommand(fakeEnv(m)).parseAsync(['-w', '-n', 'w1,w2', '--name', 'w3'], { from: 'user' });
  await listMemberCommand(fakeEnv(m)).parseAsync(['--leader', '--master'], { from: 'user' });
  assert.deepEqual(m.calls.map((c) => c.req), [
    { leader: false, master: false, worker: true, names: ['w1', 'w2', 'w3'] },
    { leader: true, master: true, worker: false, names: [] },
  ]);
});

test('offline-member requests', () => {
  assert.deepEqual(offlineMemberRequest([], { master: true, name: 'm2' }), { type: 'master', name: 'm2' });
  assert.deepEqual(offlineMemberRequest([], { worker: true, name: 'w1' }), { type: 'worker', name: 'w1' });
  assert.throws(() => offlineMemberRequest([], { master: true, worker: true, name: 'x' }), /only one of --master and --worker/);
  assert.throws(() => offlineMemberRequest([], { name: 'x' }), /--master or --worker/);
  assert.throws(() => offlineMemberRequest([], { worker: true }), /--name/);
  assert.throws(() => offlineMemberRequest(['w1'], { worker: true, name: 'w1' }), /takes no arguments/);
});

test('transfer-source requests', () => {
  assert.deepEqual(transferSourceRequest(['mysql-01', 'worker2']), { source: 'mysql-01', worker: 'worker2' });
  assert.throws(() => transferSourceRequest(['mysql-01']), /got 1 arguments/);
  assert.throws(() => transferSourceRequest(['a', 'b', 'c']), /got 3 arguments/);
});
