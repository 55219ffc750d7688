import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { parseSourceConfig } from '../config/source-config.js';
import { parseTaskConfig } from '../config/task-config.js';
import type { CommonResponse, MasterMethod, MasterService, SourcesResponse } from '../master/master-api.js';
import { MASTER_METHODS } from '../master/master-api.js';
import { OPENAPI_DOCUMENT } from './openapi-document.js';
import { registerOpenApi } from './openapi-routes.js';
import { exampleSource, exampleTask, MEMBERS, STATUS } from './openapi-test-support.js';

type Call = { method: MasterMethod; req: unknown };

const OK: CommonResponse = { result: true, msg: '' };
const NOT_EXIST = '[code=46018:class=scheduler:scope=internal:level=medium] task with name nope not exist, Workaround: Please use `query-status` command to see tasks.';

const STORED_SOURCE = 'source-id: mysql-01\nenable-gtid: true\nfrom:\n  host: 127.0.0.1\n  port: 3306\n  user: root\n  password: "******"\n';
const STORED_TASK = `name: task-1
task-mode: incremental
target-database: {host: 127.0.0.1, port: 4000, user: root, password: "******"}
mysql-instances:
  - source-id: mysql-01
    meta: {binlog-name: mysql-bin.000001, binlog-pos: 4}
`;

/** A MasterService that records every request and answers from `answers` (default: success). */
function fakeService(answers: Partial<Record<MasterMethod, (req: never) => unknown>> = {}): { service: MasterService; calls: Call[] } {
  const calls: Call[] = [];
  const defaults: Record<MasterMethod, (req: never) => unknown> = {
    OperateSource: (): SourcesResponse => ({ ...OK, sources: [] }),
    StartTask: (): SourcesResponse => ({ ...OK, sources: [] }),
    OperateTask: () => ({ ...OK, sources: [], op: 'Stop' }),
    QueryStatus: () => ({ ...OK, tasks: [] }),
    CheckTask: () => OK,
    GetCfg: () => ({ ...OK, cfg: '' }),
    ExportConfigs: () => ({ ...OK, sources: [], tasks: [] }),
    ListMember: () => MEMBERS,
    OfflineMember: () => OK,
    TransferSource: () => OK,
    HandleError: () => ({ ...OK, sources: [] }),
    OperateSchema: () => ({ ...OK, sources: [] }),
    ListSourceSchemas: () => ({ ...OK, names: [] }),
  };
  const service = Object.fromEntries(
    MASTER_METHODS.map((m) => [
      m,
      (req: never) => {
        calls.push({ method: m, req });
        const fn = answers[m] ?? defaults[m];
        return Promise.resolve().then(() => fn(req));
      },
    ]),
  ) as unknown as MasterService;
  return { service, calls };
}

async function appWith(service: MasterService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await registerOpenApi(app, service);
  app.get('/other', () => Promise.resolve({ other: true }));
  await app.ready();
  return app;
}

async function call(app: FastifyInstance, opts: InjectOptions): Promise<{ status: number; body: unknown; text: string; type: string }> {
  const res = await app.inject(opts);
  const text = res.body;
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, text, type: String(res.headers['content-type'] ?? '') };
}

function assertError(r: { status: number; body: unknown }, code: number, re?: RegExp): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  const b = r.body as { error_msg: string; error_code: number };
  assert.equal(b.error_code, code, b.error_msg);
  assert.equal(typeof b.error_msg, 'string');
  assert.deepEqual(Object.keys(b).sort(), ['error_code', 'error_msg']);
  if (re) assert.match(b.error_msg, re);
}

// ---------------------------------------------------------------------------------------------------------
// documentation

