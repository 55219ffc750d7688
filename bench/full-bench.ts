/**
 * Full-migration throughput, measured side by side in one run on the same data (1M sysbench-shaped rows):
 *   dump:  dm-ts DumpUnit (threads 2)            vs `mydumper -t 2`
 *   load:  dm-ts LoadUnit (pool-size 2)          vs `myloader -t 2` (each loading the same mydumper dump)
 *   limit: `LOAD DATA INFILE` in 2 sessions      (the server's raw ingest rate on this machine)
 * Each pair alternates rounds and keeps the best time; peak RSS of this process is sampled during our units.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MariaDbServer } from '../src/playground/local-mariadb.js';
import { DumpUnit } from '../src/units/dump/dump-unit.js';
import { LoadUnit } from '../src/units/load/load-unit.js';
import { ALLOW_ALL, IDENTITY_ROUTER } from '../src/filter/table-filter.js';
import type { TableFilter } from '../src/filter/table-filter.js';

const ROWS = Number(process.env.DM_BENCH_ROWS ?? 1_000_000);

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
}

function run(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return performance.now() - t0;
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 20);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

const ONLY_SBTEST: TableFilter = { matchSchema: (s) => s === 'sbtest', matchTable: (s) => s === 'sbtest' };

export async function fullBench(): Promise<void> {
  if (spawnSync('mydumper', ['--version']).status !== 0) throw new Error('mydumper is not installed: run `DM_BENCH_DEPS=1 bash scripts/ensure-system-deps.sh`');
  process.stderr.write(`bench full: preparing ${ROWS} rows on a local MariaDB ...\n`);
  const [src, dst] = await Promise.all([MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
  const work = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-bench-full-'));
  const rounds = Number(process.env.DM_BENCH_ROUNDS ?? 3);
  const rss = new RssSampler();
  try {
    await src.sql(`CREATE DATABASE sbtest; CREATE TABLE sbtest.sbtest1 (id INT NOT NULL PRIMARY KEY, k INT NOT NULL DEFAULT 0,
      c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k));
      INSERT INTO sbtest.sbtest1 SELECT seq, FLOOR(RAND(seq) * ${ROWS}), CONCAT_WS('-', seq, seq * 7, seq * 13, seq * 17, seq * 19, seq * 23, seq * 29, seq * 31, seq * 37, seq * 41, seq * 43),
        CONCAT_WS('-', seq * 3, seq * 5, seq * 11, seq * 47, seq * 53) FROM sbtest.seq_1_to_${ROWS}`);
    const c = src.config();
    const conn = ['-h', c.host, '-P', String(c.port), '-u', c.user, '-p', c.password];

    // ---- dump
    let oursDump = Infinity;
    let peerDump = Infinity;
    const ourDir = path.join(work, 'ours');
    const peerDir = path.join(work, 'mydumper');
    for (let i = 0; i < rounds; i++) {
      rss.start();
      const unit = new DumpUnit({ source: c, outputDir: ourDir, threads: 2, rows: 200_000, chunkFilesizeMB: 64, statementSize: 1_000_000, consistency: 'auto', filter: ONLY_SBTEST });
      const t0 = performance.now();
      await unit.init();
      const r = await unit.process(new AbortController().signal);
      await unit.close();
      oursDump = Math.min(oursDump, performance.now() - t0);
      rss.stop();
      if (r.errors.length) throw r.errors[0]!;
      rmSync(peerDir, { recursive: true, force: true });
      peerDump = Math.min(peerDump, run('mydumper', [...conn, '-t', '2', '-r', '200000', '-B', 'sbtest', '-o', peerDir]));
    }
    const dumpPeak = rss.peak;
    const dumpMB = dirBytes(ourDir) / 1048576;

    // ---- load (both load mydumper's dump, so the input is identical)
    let oursLoad = Infinity;
    let peerLoad = Infinity;
    const d = dst.config();
    rss.peak = 0;
    for (let i = 0; i < rounds; i++) {
      await dst.sql('DROP DATABASE IF EXISTS sbtest; DROP DATABASE IF EXISTS dm_meta');
      rss.start();
      const unit = new LoadUnit({ target: d, dir: peerDir, taskName: `bench${i}`, sourceId: 's1', metaSchema: 'dm_meta', poolSize: 2, filter: ALLOW_ALL, router: IDENTITY_ROUTER, cleanDumpFile: false, mode: 'full' });
      const t0 = performance.now();
      await unit.init();
      const r = await unit.process(new AbortController().signal);
      await unit.close();
      oursLoad = Math.min(oursLoad, performance.now() - t0);
      rss.stop();
      if (r.errors.length) throw r.errors[0]!;
      const n = await dst.sql<{ n: string }>('SELECT COUNT(*) n FROM sbtest.sbtest1');
      if (Number(n[0]!.n) !== ROWS) throw new Error(`our load wrote ${n[0]!.n} rows, expected ${ROWS}`);
      await dst.sql('DROP DATABASE IF EXISTS sbtest');
      peerLoad = Math.min(peerLoad, run('myloader', ['-h', d.host, '-P', String(d.port), '-u', d.user, '-p', d.password, '-t', '2', '-d', peerDir, '-o']));
    }
    const loadPeak = rss.peak;

    // ---- raw LOAD DATA ingest, 2 sessions (server-side files: no client in the way)
    const half = Math.floor(ROWS / 2);
    const csv = [path.join(dst.dataDir, 'a.csv'), path.join(dst.dataDir, 'b.csv')];
    await dst.sql(`SELECT * FROM sbtest.sbtest1 WHERE id <= ${half} INTO OUTFILE '${csv[0]}'; SELECT * FROM sbtest.sbtest1 WHERE id > ${half} INTO OUTFILE '${csv[1]}'`);
    let rawLoad = Infinity;
    for (let i = 0; i < rounds; i++) {
      await dst.sql('DROP TABLE IF EXISTS sbtest.raw; CREATE TABLE sbtest.raw LIKE sbtest.sbtest1');
      const t0 = performance.now();
      await Promise.all(csv.map(async (f) => {
        const cn = await dst.connect();
        try {
          await cn.query(`LOAD DATA INFILE '${f}' INTO TABLE sbtest.raw`);
        } finally {
          await cn.end();
        }
      }));
      rawLoad = Math.min(rawLoad, performance.now() - t0);
    }

    const s = (ms: number): string => `${(ms / 1000).toFixed(2).padStart(6)} s`;
    const rate = (ms: number): string => `${((ROWS / ms) * 1000 / 1e6).toFixed(2)} M rows/s, ${((dumpMB / ms) * 1000).toFixed(0)} MB/s`;
    console.log(`\nfull migration: ${ROWS} rows, ${dumpMB.toFixed(0)} MB of SQL; best of ${rounds} alternating rounds`);
    console.log(`dump  dm-ts DumpUnit threads=2     ${s(oursDump)}  ${rate(oursDump)}  peak RSS ${(dumpPeak / 1048576).toFixed(0)} MB`);
    console.log(`dump  mydumper -t 2                ${s(peerDump)}  ${rate(peerDump)}`);
    console.log(`load  dm-ts LoadUnit pool-size=2   ${s(oursLoad)}  ${rate(oursLoad)}  peak RSS ${(loadPeak / 1048576).toFixed(0)} MB`);
    console.log(`load  myloader -t 2                ${s(peerLoad)}  ${rate(peerLoad)}`);
    console.log(`limit LOAD DATA INFILE, 2 sessions ${s(rawLoad)}  ${rate(rawLoad)}`);
    console.log(`ratio dump mydumper/dm-ts: ${(peerDump / oursDump).toFixed(2)}x   load myloader/dm-ts: ${(peerLoad / oursLoad).toFixed(2)}x   (higher is better for dm-ts)`);
  } finally {
    rss.stop();
    rmSync(work, { recursive: true, force: true });
    await Promise.all([src.stop(), dst.stop()]);
  }
}
