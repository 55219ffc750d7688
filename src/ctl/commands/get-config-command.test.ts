import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { getConfigCommand, getConfigRequest, writeCfgToFile } from './get-config-command.js';

test('get-config requests', () => {
  assert.deepEqual(getConfigRequest(['task', 't1']), { type: 'task', name: 't1' });
  assert.deepEqual(getConfigRequest(['source', 'mysql-01']), { type: 'source', name: 'mysql-01' });
  assert.deepEqual(getConfigRequest(['master', 'm1']), { type: 'master', name: 'm1' });
  assert.deepEqual(getConfigRequest(['worker', 'w1']), { type: 'worker', name: 'w1' });
  assert.throws(() => getConfigRequest(['relay', 'x']), /invalid config type 'relay'/);
  assert.throws(() => getConfigRequest(['task']), /got 1 arguments/);
});

test('get-config --file writes cfg and says so, as DM; a failed answer is printed as is', () => {
  const files = memFiles();
  const ok = { result: true, msg: '', cfg: 'name: t1\n' };
  assert.deepEqual(writeCfgToFile(ok, 'out/t1.yaml', files), { result: true, msg: 'write config to file out/t1.yaml succeed', cfg: '' });
  assert.equal(files.data.get('out/t1.yaml'), 'name: t1\n');
  const bad = { result: false, msg: 'task t9 not exist', cfg: '' };
  assert.equal(writeCfgToFile(bad, 'x.yaml', files), bad);
  assert.equal(writeCfgToFile(ok, undefined, files), ok);
});

test('get-config prints the answer with a 4-space indent', async () => {
  const m = fakeMaster({ GetCfg: { result: true, msg: '', cfg: 'a: 1' } });
  const env = fakeEnv(m);
  await getConfigCommand(env).parseAsync(['task', 't1'], { from: 'user' });
  assert.equal(env.output.join(''), '{\n    "result": true,\n    "msg": "",\n    "cfg": "a: 1"\n}\n');
});