test('GET /api/v1/dm.json: the OpenAPI document, every operation with a unique operationId', async () => {
  const app = await appWith(fakeService().service);
  const r = await call(app, { method: 'GET', url: '/api/v1/dm.json' });
  assert.equal(r.status, 200);
  assert.match(r.type, /application\/json/);
  const doc = r.body as typeof OPENAPI_DOCUMENT;
  assert.equal(doc.openapi, '3.0.0');
  const ids = new Set<string>();
  const schemas = new Set(Object.keys(doc.components.schemas));
  const refs: string[] = [];
  JSON.stringify(doc, (k, v: unknown) => {
    if (k === '$ref' && typeof v === 'string') refs.push(v);
    return v;
  });
  for (const ref of refs) assert.ok(schemas.has(ref.replace('#/components/schemas/', '')), `dangling ${ref}`);
  for (const [path, item] of Object.entries(doc.paths)) {
    assert.ok(path.startsWith('/api/v1/'), path);
    const ops = Object.entries(item);
    assert.ok(ops.length > 0, path);
    for (const [method, op] of ops) {
      assert.ok(op.operationId, `${method} ${path} has no operationId`);
      assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      for (const p of path.match(/\{[^}]+\}/g) ?? []) {
        assert.ok(op.parameters?.some((x) => x.in === 'path' && `{${x.name}}` === p), `${method} ${path} does not declare ${p}`);
      }
    }
  }
  for (const path of [
    '/api/v1/cluster/masters', '/api/v1/cluster/masters/{master-name}', '/api/v1/cluster/workers', '/api/v1/cluster/workers/{worker-name}',
    '/api/v1/sources', '/api/v1/sources/{source-name}', '/api/v1/sources/{source-name}/status', '/api/v1/sources/{source-name}/transfer',
    '/api/v1/sources/{source-name}/schemas', '/api/v1/sources/{source-name}/schemas/{schema-name}', '/api/v1/tasks', '/api/v1/tasks/{task-name}',
    '/api/v1/tasks/{task-name}/status', '/api/v1/tasks/{task-name}/pause', '/api/v1/tasks/{task-name}/resume',
    '/api/v1/tasks/{task-name}/sources/{source-name}/schemas', '/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}',
    '/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}/{table-name}',
  ]) {
    assert.ok(doc.paths[path], `missing ${path}`);
  }
  for (const c of ['Source', 'Task', 'SubTaskStatus', 'ErrorWithMessage', 'ClusterMaster', 'ClusterWorker', 'CreateTaskRequest']) assert.ok(schemas.has(c), c);
  assert.deepEqual(doc, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  await app.close();
});

