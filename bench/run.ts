/**
 * `npm run bench -- [name...]`: runs benchmarks side by side with their peers in the same run and prints
 * ratios. Names: binlog (decode throughput vs mariadb-binlog --verbose). More join as units land.
 */
import { binlogBench } from './binlog-bench.js';

const benches: Record<string, () => Promise<void>> = { binlog: binlogBench };

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
