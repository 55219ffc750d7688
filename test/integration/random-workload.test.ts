/**
 * The random workload generator (test/harness/random-workload.ts) against a live MariaDB: it runs without a
 * single failing statement, produces every kind of operation and DDL, and its in-memory model (tables, their
 * columns, the live primary keys) matches the database afterwards — alone and with concurrent connections.
 * The same seed gives the same rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MariaDbServer, stopAllServers } from '../harness/mariadb-server.js';
import { DDL_KINDS, RandomWorkload, type WorkloadStats } from '../harness/random-workload.js';

let server: MariaDbServer;

before(async () => {
  server = await MariaDbServer.start();
});

after(() => stopAllServers());

/** The database holds exactly the tables, columns, row counts and primary keys the generator's model says. */
async function assertModelMatches(wl: RandomWorkload): Promise<void> {
  const model = wl.tables();
  const tables = await server.sql<{ t: string }>(
    'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [wl.schema],
  );
  assert.deepEqual(
    tables.map((r) => r.t),
    model.map((t) => t.name).sort(),
  );
  for (const t of model) {
    const cols = await server.sql<{ c: string }>(
      'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [wl.schema, t.name],
    );
    assert.deepEqual(cols.map((r) => r.c), t.columns, `columns of ${t.name}`);
    const [count] = await server.sql<{ n: string | number }>(`SELECT COUNT(*) AS n FROM \`${wl.schema}\`.\`${t.name}\``);
    assert.equal(Number(count?.n), t.rows, `row count of ${t.name}`);
    const keyList = t.keyColumns.map((c) => `\`${c}\``).join(', ');
    const rows = await server.sql<Record<string, unknown>>(`SELECT ${keyList} FROM \`${wl.schema}\`.\`${t.name}\``);
    const inDb = rows.map((r) => JSON.stringify(t.keyColumns.map((c) => String(r[c])))).sort();
    const inModel = wl.liveKeys(t.name).map((k) => JSON.stringify(k)).sort();
    assert.deepEqual(inDb, inModel, `primary keys of ${t.name}`);
  }
}

function assertEveryKind(s: WorkloadStats): void {
  for (const k of [
    'transactions', 'autocommitStatements', 'rollbacks', 'inserts', 'singleRowInserts', 'multiRowInserts', 'updates',
    'multiRowUpdates', 'pkChanges', 'deletes', 'multiRowDeletes', 'bigTransactions',
  ] as const) {
    assert.ok(s[k] > 0, `no ${k}: ${JSON.stringify(s)}`);
  }
  for (const k of DDL_KINDS) assert.ok(s.ddl[k] > 0, `no DDL ${k}: ${JSON.stringify(s.ddl)}`);
}

test('seed 1: 300 transactions with DDL run cleanly, cover every kind, and the model matches the database', async () => {
  const wl = new RandomWorkload(server, { schema: 'rw_main', seed: 1, ddl: true });
  await wl.setup();
  const stats = await wl.run({ transactions: 300 });
  assertEveryKind(stats);
  assert.equal(stats.retries, 0);
  assert.ok(stats.statements > 300);
  assert.equal(stats.setupRows, 3 * 200);
  assert.deepEqual(wl.stats(), stats);
  await assertModelMatches(wl);
});

test('concurrency 3: connections on disjoint keys, DDL in between; the model still matches', async () => {
  const wl = new RandomWorkload(server.config(), { schema: 'rw_conc', seed: 2, ddl: true, ddlEvery: 20, initialRows: 100 });
  await wl.setup();
  const stats = await wl.run({ transactions: 200, concurrency: 3 });
  assert.equal(stats.retries, 0, 'workers on disjoint keys never deadlock');
  assert.ok(Object.values(stats.ddl).reduce((a, b) => a + b, 0) >= 5);
  await assertModelMatches(wl);
  // a second run with another concurrency continues on the same model
  await wl.run({ transactions: 40 });
  await assertModelMatches(wl);
});

test('same seed, same rows: two schemas end with identical tables and checksums', async () => {
  const a = new RandomWorkload(server, { schema: 'rw_det_a', seed: 7, ddl: true, ddlEvery: 10, initialRows: 50 });
  const b = new RandomWorkload(server, { schema: 'rw_det_b', seed: 7, ddl: true, ddlEvery: 10, initialRows: 50 });
  for (const wl of [a, b]) {
    await wl.setup();
    await wl.run({ transactions: 80 });
  }
  assert.deepEqual(a.stats(), b.stats());
  assert.deepEqual(a.tables(), b.tables());
  for (const t of a.tables()) {
    const [ca] = await server.sql<{ Checksum: string }>(`CHECKSUM TABLE \`rw_det_a\`.\`${t.name}\``);
    const [cb] = await server.sql<{ Checksum: string }>(`CHECKSUM TABLE \`rw_det_b\`.\`${t.name}\``);
    assert.ok(ca?.Checksum, `checksum of ${t.name}`);
    assert.equal(ca?.Checksum, cb?.Checksum, `checksum of ${t.name}`);
    const [sa] = await server.sql<{ 'Create Table': string }>(`SHOW CREATE TABLE \`rw_det_a\`.\`${t.name}\``);
    const [sb] = await server.sql<{ 'Create Table': string }>(`SHOW CREATE TABLE \`rw_det_b\`.\`${t.name}\``);
    assert.equal(sa?.['Create Table'], sb?.['Create Table']);
  }
  // an already aborted run does nothing
  const before = a.stats();
  const ac = new AbortController();
  ac.abort();
  await a.run({ transactions: 10, signal: ac.signal });
  assert.deepEqual(a.stats(), before);
});

test('a failing statement rejects run() with the statement in the message', async () => {
  const wl = new RandomWorkload(server, { schema: 'rw_fail', seed: 3, tables: 1, initialRows: 5 });
  await wl.setup();
  await server.sql('DROP TABLE rw_fail.wide_0'); // behind the generator's back
  await assert.rejects(wl.run({ transactions: 5 }), /statement failed: Table 'rw_fail\.wide_0' doesn't exist\n {2}statement: (INSERT INTO|UPDATE|DELETE FROM) `rw_fail`\.`wide_0`/);
});