test('GET /api/v1/docs: swagger-ui HTML over the same document', async () => {
  const app = await appWith(fakeService().service);
  for (const url of ['/api/v1/docs', '/api/v1/docs/']) {
    const r = await call(app, { method: 'GET', url });
    assert.equal(r.status, 200, url);
    assert.match(r.type, /text\/html/);
    assert.match(r.text, /<html/i);
    assert.match(r.text, /swagger/i);
  }
  const spec = await call(app, { method: 'GET', url: '/api/v1/docs/json' });
  assert.equal(spec.status, 200);
  assert.deepEqual(spec.body, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  const init = await call(app, { method: 'GET', url: '/api/v1/docs/static/swagger-initializer.js' });
  assert.equal(init.status, 200);
  await app.close();

  const noDocs = Fastify({ logger: false });
  await registerOpenApi(noDocs, fakeService().service, { docs: false });
  assert.equal((await call(noDocs, { method: 'GET', url: '/api/v1/docs' })).status, 404);
  assert.equal((await call(noDocs, { method: 'GET', url: '/api/v1/dm.json' })).status, 200);
  await noDocs.close();
});

test('unknown /api/v1 paths answer 404 with the error body; other routes of the app are untouched', async () => {
  const app = await appWith(fakeService().service);
  const r = await call(app, { method: 'GET', url: '/api/v1/nothing?x=1' });
  assert.equal(r.status, 404);
  assert.equal((r.body as { error_code: number }).error_code, 49001);
  assert.match((r.body as { error_msg: string }).error_msg, /no such OpenAPI endpoint: GET \/api\/v1\/nothing/);
  const other = await call(app, { method: 'GET', url: '/other' });
  assert.deepEqual(other.body, { other: true });
  const outside = await call(app, { method: 'GET', url: '/nowhere' });
  assert.equal(outside.status, 404);
  assert.equal((outside.body as { error_code?: number }).error_code, undefined, "the app's own 404 handler");
  // a JSON body outside /api/v1 with an empty body is still fastify's business
  const post = await app.inject({ method: 'POST', url: '/other', headers: { 'content-type': 'application/json' }, payload: '' });
  assert.equal(post.statusCode, 400);
  await app.close();
});

// ---------------------------------------------------------------------------------------------------------
// cluster

test('cluster: list masters and workers, offline members', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  const m = await call(app, { method: 'GET', url: '/api/v1/cluster/masters' });
  assert.equal(m.status, 200);
  assert.deepEqual(m.body, {
    total: 2,
    data: [
      { name: 'master-1', alive: true, leader: false, addr: '127.0.0.1:8261' },
      { name: 'master-2', alive: false, leader: true, addr: '127.0.0.1:8391' },
    ],
  });
  assert.deepEqual(calls.pop(), { method: 'ListMember', req: { leader: true, master: true, worker: false, names: [] } });
  const w = await call(app, { method: 'GET', url: '/api/v1/cluster/workers' });
  assert.deepEqual(w.body, {
    total: 2,
    data: [
      { name: 'worker-1', addr: '127.0.0.1:8262', bound_stage: 'bound', bound_source_name: 'mysql-01' },
      { name: 'worker-2', addr: '127.0.0.1:8263', bound_stage: 'free', bound_source_name: '' },
    ],
  });
  assert.deepEqual(calls.pop(), { method: 'ListMember', req: { leader: false, master: false, worker: true, names: [] } });
  const dm = await call(app, { method: 'DELETE', url: '/api/v1/cluster/masters/master-1' });
  assert.equal(dm.status, 204);
  assert.equal(dm.text, '');
  assert.deepEqual(calls.pop(), { method: 'OfflineMember', req: { type: 'master', name: 'master-1' } });
  const dw = await call(app, { method: 'DELETE', url: '/api/v1/cluster/workers/worker-2' });
  assert.equal(dw.status, 204);
  assert.deepEqual(calls.pop(), { method: 'OfflineMember', req: { type: 'worker', name: 'worker-2' } });
  await app.close();
});

test('cluster: a service failure is 400 with its DM code', async () => {
  const msg = '[code=46005:class=scheduler:scope=internal:level=medium] dm-worker with name worker-1 is still online, Workaround: Please shut it down first.';
  const app = await appWith(fakeService({ OfflineMember: () => ({ result: false, msg }), ListMember: () => ({ result: false, msg: 'etcd is down', members: [] }) }).service);
  const r = await call(app, { method: 'DELETE', url: '/api/v1/cluster/workers/worker-1' });
  assertError(r, 46005);
  assert.equal((r.body as { error_msg: string }).error_msg, msg);
  assertError(await call(app, { method: 'GET', url: '/api/v1/cluster/masters' }), 49001, /^etcd is down$/);
  await app.close();
});

// ---------------------------------------------------------------------------------------------------------
// sources

test('POST /api/v1/sources: source.yaml to OperateSource create, 201 with the password masked', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  const r = await call(app, { method: 'POST', url: '/api/v1/sources', payload: { ...exampleSource(), password: 'topsecret' } });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, { ...exampleSource(), password: '******' });
  assert.ok(!r.text.includes('topsecret'));
  const c = calls.pop() as { method: string; req: { op: string; config: string[]; sourceID: string[] } };
  assert.equal(c.method, 'OperateSource');
  assert.equal(c.req.op, 'create');
  assert.deepEqual(c.req.sourceID, []);
  assert.equal(c.req.config.length, 1);
  const cfg = parseSourceConfig(c.req.config[0]!, 'sent.yaml');
  assert.equal(cfg.sourceId, 'mysql-01');
  assert.equal(cfg.from.password, 'topsecret');
  await app.close();
});

