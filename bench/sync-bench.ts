/**
 * Incremental replication catch-up, measured side by side in one run on the same binlog:
 *   1. an upstream MariaDB gets 4 sysbench tables (prepare), then a snapshot (`mariadb-dump --single-transaction
 *      --master-data=2 --gtid`) whose binlog position is where every peer starts;
 *   2. with no replica attached, `sysbench oltp_insert run` then `sysbench oltp_write_only run` (8 threads)
 *      write the workload; the end position is SHOW MASTER STATUS afterwards. Transactions, row events and
 *      row changes are counted by decoding that binlog range with dm-ts's own file reader;
 *   3. peers, each on a fresh downstream loaded with the snapshot (no binlog on the downstream), timed from
 *      start until everything up to the end position is applied:
 *        - MariaDB's replica, slave_parallel_threads=0 (polls SHOW SLAVE STATUS every 50 ms)
 *        - MariaDB's replica, slave_parallel_threads=4, slave_parallel_mode=optimistic
 *        - dm-ts: `dm run task.yaml --no-verify --exit-when-synced` (task-mode incremental, meta = snapshot
 *          position), timed until the process exits — once with DM's syncer defaults (worker-count 16, batch
 *          100, safe mode for the first 60 s) and once tuned (4 x 500, multiple-rows, compact, no auto safe mode);
 *   4. after each catch-up, CHECKSUM TABLE of every sbtest table is compared with the upstream.
 * Peak RSS: VmHWM of the replica mariadbd (the whole server, InnoDB buffer pool included) or of the `dm run`
 * process. Each round needs fresh downstreams, so the default is 1 round (DM_BENCH_ROUNDS to repeat, best kept).
 * Env:
 *   DM_BENCH_SYNC_SCALE  workload size factor (default 1: 250k oltp_insert + 150k oltp_write_only events)
 *   DM_BENCH_SYNC_WORKERS / _BATCH / _SAFE_MODE_DURATION  the "defaults" variant (16 / 100 / 60s)
 *   DM_BENCH_SYNC_TUNED_WORKERS / _TUNED_BATCH  the tuned variant (4 / 500)
 *   DM_BENCH_SYNC_PEERS=0  skip the native replicas;  DM_BENCH_CPU_PROF=dir  CPU profile of `dm run`
 *   DM_BENCH_SYNC_LIMIT_S  give up on a catch-up after this many seconds (1800); DM_BENCH_VERBOSE  `dm run`'s log
 * If `dm run` fails, its row says "not available (why)" and the peers still print.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MariaDbServer, TEST_PASSWORD, type MariaDbOptions } from '../src/playground/local-mariadb.js';
import { readBinlogFile } from '../src/binlog/binlog-file-reader.js';
import { TableMapCache } from '../src/binlog/table-map-cache.js';
import { decodeRows, schemaFromTableMap } from '../src/binlog/row-decoder.js';
import type { TableSchema } from '../src/binlog/table-schema.js';

const SCALE = Number(process.env.DM_BENCH_SYNC_SCALE ?? 1);
const WORKERS = Number(process.env.DM_BENCH_SYNC_WORKERS ?? 16);
/** DM's default automatic safe mode after a start is 60 s; DM_BENCH_SYNC_SAFE_MODE_DURATION overrides it. */
const SAFE_MODE_DURATION = process.env.DM_BENCH_SYNC_SAFE_MODE_DURATION ?? '60s';
const BATCH = Number(process.env.DM_BENCH_SYNC_BATCH ?? 100);
const TABLES = 4;
const TABLE_SIZE = 10_000;
const THREADS = 8;
const INSERT_EVENTS = Math.max(1, Math.round(250_000 * SCALE));
const WRITE_ONLY_EVENTS = Math.max(1, Math.round(150_000 * SCALE));
/** A catch-up that takes longer than this is abandoned (the row then says so). */
const RUN_LIMIT_MS = Number(process.env.DM_BENCH_SYNC_LIMIT_S ?? 1800) * 1000;
const POLL_MS = 50;

interface BinlogPos {
  file: string;
  position: number;
  gtid: string;
}

interface Workload {
  trx: number;
  rowEvents: number;
  rows: number;
}

interface RunResult {
  ms: number;
  rssBytes: number | undefined;
  /** The downstream mariadbd's peak RSS (for dm-ts: the server it writes into). */
  serverRssBytes: number | undefined;
  checksumOk: boolean;
}

