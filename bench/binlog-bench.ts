/**
 * Binlog decode throughput. Builds a ≥ 100 MB ROW binlog on a local MariaDB (sysbench-shaped rows: inserts,
 * updates with before/after images, deletes), then decodes it three ways, each timed on the same file:
 *   1. dm-ts: decode every event and every row value (no output) — the replication hot path;
 *   2. dm-ts: `dm binlog FILE > /dev/null` — full JSON-lines output, like the peer;
 *   3. peer: `mariadb-binlog --verbose FILE > /dev/null`.
 * Prints events/s and MB/s for each and the ratios to the peer.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer } from '../src/playground/local-mariadb.js';
import { readRawEventBatches } from '../src/binlog/binlog-file-reader.js';
import { EventDecoder } from '../src/binlog/event-decoder.js';
import { TableMapCache } from '../src/binlog/table-map-cache.js';
import { decodeRows, schemaFromTableMap } from '../src/binlog/row-decoder.js';
import type { TableSchema } from '../src/binlog/table-schema.js';

const TARGET_BYTES = 100 * 1024 * 1024;

async function buildBinlog(server: MariaDbServer): Promise<string[]> {
  await server.sql(`CREATE DATABASE sbtest; CREATE TABLE sbtest.sbtest1 (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0,
    c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '',
    price DECIMAL(10,2) NOT NULL DEFAULT 0, created DATETIME(6) NULL, KEY k_1 (k)) ENGINE=InnoDB`);
  const files = new Set<string>();
  let round = 0;
  for (;;) {
    const start = round * 100_000;
    await server.sql(`INSERT INTO sbtest.sbtest1 (id, k, c, pad, price, created)
      SELECT ${start} + seq, seq % 1000, REPEAT(CONCAT(seq, '-'), 12), REPEAT('x', 59), seq / 100, '2026-01-01 00:00:00.123456' + INTERVAL seq SECOND
      FROM sbtest.seq_1_to_100000`);
    await server.sql(`UPDATE sbtest.sbtest1 SET k = k + 1, price = price * 2 WHERE id > ${start} AND id <= ${start + 30_000}`);
    await server.sql(`DELETE FROM sbtest.sbtest1 WHERE id > ${start} AND id <= ${start + 10_000}`);
    round++;
    const rows = await server.sql<{ Log_name: string; File_size: string }>('SHOW BINARY LOGS');
    const total = rows.reduce((s, r) => s + Number(r.File_size), 0);
    for (const r of rows) files.add(r.Log_name);
    if (total >= TARGET_BYTES) break;
  }
  await server.sql('FLUSH BINARY LOGS');
  const rows = await server.sql<{ Log_name: string; File_size: string }>('SHOW BINARY LOGS');
  return rows.filter((r) => Number(r.File_size) > 1000).map((r) => server.binlogPath(r.Log_name));
}

async function decodeAll(files: string[]): Promise<{ events: number; rows: number; ms: number }> {
  const t0 = performance.now();
  let events = 0;
  let rows = 0;
  for (const file of files) {
    const decoder = new EventDecoder({ file: path.basename(file) });
    const tables = new TableMapCache();
    const schemas = new Map<number, TableSchema>();
    for await (const batch of readRawEventBatches(file)) {
      for (const { raw, offset } of batch) {
        const ev = decoder.decode(raw, offset);
        events++;
        if (tables.observe(ev)) {
          if (ev.body.kind === 'table_map') schemas.set(ev.body.tableId, schemaFromTableMap(ev.body));
        } else if (ev.body.kind === 'rows') {
          const tm = tables.get(ev.body.tableId)!;
          rows += decodeRows(ev.body, tm, schemas.get(ev.body.tableId)).rows.length;
        }
      }
    }
  }
  return { events, rows, ms: performance.now() - t0 };
}

function timeCommand(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `${[cmd, ...args].map((a) => `'${a}'`).join(' ')} > /dev/null`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} failed with ${r.status}`);
  return performance.now() - t0;
}

export async function binlogBench(): Promise<void> {
  process.stderr.write('bench binlog: building a >= 100 MB ROW binlog on a local MariaDB ...\n');
  const server = await MariaDbServer.start({ extraArgs: ['--max-binlog-size=1G'] });
  try {
    const files = await buildBinlog(server);
    if (process.env.DM_BENCH_KEEP) {
      // keep a copy for profiling: DM_BENCH_KEEP=dir npm run bench -- binlog
      mkdirSync(process.env.DM_BENCH_KEEP, { recursive: true });
      for (const f of files) copyFileSync(f, path.join(process.env.DM_BENCH_KEEP, path.basename(f)));
    }
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const mb = bytes / 1048576;
    process.stderr.write(`bench binlog: ${files.length} file(s), ${mb.toFixed(1)} MB; decoding ...\n`);
    // warm-up pass so JIT and page cache are the same for everyone; then alternate rounds and keep each
    // side's best time (the machine is shared: the minimum is the least disturbed measurement)
    await decodeAll(files);
    const dmCli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src/cli/dm.js');
    const rounds = Number(process.env.DM_BENCH_ROUNDS ?? 3);
    let ours = { events: 0, rows: 0, ms: Infinity };
    let oursCliMs = Infinity;
    let peerMs = Infinity;
    for (let i = 0; i < rounds; i++) {
      const d = await decodeAll(files);
      if (d.ms < ours.ms) ours = d;
      oursCliMs = Math.min(oursCliMs, timeCommand(process.execPath, [dmCli, 'binlog', ...files]));
      peerMs = Math.min(peerMs, timeCommand('mariadb-binlog', ['--verbose', ...files]));
    }
    const line = (name: string, ms: number): string =>
      `${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s ${((ours.events / ms) * 1000).toFixed(0).padStart(10)} events/s ${((mb / ms) * 1000).toFixed(1).padStart(8)} MB/s`;
    console.log(`\nbinlog decode: ${mb.toFixed(1)} MB, ${ours.events} events, ${ours.rows} rows; best of ${rounds} alternating rounds`);
    console.log(line('dm-ts decode (events + every row value)', ours.ms) + `  ${((ours.rows / ours.ms) * 1000).toFixed(0)} rows/s`);
    console.log(line('dm-ts `dm binlog` → JSON lines > /dev/null', oursCliMs));
    console.log(line('mariadb-binlog --verbose > /dev/null', peerMs));
    console.log(`ratio decode / mariadb-binlog:    ${(peerMs / ours.ms).toFixed(2)}x (higher is better for dm-ts)`);
    console.log(`ratio dm binlog / mariadb-binlog: ${(peerMs / oursCliMs).toFixed(2)}x`);
    console.log(`peak RSS of this process: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  } finally {
    await server.stop();
  }
}
