/**
 * Incremental replication end to end, through the real `dm run` command: task-mode `all` on two sources (one
 * in position mode, one in GTID mode) under a randomised workload (every column type, primary-key changes,
 * large transactions, DDL: add/drop/modify column, add/drop index, rename table) plus a shard merge by routes
 * and a table without a key; stopped with Ctrl-C and resumed; and crash tests — `kill -9` at random moments
 * under write load and at every named failpoint — after which every run resumes by itself. Each test ends with
 * `dm run --exit-when-synced`, whose built-in `dm diff` compares every row of upstream and downstream.
 * A table without a key (where a transaction applied twice would leave duplicate rows) proves nothing was
 * applied twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { writeSourceFile } from '../harness/source-file.js';
import { shardTableSql, shardWrites } from '../harness/shard-tables.js';
import { runDm, startDm, type DmRun } from '../harness/dm-cli.js';
import { RandomWorkload, mulberry32 } from '../harness/random-workload.js';

/** A seeded generator of floats in [0, 1). */
function random(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 2 ** 32;
}

let up1: MariaDbServer;
let up2: MariaDbServer;
let down: MariaDbServer;
const work = scratchDir('dm-sync');

before(async () => {
  [up1, up2, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
});

after(() => stopAllServers());

function sourceFile(id: string, s: MariaDbServer, gtid: boolean): string {
  return writeSourceFile(work, id, s, gtid);
}

function taskFile(name: string, body: string): string {
  const f = path.join(work, `${name}.yaml`);
  writeFileSync(
    f,
    `name: "${name}"
${down.targetDatabaseYaml()}${body}
loaders:
  global:
    pool-size: 2
    dir: "${path.join(work, 'dump')}"
`,
  );
  return f;
}

function assertEqualRun(r: DmRun, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code} ${r.signal ?? ''}\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
  assert.match(r.stderr, /downstream equals upstream/, what);
  assert.match(r.stdout, /result: EQUAL/, what);
}