test('POST /api/v1/sources: failures', async () => {
  const exists = '[code=46007:class=scheduler:scope=internal:level=medium] source config with ID mysql-01 already exists';
  const { service, calls } = fakeService({ OperateSource: () => ({ result: true, msg: '', sources: [{ result: false, msg: exists, source: 'mysql-01', worker: '' }] }) });
  const app = await appWith(service);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', payload: exampleSource() }), 46007);
  calls.length = 0;
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', payload: { ...exampleSource(), port: 'x' } }), 49001, /`port`/);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', payload: { ...exampleSource(), security: { ssl_ca_content: 'CA', ssl_cert_content: '', ssl_key_content: '' } } }), 54001);
  assert.equal(calls.length, 0, 'bad requests reach no service');
  await app.close();
});

test('bad JSON, wrong content type, empty body: 400 with error code 49001, never a crash', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  const json = { 'content-type': 'application/json' };
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', headers: json, payload: '{"source_name": ' }), 49001, /invalid request/);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks', headers: json, payload: 'not json' }), 49001);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', headers: json, payload: '{"__proto__": {"x": 1}}' }), 49001);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', headers: { 'content-type': 'text/plain' }, payload: 'hello' }), 49001);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', headers: json, payload: '' }), 49001, /request body/);
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources', headers: json, payload: '[]' }), 49001);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks', headers: json, payload: '"str"' }), 49001);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks/t/pause', headers: json, payload: '{"a":1}' }), 49001);
  assert.equal(calls.length, 0);
  await app.close();
});

test('GET /api/v1/sources: every source from GetCfg, masked; with_status adds status_list', async () => {
  const { service, calls } = fakeService({
    OperateSource: () => ({
      result: true,
      msg: '',
      sources: [
        { result: true, msg: '', source: 'mysql-01', worker: 'worker-1' },
        { result: false, msg: 'not bound', source: 'mysql-02', worker: '' },
      ],
    }),
    GetCfg: (req: { name: string }) => ({ result: true, msg: '', cfg: STORED_SOURCE.replace('mysql-01', req.name) }),
  });
  const app = await appWith(service);
  const r = await call(app, { method: 'GET', url: '/api/v1/sources' });
  assert.equal(r.status, 200);
  const body = r.body as { total: number; data: Array<Record<string, unknown>> };
  assert.equal(body.total, 2);
  assert.deepEqual(body.data.map((s) => s.source_name), ['mysql-01', 'mysql-02']);
  assert.deepEqual(body.data[0], {
    source_name: 'mysql-01',
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '******',
    enable_gtid: true,
    purge: { interval: 3600, expires: 0, remain_space: 15 },
  });
  assert.deepEqual(calls.map((c) => c.method), ['OperateSource', 'GetCfg', 'GetCfg']);
  assert.deepEqual(calls[0]!.req, { op: 'show', config: [], sourceID: [] });
  assert.deepEqual(calls[1]!.req, { type: 'source', name: 'mysql-01' });
  const ws = await call(app, { method: 'GET', url: '/api/v1/sources?with_status=true' });
  const data = (ws.body as { data: Array<{ status_list: unknown }> }).data;
  assert.deepEqual(data[0]!.status_list, [{ source_name: 'mysql-01', worker_name: 'worker-1' }]);
  assert.deepEqual(data[1]!.status_list, [{ source_name: 'mysql-02', worker_name: '', error_msg: 'not bound' }]);
  await app.close();

  const empty = await appWith(fakeService().service);
  assert.deepEqual((await call(empty, { method: 'GET', url: '/api/v1/sources' })).body, { total: 0, data: [] });
  await empty.close();
});

