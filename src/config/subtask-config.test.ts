import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { sampleSourceConfig, sampleTaskConfig } from './sample-configs.js';
import { parseSourceConfig, type SourceConfig } from './source-config.js';
import { deriveSubtasks } from './subtask-config.js';
import { parseTaskConfig } from './task-config.js';
import { throwsDm } from './test-support.js';

function source(id: string, extra = ''): SourceConfig {
  return parseSourceConfig(`source-id: ${id}\nfrom: {host: ${id}.db, port: 3306, user: dm, password: "pw-${id}"}\n${extra}`, `${id}.yaml`);
}
const sources = (...s: SourceConfig[]) => new Map(s.map((x) => [x.sourceId, x]));

const TASK = `name: shard
task-mode: all
target-database: {host: tidb, port: 4000, user: root, password: "tidb-pw"}
mysql-instances:
  - source-id: s1
    route-rules: [r]
    filter-rules: [f]
    block-allow-list: b
    expression-filters: [e]
    loader: {dir: ./dumped_data}
  - source-id: s2
    route-rules: [r]
    block-allow-list: b
    loader: {dir: ./dumped_data.shard}
    syncer-thread: 4
routes: {r: {schema-pattern: "db_*", target-schema: db}}
filters: {f: {schema-pattern: "db_*", table-pattern: "t", events: [truncate table], action: Ignore}}
block-allow-list: {b: {do-dbs: ["db_*"]}}
expression-filter: {e: {schema: db_1, table: t, delete-value-expr: "id < 10"}}
`;

test('one subtask per instance, rules resolved, source and target connections filled in', () => {
  const task = parseTaskConfig(TASK, 'task.yaml');
  const subs = deriveSubtasks(task, sources(source('s1', 'enable-gtid: true\nflavor: mariadb\nserver-id: 7\nenable-relay: true\nrelay-dir: /relay\n'), source('s2')));
  assert.equal(subs.length, 2);
  const [a, b] = subs;
  assert.ok(a && b);
  assert.equal(a.name, 'shard');
  assert.equal(a.sourceId, 's1');
  assert.equal(a.taskMode, 'all');
  assert.equal(a.from.host, 's1.db');
  assert.equal(a.from.password, 'pw-s1');
  assert.equal(a.to.host, 'tidb');
  assert.equal(a.to.password, 'tidb-pw');
  assert.equal(a.flavor, 'mariadb');
  assert.equal(a.serverId, 7);
  assert.equal(a.enableGtid, true);
  assert.equal(a.syncer.enableGtid, true, 'the syncer follows the source, not the task');
  assert.equal(a.useRelay, true);
  assert.equal(a.relayDir, '/relay');
  assert.deepEqual(a.routeRules.map((r) => r.targetSchema), ['db']);
  assert.deepEqual(a.filterRules.map((r) => r.name), ['f']);
  assert.deepEqual(a.blockAllowList?.doDbs, ['db_*']);
  assert.deepEqual(a.expressionFilters.map((e) => e.deleteValueExpr), ['id < 10']);
  assert.equal(a.mydumper.threads, 4);
  assert.equal(a.meta, undefined);
  // dir gets ".{task}" once
  assert.equal(a.loader.dir, './dumped_data.shard');
  assert.equal(b.loader.dir, './dumped_data.shard');
  assert.equal(b.syncer.workerCount, 4);
  assert.deepEqual(b.filterRules, []);
  assert.equal(b.useRelay, false);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.loader));
  for (const shown of [JSON.stringify(subs), inspect(subs, { depth: 20 })]) {
    assert.ok(!shown.includes('pw-s1') && !shown.includes('tidb-pw'), shown);
  }
});

test('a source id not among the sources is 20031 ConfigSourceIDNotFound', () => {
  const task = parseTaskConfig(TASK, 'task.yaml');
  throwsDm(() => deriveSubtasks(task, sources(source('s1'))), 20031, 'source s2 in deployment configuration not found', 'task.yaml:11:5', 'known sources: s1');
  throwsDm(() => deriveSubtasks(task, new Map()), 20031, 'source s1', 'no source is known');
});