const log = (s: string): void => void process.stderr.write(`bench sync: ${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Peak resident set size of a live process (VmHWM), in bytes. */
function vmHwm(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function serverPid(server: MariaDbServer): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(server.dataDir, 'mysqld.pid'), 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function connArgs(server: MariaDbServer): string[] {
  const c = server.config();
  return [`--host=${c.host}`, `--port=${c.port}`, `--user=${c.user}`];
}

/** Runs a client tool with the password in MYSQL_PWD; throws with its stderr on failure. */
function runTool(cmd: string, args: string[], opts: { stdinFile?: string } = {}): string {
  const fd = opts.stdinFile ? openSync(opts.stdinFile, 'r') : undefined;
  try {
    const r = spawnSync(cmd, args, {
      stdio: [fd ?? 'ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, MYSQL_PWD: TEST_PASSWORD },
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    return r.stdout;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sysbench(server: MariaDbServer, test: string, command: 'prepare' | 'run', extra: string[]): string {
  const c = server.config();
  return runTool('sysbench', [
    test,
    '--db-driver=mysql',
    `--mysql-host=${c.host}`,
    `--mysql-port=${c.port}`,
    `--mysql-user=${c.user}`,
    `--mysql-password=${c.password}`,
    '--mysql-db=sbtest',
    `--tables=${TABLES}`,
    `--table-size=${TABLE_SIZE}`,
    ...extra,
    command,
  ]);
}

/** sysbench's "transactions: N (R per sec.)" and total time. */
function sysbenchSummary(out: string): string {
  const trx = /transactions:\s+(\d+)\s+\(([\d.]+) per sec/.exec(out);
  const time = /total time:\s+([\d.]+)s/.exec(out);
  return `${trx?.[1] ?? '?'} trx in ${time?.[1] ?? '?'} s (${trx?.[2] ?? '?'} trx/s)`;
}

/** Counts transactions (GTID events), row events and row changes in the binlog range [from, to). */
async function countWorkload(server: MariaDbServer, from: BinlogPos, to: BinlogPos): Promise<Workload> {
  const logs = await server.sql<{ Log_name: string }>('SHOW BINARY LOGS');
  const files = logs.map((r) => r.Log_name).filter((f) => f >= from.file && f <= to.file);
  const w: Workload = { trx: 0, rowEvents: 0, rows: 0 };
  for (const file of files) {
    const tables = new TableMapCache();
    const schemas = new Map<number, TableSchema>();
    for await (const ev of readBinlogFile(server.binlogPath(file), { start: file === from.file ? from.position : 4 })) {
      if (file === to.file && ev.offset >= to.position) break;
      if (ev.body.kind === 'mariadb_gtid') w.trx++;
      if (tables.observe(ev)) {
        if (ev.body.kind === 'table_map') schemas.set(ev.body.tableId, schemaFromTableMap(ev.body, 'mariadb'));
      } else if (ev.body.kind === 'rows') {
        const tm = tables.get(ev.body.tableId);
        if (!tm) throw new Error(`${file}@${ev.offset}: rows event without its table map`);
        w.rowEvents++;
        w.rows += decodeRows(ev.body, tm, schemas.get(ev.body.tableId)).rows.length;
      }
    }
  }
  return w;
}

const TABLE_LIST = Array.from({ length: TABLES }, (_, i) => `sbtest.sbtest${i + 1}`).join(', ');

async function checksums(server: MariaDbServer): Promise<Map<string, string>> {
  const rows = await server.sql<{ Table: string; Checksum: string | null }>(`CHECKSUM TABLE ${TABLE_LIST}`);
  return new Map(rows.map((r) => [r.Table, String(r.Checksum)]));
}

async function checksumMatches(name: string, upstream: Map<string, string>, downstream: MariaDbServer): Promise<boolean> {
  const down = await checksums(downstream);
  const bad = [...upstream].filter(([t, c]) => down.get(t) !== c);
  for (const [t, c] of bad) console.log(`WARNING: ${name}: CHECKSUM TABLE ${t} differs: upstream ${c}, downstream ${down.get(t) ?? 'missing'}`);
  return bad.length === 0;
}

/** A fresh downstream (no binlog) holding the snapshot. */
async function snapshotDownstream(dumpFile: string, opts: MariaDbOptions = {}): Promise<MariaDbServer> {
  const ds = await MariaDbServer.start({ ...opts, noBinlog: true });
  try {
    runTool('mariadb', connArgs(ds), { stdinFile: dumpFile });
    return ds;
  } catch (e) {
    await ds.stop();
    throw e;
  }
}

/** MariaDB's own replica from the snapshot position; catch-up until it has executed up to `end`. */
async function runNative(parallel: number, upstream: MariaDbServer, dumpFile: string, snap: BinlogPos, end: BinlogPos, sums: Map<string, string>): Promise<RunResult> {
  const extraArgs = [`--slave-parallel-threads=${parallel}`];
  if (parallel > 0) extraArgs.push('--slave-parallel-mode=optimistic');
  const ds = await snapshotDownstream(dumpFile, { extraArgs });
  try {
    const u = upstream.config();
    await ds.sql(
      `CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?, MASTER_LOG_FILE=?, MASTER_LOG_POS=?, MASTER_USE_GTID=no`,
      [u.host, u.port, u.user, u.password, snap.file, snap.position],
    );
    const pid = serverPid(ds);
    const t0 = performance.now();
    await ds.sql('START SLAVE');
    let ms: number;
    for (;;) {
      const st = (await ds.sql<Record<string, string>>('SHOW SLAVE STATUS'))[0];
      if (!st) throw new Error('SHOW SLAVE STATUS returned nothing');
      if (Number(st.Last_SQL_Errno) !== 0 || Number(st.Last_IO_Errno) !== 0) {
        throw new Error(`replica stopped: ${st.Last_SQL_Error || st.Last_IO_Error}`);
      }
      if (st.Relay_Master_Log_File === end.file && Number(st.Exec_Master_Log_Pos) >= end.position) {
        ms = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > RUN_LIMIT_MS) throw new Error(`not caught up after ${RUN_LIMIT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
    const rss = pid ? vmHwm(pid) : undefined;
    await ds.sql('STOP SLAVE');
    const checksumOk = await checksumMatches(`native replica (parallel ${parallel})`, sums, ds);
    return { ms, rssBytes: rss, serverRssBytes: rss, checksumOk };
  } finally {
    await ds.stop();
  }
}