test('DELETE /api/v1/sources/{name}: stop the source, 204; force stops its tasks first', async () => {
  const { service, calls } = fakeService({
    QueryStatus: () => ({ result: true, msg: '', tasks: [{ taskName: 'task-1', taskStatus: 'Running', sources: ['mysql-01', 'mysql-02'] }, { taskName: 'task-2', taskStatus: 'Running', sources: ['mysql-02'] }] }),
  });
  const app = await appWith(service);
  const r = await call(app, { method: 'DELETE', url: '/api/v1/sources/mysql-01' });
  assert.equal(r.status, 204);
  assert.deepEqual(calls, [{ method: 'OperateSource', req: { op: 'stop', config: [], sourceID: ['mysql-01'] } }]);
  calls.length = 0;
  const f = await call(app, { method: 'DELETE', url: '/api/v1/sources/mysql-01?force=true' });
  assert.equal(f.status, 204);
  assert.deepEqual(calls, [
    { method: 'QueryStatus', req: { name: '', sources: ['mysql-01'] } },
    { method: 'OperateTask', req: { op: 'Stop', name: 'task-1', sources: ['mysql-01'] } },
    { method: 'OperateSource', req: { op: 'stop', config: [], sourceID: ['mysql-01'] } },
  ]);
  await app.close();

  const inUse = '[code=46010:class=dm-master:scope=internal:level=medium] source with name mysql-01 need to operate has existing tasks [task-1]';
  const app2 = await appWith(fakeService({ OperateSource: () => ({ result: false, msg: inUse, sources: [] }) }).service);
  assertError(await call(app2, { method: 'DELETE', url: '/api/v1/sources/mysql-01' }), 46010);
  await app2.close();
});

test('GET /api/v1/sources/{name}/status', async () => {
  const { service, calls } = fakeService({
    OperateSource: (req: { sourceID: string[] }) => ({
      result: true,
      msg: '',
      sources: req.sourceID[0] === 'mysql-01' ? [{ result: true, msg: '', source: 'mysql-01', worker: 'worker-1' }] : [],
    }),
  });
  const app = await appWith(service);
  const r = await call(app, { method: 'GET', url: '/api/v1/sources/mysql-01/status' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { total: 1, data: [{ source_name: 'mysql-01', worker_name: 'worker-1' }] });
  assert.deepEqual(calls.pop(), { method: 'OperateSource', req: { op: 'show', config: [], sourceID: ['mysql-01'] } });
  assertError(await call(app, { method: 'GET', url: '/api/v1/sources/nope/status' }), 49002, /source name nope/);
  await app.close();
});

test('relay endpoints answer 54001 (not supported yet), POST and PATCH', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  for (const action of ['start-relay', 'stop-relay', 'pause-relay', 'resume-relay']) {
    for (const method of ['POST', 'PATCH'] as const) {
      const r = await call(app, { method, url: `/api/v1/sources/mysql-01/${action}`, payload: { worker_name_list: ['worker-1'] } });
      assertError(r, 54001, new RegExp(`relay log \\(\`${action}\`\\) is not supported yet`));
    }
  }
  assert.equal(calls.length, 0);
  await app.close();
});

test('transfer source: POST and PATCH', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  for (const method of ['POST', 'PATCH'] as const) {
    const r = await call(app, { method, url: '/api/v1/sources/mysql-01/transfer', payload: { worker_name: 'worker-2' } });
    assert.equal(r.status, 200);
    assert.deepEqual(calls.pop(), { method: 'TransferSource', req: { source: 'mysql-01', worker: 'worker-2' } });
  }
  assertError(await call(app, { method: 'POST', url: '/api/v1/sources/mysql-01/transfer', payload: {} }), 49001, /`worker_name` is required/);
  await app.close();
  const bad = '[code=46006:class=scheduler:scope=internal:level=medium] invalid stage transformation for dm-worker worker-2, from bound to bound';
  const app2 = await appWith(fakeService({ TransferSource: () => ({ result: false, msg: bad }) }).service);
  assertError(await call(app2, { method: 'POST', url: '/api/v1/sources/mysql-01/transfer', payload: { worker_name: 'worker-2' } }), 46006);
  await app2.close();
});

