/**
 * `npm run bench -- [name...]`: runs benchmarks side by side with their peers in the same run and prints
 * ratios. Names: binlog (decode throughput vs mariadb-binlog --verbose), full (dump vs mydumper, load vs myloader),
 * sync (incremental catch-up of a sysbench binlog: `dm run --exit-when-synced` vs MariaDB's replica, 0 and 4
 * parallel threads).
 */
import { binlogBench } from './binlog-bench.js';
import { fullBench } from './full-bench.js';
import { syncBench } from './sync-bench.js';

const benches: Record<string, () => Promise<void>> = { binlog: binlogBench, full: fullBench, sync: syncBench };

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length ? names : Object.keys(benches);
for (const n of chosen) {
  const b = benches[n];
  if (!b) {
    process.stderr.write(`unknown benchmark '${n}'; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  await b();
}