/** Why `dm run` cannot do this bench yet, or undefined when it advertises --exit-when-synced. */
function dmUnavailable(dmCli: string): string | undefined {
  const r = spawnSync(process.execPath, [dmCli, 'run', '--help'], { encoding: 'utf8' });
  if (r.status !== 0) return `\`dm run --help\` failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`;
  if (!r.stdout.includes('--exit-when-synced')) return '`dm run` has no --exit-when-synced option yet';
  return undefined;
}

/** The syncer settings of a dm-ts run: DM's defaults, or tuned for throughput. */
interface DmVariant {
  readonly name: string;
  readonly workers: number;
  readonly batch: number;
  readonly syncer: string;
}

const TUNED_WORKERS = Number(process.env.DM_BENCH_SYNC_TUNED_WORKERS ?? 4);
const TUNED_BATCH = Number(process.env.DM_BENCH_SYNC_TUNED_BATCH ?? 500);

const VARIANTS: readonly DmVariant[] = [
  { name: `DM defaults (worker-count ${WORKERS}, batch ${BATCH})`, workers: WORKERS, batch: BATCH, syncer: `safe-mode-duration: "${SAFE_MODE_DURATION}"` },
  // exact checkpoints make the automatic safe mode unnecessary; fewer, larger batches of multi-row statements
  // suit a 2-core machine
  {
    name: `tuned (${TUNED_WORKERS} x ${TUNED_BATCH}, multiple-rows, compact, no auto safe mode)`,
    workers: TUNED_WORKERS,
    batch: TUNED_BATCH,
    syncer: 'safe-mode-duration: "0s"\n    multiple-rows: true\n    compact: true',
  },
];

function dmConfigs(work: string, upstream: MariaDbServer, downstream: MariaDbServer, snap: BinlogPos, variant: DmVariant): { task: string; source: string } {
  const u = upstream.config();
  const d = downstream.config();
  const source = path.join(work, 'source.yaml');
  const task = path.join(work, 'task.yaml');
  writeFileSync(
    source,
    `source-id: bench-upstream
flavor: mariadb
server-id: 4242
enable-gtid: false
from:
  host: ${u.host}
  port: ${u.port}
  user: ${u.user}
  password: ${JSON.stringify(u.password)}
`,
  );
  writeFileSync(
    task,
    `name: sync-bench
task-mode: incremental
meta-schema: dm_meta
target-database:
  host: ${d.host}
  port: ${d.port}
  user: ${d.user}
  password: ${JSON.stringify(d.password)}
mysql-instances:
  - source-id: bench-upstream
    meta:
      binlog-name: ${snap.file}
      binlog-pos: ${snap.position}
    block-allow-list: bench-only-sbtest
    syncer-config-name: global
block-allow-list:
  bench-only-sbtest:
    do-dbs: ["sbtest"]
syncers:
  global:
    worker-count: ${variant.workers}
    batch: ${variant.batch}
    ${variant.syncer}
`,
  );
  return { task, source };
}

