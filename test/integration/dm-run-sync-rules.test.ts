/**
 * The sync unit's rules and repairs through the real `dm` commands: expression filters (the spec's
 * `c % 2 = 0` keeps only odd rows), binlog event filters (event types and `sql-pattern`), block-allow lists,
 * `task-mode: incremental` from a GTID `meta`; and bad input — a DDL the downstream rejects (36061) resolved
 * with `dm handle-error skip` and `replace`, a tracked definition that disagrees with the binlog (36027)
 * repaired with `dm binlog-schema update`, a statement-format DML (36014), a purged start position (30015).
 * After each repair the task resumes from its checkpoint and ends equal (`dm diff` inside `dm run`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { writeSourceFile } from '../harness/source-file.js';
import { runDm, type DmRun } from '../harness/dm-cli.js';

let up: MariaDbServer;
let down: MariaDbServer;
const work = scratchDir('dm-sync-rules');

before(async () => {
  [up, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
});

after(() => stopAllServers());

function sourceFile(id: string, s: MariaDbServer, gtid: boolean): string {
  return writeSourceFile(work, id, s, gtid);
}

function taskFile(name: string, body: string): string {
  const f = path.join(work, `${name}.yaml`);
  writeFileSync(f, `name: "${name}"\ntask-mode: incremental\n${down.targetDatabaseYaml()}${body}`);
  return f;
}

function ok(r: DmRun, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-1500)}`);
}

test('filters: expression filter c % 2 = 0 keeps only odd rows, event filter ignores deletes and DROP TABLE, block-allow list; incremental from a GTID', async () => {
  await up.sql('CREATE DATABASE warmup'); // a GTID to start after
  const ms = await up.masterStatus();
  await up.sql(`CREATE DATABASE f; USE f;
    CREATE TABLE t (id INT PRIMARY KEY, c INT, note VARCHAR(20));
    CREATE TABLE d (id INT PRIMARY KEY, v VARCHAR(10));
    CREATE TABLE dropme (id INT PRIMARY KEY);
    CREATE TABLE other (id INT PRIMARY KEY);
    INSERT INTO t SELECT seq, seq, CONCAT('n', seq) FROM seq_1_to_100;
    UPDATE t SET note = 'u' WHERE id <= 10;
    INSERT INTO d SELECT seq, CONCAT('v', seq) FROM seq_1_to_20;
    DELETE FROM d WHERE id > 10;
    INSERT INTO other VALUES (1);
    DROP TABLE dropme;
    ALTER TABLE d ADD COLUMN extra INT DEFAULT 7;
    INSERT INTO d (id, v) VALUES (100, 'after');`);
  const s = sourceFile('src-f', up, true);
  const task = taskFile(
    'filters',
    `mysql-instances:
  - source-id: "src-f"
    meta:
      binlog-gtid: "${ms.gtid}"
    block-allow-list: "ba"
    filter-rules: ["no-delete", "no-drop"]
    expression-filters: ["even-c", "even-c-updates"]
block-allow-list:
  ba:
    do-tables:
      - db-name: "f"
        tbl-name: "t"
      - db-name: "f"
        tbl-name: "d"
      - db-name: "f"
        tbl-name: "dropme"
filters:
  no-delete:
    schema-pattern: "f"
    table-pattern: "d"
    events: ["delete"]
    action: Ignore
  no-drop:
    schema-pattern: "f"
    sql-pattern: ["^DROP\\\\s+TABLE"]
    action: Ignore
expression-filter:
  even-c:
    schema: "f"
    table: "t"
    insert-value-expr: "c % 2 = 0"
  even-c-updates:
    schema: "f"
    table: "t"
    update-new-value-expr: "c % 2 = 0"
`,
  );
  const r = await runDm(['run', task, '-s', s, '--exit-when-synced', '--no-verify']);
  ok(r, 'filters');
  const t = await down.sql<{ id: number; c: number; note: string }>('SELECT id, c, note FROM f.t ORDER BY id');
  assert.equal(t.length, 50);
  assert.ok(t.every((row) => row.c % 2 === 1), 'only odd c');
  assert.deepEqual(t.slice(0, 5).map((x) => x.note), ['u', 'u', 'u', 'u', 'u'], 'updates of kept rows applied');
  const d = await down.sql<{ n: string }>('SELECT COUNT(*) AS n FROM f.d');
  assert.equal(Number(d[0]!.n), 21, 'deletes ignored: 20 rows + 1 after the ALTER');
  const extra = await down.sql<{ extra: number }>('SELECT extra FROM f.d WHERE id = 100');
  assert.equal(extra[0]?.extra, 7, 'the ALTER was applied');
  assert.equal((await down.sql("SHOW TABLES IN f LIKE 'dropme'")).length, 1, 'DROP TABLE ignored by sql-pattern');
  assert.equal((await down.sql("SHOW TABLES IN f LIKE 'other'")).length, 0, 'block-allow list');
});

test('bad input: a DDL the downstream rejects stops the task (36061); handle-error skip / replace resolve it; nothing lost or doubled', async () => {
  const ms = await up.masterStatus();
  const s = sourceFile('src-b', up, false);
  const task = taskFile(
    'badddl',
    `mysql-instances:
  - source-id: "src-b"
    meta:
      binlog-name: "${ms.file}"
      binlog-pos: ${ms.position}
    block-allow-list: "ba"
block-allow-list:
  ba:
    do-dbs: ["b"]
`,
  );
  await up.sql(`CREATE DATABASE b; CREATE TABLE b.t (id INT PRIMARY KEY, v INT); INSERT INTO b.t VALUES (1, 1), (2, 2);
    CREATE TABLE b.log (a INT, note VARCHAR(10)); INSERT INTO b.log VALUES (1, 'a'), (1, 'a')`);
  ok(await runDm(['run', task, '-s', s, '--exit-when-synced']), 'first catch-up');
  // someone added the column downstream by hand: the upstream's ADD COLUMN then fails there
  await down.sql('ALTER TABLE b.t ADD COLUMN x INT');
  await up.sql(`ALTER TABLE b.t ADD COLUMN x INT; INSERT INTO b.t VALUES (3, 3, 30); INSERT INTO b.log VALUES (2, 'b')`);
  const failed = await runDm(['run', task, '-s', s, '--exit-when-synced']);
  assert.equal(failed.code, 1, failed.stderr.slice(-2000));
  assert.match(failed.stderr, /\[code=36061:class=sync-unit:scope=downstream:level=high\] fail to handle ddl job for ALTER TABLE `b`\.`t` ADD COLUMN `x` INT at mysql-bin\.\d+:\d+: Duplicate column name 'x', Workaround: .*handle-error/);
  const list = await runDm(['handle-error', task, 'list']);
  ok(list, 'list');
  const errors = (JSON.parse(list.stdout) as { sources: Array<{ op: string; position: string }> }).sources;
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.op, 'error');
  const skip = await runDm(['handle-error', task, 'skip']);
  ok(skip, 'skip');
  assert.match(skip.stdout, /"op": "skip"/);
  ok(await runDm(['run', task, '-s', s, '--exit-when-synced']), 'resume after skip');

  // replace: the upstream adds a column the downstream already has with another type
  await down.sql('ALTER TABLE b.t ADD COLUMN y INT');
  await up.sql(`ALTER TABLE b.t ADD COLUMN y VARCHAR(5); INSERT INTO b.t VALUES (4, 4, 40, 'four'); INSERT INTO b.log VALUES (3, 'c')`);
  const failed2 = await runDm(['run', task, '-s', s, '--exit-when-synced']);
  assert.equal(failed2.code, 1);
  assert.match(failed2.stderr, /code=36061.*Duplicate column name 'y'/);
  ok(await runDm(['handle-error', task, 'replace', 'ALTER TABLE b.t MODIFY COLUMN y VARCHAR(5);']), 'replace');
  const r = await runDm(['run', task, '-s', s, '--exit-when-synced']);
  ok(r, 'resume after replace');
  assert.match(r.stdout, /result: EQUAL/);
  assert.deepEqual(await runDm(['handle-error', task, 'skip']).then((x) => [x.code, /36065/.test(x.stderr)]), [1, true], 'no error left to handle');
});

test('bad input: a tracked definition that disagrees with the binlog (36027) is repaired with binlog-schema update', async () => {
  const ms = await up.masterStatus();
  const s = sourceFile('src-c', up, false);
  const task = taskFile(
    'schema',
    `mysql-instances:
  - source-id: "src-c"
    meta:
      binlog-name: "${ms.file}"
      binlog-pos: ${ms.position}
    block-allow-list: "ba"
block-allow-list:
  ba:
    do-dbs: ["c"]
`,
  );
  await up.sql('CREATE DATABASE c; CREATE TABLE c.t (id INT PRIMARY KEY, a VARCHAR(10), b INT); INSERT INTO c.t VALUES (1, "x", 1)');
  ok(await runDm(['run', task, '-s', s, '--exit-when-synced']), 'first catch-up');
  const listed = await runDm(['binlog-schema', 'list', task, '-s', 'src-c']);
  ok(listed, 'list');
  assert.match(listed.stdout, /CREATE TABLE `c`\.`t`/);
  const wrong = path.join(work, 'wrong.sql');
  writeFileSync(wrong, 'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10));');
  ok(await runDm(['binlog-schema', 'update', task, '-s', 'src-c', 'c', 't', wrong]), 'update (wrong)');
  await up.sql('INSERT INTO c.t VALUES (2, "y", 2); UPDATE c.t SET b = 10 WHERE id = 1');
  const failed = await runDm(['run', task, '-s', s, '--exit-when-synced']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /\[code=36027:class=sync-unit:scope=internal:level=high\] Column count doesn't match value count: 2 \(columns\) vs 3 \(values\), Workaround: .*binlog-schema/);
  const right = path.join(work, 'right.sql');
  writeFileSync(right, 'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT);');
  ok(await runDm(['binlog-schema', 'update', task, '-s', 'src-c', 'c', 't', right]), 'update (right)');
  const r = await runDm(['run', task, '-s', s, '--exit-when-synced']);
  ok(r, 'after repair');
  assert.match(r.stdout, /result: EQUAL/);
});

test('bad input: statement-format DML (36014) and a purged start position (30015) are coded errors with workarounds', async () => {
  const other = await MariaDbServer.start();
  const ms = await other.masterStatus();
  await other.sql(`CREATE DATABASE s; CREATE TABLE s.t (id INT PRIMARY KEY); SET SESSION binlog_format = 'STATEMENT'; INSERT INTO s.t VALUES (1)`);
  const src = sourceFile('src-s', other, false);
  const task = taskFile(
    'stmt',
    `mysql-instances:
  - source-id: "src-s"
    meta:
      binlog-name: "${ms.file}"
      binlog-pos: ${ms.position}
`,
  );
  const r = await runDm(['run', task, '-s', src, '--exit-when-synced', '--no-verify']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\[code=36014:class=sync-unit:scope=internal:level=high\] only support ROW format binlog, unexpected DML statement found in query event at mysql-bin\.000001:\d+: INSERT INTO s\.t VALUES \(1\), Workaround: Please set `binlog_format=ROW`/);

  await other.sql('FLUSH BINARY LOGS');
  // MariaDB keeps a file until its binlog checkpoint moved on: retry the purge until the file is gone
  for (let i = 0; i < 50; i++) {
    await other.sql("FLUSH BINARY LOGS; PURGE BINARY LOGS TO 'mysql-bin.000002'");
    const logs = await other.sql<{ Log_name: string }>('SHOW BINARY LOGS');
    if (!logs.some((l) => l.Log_name === 'mysql-bin.000001')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const task2 = taskFile(
    'purged',
    `mysql-instances:
  - source-id: "src-s"
    meta:
      binlog-name: "mysql-bin.000001"
      binlog-pos: 4
`,
  );
  const p = await runDm(['run', task2, '-s', src, '--exit-when-synced', '--no-verify']);
  assert.equal(p.code, 1);
  assert.match(p.stderr, /\[code=30015:[^\]]*\].*mysql-bin\.000001:4 has been purged from the upstream.*restart the task from a binlog position that still exists/s);
  assert.doesNotMatch(p.stderr + p.stdout, new RegExp(other.password));
  await other.stop();
});
