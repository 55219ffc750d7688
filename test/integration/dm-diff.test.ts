/**
 * `dm diff` against real MariaDB servers (two upstream sources, one downstream), as a user runs it: equal
 * tables exit 0; every kind of difference — missing row, extra row, changed value in each tricky type, NULL
 * vs '', tables without a key, awkward names, empty tables, shards merged from two servers, a difference in
 * the middle of many chunks — exits 1 and is reported with its key, its columns and its shard; bad input
 * exits 2 with a coded error and never the password.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDm, type DmRun } from '../harness/dm-cli.js';
import { MariaDbServer, TEST_PASSWORD, freePort, stopAllServers } from '../harness/mariadb-server.js';
import { executeDiff, type DiffCliOptions } from '../../src/cli/commands/diff-command.js';
import type { DiffResult, TableDiffResult } from '../../src/diff/diff-runner.js';
import type { RowDiff } from '../../src/diff/row-diff.js';

let up1: MariaDbServer;
let up2: MariaDbServer;
let down: MariaDbServer;

before(async () => {
  // no binlog: dm diff only reads tables, and three servers share two cores with other tests
  [up1, up2, down] = await Promise.all([MariaDbServer.start({ noBinlog: true }), MariaDbServer.start({ noBinlog: true }), MariaDbServer.start({ noBinlog: true })]);
});

after(async () => {
  await stopAllServers();
});

const addr = (s: MariaDbServer, password = TEST_PASSWORD): string => `127.0.0.1:${s.port}:root:${password}`;

interface Run {
  code: number;
  result: DiffResult | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `dm diff --json` in-process (the command's own code path) and returns exit code and parsed result. */
async function diff(opts: { tables: string[]; route?: string[]; sources?: MariaDbServer[]; chunkSize?: number; maxRows?: number; target?: string; json?: boolean }): Promise<Run> {
  const sources = opts.sources ?? [up1];
  const cli: DiffCliOptions = {
    source: sources.map((s, i) => `s${i + 1}=${addr(s)}`),
    target: opts.target ?? addr(down),
    tables: opts.tables,
    route: opts.route ?? [],
    chunkSize: String(opts.chunkSize ?? 10_000),
    threads: '2',
    maxRows: String(opts.maxRows ?? 100),
    checksum: 'crc32',
    json: opts.json ?? true,
  };
  let stdout = '';
  let stderr = '';
  const code = await executeDiff(cli, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), exit: () => undefined });
  return { code, result: stdout && (opts.json ?? true) ? (JSON.parse(stdout) as DiffResult) : undefined, stdout, stderr };
}

function only(r: Run): TableDiffResult {
  assert.ok(r.result, `no result; stderr: ${r.stderr}`);
  assert.equal(r.result.tables.length, 1, JSON.stringify(r.result.tables.map((t) => t.target)));
  return r.result.tables[0]!;
}

async function both(sql: string, servers: MariaDbServer[] = [up1, down]): Promise<void> {
  await Promise.all(servers.map((s) => s.sql(sql)));
}

