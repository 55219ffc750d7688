import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsDm } from '../../config/test-support.js';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { alreadyExists, collectImport, configCommand, configDir, exportFiles } from './config-command.js';

test('config export/import directory: --path, else --dir, else ./configs', () => {
  assert.equal(configDir({}), 'configs');
  assert.equal(configDir({ path: '/tmp/c' }), '/tmp/c');
  assert.equal(configDir({ dir: 'd' }), 'd');
  assert.equal(configDir({ path: 'p', dir: 'd' }), 'p');
});

test('config export writes sources/<name>.yaml and tasks/<name>.yaml; odd names are refused', () => {
  const resp = { result: true, msg: '', sources: [{ name: 'mysql-01', cfg: 'source-id: mysql-01\n' }], tasks: [{ name: 't1', cfg: 'name: t1\n' }] };
  assert.deepEqual(exportFiles('out', resp), [
    { file: 'out/sources/mysql-01.yaml', text: 'source-id: mysql-01\n' },
    { file: 'out/tasks/t1.yaml', text: 'name: t1\n' },
  ]);
  throwsDm(() => exportFiles('out', { ...resp, tasks: [{ name: '../evil', cfg: '' }] }), 48107, 'not a plain file name');
  throwsDm(() => exportFiles('out', { ...resp, sources: [{ name: '..', cfg: '' }] }), 48107);
});

test('config import reads the files in name order; a missing directory is 48108', () => {
  const files = memFiles({ 'c/sources/b.yaml': 'B', 'c/sources/a.yaml': 'A', 'c/tasks/t.yaml': 'T', 'c/relay_workers.json': '{}' });
  assert.deepEqual(collectImport('c', files), { sources: ['A', 'B'], tasks: ['T'], relayWorkers: true });
  assert.deepEqual(collectImport('c/sources', files), { sources: [], tasks: [], relayWorkers: false });
  throwsDm(() => collectImport('nope', files), 48108, 'config directory `nope` not exists');
});

test('"already exist" failures are skipped by import', () => {
  assert.equal(alreadyExists({ result: false, msg: 'source config with ID s1 already exists', sources: [] }), true);
  assert.equal(alreadyExists({ result: false, msg: '', sources: [{ result: false, msg: 'subtasks with name t for sources [s1] already exist', source: 's1', worker: '' }] }), true);
  assert.equal(alreadyExists({ result: false, msg: 'boom', sources: [] }), false);
});

test('config export then import round trip through the master requests', async () => {
  const files = memFiles();
  const m = fakeMaster({
    ExportConfigs: { result: true, msg: '', sources: [{ name: 's1', cfg: 'source-id: s1\n' }], tasks: [{ name: 't1', cfg: 'name: t1\n' }] },
    OperateSource: { result: false, msg: 'source config with ID s1 already exists', sources: [] },
    StartTask: { result: true, msg: '', sources: [] },
  });
  const env = fakeEnv(m, files);
  await configCommand(env).parseAsync(['export', '-p', 'dir'], { from: 'user' });
  assert.deepEqual([...files.data.keys()].sort(), ['dir/sources/s1.yaml', 'dir/tasks/t1.yaml']);
  await configCommand(env).parseAsync(['import', '--path', 'dir'], { from: 'user' });
  assert.deepEqual(
    m.calls.map((c) => [c.method, c.req]),
    [
      ['ExportConfigs', {}],
      ['OperateSource', { op: 'create', config: ['source-id: s1\n'], sourceID: [] }],
      ['StartTask', { task: 'name: t1\n', sources: [], removeMeta: false }],
    ],
  );
  assert.equal(env.output.join(''), 'export configs to directory `dir` succeed\nstart creating sources\nstart creating tasks\nimport configs from directory `dir` succeed\n');
});

test('config import stops at a real failure: prints the answer, then 48109', async () => {
  const files = memFiles({ 'configs/sources/s1.yaml': 'x', 'configs/tasks/t1.yaml': 'y' });
  const m = fakeMaster({ OperateSource: { result: false, msg: 'bad config', sources: [] } });
  const env = fakeEnv(m, files);
  await assert.rejects(configCommand(env).parseAsync(['import'], { from: 'user' }), /code=48109.*fail to create sources/);
  assert.match(env.output.join(''), /^start creating sources\n\{\n {4}"result": false,\n {4}"msg": "bad config"/);
  assert.deepEqual(m.calls.map((c) => c.method), ['OperateSource']);
});

test('config task|source|master|worker <name> [-p file]', async () => {
  const files = memFiles();
  const m = fakeMaster({ GetCfg: { result: true, msg: '', cfg: 'x: 1\n' } });
  const env = fakeEnv(m, files);
  await configCommand(env).parseAsync(['source', 'mysql-01'], { from: 'user' });
  await configCommand(env).parseAsync(['worker', 'w1', '-p', 'w1.toml'], { from: 'user' });
  await configCommand(env).parseAsync(['-p', 'm.toml', 'master', 'm1'], { from: 'user' });
  assert.deepEqual(m.calls.map((c) => c.req), [
    { type: 'source', name: 'mysql-01' },
    { type: 'worker', name: 'w1' },
    { type: 'master', name: 'm1' },
  ]);
  assert.equal(files.data.get('w1.toml'), 'x: 1\n');
  assert.equal(files.data.get('m.toml'), 'x: 1\n');
});