test('upstream schemas and tables of a source', async () => {
  const { service, calls } = fakeService({ ListSourceSchemas: (req: { schema: string }) => ({ result: true, msg: '', names: req.schema === '' ? ['db1', 'db2'] : ['t1'] }) });
  const app = await appWith(service);
  assert.deepEqual((await call(app, { method: 'GET', url: '/api/v1/sources/mysql-01/schemas' })).body, ['db1', 'db2']);
  assert.deepEqual(calls.pop(), { method: 'ListSourceSchemas', req: { source: 'mysql-01', schema: '' } });
  assert.deepEqual((await call(app, { method: 'GET', url: '/api/v1/sources/mysql-01/schemas/db1' })).body, ['t1']);
  assert.deepEqual(calls.pop(), { method: 'ListSourceSchemas', req: { source: 'mysql-01', schema: 'db1' } });
  await app.close();
});

// ---------------------------------------------------------------------------------------------------------
// tasks

test('POST /api/v1/tasks: task.yaml to StartTask, 201 with the task (password masked)', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  const r = await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { remove_meta: true, task: exampleTask(), source_name_list: ['source-1'] } });
  assert.equal(r.status, 201, r.text);
  const expected = exampleTask();
  (expected.target_config as { password: string }).password = '******';
  assert.deepEqual(r.body, expected);
  assert.ok(!r.text.includes('s3cret'));
  const c = calls.pop() as { method: string; req: { task: string; sources: string[]; removeMeta: boolean } };
  assert.equal(c.method, 'StartTask');
  assert.deepEqual(c.req.sources, ['source-1']);
  assert.equal(c.req.removeMeta, true);
  const cfg = parseTaskConfig(c.req.task, 'sent.yaml');
  assert.equal(cfg.name, 'task-1');
  assert.equal(cfg.targetDatabase.password, 's3cret: #x');
  assert.deepEqual(cfg.mysqlInstances.map((i) => i.sourceId), ['source-1', 'source-2']);
  // no source_name_list, no remove_meta
  await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { task: exampleTask() } });
  const c2 = calls.pop() as { req: { sources: string[]; removeMeta: boolean } };
  assert.deepEqual([c2.req.sources, c2.req.removeMeta], [[], false]);
  await app.close();
});

test('POST /api/v1/tasks: failures (unknown list source 49002, bad task 49001, service error with its code and precheck)', async () => {
  const failed = '[code=26005:class=task-check:scope=internal:level=medium] fail to check synchronization configuration with type: check was failed, please see detail';
  const checkResult = { summary: { passed: false, total: 1, successful: 0, failed: 1, warning: 0 }, results: [] };
  const { service, calls } = fakeService({ StartTask: () => ({ result: false, msg: failed, sources: [], checkResult }) });
  const app = await appWith(service);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { task: exampleTask(), source_name_list: ['source-9'] } }), 49002, /source-9/);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { task: { ...exampleTask(), task_mode: 'x' } } }), 49001, /task_mode/);
  assertError(await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { task: { ...exampleTask(), binlog_filter_rule: {} } } }), 49001, /filter rule name rule-1 not found/);
  assert.equal(calls.length, 0);
  const r = await call(app, { method: 'POST', url: '/api/v1/tasks', payload: { task: exampleTask() } });
  assertError(r, 26005);
  assert.match((r.body as { error_msg: string }).error_msg, /"passed": false/);
  await app.close();
});

test('GET /api/v1/tasks: every task from GetCfg, masked', async () => {
  const { service, calls } = fakeService({
    QueryStatus: () => ({ result: true, msg: '', tasks: [{ taskName: 'task-1', taskStatus: 'Running', sources: ['mysql-01'] }] }),
    GetCfg: () => ({ result: true, msg: '', cfg: STORED_TASK }),
  });
  const app = await appWith(service);
  const r = await call(app, { method: 'GET', url: '/api/v1/tasks' });
  assert.equal(r.status, 200);
  const body = r.body as { total: number; data: Array<{ name: string; target_config: { password: string }; source_config: unknown }> };
  assert.equal(body.total, 1);
  assert.equal(body.data[0]!.name, 'task-1');
  assert.equal(body.data[0]!.target_config.password, '******');
  assert.deepEqual((body.data[0]!.source_config as { source_conf: unknown }).source_conf, [{ source_name: 'mysql-01', binlog_name: 'mysql-bin.000001', binlog_pos: 4 }]);
  assert.deepEqual(calls, [
    { method: 'QueryStatus', req: { name: '', sources: [] } },
    { method: 'GetCfg', req: { type: 'task', name: 'task-1' } },
  ]);
  await app.close();
});