describe('one source, one table of every tricky type', () => {
  const TYPES = `CREATE TABLE typ.t (
      id INT NOT NULL PRIMARY KEY,
      i INT,
      s VARCHAR(100) CHARACTER SET utf8mb4,
      n VARCHAR(20) NULL,
      d DECIMAL(20,6),
      dt DATETIME(6),
      ts TIMESTAMP(3) NULL,
      b BLOB,
      j JSON,
      f FLOAT,
      l VARCHAR(20) CHARACTER SET latin1,
      e ENUM('a','b','ü')
    )`;
  const ROWS = `INSERT INTO typ.t SELECT seq, seq * 10, CONCAT('héllo wörld 😀 ', seq),
      CASE seq % 3 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'x' END,
      seq + 0.5, '2024-01-02 03:04:05.123456' + INTERVAL seq SECOND, '2024-06-01 00:00:00.125' + INTERVAL seq MINUTE,
      UNHEX(CONCAT('00FF', LPAD(HEX(seq), 2, '0'), '7F80')), CONCAT('{"a": [1, ', seq, '], "k": "ü"}'), seq / 3, 'café', 'ü'
    FROM typ.seq_1_to_20`;
  const reset = async (): Promise<void> => both(`DELETE FROM typ.t; ${ROWS}`);

  before(async () => {
    await both(`CREATE DATABASE typ; ${TYPES}; ${ROWS}`);
  });

  test('equal tables: exit 0, every row counted', async () => {
    const r = await diff({ tables: ['typ.*'] });
    assert.equal(r.code, 0, r.stderr);
    const t = only(r);
    assert.equal(t.status, 'equal');
    assert.equal(t.method, 'range');
    assert.deepEqual(t.key, ['id']);
    assert.equal(t.rowsDownstream, 20);
    assert.equal(t.rowsUpstream, 20);
    assert.equal(r.result!.equal, true);
  });

  const cases: Array<{ name: string; sql: string; expect: Partial<RowDiff> & { kind: RowDiff['kind']; id: string; columns?: unknown } }> = [
    { name: 'a missing row', sql: 'DELETE FROM typ.t WHERE id = 5', expect: { kind: 'missing-downstream', id: '5' } },
    { name: 'an extra row', sql: "INSERT INTO typ.t (id, s) VALUES (1000, 'extra')", expect: { kind: 'extra-downstream', id: '1000' } },
    { name: 'an int', sql: 'UPDATE typ.t SET i = i + 1 WHERE id = 7', expect: { kind: 'different', id: '7', columns: [{ column: 'i', upstream: '70', downstream: '71' }] } },
    {
      name: 'multibyte text',
      sql: "UPDATE typ.t SET s = 'hello wörld 😀 8' WHERE id = 8",
      expect: { kind: 'different', id: '8', columns: [{ column: 's', upstream: 'héllo wörld 😀 8', downstream: 'hello wörld 😀 8' }] },
    },
    { name: "NULL vs ''", sql: "UPDATE typ.t SET n = '' WHERE id = 3", expect: { kind: 'different', id: '3', columns: [{ column: 'n', upstream: null, downstream: '' }] } },
    { name: "'' vs NULL", sql: 'UPDATE typ.t SET n = NULL WHERE id = 4', expect: { kind: 'different', id: '4', columns: [{ column: 'n', upstream: '', downstream: null }] } },
    {
      name: 'a DECIMAL in its last digit',
      sql: 'UPDATE typ.t SET d = d + 0.000001 WHERE id = 9',
      expect: { kind: 'different', id: '9', columns: [{ column: 'd', upstream: '9.500000', downstream: '9.500001' }] },
    },
    {
      name: 'a DATETIME fraction',
      sql: 'UPDATE typ.t SET dt = dt + INTERVAL 1 MICROSECOND WHERE id = 10',
      expect: { kind: 'different', id: '10', columns: [{ column: 'dt', upstream: '2024-01-02 03:04:15.123456', downstream: '2024-01-02 03:04:15.123457' }] },
    },
    {
      name: 'a TIMESTAMP millisecond',
      sql: 'UPDATE typ.t SET ts = ts + INTERVAL 1000 MICROSECOND WHERE id = 11',
      expect: { kind: 'different', id: '11', columns: [{ column: 'ts', upstream: '2024-06-01 00:11:00.125', downstream: '2024-06-01 00:11:00.126' }] },
    },
    {
      name: 'a BLOB byte',
      sql: "UPDATE typ.t SET b = CONCAT(b, X'00') WHERE id = 12",
      expect: { kind: 'different', id: '12', columns: [{ column: 'b', upstream: '0x00ff0c7f80', downstream: '0x00ff0c7f8000' }] },
    },
    {
      name: 'JSON',
      sql: `UPDATE typ.t SET j = '{"a": [1, 14], "k": "u"}' WHERE id = 13`,
      expect: { kind: 'different', id: '13', columns: [{ column: 'j', upstream: '{"a": [1, 13], "k": "ü"}', downstream: '{"a": [1, 14], "k": "u"}' }] },
    },
    {
      // 14/3 as FLOAT prints as 4.66667 with 6 digits; the widened value tells 7-digit changes apart
      name: 'a FLOAT in its 7th digit',
      sql: 'UPDATE typ.t SET f = f + 0.000002 WHERE id = 14',
      expect: { kind: 'different', id: '14' },
    },
    { name: 'latin1 text', sql: "UPDATE typ.t SET l = 'cafe' WHERE id = 15", expect: { kind: 'different', id: '15', columns: [{ column: 'l', upstream: 'café', downstream: 'cafe' }] } },
    { name: 'an ENUM', sql: "UPDATE typ.t SET e = 'a' WHERE id = 16", expect: { kind: 'different', id: '16', columns: [{ column: 'e', upstream: 'ü', downstream: 'a' }] } },
  ];
  for (const c of cases) {
    test(`${c.name} downstream: exit 1, reported with key${c.expect.columns ? ' and column' : ''}`, async () => {
      await reset();
      await down.sql(c.sql);
      const r = await diff({ tables: ['typ.t'] });
      assert.equal(r.code, 1, r.stderr);
      const t = only(r);
      assert.equal(t.status, 'different');
      assert.equal(t.rowDiffs.length, 1, JSON.stringify(t.rowDiffs));
      const d = t.rowDiffs[0]!;
      assert.equal(d.kind, c.expect.kind);
      assert.deepEqual(d.key, { id: c.expect.id });
      if (c.expect.kind !== 'extra-downstream') assert.deepEqual(d.shard, { sourceId: 's1', schema: 'typ', table: 't' });
      if (c.expect.columns) assert.deepEqual(d.columns, c.expect.columns);
      else if (c.expect.kind === 'different') assert.equal(d.columns?.length, 1);
      if (c.expect.kind === 'missing-downstream') assert.equal(d.row?.s, `héllo wörld 😀 ${c.expect.id}`);
    });
  }

  test('an extra downstream column with a default is ignored; an upstream column missing downstream is a difference', async () => {
    await reset();
    await down.sql("ALTER TABLE typ.t ADD COLUMN added_later INT NOT NULL DEFAULT 42");
    let t = only(await diff({ tables: ['typ.t'] }));
    assert.equal(t.status, 'equal');
    assert.ok(t.notes.some((n) => n.includes('`added_later`')), JSON.stringify(t.notes));
    await down.sql('ALTER TABLE typ.t DROP COLUMN added_later, DROP COLUMN e');
    const r = await diff({ tables: ['typ.t'] });
    assert.equal(r.code, 1);
    t = only(r);
    assert.equal(t.status, 'different');
    assert.equal(t.chunksDifferent, 0, 'the compared columns are still equal');
    assert.ok(t.notes.some((n) => /column `e` of s1 `typ`\.`t` does not exist downstream/.test(n)), JSON.stringify(t.notes));
    await down.sql("ALTER TABLE typ.t ADD COLUMN e ENUM('a','b','ü')");
    await reset();
  });
});

