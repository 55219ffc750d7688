/**
 * The cluster as a DM user drives it: real dm-master and dm-worker processes, two upstream MariaDB shards
 * and one downstream, commands only through dmctl (a child process, JSON parsed) and the OpenAPI (HTTP).
 *
 * - quick start: operate-source create, start-task (`all`, two shards merged into one table plus a random
 *   workload with DDL), query-status Running in Sync, new upstream rows arrive downstream;
 * - pause-task / resume-task; restart of the master and of a worker (tasks continue from checkpoints); a
 *   20 s downstream outage (subtasks paused with 10001, resumed automatically by the workers);
 * - `kill -9` of a worker during sync while a free worker exists: the source moves to it; the killed worker
 *   comes back free and `transfer-source` moves the source back; the data ends equal (`dm diff`); stop-task
 *   removes the task, checkpoints stay;
 * - bad input through dmctl and the API: malformed YAML, unknown source, duplicate task, unreachable
 *   database, wrong password, a command for a missing task — coded errors, no password printed, no crash.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, scratchDir, stopAllServers, freePort } from '../harness/mariadb-server.js';
import { DmCluster, eventually, runDmctlInteractive } from '../harness/dm-cluster.js';
import { runDm } from '../harness/dm-cli.js';
import { RandomWorkload } from '../harness/random-workload.js';
import { writeSourceFile } from '../harness/source-file.js';
import { shardTableSql, shardWrites } from '../harness/shard-tables.js';

let up1: MariaDbServer;
let up2: MariaDbServer;
let down: MariaDbServer;
let cluster: DmCluster;
let work: string;

const SHARD = (offset: number): string => shardTableSql(offset, 1000);

function taskYaml(name: string): string {
  return `name: ${name}
task-mode: all
${down.targetDatabaseYaml()}mysql-instances:
  - source-id: shard-01
    block-allow-list: bal
    route-rules: [merge-db, merge-t]
  - source-id: shard-02
    block-allow-list: bal
    route-rules: [merge-db, merge-t]
block-allow-list:
  bal:
    do-dbs: ["shard_db_*", "rw1"]
routes:
  merge-db:
    schema-pattern: "shard_db_*"
    target-schema: merged
  merge-t:
    schema-pattern: "shard_db_*"
    table-pattern: "t_*"
    target-schema: merged
    target-table: t
`;
}

function file(name: string, text: string): string {
  const f = path.join(work, name);
  writeFileSync(f, text);
  return f;
}

before(async () => {
  work = scratchDir('cluster');
  mkdirSync(work, { recursive: true });
  [up1, up2, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
  await Promise.all([up1.sql(SHARD(1)), up2.sql(SHARD(2))]);
  cluster = await DmCluster.start({ dir: path.join(work, 'cluster'), workers: 3, keepAliveTtl: 6 });
});

after(async () => {
  await cluster?.stopAll();
  await stopAllServers();
  rmSync(work, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
interface SubStatus {
  stage: string;
  unit: string;
  result: { errors: Array<{ ErrCode: number; Message: string }> } | null;
  sync?: { synced: boolean };
}

async function subtasks(task: string): Promise<Array<{ source: string; worker: string; sub: SubStatus }>> {
  const r = await cluster.dmctl(['query-status', task]);
  const sources = (r.json?.sources ?? []) as Array<{ sourceStatus: { source: string; worker: string }; subTaskStatus: SubStatus[] }>;
  return sources.map((s) => ({ source: s.sourceStatus.source, worker: s.sourceStatus.worker, sub: s.subTaskStatus[0]! }));
}

async function allInStage(task: string, stage: string, unit?: string): Promise<boolean> {
  const subs = await subtasks(task);
  for (const s of subs) if (s.sub.result?.errors.length) throw new Error(`${s.source}: ${JSON.stringify(s.sub.result.errors)}`);
  return subs.length === 2 && subs.every((s) => s.sub.stage === stage && (unit === undefined || s.sub.unit === unit));
}

async function downCount(): Promise<number> {
  const rows = await down.sql<{ n: number }>('SELECT COUNT(*) AS n FROM merged.t').catch(() => [{ n: -1 }]);
  return Number(rows[0]?.n);
}

async function upCount(): Promise<number> {
  const [a, b] = await Promise.all([up1.sql<{ n: number }>('SELECT COUNT(*) AS n FROM shard_db_1.t_1'), up2.sql<{ n: number }>('SELECT COUNT(*) AS n FROM shard_db_2.t_2')]);
  return Number(a[0]?.n) + Number(b[0]?.n);
}

async function caughtUp(what: string): Promise<void> {
  await eventually(what, async () => (await downCount()) === (await upCount()), 90_000);
}

test('quick start, pause/resume, master and worker restarts, kill -9 of a worker moves its source; ends equal', () => cluster.withLogs(async () => {
  const s1 = writeSourceFile(work, 'shard-01', up1, true);
  const s2 = writeSourceFile(work, 'shard-02', up2, false);
  const created = await cluster.dmctl(['operate-source', 'create', s1, s2]);
  assert.equal(created.json?.result, true, created.stdout + created.stderr);
  const bound = (created.json?.sources as Array<{ source: string; worker: string }>).map((s) => s.worker);
  assert.equal(bound.filter(Boolean).length, 2, created.stdout);
  assert.ok(!created.stdout.includes(up1.password), 'no password in the output');

  const members = await cluster.dmctl(['list-member', '--worker']);
  const workers = ((members.json?.members as Json[])[0]!.worker as { workers: Array<{ name: string; stage: string; source: string }> }).workers;
  assert.deepEqual(workers.map((w) => w.stage).sort(), ['bound', 'bound', 'free']);

  const wl = new RandomWorkload(up1, { schema: 'rw1', seed: 7, ddl: true, ddlEvery: 20 });
  await wl.setup();
  const task = file('task.yaml', taskYaml('merge'));
  const started = await cluster.dmctl(['start-task', task]);
  assert.equal(started.json?.result, true, started.stdout + started.stderr);
  await eventually('both subtasks in Sync', () => allInStage('merge', 'Running', 'Sync'), 120_000);
  const summary = await cluster.dmctl(['query-status']);
  assert.deepEqual(summary.json?.tasks, [{ taskName: 'merge', taskStatus: 'Running', sources: ['shard-01', 'shard-02'] }]);

  await Promise.all([shardWrites(up1, 1, 200), shardWrites(up2, 2, 200), wl.run({ transactions: 60 })]);
  await caughtUp('new rows downstream');

  // what else a DM user reaches for while the task runs
  const checked = await cluster.dmctl(['check-task', task]);
  assert.equal(checked.json?.result, true, checked.stdout);
  const cfg = await cluster.dmctl(['get-config', 'task', 'merge']);
  assert.equal(cfg.json?.result, true, cfg.stdout);
  assert.match(String(cfg.json?.cfg), /password: "?\*{6}"?/);
  assert.ok(!cfg.stdout.includes(down.password), 'get-config masks the password');
  const exported = await cluster.dmctl(['config', 'export', '-p', path.join(work, 'export')]);
  assert.match(exported.stdout + exported.stderr, /export configs to directory .* succeed/);
  const transfer = await cluster.dmctl(['transfer-source', 'shard-01', workers.find((w) => w.stage === 'free')!.name]);
  assert.equal(transfer.json?.result, false);
  assert.match(String(transfer.json?.msg), /code=46019/, 'a running task blocks transfer-source');
  const noError = await cluster.dmctl(['handle-error', 'merge', 'skip']);
  assert.equal(noError.json?.result, false);
  assert.match(String(noError.json?.msg), /code=36065/);
  const schemas = await cluster.dmctl(['binlog-schema', 'list', 'merge', '-s', 'shard-01']);
  assert.equal(schemas.json?.result, true, schemas.stdout);
  assert.match(schemas.stdout, /shard_db_1/);
  const w0 = cluster.workers.find((w) => w.name === bound[0])!;
  const metrics = await (await fetch(`http://${w0.addr}/metrics`)).text();
  assert.match(metrics, /dm_worker_task_state\{task="merge",source_id="shard-0[12]",worker="worker\d"\} 2/);
  assert.match(await (await fetch(`http://${cluster.master.addr}/metrics`)).text(), /dm_master_worker_state\{worker="worker\d"\} 2/);

  // pause: the subtasks stop; rows written meanwhile arrive after resume
  const paused = await cluster.dmctl(['pause-task', 'merge']);
  assert.equal(paused.json?.result, true, paused.stdout);
  assert.equal(paused.json?.op, 'Pause');
  await eventually('paused', () => allInStage('merge', 'Paused'));
  const before = await downCount();
  await shardWrites(up1, 1, 50);
  assert.equal((await cluster.dmctl(['query-status'])).json?.tasks instanceof Array, true);
  assert.equal(await downCount(), before, 'nothing applied while paused');
  const resumed = await cluster.dmctl(['resume-task', 'merge']);
  assert.equal(resumed.json?.result, true, resumed.stdout);
  await eventually('running again', () => allInStage('merge', 'Running', 'Sync'));
  await caughtUp('rows written while paused');

  // master restart: desired state and bindings come back from its store
  assert.equal(await cluster.master.stop(), 0);
  await cluster.master.start();
  await eventually('running after master restart', () => allInStage('merge', 'Running', 'Sync'));
  await shardWrites(up2, 2, 100);
  await caughtUp('rows after master restart');

  // the downstream goes away for 20 s under writes: the subtasks stop with a driver error (10001) and the
  // workers resume them by themselves once it is back (DM's task checker)
  const outage = down.restart({ downMs: 20_000 });
  await Promise.all([shardWrites(up1, 1, 50), shardWrites(up2, 2, 50)]);
  await eventually('a subtask paused by the outage', async () => (await subtasks('merge')).some((s) => s.sub.stage === 'Paused' && s.sub.result?.errors.some((e) => e.ErrCode === 10001)));
  await outage;
  await eventually('resumed automatically after the outage', () => allInStage('merge', 'Running', 'Sync').catch(() => false));
  await caughtUp('rows written during the outage');

  // graceful worker restart: the same worker gets its source back and resumes
  const w1Name = (await subtasks('merge')).find((s) => s.source === 'shard-01')!.worker;
  const w1 = cluster.workers.find((w) => w.name === w1Name)!;
  assert.equal(await w1.stop(), 0);
  await w1.start();
  await eventually('running after worker restart', () => allInStage('merge', 'Running', 'Sync'));

  // kill -9 of the worker running shard-01 while both shards keep writing: the free worker takes it
  const victim = (await subtasks('merge')).find((s) => s.source === 'shard-01')!.worker;
  const stop = new AbortController();
  const writing = Promise.all([
    wl.run({ transactions: 1_000_000, signal: stop.signal }),
    (async () => {
      while (!stop.signal.aborted) {
        await shardWrites(up1, 1, 20);
        await shardWrites(up2, 2, 20);
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
  ]);
  await new Promise((r) => setTimeout(r, 1500));
  await cluster.workers.find((w) => w.name === victim)!.kill();
  const moved = await eventually('shard-01 bound to another worker', async () => {
    const s = (await subtasks('merge')).find((x) => x.source === 'shard-01');
    return s && s.worker !== victim && s.sub.stage === 'Running' && s.sub.unit === 'Sync' ? s.worker : undefined;
  });
  assert.notEqual(moved, victim);
  await new Promise((r) => setTimeout(r, 1500));
  stop.abort();
  await writing;
  const offline = await cluster.dmctl(['list-member', '--worker', '--name', victim]);
  assert.match(offline.stdout, /"stage": "offline"/);

  // offline-member forgets the dead worker; started again, it registers anew and is free; transfer-source
  // moves shard-01 back to it (tasks paused first)
  const online = await cluster.dmctl(['offline-member', '--worker', '--name', moved]);
  assert.equal(online.json?.result, false);
  assert.match(String(online.json?.msg), /code=46005/, 'an online worker cannot be offlined');
  const forgotten = await cluster.dmctl(['offline-member', '--worker', '--name', victim]);
  assert.equal(forgotten.json?.result, true, forgotten.stdout);
  assert.doesNotMatch((await cluster.dmctl(['list-member', '--worker'])).stdout, new RegExp(`"name": "${victim}"`));
  await cluster.workers.find((w) => w.name === victim)!.start();
  await eventually('the restarted worker is free', async () => /"stage": "free"/.test((await cluster.dmctl(['list-member', '--worker', '--name', victim])).stdout));
  assert.equal((await cluster.dmctl(['pause-task', 'merge'])).json?.result, true);
  await eventually('paused before transfer', () => allInStage('merge', 'Paused'));
  const back = await cluster.dmctl(['transfer-source', 'shard-01', victim]);
  assert.equal(back.json?.result, true, back.stdout);
  assert.equal((await cluster.dmctl(['resume-task', 'merge'])).json?.result, true);
  await eventually('shard-01 runs on the worker it was transferred to', async () => {
    const s = (await subtasks('merge')).find((x) => x.source === 'shard-01');
    return s?.worker === victim && s.sub.stage === 'Running' && s.sub.unit === 'Sync';
  });
  await shardWrites(up1, 1, 30);
  await caughtUp('all rows after the failover');
  await eventually('synced', async () => (await subtasks('merge')).every((s) => s.sub.sync?.synced === true));
  const diff = await runDm(['diff', task, '--source', s1, '--source', s2], { cwd: work });
  assert.equal(diff.code, 0, `${diff.stderr}\n${diff.stdout}`);
  assert.match(diff.stdout, /result: EQUAL/);

  // stop-task: gone from query-status, checkpoints kept downstream
  const stopped = await cluster.dmctl(['stop-task', 'merge']);
  assert.equal(stopped.json?.result, true, stopped.stdout);
  const gone = await cluster.dmctl(['query-status', 'merge']);
  assert.equal(gone.json?.result, false);
  assert.match(String(gone.json?.msg), /code=46018/);
  const cps = await down.sql<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dm_meta' AND TABLE_NAME LIKE 'merge\\_%'");
  assert.ok(Number(cps[0]?.n) >= 2, 'checkpoint tables stay');
}));

test('bad input through dmctl and the OpenAPI: coded errors, no password, no crash', () => cluster.withLogs(async () => {
  const malformed = file('bad.yaml', 'source-id: [unclosed\nfrom: {');
  const r1 = await cluster.dmctl(['operate-source', 'create', malformed]);
  assert.equal(r1.json?.result, false, r1.stdout + r1.stderr);
  assert.match(String(r1.json?.msg), /\[code=\d+:class=[a-z-]+:scope=[a-z-]+:level=[a-z]+\]/);

  const wrongPw = file('wrong-pw.yaml', `source-id: "bad-pw"\nfrom:\n  host: "${up1.host}"\n  port: ${up1.port}\n  user: "${up1.user}"\n  password: "not-the-password-42"\n`);
  const r2 = await cluster.dmctl(['operate-source', 'create', wrongPw]);
  assert.equal(r2.json?.result, false);
  assert.match(String(r2.json?.msg), /code=10001/);
  assert.ok(!r2.stdout.includes('not-the-password-42'), 'the password is not printed');

  const port = await freePort();
  const unreachable = file('unreachable.yaml', `source-id: "gone"\nfrom:\n  host: "127.0.0.1"\n  port: ${port}\n  user: "root"\n  password: "x"\n`);
  const r3 = await cluster.dmctl(['operate-source', 'create', unreachable]);
  assert.equal(r3.json?.result, false);
  assert.match(String(r3.json?.msg), /code=10001/);

  const unknownSource = file('unknown-source.yaml', taskYaml('nosrc').replace('source-id: shard-01', 'source-id: no-such-source'));
  const r4 = await cluster.dmctl(['start-task', unknownSource]);
  assert.equal(r4.json?.result, false);
  assert.match(String(r4.json?.msg), /code=46008/);

  const dup = file('dup.yaml', taskYaml('dup'));
  const first = await cluster.dmctl(['start-task', dup]);
  assert.equal(first.json?.result, true, first.stdout);
  const r5 = await cluster.dmctl(['start-task', dup]);
  assert.equal(r5.json?.result, false);
  assert.match(String(r5.json?.msg), /code=46014/);
  assert.equal((await cluster.dmctl(['stop-task', 'dup'])).json?.result, true);

  for (const cmd of [['pause-task', 'missing-task'], ['resume-task', 'missing-task'], ['stop-task', 'missing-task'], ['query-status', 'missing-task']]) {
    const r = await cluster.dmctl(cmd);
    assert.equal(r.json?.result, false, `${cmd.join(' ')}: ${r.stdout}`);
    assert.match(String(r.json?.msg), /code=46018/, cmd.join(' '));
  }

  // the OpenAPI answers DM's error body
  const a1 = await cluster.api('POST', '/api/v1/sources', '{not json');
  assert.equal(a1.status, 400);
  assert.ok(typeof (a1.json as Json).error_msg === 'string' && (a1.json as Json).error_code !== undefined, JSON.stringify(a1.json));
  const a2 = await cluster.api('GET', '/api/v1/tasks/missing-task/status');
  assert.equal(a2.status, 400);
  assert.match(String((a2.json as Json).error_msg), /46018/);
  const a3 = await cluster.api('GET', '/api/v1/sources');
  assert.equal(a3.status, 200, JSON.stringify(a3.json));
  assert.ok(!JSON.stringify(a3.json).includes(up1.password), 'no password in the API answer');

  // interactive mode reads commands from its input until `exit`
  const interactive = await runDmctlInteractive(cluster.master.addr, 'list-member --master\nquery-status missing-task\nexit\n');
  assert.match(interactive, /Welcome to dmctl/);
  assert.match(interactive, /"name": "master1"/);
  assert.match(interactive, /code=46018/);

  // everything still up
  const m = await cluster.dmctl(['list-member']);
  assert.equal(m.json?.result, true);
}));

test('the same lifecycle through the OpenAPI: source, task, status, pause/resume, delete; ends equal', () =>
  cluster.withLogs(async () => {
    // shard-02 is free of tasks now: delete it and create it again through the API
    assert.equal((await cluster.api('DELETE', '/api/v1/sources/shard-02')).status, 204);
    const created = await cluster.api('POST', '/api/v1/sources', { source_name: 'shard-02', host: up2.host, port: up2.port, user: up2.user, password: up2.password, enable_gtid: true });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal((created.json as Json).password, '******');
    const task = {
      name: 'api_task',
      task_mode: 'all',
      meta_schema: 'dm_meta',
      enhance_online_schema_change: false,
      on_duplicate: 'overwrite',
      target_config: { host: down.host, port: down.port, user: down.user, password: down.password },
      table_migrate_rule: [{ source: { source_name: 'shard-02', schema: 'shard_db_2', table: 't_2' }, target: { schema: 'api_db', table: 't' } }],
      source_config: { full_migrate_conf: { export_threads: 2, import_threads: 2, data_dir: './api_dump', consistency: 'auto' }, incr_migrate_conf: { repl_threads: 4, repl_batch: 100 }, source_conf: [{ source_name: 'shard-02' }] },
    };
    const started = await cluster.api('POST', '/api/v1/tasks', { remove_meta: true, task, source_name_list: ['shard-02'] });
    assert.equal(started.status, 201, JSON.stringify(started.json));
    const status = async (): Promise<Array<{ stage: string; unit: string; sync_status?: { synced: boolean } }>> => {
      const r = await cluster.api('GET', '/api/v1/tasks/api_task/status');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return (r.json as { data: Array<{ stage: string; unit: string; sync_status?: { synced: boolean } }> }).data;
    };
    await eventually('api_task in Sync', async () => (await status()).every((s) => s.stage === 'Running' && s.unit === 'Sync'));
    const listed = await cluster.api('GET', '/api/v1/tasks');
    assert.ok(JSON.stringify(listed.json).includes('"api_task"'), JSON.stringify(listed.json));
    assert.ok(!JSON.stringify(listed.json).includes(down.password), 'no password in the task list');

    assert.ok([200, 204].includes((await cluster.api('POST', '/api/v1/tasks/api_task/pause', ['shard-02'])).status));
    await eventually('api_task paused', async () => (await status()).every((s) => s.stage === 'Paused'));
    await shardWrites(up2, 2, 40);
    assert.ok([200, 204].includes((await cluster.api('POST', '/api/v1/tasks/api_task/resume', ['shard-02'])).status));
    await eventually('api_task synced', async () => (await status()).every((s) => s.stage === 'Running' && s.sync_status?.synced === true));
    const upRows = await up2.sql<{ n: number }>('SELECT COUNT(*) AS n FROM shard_db_2.t_2');
    await eventually('rows in api_db.t', async () => Number((await down.sql<{ n: number }>('SELECT COUNT(*) AS n FROM api_db.t'))[0]?.n) === Number(upRows[0]?.n));
    const sum = async (s: MariaDbServer, t: string): Promise<string> => String((await s.sql<{ c: string }>(`SELECT SUM(CRC32(CONCAT_WS('|', id, k, c))) AS c FROM ${t}`))[0]?.c);
    assert.equal(await sum(down, 'api_db.t'), await sum(up2, 'shard_db_2.t_2'), 'every row equal');

    assert.equal((await cluster.api('DELETE', '/api/v1/tasks/api_task')).status, 204);
    await eventually('api_task gone', async () => (await cluster.api('GET', '/api/v1/tasks/api_task/status')).status === 400);
  }));
