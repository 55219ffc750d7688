/**
 * `dm check` (DM's check-task) against real MariaDB servers, as a user runs it: a clean task passes; users
 * lacking replication or dump privileges fail naming what they lack; a source without binlog, with
 * STATEMENT format or a MINIMAL row image fails; a table without a key is a warning; shards merged by routes
 * with different columns fail; auto-increment shard keys fail as the spec says; ignore-checking-items
 * removes items. Passwords never appear in the output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { runDm } from '../harness/dm-cli.js';

let up1: MariaDbServer;
let up2: MariaDbServer;
let down: MariaDbServer;
const work = scratchDir('prechecks');
const LIMITED_PW = 'limited-pw-9f3k';

interface Report {
  result: boolean;
  msg: string;
  checkResult: {
    summary: { passed: boolean; total: number; successful: number; failed: number; warning: number };
    results: Array<{ id: number; name: string; desc: string; state: string; errors?: Array<{ severity: string; short_error: string; self?: string; other?: string }>; instruction?: string; extra?: string }>;
  };
}

function sourceYaml(id: string, s: MariaDbServer, user = s.user, password = s.password): string {
  const file = path.join(work, `${id}-${user}.yaml`);
  writeFileSync(file, `source-id: "${id}"\nfrom:\n  host: "${s.host}"\n  port: ${s.port}\n  user: "${user}"\n  password: "${password}"\n`);
  return file;
}

interface TaskOpts {
  mode?: 'full' | 'incremental' | 'all';
  sources: string[];
  doDbs: string[];
  shardMode?: 'pessimistic' | 'optimistic';
  ignore?: string[];
  routes?: boolean;
}

function taskYaml(name: string, o: TaskOpts): string {
  const file = path.join(work, `${name}.yaml`);
  const inst = o.sources
    .map((id) => `  - source-id: "${id}"\n    block-allow-list: "ba"\n${o.routes ? '    route-rules: ["shard-schema", "shard-table"]\n' : ''}`)
    .join('');
  writeFileSync(
    file,
    `name: "${name}"
task-mode: ${o.mode ?? 'all'}
${o.shardMode ? `shard-mode: "${o.shardMode}"\n` : ''}${o.ignore ? `ignore-checking-items: ${JSON.stringify(o.ignore)}\n` : ''}${down.targetDatabaseYaml()}mysql-instances:
${inst}block-allow-list:
  ba:
    do-dbs: ${JSON.stringify(o.doDbs)}
${o.routes ? ROUTES : ''}`,
  );
  return file;
}

const ROUTES = `routes:
  shard-schema:
    schema-pattern: "shard_*"
    target-schema: "merged"
  shard-table:
    schema-pattern: "shard_*"
    table-pattern: "*"
    target-schema: "merged"
    target-table: "t"
`;

async function check(task: string, sources: string[], extra: string[] = []): Promise<{ code: number | null; report: Report; stdout: string }> {
  const r = await runDm(['check', task, ...sources.flatMap((s) => ['--source', s]), ...extra]);
  assert.equal(r.stderr.trim(), '', `no stderr expected:\n${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stdout: r.stdout };
}

function result(report: Report, name: string): Report['checkResult']['results'][number] {
  const r = report.checkResult.results.find((x) => x.name === name);
  assert.ok(r, `result ${name} in ${JSON.stringify(report.checkResult.results.map((x) => x.name))}`);
  return r;
}

function errorsOf(report: Report, name: string): string {
  return (result(report, name).errors ?? []).map((e) => e.short_error).join(' | ');
}

before(async () => {
  [up1, up2, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
  await up1.sql(`CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, v VARCHAR(10)); CREATE TABLE shop.items (id INT, sku VARCHAR(20), UNIQUE KEY sku (sku));
    CREATE DATABASE keyless; CREATE TABLE keyless.logs (at DATETIME, msg TEXT);
    CREATE DATABASE shard_1; CREATE TABLE shard_1.t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT);
    SET sql_log_bin = 0;
    CREATE USER 'norepl'@'127.0.0.1' IDENTIFIED BY '${LIMITED_PW}'; GRANT SELECT ON shop.* TO 'norepl'@'127.0.0.1'; GRANT RELOAD ON *.* TO 'norepl'@'127.0.0.1';
    CREATE USER 'nodump'@'127.0.0.1' IDENTIFIED BY '${LIMITED_PW}'; GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'nodump'@'127.0.0.1';`);
  await up2.sql(`CREATE DATABASE shard_2; CREATE TABLE shard_2.t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(5))`);
});

after(async () => {
  await stopAllServers();
  rmSync(work, { recursive: true, force: true });
});

test('a clean task passes every item and exits 0', async () => {
  const { code, report, stdout } = await check(taskYaml('clean', { sources: ['s1'], doDbs: ['shop'] }), [sourceYaml('s1', up1)], ['--show-passed']);
  assert.equal(code, 0, stdout);
  assert.equal(report.result, true);
  assert.equal(report.msg, 'pre-check is passed. ');
  assert.deepEqual(report.checkResult.summary, { passed: true, total: 9, successful: 9, failed: 0, warning: 0 });
  const names = report.checkResult.results.map((r) => r.name);
  for (const n of ['mysql_version', 'source db dump privilege checker', 'mysql_server_id', 'mysql_binlog_enable', 'mysql_binlog_format', 'mysql_binlog_row_image', 'source db replication privilege checker', 'binlog_do_db/binlog_ignore_db check', 'table structure compatibility check']) {
    assert.ok(names.includes(n), `${n} ran`);
  }
  assert.ok(report.checkResult.results.every((r) => r.state === 'success'));
  assert.ok(!stdout.includes(up1.password) && !stdout.includes(down.password), 'no password in the output');
  // DM leaves passed items out by default
  const quiet = await check(taskYaml('clean', { sources: ['s1'], doDbs: ['shop'] }), [sourceYaml('s1', up1)]);
  assert.deepEqual(quiet.report.checkResult.results, []);
  assert.equal(quiet.report.checkResult.summary.total, 9);
});

test('users lacking privileges fail naming the missing ones; ignore-checking-items skips them', async () => {
  const task = taskYaml('privs', { sources: ['s1'], doDbs: ['shop'] });
  const norepl = await check(task, [sourceYaml('s1', up1, 'norepl', LIMITED_PW)]);
  assert.equal(norepl.code, 1);
  assert.equal(norepl.report.result, false);
  assert.match(norepl.report.msg, /^\[code=26005:class=task-check/);
  assert.equal(result(norepl.report, 'source db replication privilege checker').state, 'fail');
  assert.match(errorsOf(norepl.report, 'source db replication privilege checker'), /lack of REPLICATION CLIENT privilege; lack of REPLICATION SLAVE privilege/);
  assert.ok(!norepl.report.checkResult.results.some((r) => r.name === 'source db dump privilege checker'), 'SELECT on shop.* and RELOAD suffice for the dump');
  assert.ok(!norepl.stdout.includes(LIMITED_PW));

  const nodump = await check(task, [sourceYaml('s1', up1, 'nodump', LIMITED_PW)]);
  assert.equal(nodump.code, 1);
  const dumpErr = errorsOf(nodump.report, 'source db dump privilege checker');
  assert.match(dumpErr, /lack of SELECT privilege/);
  assert.match(dumpErr, /lack of RELOAD privilege/);
  assert.ok(!nodump.report.checkResult.results.some((r) => r.name === 'source db replication privilege checker'));

  // a full task does not need replication privileges; an incremental one... is not checked for dump ones
  const full = await check(taskYaml('privs-full', { mode: 'full', sources: ['s1'], doDbs: ['shop'] }), [sourceYaml('s1', up1, 'norepl', LIMITED_PW)]);
  assert.equal(full.code, 0, full.stdout);
  const ignored = await check(taskYaml('privs-ign', { sources: ['s1'], doDbs: ['shop'], ignore: ['dump_privilege'] }), [sourceYaml('s1', up1, 'nodump', LIMITED_PW)]);
  assert.equal(ignored.code, 0, ignored.stdout);
  assert.equal(ignored.report.checkResult.summary.total, 8);
});

test('binlog off, STATEMENT format and MINIMAL row image fail', async () => {
  // the downstream server runs without a binlog: use it as a source
  const off = await check(taskYaml('nobinlog', { sources: ['s0'], doDbs: ['mysql_nothing'] }), [sourceYaml('s0', down)]);
  assert.equal(off.code, 1);
  assert.match(errorsOf(off.report, 'mysql_binlog_enable'), /log_bin is OFF, and should be ON/);

  await up2.sql("SET GLOBAL binlog_format = 'STATEMENT'; SET GLOBAL binlog_row_image = 'MINIMAL'");
  try {
    const bad = await check(taskYaml('badbinlog', { sources: ['s2'], doDbs: ['shard_2'] }), [sourceYaml('s2', up2)]);
    assert.equal(bad.code, 1);
    assert.match(errorsOf(bad.report, 'mysql_binlog_format'), /binlog_format is STATEMENT, and should be ROW/);
    assert.match(errorsOf(bad.report, 'mysql_binlog_row_image'), /binlog_row_image is MINIMAL, and should be FULL/);
    assert.equal(result(bad.report, 'mysql_binlog_format').instruction, "please execute 'set global binlog_format=ROW;'");
    // not checked for a full task, and ignorable
    const full = await check(taskYaml('badbinlog-full', { mode: 'full', sources: ['s2'], doDbs: ['shard_2'] }), [sourceYaml('s2', up2)]);
    assert.equal(full.code, 0, full.stdout);
    const ign = await check(taskYaml('badbinlog-ign', { sources: ['s2'], doDbs: ['shard_2'], ignore: ['binlog_format', 'binlog_row_image'] }), [sourceYaml('s2', up2)]);
    assert.equal(ign.code, 0, ign.stdout);
  } finally {
    await up2.sql("SET GLOBAL binlog_format = 'ROW'; SET GLOBAL binlog_row_image = 'FULL'");
  }
});

test('a table without a primary or unique key is a warning, exit 0', async () => {
  const { code, report } = await check(taskYaml('keyless', { sources: ['s1'], doDbs: ['keyless', 'shop'] }), [sourceYaml('s1', up1)]);
  assert.equal(code, 0);
  assert.equal(report.result, true);
  assert.match(report.msg, /no errors but some warnings/);
  assert.equal(report.checkResult.summary.warning, 1);
  const r = result(report, 'table structure compatibility check');
  assert.equal(r.state, 'warn');
  assert.deepEqual(r.errors, [{ severity: 'warn', short_error: 'table `keyless`.`logs` primary/unique key does not exist' }]);
});

test('shards merged by routes with different columns fail; auto-increment keys fail as the spec says', async () => {
  const sources = [sourceYaml('s1', up1), sourceYaml('s2', up2)];
  const task = taskYaml('shards', { mode: 'full', sources: ['s1', 's2'], doDbs: ['shard_*'], routes: true, shardMode: 'pessimistic' });
  const { code, report } = await check(task, sources);
  assert.equal(code, 1);
  const shard = result(report, 'sharding table `merged`.`t` consistency checking');
  assert.equal(shard.state, 'fail');
  assert.equal(shard.errors?.[0]?.short_error, 'column length mismatch (self: 2 vs other: 3)');
  assert.match(shard.errors?.[0]?.other ?? '', /sourceID s2 table `shard_2`.`t` columns \[id a b\]/);
  const auto = result(report, 'sharding table `merged`.`t` auto-increment key checking');
  assert.equal(auto.state, 'fail');
  assert.match(errorsOf(report, 'sharding table `merged`.`t` auto-increment key checking'), /auto-increment primary key id bigint\(20\) without a column mapping/);

  // same structure, INT auto-increment: consistent, but the keys conflict
  await up2.sql('ALTER TABLE shard_2.t DROP COLUMN b');
  await Promise.all([up1.sql('ALTER TABLE shard_1.t MODIFY id INT NOT NULL AUTO_INCREMENT'), up2.sql('ALTER TABLE shard_2.t MODIFY id INT NOT NULL AUTO_INCREMENT')]);
  const same = await check(task, sources, ['--show-passed']);
  assert.equal(result(same.report, 'sharding table `merged`.`t` consistency checking').state, 'success');
  assert.match(errorsOf(same.report, 'sharding table `merged`.`t` auto-increment key checking'), /auto-increment primary key id int\(11\), which is not bigint/);
  assert.equal(same.code, 1);

  // ignoring auto_increment_ID (offsets handled by the user) passes; `all` runs nothing
  const ign = await check(taskYaml('shards-ign', { mode: 'full', sources: ['s1', 's2'], doDbs: ['shard_*'], routes: true, shardMode: 'pessimistic', ignore: ['auto_increment_ID'] }), sources);
  assert.equal(ign.code, 0, ign.stdout);
  const none = await check(taskYaml('shards-all', { mode: 'full', sources: ['s1', 's2'], doDbs: ['shard_*'], routes: true, shardMode: 'pessimistic', ignore: ['all'] }), sources);
  assert.equal(none.code, 0);
  assert.deepEqual(none.report.checkResult.summary, { passed: true, total: 0, successful: 0, failed: 0, warning: 0 });
});

test('an unreachable source is a 26002 failure without the password', async () => {
  const bad = path.join(work, 'bad-source.yaml');
  writeFileSync(bad, `source-id: "s1"\nfrom:\n  host: "127.0.0.1"\n  port: ${up1.port}\n  user: "root"\n  password: "wrong-secret-pw"\n`);
  const { code, report, stdout } = await check(taskYaml('unreachable', { sources: ['s1'], doDbs: ['shop'] }), [bad]);
  assert.equal(code, 1);
  assert.match(report.msg, /^\[code=26002:class=task-check:scope=internal:level=high\] failed to open DSN root:\*\*\*@127\.0\.0\.1:/);
  assert.ok(!stdout.includes('wrong-secret-pw'));
});