describe('tables without a key, awkward names, empty tables, missing tables', () => {
  before(async () => {
    await both(`CREATE DATABASE misc;
      CREATE TABLE misc.nokey (a INT, b VARCHAR(10));
      INSERT INTO misc.nokey VALUES (1, 'x'), (1, 'x'), (2, NULL), (2, ''), (3, 'y');
      CREATE TABLE misc.empty_one (id INT PRIMARY KEY, v INT);
      CREATE DATABASE \`déjà vu db\`;
      CREATE TABLE \`déjà vu db\`.\`we\`\`ird tä ble\` (\`order\` INT NOT NULL PRIMARY KEY, \`select\` VARCHAR(20), \`col with space\` INT, \`ü\` TEXT, \`back\`\`quote\` INT);
      INSERT INTO \`déjà vu db\`.\`we\`\`ird tä ble\` VALUES (1, 'from', 10, 'ä', 1), (2, 'where', 20, 'ö', 2), (3, 'group', NULL, '', 3);`);
    await up1.sql('CREATE TABLE misc.only_upstream (id INT PRIMARY KEY); INSERT INTO misc.only_upstream VALUES (1)');
  });

  test('a table without a key is compared as a multiset: equal, then a missing duplicate and an extra row', async () => {
    let r = await diff({ tables: ['misc.nokey'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(only(r).key, undefined);
    assert.equal(only(r).method, 'bucket');
    await down.sql("DELETE FROM misc.nokey WHERE a = 1 LIMIT 1; INSERT INTO misc.nokey VALUES (4, 'z')");
    r = await diff({ tables: ['misc.nokey'] });
    assert.equal(r.code, 1);
    const t = only(r);
    const missing = t.rowDiffs.find((d) => d.kind === 'missing-downstream');
    const extra = t.rowDiffs.find((d) => d.kind === 'extra-downstream');
    assert.deepEqual(missing?.row, { a: '1', b: 'x' });
    assert.equal(missing?.count, 1);
    assert.deepEqual(extra?.row, { a: '4', b: 'z' });
    assert.equal(t.rowDiffs.length, 2);
  });

  test("a keyless table tells NULL from ''", async () => {
    await down.sql("DELETE FROM misc.nokey; INSERT INTO misc.nokey VALUES (1, 'x'), (1, 'x'), (2, ''), (2, ''), (3, 'y')");
    const t = only(await diff({ tables: ['misc.nokey'] }));
    assert.equal(t.status, 'different');
    assert.equal(t.rowDiffs.length, 2);
    assert.deepEqual(t.rowDiffs.find((d) => d.kind === 'missing-downstream')?.row, { a: '2', b: null });
    assert.deepEqual(t.rowDiffs.find((d) => d.kind === 'extra-downstream')?.row, { a: '2', b: '' });
  });

  test('names with spaces, backquotes, unicode and reserved words', async () => {
    let r = await diff({ tables: ['`déjà vu db`.*'] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(only(r).target, { schema: 'déjà vu db', table: 'we`ird tä ble' });
    assert.deepEqual(only(r).key, ['order']);
    await down.sql('UPDATE `déjà vu db`.`we``ird tä ble` SET `col with space` = 21, `back``quote` = 9 WHERE `order` = 2');
    r = await diff({ tables: ['`déjà vu db`.`we``ird*`'] });
    assert.equal(r.code, 1);
    const d = only(r).rowDiffs[0]!;
    assert.deepEqual(d.key, { order: '2' });
    assert.deepEqual(d.columns, [
      { column: 'col with space', upstream: '20', downstream: '21' },
      { column: 'back`quote', upstream: '2', downstream: '9' },
    ]);
  });

  test('an empty table is equal to an empty table, not to one with a row', async () => {
    let r = await diff({ tables: ['misc.empty_one'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(only(r).rowsDownstream, 0);
    await down.sql('INSERT INTO misc.empty_one VALUES (1, 1)');
    r = await diff({ tables: ['misc.empty_one'] });
    assert.equal(r.code, 1);
    assert.equal(only(r).rowDiffs[0]?.kind, 'extra-downstream');
    await down.sql('DELETE FROM misc.empty_one');
  });

  test('a routed table missing downstream is a difference', async () => {
    const r = await diff({ tables: ['misc.only_upstream'] });
    assert.equal(r.code, 1);
    assert.equal(only(r).status, 'missing-downstream');
  });

  test('the text report names the table, the key and the columns', async () => {
    const r = await diff({ tables: ['`déjà vu db`.*'], json: false });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /DIFFERENT `déjà vu db`\.`we``ird tä ble` {2}3 rows, 1 of 1 chunks differ, by `order` ranges/);
    assert.match(r.stdout, /~ different {8}`order`=2\n {10}`col with space`: upstream 20, downstream 21\n {10}`back``quote`: upstream 2, downstream 9/);
    assert.match(r.stdout, /result: DIFFERENT\n$/);
  });
});

describe('shard merge: two upstream servers into one downstream table', () => {
  before(async () => {
    const ddl = (db: string): string => `CREATE DATABASE ${db}; CREATE TABLE ${db}.orders (id BIGINT NOT NULL PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(12,2), note TEXT)`;
    const rows = (db: string, from: number, to: number): string =>
      `INSERT INTO ${db}.orders SELECT seq, CONCAT('cüstomer ', seq), seq * 1.25, IF(seq % 5 = 0, NULL, REPEAT('n', seq % 7)) FROM ${db}.seq_${from}_to_${to}`;
    await Promise.all([
      up1.sql(`${ddl('shard_1')}; ${rows('shard_1', 1, 600)}`),
      up2.sql(`${ddl('shard_2')}; ${rows('shard_2', 601, 1000)}`),
      down.sql(`${ddl('merged')}; ${rows('merged', 1, 1000)}`),
    ]);
  });

  const merge = { tables: ['shard_*.orders'], route: ['shard_*.orders=merged.orders'] };

  test('equal: exit 0, one downstream table fed by both shards', async () => {
    const r = await diff({ ...merge, sources: [up1, up2], chunkSize: 100 });
    assert.equal(r.code, 0, r.stderr);
    const t = only(r);
    assert.deepEqual(t.target, { schema: 'merged', table: 'orders' });
    assert.deepEqual(t.shards, [
      { sourceId: 's1', schema: 'shard_1', table: 'orders' },
      { sourceId: 's2', schema: 'shard_2', table: 'orders' },
    ]);
    assert.equal(t.rowsUpstream, 1000);
    assert.equal(t.chunks, 11);
    // --tables also selects by the downstream name: every shard routed there comes along
    const byTarget = only(await diff({ tables: ['merged.orders'], route: merge.route, sources: [up1, up2] }));
    assert.equal(byTarget.shards.length, 2);
    assert.equal(byTarget.status, 'equal');
  });

  test('one shard row missing downstream is reported with its shard', async () => {
    await down.sql('DELETE FROM merged.orders WHERE id = 777');
    const r = await diff({ ...merge, sources: [up1, up2], chunkSize: 100 });
    assert.equal(r.code, 1);
    const t = only(r);
    assert.equal(t.chunksDifferent, 1);
    assert.deepEqual(
      t.rowDiffs.map((d) => [d.kind, d.key, d.shard]),
      [['missing-downstream', { id: '777' }, { sourceId: 's2', schema: 'shard_2', table: 'orders' }]],
    );
    await down.sql("INSERT INTO merged.orders VALUES (777, 'cüstomer 777', 971.25, '')");
    assert.equal((await diff({ ...merge, sources: [up1, up2], chunkSize: 100 })).code, 0);
  });

  test('without the route, each shard is compared with its own (absent) downstream table', async () => {
    const r = await diff({ tables: ['shard_*.orders'], sources: [up1, up2] });
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.result!.tables.map((t) => [t.target.schema, t.status]),
      [
        ['shard_1', 'missing-downstream'],
        ['shard_2', 'missing-downstream'],
      ],
    );
  });

  test('the same key in two shards is reported as a conflict', async () => {
    await up2.sql("INSERT INTO shard_2.orders VALUES (5, 'dup', 1, NULL)");
    const t = only(await diff({ ...merge, sources: [up1, up2], chunkSize: 100 }));
    assert.equal(t.status, 'different');
    const d = t.rowDiffs.find((x) => x.kind === 'duplicate-upstream');
    assert.deepEqual(d?.key, { id: '5' });
    assert.deepEqual(d?.shards?.map((s) => s.sourceId), ['s1', 's2']);
    await up2.sql('DELETE FROM shard_2.orders WHERE id = 5');
  });
});

describe('many chunks, splitting, hash buckets', () => {
  before(async () => {
    await both(`CREATE DATABASE big;
      CREATE TABLE big.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(30));
      INSERT INTO big.t SELECT seq, CONCAT('v', seq) FROM big.seq_1_to_1000;
      CREATE TABLE big.s (code VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT);
      INSERT INTO big.s SELECT CONCAT('k', seq), seq FROM big.seq_1_to_300;`);
    // the downstream orders `code` differently: range chunks would not line up, so hash buckets are used
    await down.sql('ALTER TABLE big.s MODIFY code VARCHAR(20) COLLATE utf8mb4_bin NOT NULL');
  });

  test('a difference in the middle chunk only: one chunk differs, one row reported', async () => {
    await down.sql("UPDATE big.t SET v = 'changed' WHERE id = 505");
    const r = await diff({ tables: ['big.t'], chunkSize: 10 });
    assert.equal(r.code, 1);
    const t = only(r);
    assert.equal(t.chunks, 101);
    assert.equal(t.chunksDifferent, 1);
    assert.deepEqual(t.differentChunks, ['`id` in (500, 510]']);
    assert.deepEqual(t.rowDiffs, [
      { kind: 'different', key: { id: '505' }, shard: { sourceId: 's1', schema: 'big', table: 't' }, columns: [{ column: 'v', upstream: 'v505', downstream: 'changed' }] },
    ]);
    await down.sql("UPDATE big.t SET v = 'v505' WHERE id = 505");
  });

  test('a chunk far larger upstream than downstream is split; detail stops at --max-rows', async () => {
    await down.sql('DELETE FROM big.t WHERE id > 100');
    const r = await diff({ tables: ['big.t'], chunkSize: 50, maxRows: 5 });
    assert.equal(r.code, 1);
    const t = only(r);
    assert.equal(t.rowsDownstream, 100);
    assert.equal(t.rowsUpstream, 1000);
    assert.deepEqual(
      t.rowDiffs.map((d) => [d.kind, d.key?.id]),
      ['101', '102', '103', '104', '105'].map((id) => ['missing-downstream', id]),
    );
    assert.equal(t.rowDiffsTruncated, true);
    await down.sql('INSERT INTO big.t SELECT seq, CONCAT(\'v\', seq) FROM big.seq_101_to_1000');
  });

  test('keys ordered differently on each side are compared by hash buckets', async () => {
    let r = await diff({ tables: ['big.s'], chunkSize: 50 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(only(r).method, 'bucket');
    assert.ok(only(r).notes.some((n) => /collation/.test(n)));
    await down.sql("UPDATE big.s SET v = 0 WHERE code = 'k123'; DELETE FROM big.s WHERE code = 'k7'");
    r = await diff({ tables: ['big.s'], chunkSize: 50 });
    assert.equal(r.code, 1);
    assert.deepEqual(
      only(r).rowDiffs.map((d) => [d.kind, d.key?.code]).sort(),
      [
        ['different', 'k123'],
        ['missing-downstream', 'k7'],
      ],
    );
  });
});

describe('the command as a process: exit codes, errors, passwords', () => {
  // the real `dm diff` command, as a user runs it
  const dmDiff = (args: string[], env: Record<string, string> = {}): Promise<DmRun> => runDm(['diff', ...args], { env });

  before(async () => {
    await both('CREATE DATABASE proc; CREATE TABLE proc.t (id INT PRIMARY KEY, v INT); INSERT INTO proc.t VALUES (1, 1), (2, 2)');
  });

  test('equal → 0, different → 1; the password comes from DM_PASSWORD', async () => {
    const args = ['--source', `s1=127.0.0.1:${up1.port}:root`, '--target', `127.0.0.1:${down.port}:root`, '--tables', 'proc.t'];
    let r = await dmDiff(args, { DM_PASSWORD: TEST_PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /equal {5}`proc`\.`t` {2}2 rows/);
    await down.sql('UPDATE proc.t SET v = 3 WHERE id = 2');
    r = await dmDiff(args, { DM_PASSWORD: TEST_PASSWORD });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /~ different {8}`id`=2/);
  });

  test('a wrong password, an unreachable server, a bad option → 2 with a coded error, never the password', async () => {
    const wrong = await dmDiff(['--source', `s1=${addr(up1)}`, '--target', `127.0.0.1:${down.port}:root:Wr0ngSecret`, '--tables', 'proc.t']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /\[code=10001:class=database:scope=not-set:level=high\] .*downstream root@127\.0\.0\.1:\d+: .*Access denied/);
    assert.ok(!wrong.stderr.includes('Wr0ngSecret') && !wrong.stdout.includes('Wr0ngSecret'));
    const port = await freePort();
    const down2 = await dmDiff(['--source', `s1=127.0.0.1:${port}:root:S3cretPw`, '--target', addr(down)]);
    assert.equal(down2.code, 2);
    assert.match(down2.stderr, /\[code=10001:.*ECONNREFUSED/);
    assert.ok(!down2.stderr.includes('S3cretPw'));
    const bad = await dmDiff(['--source', 's1=nohost', '--target', addr(down)]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[code=52001:class=config/);
    const nothing = await dmDiff(['--source', `s1=${addr(up1)}`, '--target', addr(down), '--tables', 'no_such_db.*']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /\[code=52002:.*no_such_db/);
    const usage = await dmDiff(['--no-such-option']);
    assert.equal(usage.code, 2);
  });
});