/** dm-ts `dm run --exit-when-synced` from the snapshot position; timed until the process exits. */
async function runDm(dmCli: string, upstream: MariaDbServer, dumpFile: string, snap: BinlogPos, sums: Map<string, string>, variant: DmVariant): Promise<RunResult | string> {
  const ds = await snapshotDownstream(dumpFile);
  const work = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-bench-sync-'));
  try {
    const { task, source } = dmConfigs(work, upstream, ds, snap, variant);
    const dsPid = serverPid(ds);
    const t0 = performance.now();
    const prof = process.env.DM_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DM_BENCH_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...prof, dmCli, 'run', task, '--source', source, '--no-verify', '--exit-when-synced', '--progress-interval', '5'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderrTail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderrTail = (stderrTail + s).slice(-4000);
      if (process.env.DM_BENCH_VERBOSE) process.stderr.write(s);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    let rss: number | undefined;
    let done: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((r) => (done = r), () => undefined);
    let killed = false;
    while (!done) {
      if (child.pid) rss = vmHwm(child.pid) ?? rss;
      if (!killed && performance.now() - t0 > RUN_LIMIT_MS) {
        killed = true;
        child.kill('SIGKILL');
      }
      await Promise.race([exited, sleep(POLL_MS)]);
    }
    const ms = performance.now() - t0;
    const serverRss = dsPid ? vmHwm(dsPid) : undefined;
    if (killed) return `killed: not synced after ${RUN_LIMIT_MS / 1000} s`;
    if (done.code !== 0) {
      const lastLines = stderrTail.trim().split('\n').slice(-2).join(' / ');
      return `dm run exited with ${done.code ?? done.signal}: ${lastLines}`;
    }
    const checksumOk = await checksumMatches('dm-ts', sums, ds);
    return { ms, rssBytes: rss, serverRssBytes: serverRss, checksumOk };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await ds.stop();
  }
}

function best(a: RunResult | undefined, b: RunResult): RunResult {
  return !a || b.ms < a.ms ? b : a;
}