test('DELETE /api/v1/tasks/{name}: OperateTask Stop, 204; source_name_list query', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  assert.equal((await call(app, { method: 'DELETE', url: '/api/v1/tasks/task-1' })).status, 204);
  assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op: 'Stop', name: 'task-1', sources: [] } });
  assert.equal((await call(app, { method: 'DELETE', url: '/api/v1/tasks/task-1?source_name_list=s1&source_name_list=s2' })).status, 204);
  assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op: 'Stop', name: 'task-1', sources: ['s1', 's2'] } });
  await call(app, { method: 'DELETE', url: '/api/v1/tasks/task-1?source_name_list=s1,s3' });
  assert.deepEqual((calls.pop()!.req as { sources: string[] }).sources, ['s1', 's3']);
  await app.close();
  const app2 = await appWith(fakeService({ OperateTask: () => ({ result: false, msg: NOT_EXIST, sources: [], op: 'Stop' }) }).service);
  assertError(await call(app2, { method: 'DELETE', url: '/api/v1/tasks/nope' }), 46018, /task with name nope not exist/);
  await app2.close();
});

test('GET /api/v1/tasks/{name}/status: SubTaskStatus list', async () => {
  const { service, calls } = fakeService({ QueryStatus: () => STATUS });
  const app = await appWith(service);
  const r = await call(app, { method: 'GET', url: '/api/v1/tasks/task-1/status?source_name_list=source-1' });
  assert.equal(r.status, 200);
  const body = r.body as { total: number; data: Array<{ source_name: string; stage: string; sync_status?: { seconds_behind_master: number } }> };
  assert.equal(body.total, 3);
  assert.deepEqual(body.data.map((d) => [d.source_name, d.stage]), [['source-1', 'Running'], ['source-2', 'Paused'], ['source-3', 'InvalidStage']]);
  assert.equal(body.data[0]!.sync_status?.seconds_behind_master, 7);
  assert.deepEqual(calls.pop(), { method: 'QueryStatus', req: { name: 'task-1', sources: ['source-1'] } });
  await app.close();
  const app2 = await appWith(fakeService({ QueryStatus: () => ({ result: false, msg: NOT_EXIST }) }).service);
  assertError(await call(app2, { method: 'GET', url: '/api/v1/tasks/nope/status' }), 46018);
  await app2.close();
});

test('pause and resume: POST and PATCH, body = source names, may be empty or absent', async () => {
  const { service, calls } = fakeService();
  const app = await appWith(service);
  for (const [action, op] of [['pause', 'Pause'], ['resume', 'Resume']] as const) {
    for (const method of ['POST', 'PATCH'] as const) {
      const withList = await call(app, { method, url: `/api/v1/tasks/task-1/${action}`, payload: ['source-1'] });
      assert.equal(withList.status, 200);
      assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op, name: 'task-1', sources: ['source-1'] } });
      const emptyList = await call(app, { method, url: `/api/v1/tasks/task-1/${action}`, payload: [] });
      assert.equal(emptyList.status, 200);
      assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op, name: 'task-1', sources: [] } });
      const absent = await call(app, { method, url: `/api/v1/tasks/task-1/${action}` });
      assert.equal(absent.status, 200);
      assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op, name: 'task-1', sources: [] } });
      const emptyJson = await call(app, { method, url: `/api/v1/tasks/task-1/${action}`, headers: { 'content-type': 'application/json' }, payload: '' });
      assert.equal(emptyJson.status, 200);
      assert.deepEqual(calls.pop(), { method: 'OperateTask', req: { op, name: 'task-1', sources: [] } });
    }
  }
  await app.close();
  const perSource = '[code=38032:class=dm-master:scope=internal:level=high] some error occurs in dm-worker: boom';
  const app2 = await appWith(fakeService({ OperateTask: () => ({ result: true, msg: '', op: 'Pause', sources: [{ result: false, msg: perSource, source: 's', worker: 'w' }] }) }).service);
  assertError(await call(app2, { method: 'POST', url: '/api/v1/tasks/task-1/pause' }), 38032);
  await app2.close();
});

