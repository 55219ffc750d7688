/**
 * Soak (`npm run test:long`): `dm run` follows two upstreams (position and GTID mode) under a continuous
 * random workload with DDL for DM_SOAK_MINUTES (default 5), and is `kill -9`ed every 15–45 s; after the load
 * stops, one last run catches up and its `dm diff` must find every row equal. Reports throughput and kills.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { runDm } from '../harness/dm-cli.js';
import { writeSourceFile } from '../harness/source-file.js';
import { RandomWorkload, mulberry32 } from '../harness/random-workload.js';

const enabled = process.env.DM_LONG_TESTS === '1';
const minutes = Number(process.env.DM_SOAK_MINUTES ?? 5);
let up1: MariaDbServer;
let up2: MariaDbServer;
let down: MariaDbServer;
const work = scratchDir('dm-soak');

before(async () => {
  if (!enabled) return;
  [up1, up2, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
});

after(() => stopAllServers());

test(`soak: ${minutes} min of random writes with DDL, kill -9 every 15-45 s, ends equal`, { skip: enabled ? false : 'set DM_LONG_TESTS=1 (npm run test:long)' }, async () => {
  const src = (id: string, s: MariaDbServer, gtid: boolean): string => writeSourceFile(work, id, s, gtid);
  const s1 = src('soak-pos', up1, false);
  const s2 = src('soak-gtid', up2, true);
  const task = path.join(work, 'soak.yaml');
  writeFileSync(
    task,
    `name: soak
task-mode: all
${down.targetDatabaseYaml()}mysql-instances:
  - source-id: "soak-pos"
    block-allow-list: "ba"
    loader-config-name: "g"
  - source-id: "soak-gtid"
    block-allow-list: "ba"
    loader-config-name: "g"
block-allow-list:
  ba:
    do-dbs: ["soak1", "soak2"]
loaders:
  g:
    dir: "${path.join(work, 'dump')}"
`,
  );
  const w1 = new RandomWorkload(up1, { schema: 'soak1', seed: 101, ddl: true, ddlEvery: 60, tables: 4 });
  const w2 = new RandomWorkload(up2, { schema: 'soak2', seed: 202, ddl: true, ddlEvery: 60, tables: 4 });
  await Promise.all([w1.setup(), w2.setup()]);
  const stop = new AbortController();
  const load = Promise.all([w1.run({ transactions: 1e9, concurrency: 3, signal: stop.signal }), w2.run({ transactions: 1e9, concurrency: 3, signal: stop.signal })]);
  const rnd = mulberry32(7);
  const end = Date.now() + minutes * 60_000;
  let kills = 0;
  try {
    while (Date.now() < end) {
      const ms = 15_000 + (rnd() % 30_000);
      const r = await runDm(['run', task, '-s', s1, s2], { killAfterMs: ms });
      assert.equal(r.signal, 'SIGKILL', r.stderr.slice(-3000));
      assert.doesNotMatch(r.stderr, /Error:/);
      kills++;
    }
  } finally {
    stop.abort();
    await load;
  }
  const t0 = Date.now();
  const final = await runDm(['run', task, '-s', s1, s2, '--exit-when-synced']);
  assert.equal(final.code, 0, final.stderr.slice(-4000));
  assert.match(final.stdout, /result: EQUAL/);
  const st = [w1.stats(), w2.stats()];
  process.stdout.write(
    `soak: ${kills} kills in ${minutes} min; workload ${st.map((s) => `${s.transactions} txns / ${s.inserts + s.updates + s.deletes} rows / ${Object.values(s.ddl).reduce((a, b) => a + b, 0)} DDL`).join(' + ')}; final catch-up + diff ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
});