test('case sensitivity: true when the task or the source says so', () => {
  const text = `name: t\ntask-mode: all\ncase-sensitive: true\ntarget-database: {host: h, port: 4000, user: u}\nmysql-instances:\n  - {source-id: s1, route-rules: [r1, r2]}\nroutes: {r1: {schema-pattern: a, target-schema: x}, r2: {schema-pattern: A, target-schema: y}}\n`;
  const [sub] = deriveSubtasks(parseTaskConfig(text, 'task.yaml'), sources(source('s1')));
  assert.equal(sub?.caseSensitive, true);
  assert.ok(sub?.warnings.some((w) => w.includes('different case-sensitive')));
  const plain = parseTaskConfig(`name: t\ntask-mode: all\ntarget-database: {host: h, port: 4000, user: u}\nmysql-instances:\n  - {source-id: s1}\n`, 'task.yaml');
  assert.equal(deriveSubtasks(plain, sources(source('s1', 'case-sensitive: true\n')))[0]?.caseSensitive, true);
  const [insensitive] = deriveSubtasks(plain, sources(source('s1')));
  assert.equal(insensitive?.caseSensitive, false);
  assert.deepEqual(insensitive?.warnings, []);
  // in a case-insensitive task, A and a collide
  throwsDm(() => parseTaskConfig(text.replace('case-sensitive: true', 'case-sensitive: false'), 'task.yaml'), 20045, 'already exists');
});

test('source filters are added after the task filters; a task filter with the same patterns wins', () => {
  const task = parseTaskConfig(TASK, 'task.yaml');
  const s1 = source('s1', 'filters:\n  - {schema-pattern: "db_*", table-pattern: "t", events: [all dml], action: Do}\n  - {schema-pattern: "*", sql-pattern: ["^ALTER EVENT"], action: Ignore}\n');
  const [a, b] = deriveSubtasks(task, sources(s1, source('s2', 'filters:\n  - {schema-pattern: x, action: Do}\n')));
  assert.deepEqual(a?.filterRules.map((r) => r.name), ['f', 'source-filter-1']);
  assert.ok(a?.warnings.some((w) => w.includes('overridden')));
  assert.deepEqual(b?.filterRules.map((r) => r.name), ['source-filter-0']);
});

test('incremental: meta is checked against the source (GTID flavor, binlog-name without GTID)', () => {
  const inc = (meta: string) => parseTaskConfig(`name: t\ntask-mode: incremental\ntarget-database: {host: h, port: 4000, user: u}\nmysql-instances:\n  - {source-id: s1, meta: ${meta}}\n`, 'task.yaml');
  const gtidOnly = inc('{binlog-gtid: "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14"}');
  throwsDm(() => deriveSubtasks(gtidOnly, sources(source('s1'))), 20011, 'enable-gtid: false, so meta needs binlog-name');
  const [ok] = deriveSubtasks(gtidOnly, sources(source('s1', 'enable-gtid: true\n')));
  assert.equal(ok?.meta?.binlogGtid, '3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14');
  throwsDm(() => deriveSubtasks(gtidOnly, sources(source('s1', 'enable-gtid: true\nflavor: mariadb\n'))), 11009, 'meta.binlog-gtid');
  // binlog-name without GTID is valid in GTID mode (DM >= 2.0.2)
  const [named] = deriveSubtasks(inc('{binlog-name: mysql-bin.000002, binlog-pos: 1234}'), sources(source('s1', 'enable-gtid: true\n')));
  assert.deepEqual({ ...named?.meta }, { binlogName: 'mysql-bin.000002', binlogPos: 1234, binlogGtid: '' });
});

test('the sample task derives with the sample source', () => {
  const task = parseTaskConfig(sampleTaskConfig(), 'task.yaml');
  const src = parseSourceConfig(sampleSourceConfig(), 'source.yaml');
  const [sub] = deriveSubtasks(task, sources(src));
  assert.equal(sub?.loader.dir, './dumped_data.test');
  assert.equal(sub?.from.password, '123456');
  assert.equal(sub?.routeRules.length, 2);
});

test('a hand-built TaskConfig (no file positions) still gets coded errors', () => {
  const task = parseTaskConfig(TASK, 'task.yaml');
  const copy = { ...task, mysqlInstances: task.mysqlInstances };
  throwsDm(() => deriveSubtasks(copy, new Map()), 20031, 'task.yaml: mysql-instances[0].source-id');
});