test("task source schemas and table structures go to OperateSchema", async () => {
  const { service, calls } = fakeService({
    OperateSchema: (req: { op: string; database: string }) => ({
      result: true,
      msg: '',
      sources: [{ result: true, source: 'source-1', worker: 'w', msg: req.op === 'get' ? 'CREATE TABLE `t1` (`a` int)' : req.op === 'list' ? (req.database ? '["t1","t2"]' : '["db1"]') : '' }],
    }),
  });
  const app = await appWith(service);
  const base = '/api/v1/tasks/task-1/sources/source-1/schemas';
  const common = { task: 'task-1', sources: ['source-1'], schema: '', flush: false, sync: false, fromSource: false, fromTarget: false };
  assert.deepEqual((await call(app, { method: 'GET', url: base })).body, ['db1']);
  assert.deepEqual(calls.pop(), { method: 'OperateSchema', req: { ...common, op: 'list', database: '', table: '' } });
  assert.deepEqual((await call(app, { method: 'GET', url: `${base}/db1` })).body, ['t1', 't2']);
  assert.deepEqual(calls.pop(), { method: 'OperateSchema', req: { ...common, op: 'list', database: 'db1', table: '' } });
  assert.deepEqual((await call(app, { method: 'GET', url: `${base}/db1/t1` })).body, { schema_name: 'db1', table_name: 't1', schema_create_sql: 'CREATE TABLE `t1` (`a` int)' });
  assert.deepEqual(calls.pop(), { method: 'OperateSchema', req: { ...common, op: 'get', database: 'db1', table: 't1' } });
  for (const method of ['PUT', 'PATCH'] as const) {
    const r = await call(app, { method, url: `${base}/db1/t1`, payload: { sql_content: 'CREATE TABLE `t1` (`a` bigint)', sync: true } });
    assert.equal(r.status, 200);
    assert.deepEqual(calls.pop(), { method: 'OperateSchema', req: { ...common, op: 'set', database: 'db1', table: 't1', schema: 'CREATE TABLE `t1` (`a` bigint)', flush: true, sync: true } });
  }
  assertError(await call(app, { method: 'PUT', url: `${base}/db1/t1`, payload: {} }), 49001, /sql_content/);
  const d = await call(app, { method: 'DELETE', url: `${base}/db1/t1` });
  assert.equal(d.status, 204);
  assert.deepEqual(calls.pop(), { method: 'OperateSchema', req: { ...common, op: 'remove', database: 'db1', table: 't1' } });
  await app.close();

  const missing = '[code=44005:class=schema-tracker:scope=internal:level=high] cannot get table info for `db1`.`t9` from schema tracker';
  const app2 = await appWith(fakeService({ OperateSchema: () => ({ result: true, msg: '', sources: [{ result: false, msg: missing, source: 'source-1', worker: 'w' }] }) }).service);
  assertError(await call(app2, { method: 'GET', url: `${base}/db1/t9` }), 44005);
  await app2.close();
});

test('a rejected service call (the master itself failed) is 400 with 49001, not a crash', async () => {
  const app = await appWith(fakeService({ ListMember: () => { throw new Error('etcd: context deadline exceeded'); } }).service);
  assertError(await call(app, { method: 'GET', url: '/api/v1/cluster/workers' }), 49001, /etcd: context deadline exceeded/);
  await app.close();
});