/** A table without a key, written in multi-row transactions: a transaction applied twice leaves duplicates. */
async function keylessWriter(s: MariaDbServer, table: string, signal: AbortSignal, seed: number): Promise<number> {
  const conn = await s.connect();
  const rnd = random(seed);
  let n = 0;
  try {
    while (!signal.aborted) {
      const rows = 1 + Math.floor(rnd() * 20);
      const values = Array.from({ length: rows }, () => `(${Math.floor(rnd() * 5)}, 'v${Math.floor(rnd() * 3)}')`).join(',');
      await conn.query('START TRANSACTION');
      await conn.query(`INSERT INTO ${table} VALUES ${values}`);
      if (rnd() < 0.3) await conn.query(`DELETE FROM ${table} WHERE a = ${Math.floor(rnd() * 5)} LIMIT 1`);
      await conn.query('COMMIT');
      n++;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await conn.end();
  }
  return n;
}

const SHARD = (offset: number): string => shardTableSql(offset, 2000);

test('task-mode all on two sources (position and GTID mode): random workload with DDL, shard merge, Ctrl-C and resume, ends equal', async () => {
  const wl1 = new RandomWorkload(up1, { schema: 'rw1', seed: 11, ddl: true, ddlEvery: 25 });
  const wl2 = new RandomWorkload(up2, { schema: 'rw2', seed: 22, ddl: true, ddlEvery: 25 });
  await Promise.all([wl1.setup(), wl2.setup()]);
  await up1.sql(`${SHARD(1)} CREATE DATABASE logs1; CREATE TABLE logs1.events (a INT, b VARCHAR(5)); INSERT INTO logs1.events VALUES (1, 'x'), (1, 'x')`);
  await up2.sql(SHARD(2));
  const s1 = sourceFile('src-pos', up1, false);
  const s2 = sourceFile('src-gtid', up2, true);
  const task = taskFile(
    'mixed',
    `task-mode: all
mysql-instances:
  - source-id: "src-pos"
    block-allow-list: "ba"
    route-rules: ["shard-schema", "shard-table"]
    loader-config-name: "global"
    syncer-config-name: "global"
  - source-id: "src-gtid"
    block-allow-list: "ba"
    route-rules: ["shard-schema", "shard-table"]
    loader-config-name: "global"
    syncer-config-name: "global"
block-allow-list:
  ba:
    do-dbs: ["rw1", "rw2", "shard_db_*", "logs1"]
routes:
  shard-schema:
    schema-pattern: "shard_db_*"
    target-schema: "merged"
  shard-table:
    schema-pattern: "shard_db_*"
    table-pattern: "t_*"
    target-schema: "merged"
    target-table: "t"
syncers:
  global:
    worker-count: 4
    batch: 50
    checkpoint-flush-interval: 1`,
  );
  const p = startDm(['run', task, '-s', s1, s2, '--progress-interval', '1']);
  await p.waitFor(/\[src-pos\] sync: starting at/);
  await p.waitFor(/\[src-gtid\] sync: starting at/);
  const stop = new AbortController();
  const keyless = keylessWriter(up1, 'logs1.events', stop.signal, 5);
  const [st1, st2] = await Promise.all([wl1.run({ transactions: 250, concurrency: 2 }), wl2.run({ transactions: 250, concurrency: 2 }), shardWrites(up1, 1, 500), shardWrites(up2, 2, 500)]);
  stop.abort();
  await keyless;
  assert.ok(st1.pkChanges > 0 && st1.bigTransactions > 0 && Object.values(st1.ddl).some((n) => n > 0), JSON.stringify(st1));
  assert.ok(Object.values(st2.ddl).some((n) => n > 0), JSON.stringify(st2));
  await p.waitFor(/\[src-pos\] sync \|[^\n]*\(synced\)[^\n]*\n[^\n]*\[src-gtid\] sync \|[^\n]*\(synced\)|\[src-gtid\] sync \|[^\n]*\(synced\)[^\n]*\n[^\n]*\[src-pos\] sync \|[^\n]*\(synced\)/, 180_000).catch(() => undefined);
  p.interrupt();
  const r1 = await p.done;
  assert.equal(r1.code, 130, r1.stderr.slice(-3000));
  assert.doesNotMatch(r1.stderr, /Error:/);
  // more changes while the task is stopped, then catch up and compare
  await Promise.all([wl1.run({ transactions: 80 }), wl2.run({ transactions: 80 }), shardWrites(up1, 1, 100)]);
  const r2 = await runDm(['run', task, '-s', s1, s2, '--exit-when-synced']);
  assertEqualRun(r2, 'resume after Ctrl-C');
  assert.match(r2.stderr, /\[src-gtid\] sync: resuming from checkpoint \(mysql-bin\.\d+, \d+\) gtid 0-\d+-\d+/);
});

test('crash safety: kill -9 at 10 random moments under write load, then at every named failpoint; each run resumes and the end is equal', async () => {
  const wl = new RandomWorkload(up1, { schema: 'cr1', seed: 33, ddl: true, ddlEvery: 15 });
  await wl.setup();
  await up1.sql('CREATE DATABASE crlog; CREATE TABLE crlog.l (a INT, b VARCHAR(5))');
  const s1 = sourceFile('src-crash', up1, false);
  const task = taskFile(
    'crash',
    `task-mode: all
mysql-instances:
  - source-id: "src-crash"
    block-allow-list: "ba"
    loader-config-name: "global"
    syncer-config-name: "global"
block-allow-list:
  ba:
    do-dbs: ["cr1", "crlog"]
syncers:
  global:
    worker-count: 4
    batch: 20
    checkpoint-flush-interval: 1
    safe-mode-duration: "0s"`,
  );
  const rnd = random(77);
  const keep = process.env.DM_TEST_KEEP;
  if (keep) mkdirSync(keep, { recursive: true });
  const stop = new AbortController();
  const load = Promise.all([wl.run({ transactions: 1_000_000, concurrency: 2, signal: stop.signal }), keylessWriter(up1, 'crlog.l', stop.signal, 9)]);
  const kills: string[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      // even runs: killed at a random moment from the start (startup, dump, load or sync); odd runs: a random
      // moment after the sync started, so most kills hit the sync whatever the machine's speed
      const ms = i % 2 === 0 ? 1500 + Math.floor(rnd() * 3000) : Math.floor(rnd() * 2500);
      const r = await runDm(['run', task, '-s', s1], i % 2 === 0 ? { killAfterMs: ms } : { killWhen: /sync: (starting|resuming)/, killDelayMs: ms });
      if (keep) writeFileSync(path.join(keep, `run-${i}.log`), r.stderr);
      assert.equal(r.signal, 'SIGKILL', `run ${i} should still be running when killed ${i % 2 === 0 ? 'at' : 'after the sync started +'} ${ms} ms:\n${r.stderr.slice(-3000)}`);
      assert.doesNotMatch(r.stderr, /Error:/, `run ${i}`);
      const stage = /\] (dump|load|sync)\b[^\n]*\n?$/.exec(r.stderr.trimEnd())?.[1] ?? (/sync: (starting|resuming)/.test(r.stderr) ? 'sync' : 'start');
      kills.push(`${ms}ms:${stage}`);
    }
  } finally {
    stop.abort();
    await load;
  }
  assert.ok(kills.filter((k) => k.endsWith('sync')).length >= 5, `most kills should hit the sync: ${kills.join(' ')}`);

  for (const fp of ['before-commit=3', 'after-commit=4', 'before-flush=2', 'after-flush=2', 'before-ddl=1', 'after-ddl=1']) {
    // changes (with DDL) for the run to apply, written while the task is stopped
    const st = wl.stats();
    const ddlBefore = Object.values(st.ddl).reduce((a, b) => a + b, 0);
    for (let k = 0; k < 5; k++) {
      await wl.run({ transactions: 30 });
      if (Object.values(wl.stats().ddl).reduce((a, b) => a + b, 0) > ddlBefore) break;
    }
    await up1.sql("INSERT INTO crlog.l VALUES (7, 'fp'), (7, 'fp')");
    const r = await runDm(['run', task, '-s', s1, '--exit-when-synced', '--no-verify'], { env: { DM_FAILPOINTS: `sync/${fp}` } });
    if (keep) writeFileSync(path.join(keep, `fp-${fp}.log`), r.stderr);
    assert.equal(r.signal, 'SIGKILL', `failpoint ${fp} should kill the process:\n${r.stderr.slice(-3000)}`);
  }
  const final = await runDm(['run', task, '-s', s1, '--exit-when-synced']);
  if (keep && final.code !== 0) {
    // DM_TEST_KEEP=dir: what a failure needs to be understood — every run's output, the binlogs, both databases
    writeFileSync(path.join(keep, 'final.log'), `${final.stderr}\n${final.stdout}`);
    const diff = await runDm(['diff', task, '--source', s1, '--json', '--max-rows', '100000']);
    writeFileSync(path.join(keep, 'diff.json'), diff.stdout);
    cpSync(up1.dataDir, path.join(keep, 'upstream-data'), { recursive: true });
    cpSync(down.dataDir, path.join(keep, 'downstream-data'), { recursive: true });
  }
  assertEqualRun(final, `after kills at ${kills.join(' ')} and every failpoint`);
});