export async function syncBench(): Promise<void> {
  const rounds = Math.max(1, Number(process.env.DM_BENCH_ROUNDS ?? 1));
  const dmCli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src/cli/dm.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-bench-sync-'));
  const dumpFile = path.join(work, 'snapshot.sql');
  log(`preparing ${TABLES} sysbench tables x ${TABLE_SIZE} rows on a local MariaDB ...`);
  const upstream = await MariaDbServer.start({ extraArgs: ['--max-binlog-size=1G'] });
  try {
    await upstream.sql('CREATE DATABASE sbtest');
    sysbench(upstream, 'oltp_insert', 'prepare', [`--threads=${TABLES}`]);

    // ---- snapshot: a consistent dump and the binlog position it corresponds to
    runTool('mariadb-dump', [...connArgs(upstream), '--single-transaction', '--master-data=2', '--gtid', '--databases', 'sbtest', `--result-file=${dumpFile}`]);
    // file/pos is a comment at the head; with --gtid the GTID position is a comment at the very end
    const dumpText = readFileSync(dumpFile, 'utf8');
    const cm = /CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+)/.exec(dumpText.slice(0, 20_000));
    if (!cm) throw new Error('mariadb-dump wrote no CHANGE MASTER TO comment');
    const gtid = /gtid_slave_pos='([^']*)'/.exec(dumpText.slice(-20_000))?.[1] ?? '';
    const snap: BinlogPos = { file: cm[1]!, position: Number(cm[2]), gtid };
    log(`snapshot at ${snap.file}:${snap.position} (GTID ${snap.gtid || '-'})`);

    // ---- the workload, with no replica attached
    const threads = [`--threads=${THREADS}`, '--time=0', '--report-interval=0'];
    let t0 = performance.now();
    const insOut = sysbench(upstream, 'oltp_insert', 'run', [...threads, `--events=${INSERT_EVENTS}`]);
    const insMs = performance.now() - t0;
    const mid = await upstream.masterStatus();
    log(`oltp_insert: ${sysbenchSummary(insOut)}`);
    t0 = performance.now();
    const woOut = sysbench(upstream, 'oltp_write_only', 'run', [...threads, `--events=${WRITE_ONLY_EVENTS}`]);
    const woMs = performance.now() - t0;
    const end = await upstream.masterStatus();
    log(`oltp_write_only: ${sysbenchSummary(woOut)}`);
    log(`end at ${end.file}:${end.position} (GTID ${end.gtid}); counting the workload in the binlog ...`);
    const insW = await countWorkload(upstream, snap, mid);
    const woW = await countWorkload(upstream, mid, end);
    const total: Workload = { trx: insW.trx + woW.trx, rowEvents: insW.rowEvents + woW.rowEvents, rows: insW.rows + woW.rows };
    const sums = await checksums(upstream);

    // ---- peers; each round gets fresh downstreams
    let native0: RunResult | undefined;
    let native4: RunResult | undefined;
    const dm: (RunResult | undefined)[] = VARIANTS.map(() => undefined);
    let dmWhyNot = dmUnavailable(dmCli);
    for (let i = 0; i < rounds; i++) {
      if (process.env.DM_BENCH_SYNC_PEERS !== '0') {
        log(`round ${i + 1}/${rounds}: MariaDB replica, slave_parallel_threads=0 ...`);
        native0 = best(native0, await runNative(0, upstream, dumpFile, snap, end, sums));
        log(`round ${i + 1}/${rounds}: MariaDB replica, slave_parallel_threads=4 optimistic ...`);
        native4 = best(native4, await runNative(4, upstream, dumpFile, snap, end, sums));
      }
      for (const [v, variant] of VARIANTS.entries()) {
        if (dmWhyNot !== undefined) break;
        log(`round ${i + 1}/${rounds}: dm-ts dm run --exit-when-synced, ${variant.name} ...`);
        const r = await runDm(dmCli, upstream, dumpFile, snap, sums, variant);
        if (typeof r === 'string') dmWhyNot = r;
        else dm[v] = best(dm[v], r);
      }
    }

    const mb = (b: number | undefined): string => (b === undefined ? 'n/a' : `${(b / 1048576).toFixed(0)} MB`);
    const perSec = (n: number, ms: number): string => ((n / ms) * 1000).toFixed(0).padStart(9);
    const line = (name: string, r: RunResult): string =>
      `${name.padEnd(46)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${perSec(total.trx, r.ms)} trx/s ${perSec(total.rowEvents, r.ms)} row ev/s ${perSec(total.rows, r.ms)} rows/s  peak RSS ${mb(r.rssBytes).padStart(7)}${r.checksumOk ? '' : '  CHECKSUM MISMATCH'}`;
    console.log(`\nsync catch-up: ${TABLES} tables x ${TABLE_SIZE} rows snapshot at ${snap.file}:${snap.position}, then ${THREADS}-thread sysbench on the upstream (scale ${SCALE}):`);
    console.log(`  oltp_insert      ${insW.trx} trx, ${insW.rowEvents} row events, ${insW.rows} rows; upstream wrote it in ${(insMs / 1000).toFixed(2)} s`);
    console.log(`  oltp_write_only  ${woW.trx} trx, ${woW.rowEvents} row events, ${woW.rows} rows; upstream wrote it in ${(woMs / 1000).toFixed(2)} s`);
    console.log(`  total            ${total.trx} trx, ${total.rowEvents} row events, ${total.rows} rows (counted by decoding the binlog range) up to ${end.file}:${end.position}`);
    console.log(`catch-up from start until applied up to the end position; best of ${rounds} round(s), fresh downstream each`);
    if (native0) console.log(line('MariaDB replica, slave_parallel_threads=0', native0));
    if (native4) console.log(line('MariaDB replica, parallel 4 optimistic', native4));
    VARIANTS.forEach((variant, v) => {
      const r = dm[v];
      if (r) console.log(line(`dm-ts, ${variant.name}`, r));
      else console.log(`${`dm-ts, ${variant.name}`.padEnd(46)} not available (${dmWhyNot ?? 'no result'})`);
    });
    console.log(`peak RSS: VmHWM of the replica mariadbd (whole server, buffer pool included) / of the \`dm run\` process`);
    VARIANTS.forEach((variant, v) => {
      const r = dm[v];
      if (!r) return;
      const ratios = native0 && native4 ? `native single-thread / dm-ts ${(native0.ms / r.ms).toFixed(2)}x, native 4-thread / dm-ts ${(native4.ms / r.ms).toFixed(2)}x` : 'peers skipped (DM_BENCH_SYNC_PEERS=0)';
      console.log(`ratio (${variant.name}): ${ratios}   (catch-up time; higher is better for dm-ts); its downstream mariadbd peak RSS ${mb(r.serverRssBytes)}`);
    });
    console.log(`upstream generation rate: ${perSec(total.trx, insMs + woMs).trim()} trx/s (8 sysbench threads)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await upstream.stop();
  }
}
