import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { encryptPassword } from './password-crypto.js';
import { sampleTaskConfig } from './sample-configs.js';
import { parseTaskConfig } from './task-config.js';
import { throwsDm } from './test-support.js';

const TARGET = 'target-database: {host: 127.0.0.1, port: 4000, user: root}\n';
const HEAD = `name: t1\ntask-mode: all\n${TARGET}`;
const INST = 'mysql-instances:\n  - source-id: s1\n';
const parse = (text: string) => parseTaskConfig(text, 'task.yaml');

// The spec's §2.14 reference template, embedded so the test runs anywhere; when the spec is present, its
// current text is parsed as well.
const TEMPLATE = `name: test                      # globally unique
task-mode: all                  # full | incremental | all
shard-mode: "pessimistic"       # "" | pessimistic | optimistic
meta-schema: "dm_meta"
case-sensitive: false
online-ddl: true
# online-ddl-scheme: "gh-ost"   # deprecated
# shadow-table-rules: ["^_(.+)_(?:new|gho)$"]
# trash-table-rules:  ["^_(.+)_(?:ghc|del|old)$"]
ignore-checking-items: []       # e.g. ["auto_increment_ID"]
clean-dump-file: true
target-database:
  host: "192.168.0.1"
  port: 4000
  user: "root"
  password: ""                  # dmctl-encrypted recommended
  max-allowed-packet: 67108864  # optional
  session: {}                   # optional
  security: {ssl-ca: "", ssl-cert: "", ssl-key: ""}
mysql-instances:
  - source-id: "mysql-replica-01"
    meta: {binlog-name: binlog.000001, binlog-pos: 4, binlog-gtid: "..."}   # incremental only
    route-rules: ["route-rule-1", "route-rule-2"]
    filter-rules: ["filter-rule-1"]
    block-allow-list: "bw-rule-1"
    expression-filters: ["even_c"]
    mydumper-config-name: "global"   # or mydumper: {...}; mydumper-thread: 4
    loader-config-name: "global"     # or loader: {...};   loader-thread: 16
    syncer-config-name: "global"     # or syncer: {...};   syncer-thread: 16
routes:
  route-rule-1: {schema-pattern: "test_*", table-pattern: "t_*", target-schema: "test", target-table: "t"}
  route-rule-2: {schema-pattern: "test_*", target-schema: "test"}
filters:
  filter-rule-1: {schema-pattern: "test_*", table-pattern: "t_*", events: ["truncate table", "drop table"], sql-pattern: ["^DROP\\\\s+PROCEDURE", "^CREATE\\\\s+PROCEDURE"], action: Ignore}
block-allow-list:
  bw-rule-1:
    do-dbs: ["~^test.*", "user"]
    ignore-dbs: ["mysql", "account"]
    do-tables: [{db-name: "~^test.*", tbl-name: "~^t.*"}, {db-name: "user", tbl-name: "information"}]
    ignore-tables: [{db-name: "user", tbl-name: "log"}]
expression-filter:
  even_c: {schema: "expr_filter", table: "tbl", insert-value-expr: "c % 2 = 0"}
mydumpers:
  global: {threads: 4, chunk-filesize: 64, rows: 0, statement-size: 0, where: "", skip-tz-utc: true, extra-args: "--consistency auto"}
loaders:
  global: {pool-size: 16, dir: "./dumped_data"}
syncers:
  global: {worker-count: 16, batch: 100, safe-mode: false, compact: false, multiple-rows: false}
`;

function templates(): string[] {
  const out = [TEMPLATE];
  try {
    const spec = readFileSync('/work/shared/spec/dm-features.md', 'utf8');
    const m = /### 2\.14[\s\S]*?```yaml\n([\s\S]*?)```/.exec(spec);
    if (m?.[1]) out.push(m[1]);
  } catch {
    // the spec is not part of every checkout
  }
  return out;
}

test('spec §2.14 reference template parses (task-mode all: the meta placeholder is not used)', () => {
  for (const text of templates()) {
    const c = parse(text);
    assert.equal(c.name, 'test');
    assert.equal(c.taskMode, 'all');
    assert.equal(c.shardMode, 'pessimistic');
    assert.equal(c.onlineDdl, true);
    assert.equal(c.targetDatabase.maxAllowedPacket, 67108864);
    const inst = c.mysqlInstances[0];
    assert.ok(inst);
    assert.deepEqual(inst.routeRules, ['route-rule-1', 'route-rule-2']);
    assert.equal(inst.blockAllowList, 'bw-rule-1');
    assert.equal(inst.mydumper.extraArgs, '--consistency auto');
    assert.equal(c.routes['route-rule-1']?.targetTable, 't');
    assert.deepEqual(c.filters['filter-rule-1']?.sqlPattern, ['^DROP\\s+PROCEDURE', '^CREATE\\s+PROCEDURE']);
    assert.deepEqual(c.blockAllowList['bw-rule-1']?.doTables[1], { dbName: 'user', tblName: 'information' });
    assert.equal(c.expressionFilter.even_c?.insertValueExpr, 'c % 2 = 0');
    assert.ok(c.warnings.some((w) => w.includes('meta is not used')));
  }
});

test('spec §2.14 template as an incremental task (meta filled in) parses', () => {
  const text = TEMPLATE.replace('task-mode: all', 'task-mode: incremental').replace('binlog-gtid: "..."', 'binlog-gtid: "09bec856-ba95-11ea-850a-58f2b4af5188:1-9"');
  const c = parse(text);
  assert.deepEqual({ ...c.mysqlInstances[0]?.meta }, { binlogName: 'binlog.000001', binlogPos: 4, binlogGtid: '09bec856-ba95-11ea-850a-58f2b4af5188:1-9' });
});

test('DM sample task_advanced.yaml (is-sharding, inline unit configs, two instances) parses', () => {
  const c = parse(`
name: test
task-mode: all
is-sharding: true
meta-schema: "dm_meta"
enable-heartbeat: false
target-database: {host: "192.168.0.1", port: 4000, user: "root", password: ""}
mysql-instances:
  -
    source-id: "instance118-4306"
    meta: {binlog-name: mysql-bin.000001, binlog-pos: 4}
    route-rules: ["user-route-rules-schema", "user-route-rules"]
    filter-rules: ["user-filter-1", "user-filter-2"]
    block-allow-list: "instance"
    mydumper-config-name: "global"
    loader-config-name: "global"
    syncer-config-name: "global"
  -
    source-id: "instance118-5306"
    meta: {binlog-name: mysql-bin.000001, binlog-pos: 320}
    route-rules: ["user-route-rules-schema", "user-route-rules"]
    filter-rules: ["user-filter-2"]
    block-allow-list: "instance"
    mydumper: {threads: 4, chunk-filesize: 64, skip-tz-utc: true}
    loader: {pool-size: 16, dir: "./dumped_data"}
    syncer: {worker-count: 16, batch: 100}
routes:
  user-route-rules-schema: {schema-pattern: "test_*", target-schema: "test"}
  user-route-rules: {schema-pattern: "test_*", table-pattern: "t_*", target-schema: "test", target-table: "t"}
filters:
  user-filter-1:
    schema-pattern: "test_*"
    table-pattern: "t_*"
    events: ["truncate table", "drop table"]
    sql-pattern: ["^DROP\\\\s+PROCEDURE", "^CREATE\\\\s+PROCEDURE"]
    action: Ignore
  user-filter-2: {schema-pattern: "test_*", events: ["all dml"], action: Do}
block-allow-list:
  instance:
    do-dbs: ["~^test.*", "do"]
    ignore-dbs: ["mysql", "ignored"]
    do-tables: [{db-name: "~^test.*", tbl-name: "~^t.*"}, {db-name: "do", tbl-name: "do"}]
    ignore-tables: [{db-name: "test", tbl-name: "log"}]
mydumpers:
  global: {threads: 4, chunk-filesize: 64, skip-tz-utc: true, extra-args: "-B test -T t1,t2 --consistency none"}
loaders:
  global: {pool-size: 16, dir: "./dumped_data"}
syncers:
  global: {worker-count: 16, batch: 100}
`);
  assert.equal(c.shardMode, 'pessimistic');
  assert.equal(c.isSharding, true);
  assert.equal(c.mysqlInstances.length, 2);
  assert.equal(c.mysqlInstances[1]?.loader.poolSize, 16);
  assert.equal(c.mysqlInstances[1]?.mydumper.chunkFilesize, 64);
  assert.ok(c.warnings.some((w) => w.includes('is-sharding')));
});

test('a minimal task gets DM defaults', () => {
  const c = parse(HEAD + INST);
  assert.equal(c.shardMode, '');
  assert.equal(c.isSharding, false);
  assert.equal(c.metaSchema, 'dm_meta');
  assert.equal(c.caseSensitive, false);
  assert.equal(c.onlineDdl, false);
  assert.equal(c.cleanDumpFile, true);
  assert.equal(c.collationCompatible, 'loose');
  assert.deepEqual(c.shadowTableRules, ['^_(.+)_(?:new|gho)$']);
  assert.deepEqual(c.trashTableRules, ['^_(.+)_(?:ghc|del|old)$']);
  assert.equal(c.enableHeartbeat, false);
  assert.equal(c.heartbeatUpdateInterval, 1);
  assert.equal(c.heartbeatReportInterval, 10);
  assert.deepEqual({ ...c.targetDatabase.session }, { time_zone: '+00:00' });
  const i = c.mysqlInstances[0];
  assert.ok(i);
  assert.equal(i.meta, undefined);
  assert.equal(i.blockAllowList, '');
  assert.deepEqual({ ...i.mydumper }, {
    mydumperPath: './bin/mydumper', threads: 4, chunkFilesize: 64, chunkFilesizeBytes: 64 * 1024 * 1024, chunkFilesizeText: '64',
    statementSize: 1_000_000, rows: 200_000, where: '', skipTzUtc: true, extraArgs: '',
  });
  assert.equal(i.loader.poolSize, 16);
  assert.equal(i.loader.dir, './dumped_data');
  assert.equal(i.loader.importMode, 'logical');
  assert.equal(i.loader.onDuplicateLogical, 'replace');
  assert.deepEqual(
    { workerCount: i.syncer.workerCount, batch: i.syncer.batch, queueSize: i.syncer.queueSize, flush: i.syncer.checkpointFlushInterval, safeMode: i.syncer.safeMode, sm: i.syncer.safeModeDurationMs, compact: i.syncer.compact, multipleRows: i.syncer.multipleRows },
    { workerCount: 16, batch: 100, queueSize: 1024, flush: 30, safeMode: false, sm: 60_000, compact: false, multipleRows: false },
  );
  assert.equal(i.validator.mode, 'none');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.mysqlInstances) && Object.isFrozen(i.syncer) && Object.isFrozen(c.routes));
});

test('top-level validation in DM order with DM codes', () => {
  throwsDm(() => parse(`task-mode: all\n${TARGET}${INST}`), 20019, 'must specify a unique task name', 'task.yaml');
  throwsDm(() => parse(`name: ""\ntask-mode: all\n${TARGET}${INST}`), 20019);
  throwsDm(() => parse(`name: t\ntask-mode: fulll\n${TARGET}${INST}`), 20020, 'support `full`, `incremental`, `all`', 'task-mode: got "fulll"', 'task.yaml:2:1');
  throwsDm(() => parse(`name: t\n${TARGET}${INST}`), 20020);
  throwsDm(() => parse(`${HEAD}shard-mode: merge\n${INST}`), 20033, 'shard mode merge not supported');
  throwsDm(() => parse(`${HEAD}ignore-checking-items: ["version", "bogus"]\n${INST}`), 20001, 'checking item bogus is not supported', 'ignore-checking-items[1]', 'auto_increment_ID');
  throwsDm(() => parse(`${HEAD}online-ddl-scheme: ghost\n${INST}`), 20007, 'online scheme ghost not supported');
  throwsDm(() => parse(`name: t\ntask-mode: all\n${INST}`), 20021, 'must specify target-database');
  throwsDm(() => parse(`name: t\ntask-mode: all\ntarget-database:\n${INST}`), 20021);
  throwsDm(() => parse(HEAD), 20013, 'must specify at least one mysql-instances');
  throwsDm(() => parse(`${HEAD}mysql-instances: []\n`), 20013);
  throwsDm(() => parse(`name: t\ntask-mode: all\ntarget-database: {host: h, user: u}\n${INST}`), 20003, 'target-database.port: required');
});

test('aliases and deprecated keys', () => {
  const c = parse(`${HEAD}is-sharding: true\nonline-ddl-scheme: gh-ost\nenable-heartbeat: true\nheartbeat-update-interval: 2\ntimezone: Asia/Shanghai\nremove-meta: true\nansi-quotes: true\n${INST}`);
  assert.equal(c.shardMode, 'pessimistic');
  assert.equal(c.onlineDdl, true);
  assert.equal(c.onlineDdlScheme, 'gh-ost');
  assert.equal(c.enableHeartbeat, false);
  assert.equal(c.timezone, 'Asia/Shanghai');
  for (const w of ['online-ddl-scheme', 'heartbeat', 'timezone', 'remove-meta', 'ansi-quotes']) assert.ok(c.warnings.some((x) => x.includes(w)), w);
  // is-sharding with an explicit shard-mode keeps the shard mode
  assert.equal(parse(`${HEAD}is-sharding: true\nshard-mode: optimistic\n${INST}`).shardMode, 'optimistic');
  assert.equal(parse(`${HEAD}online-ddl-scheme: pt\n${INST}`).onlineDdl, true);
  // black-white-list, top level and per instance
  const bw = parse(`${HEAD}mysql-instances:\n  - {source-id: s1, black-white-list: l1}\nblack-white-list:\n  l1: {do-dbs: [a]}\n`);
  assert.equal(bw.mysqlInstances[0]?.blockAllowList, 'l1');
  assert.deepEqual(bw.blockAllowList.l1?.doDbs, ['a']);
  // black-white-list is ignored when block-allow-list is set
  const both = parse(`${HEAD}mysql-instances:\n  - {source-id: s1, block-allow-list: l2}\nblack-white-list:\n  l1: {do-dbs: [a]}\nblock-allow-list:\n  l2: {do-dbs: [b]}\n`);
  assert.equal(both.blockAllowList.l1, undefined);
  throwsDm(() => parse(`${HEAD}mysql-instances:\n  - {source-id: s1, block-allow-list: l1}\nblack-white-list:\n  l1: {do-dbs: [a]}\nblock-allow-list:\n  l2: {do-dbs: [b]}\n`), 20026, "mysql-instance(0)'s list l1 not exist in block allow list");
});

test('instance unit configs: named, inline with defaults, thread aliases win', () => {
  const c = parse(`${HEAD}mysql-instances:
  - {source-id: s1, mydumper-config-name: d, loader-config-name: l, syncer-config-name: s, mydumper-thread: 8, loader-thread: 32, syncer-thread: 24}
  - source-id: s2
    mydumper: {threads: 2, chunk-filesize: 512KiB}
    loader: {dir: /data/dump}
    syncer: {batch: 50, safe-mode: true, compact: true, multiple-rows: true, queue-size: 0}
  - source-id: s3
mydumpers:
  d: {threads: 1, rows: 10000, statement-size: 200, where: "id > 0", skip-tz-utc: false}
loaders:
  l: {pool-size: 4, dir: ./x, import-mode: sql, on-duplicate: ignore}
syncers:
  s: {worker-count: 2, checkpoint-flush-interval: 10, safe-mode-duration: 0s}
`);
  const [a, b] = c.mysqlInstances;
  assert.ok(a && b);
  assert.equal(a.mydumper.threads, 8);
  assert.equal(a.mydumper.rows, 10000);
  assert.equal(a.mydumper.statementSize, 200);
  assert.equal(a.mydumper.skipTzUtc, false);
  assert.equal(a.loader.poolSize, 32);
  assert.equal(a.loader.importMode, 'logical');
  assert.equal(a.loader.onDuplicateLogical, 'ignore');
  assert.equal(a.syncer.workerCount, 24);
  assert.equal(a.syncer.checkpointFlushInterval, 10);
  assert.equal(a.syncer.safeModeDurationMs, 0);
  assert.equal(c.mydumpers.d?.threads, 1, 'the named set itself is unchanged');
  assert.equal(b.mydumper.threads, 2);
  assert.equal(b.mydumper.chunkFilesizeBytes, 512 * 1024);
  assert.equal(b.mydumper.chunkFilesize, 0.5);
  assert.equal(b.mydumper.mydumperPath, './bin/mydumper');
  assert.equal(b.loader.poolSize, 16);
  assert.equal(b.loader.dir, '/data/dump');
  assert.equal(b.syncer.workerCount, 16);
  assert.equal(b.syncer.batch, 50);
  assert.equal(b.syncer.queueSize, 1024);
  assert.equal(b.syncer.safeMode, true);
  assert.equal(b.syncer.compact, true);
  assert.equal(b.syncer.multipleRows, true);
  // DM warns when an instance uses the defaults although named sets exist
  assert.deepEqual(
    c.warnings.filter((w) => w.includes("doesn't refer")).map((w) => w.slice(0, 39)),
    Array<string>(3).fill("mysql-instances[2] (s3) doesn't refer t"),
  );
  assert.equal(c.mysqlInstances[2]?.syncer.workerCount, 16);
});

test('mysql-instances validation with DM codes', () => {
  const T = (inst: string, rest = '') => `${HEAD}mysql-instances:\n${inst}${rest}`;
  throwsDm(() => parse(T('  -\n')), 20012, 'mysql instance config must specify', 'mysql-instances[0]');
  throwsDm(() => parse(T('  - {source-id: ""}\n')), 20005, 'empty source-id not valid');
  throwsDm(() => parse(T(`  - {source-id: ${'a'.repeat(33)}}\n`)), 20006, 'too long source-id');
  throwsDm(() => parse(T('  - {source-id: s1, meta: {binlog-pos: 4}}\n')), 20011, 'mysql-instances[0].meta');
  throwsDm(() => parse(T('  - {source-id: s1}\n  - {source-id: s2}\n  - {source-id: s1}\n')), 20014, 'mysql-instance (0) and (2) have same source-id (s1)', 'task.yaml:7:6: mysql-instances[2].source-id');
  throwsDm(() => parse(T('  - {source-id: s1}\n').replace('task-mode: all', 'task-mode: incremental')), 20022, 'mysql-instance(0) must set meta for task-mode incremental');
  throwsDm(() => parse(T('  - {source-id: s1, route-rules: [r9]}\n')), 20023, "mysql-instance(0)'s route-rules r9 not exist in routes", 'route-rules[0]');
  throwsDm(() => parse(T('  - {source-id: s1, filter-rules: [f9]}\n')), 20024, "filter-rules f9 not exist in filters");
  throwsDm(() => parse(T('  - {source-id: s1, column-mapping-rules: [c9]}\n')), 20025, 'column-mapping-rules c9 not exist');
  throwsDm(() => parse(T('  - {source-id: s1, block-allow-list: b9}\n')), 20026, "list b9 not exist in block allow list");
  throwsDm(() => parse(T('  - {source-id: s1, mydumper-config-name: d9}\n')), 20027, 'mydumper config d9 not exist in mydumpers');
  throwsDm(() => parse(T('  - {source-id: s1, loader-config-name: l9}\n')), 20029, 'loader config l9 not exist in loaders');
  throwsDm(() => parse(T('  - {source-id: s1, syncer-config-name: s9}\n')), 20030, 'syncer config s9 not exist in syncer');
  throwsDm(() => parse(T('  - {source-id: s1, expression-filters: [e9]}\n')), 20040, "expression-filters e9 not exist in expression-filter");
  throwsDm(() => parse(T('  - {source-id: s1, mydumper-config-name: d, mydumper: {threads: 1}}\n', 'mydumpers: {d: {}}\n')), 20015, 'mydumper-config-name and mydumper should only specify one');
  throwsDm(() => parse(T('  - {source-id: s1, loader-config-name: l, loader: {}}\n', 'loaders: {l: {}}\n')), 20016);
  throwsDm(() => parse(T('  - {source-id: s1, syncer-config-name: s, syncer: {}}\n', 'syncers: {s: {}}\n')), 20017);
  throwsDm(() => parse(T('  - {source-id: s1, mydumper: {mydumper-path: ""}}\n')), 20028, "mysql-instance(0)'s mydumper-path must specify a valid path");
  assert.ok(parse(T('  - {source-id: s1, mydumper: {mydumper-path: ""}}\n').replace('task-mode: all', 'task-mode: incremental').replace('{source-id: s1,', '{source-id: s1, meta: {binlog-name: b.000001},')));
  throwsDm(
    () => parse(T('  - {source-id: s1, route-rules: [r, r], filter-rules: [f, f]}\n', 'routes: {r: {schema-pattern: a, target-schema: b}}\nfilters: {f: {schema-pattern: a, action: Do}}\n')),
    20032,
    "mysql-instance(0)'s route-rules: r",
    "mysql-instance(0)'s filter-rules: f",
  );
  throwsDm(() => parse(T('  - {source-id: s1, mydumper-thread: -1}\n')), 20003, 'mydumper-thread', 'non-negative');
  throwsDm(() => parse(T('  - {source-id: s1, syncer: {worker-count: -4}}\n')), 20003, 'mysql-instances[0].syncer.worker-count');
  throwsDm(() => parse(T('  - {source-id: s1, syncer: {worker-cnt: 4}}\n')), 20003, 'syncer.worker-cnt: unknown key (did you mean "worker-count"?)');
  throwsDm(() => parse(T('  - {source-id: s1, validator-config-name: v9}\n')), 20003, 'validator-config-name');
});

test('meta: binlog position defaults to 4, checked for incremental tasks', () => {
  const inc = (meta: string) => parse(`name: t\ntask-mode: incremental\n${TARGET}mysql-instances:\n  - {source-id: s1, meta: ${meta}}\n`);
  assert.equal(inc('{binlog-name: mysql-bin.000003}').mysqlInstances[0]?.meta?.binlogPos, 4);
  assert.equal(inc('{binlog-name: mysql-bin.000003, binlog-pos: 2022}').mysqlInstances[0]?.meta?.binlogPos, 2022);
  assert.equal(inc('{binlog-gtid: "0-1-100"}').mysqlInstances[0]?.meta?.binlogGtid, '0-1-100');
  throwsDm(() => inc('{binlog-name: mysql-bin}'), 20003, 'meta.binlog-name');
  throwsDm(() => inc('{binlog-name: mysql-bin.000003, binlog-pos: 2}'), 20003, 'binlog-pos');
  throwsDm(() => inc('{binlog-name: mysql-bin.000003, binlog-pos: 4294967296}'), 20003, 'binlog-pos');
  throwsDm(() => inc('{binlog-gtid: "not a gtid"}'), 11009, 'meta.binlog-gtid');
});

test('defined but unused global rule sets are an error, listed sorted like DM', () => {
  throwsDm(
    () => parse(`${HEAD}${INST}routes: {zr: {schema-pattern: a, target-schema: b}}\nsyncers: {as: {}}\nmydumpers: {md: {}}\nexpression-filter: {ef: {schema: a, table: b, insert-value-expr: "c > 1"}}\n`),
    20038,
    'The configurations as following [as ef md zr] are set in global configuration but instances',
  );
  // DM does not count block-allow lists
  assert.ok(parse(`${HEAD}${INST}block-allow-list: {unused: {do-dbs: [a]}}\n`));
});

test('expression filters: DM checks', () => {
  const T = (rule: string) => parse(`${HEAD}mysql-instances:\n  - {source-id: s1, expression-filters: [e]}\nexpression-filter:\n  e: ${rule}\n`);
  assert.equal(T('{schema: s, table: t, update-old-value-expr: "a > 1", update-new-value-expr: "a < 1"}').expressionFilter.e?.updateNewValueExpr, 'a < 1');
  throwsDm(() => T('{table: t, insert-value-expr: "a > 1"}'), 20042, 'expression-filter e has empty schema');
  throwsDm(() => T('{schema: s, insert-value-expr: "a > 1"}'), 20042, 'expression-filter e has empty table');
  throwsDm(() => T('{schema: s, table: t, insert-value-expr: "(a > 1"}'), 20041, 'expression-filter name(e) SQL((a > 1) has wrong grammar');
  throwsDm(() => T('{schema: s, table: t, insert-value-expr: "a = \'x"}'), 20041, 'unterminated');
  throwsDm(() => T('{schema: s, table: t, insert-value-expr: "a > 1", delete-value-expr: "b > 1"}'), 20039, 'can only specify one of (insert, update, delete) expressions, but e has specified [insert: [a > 1] delete: [b > 1]]');
});

test('rule compilation checks (DM subtask adjust) with DM codes', () => {
  const R = (inst: string, rest: string) => parse(`${HEAD}mysql-instances:\n  - {source-id: s1, ${inst}}\n${rest}`);
  throwsDm(() => R('route-rules: [r]', 'routes: {r: {target-schema: x}}\n'), 20045, 'schema pattern of table route rule should not be empty');
  throwsDm(() => R('route-rules: [r]', 'routes: {r: {schema-pattern: a}}\n'), 20045, 'target schema of table route rule should not be empty');
  throwsDm(() => R('route-rules: [r]', 'routes: {r: {schema-pattern: "*_a", target-schema: x}}\n'), 20045, 'routes.r.schema-pattern', 'pattern *_a not valid');
  throwsDm(() => R('route-rules: [r1, r2]', 'routes: {r1: {schema-pattern: a, target-schema: x}, r2: {schema-pattern: A, target-schema: y}}\n'), 20045, 'already exists', 'route-rules[1]');
  // case-sensitive task: A and a differ
  assert.ok(parse(`${HEAD}case-sensitive: true\nmysql-instances:\n  - {source-id: s1, route-rules: [r1, r2]}\nroutes: {r1: {schema-pattern: a, target-schema: x}, r2: {schema-pattern: A, target-schema: y}}\n`));
  throwsDm(() => R('route-rules: [r]', 'routes: {r: {schema-pattern: a, target-schema: x, extract-table: {table-regexp: "(", target-column: c}}}\n'), 20045, 'extract-table.table-regexp');
  throwsDm(() => R('filter-rules: [f]', 'filters: {f: {schema-pattern: a, action: Skip}}\n'), 20003, 'filters.f.action: expected one of: Do, Ignore, Error');
  throwsDm(() => R('filter-rules: [f]', 'filters: {f: {schema-pattern: a, events: [drop tables], action: Ignore}}\n'), 20037, 'event type "drop tables" not valid');
  throwsDm(() => R('filter-rules: [f]', 'filters: {f: {schema-pattern: a, sql-pattern: ["^DROP\\\\s+(PROC"], action: Ignore}}\n'), 20037, 'sql-pattern[0]');
  throwsDm(() => R('filter-rules: [f, g]', 'filters: {f: {schema-pattern: a, table-pattern: t, action: Ignore}, g: {schema-pattern: a, table-pattern: t, action: Do}}\n'), 20037, 'already exists');
  throwsDm(() => R('block-allow-list: b', 'block-allow-list: {b: {do-dbs: [""]}}\n'), 20044, "DoDB rule's DB string cannot be empty");
  throwsDm(() => R('block-allow-list: b', 'block-allow-list: {b: {do-tables: [{db-name: a}]}}\n'), 20044, "DoTables rule's DB string or Table string cannot be empty", 'do-tables[0].tbl-name');
  throwsDm(() => R('block-allow-list: b', 'block-allow-list: {b: {ignore-dbs: ["~^(?!sys)"]}}\n'), 20044, 'look-ahead');
  throwsDm(() => R('column-mapping-rules: [c]', 'column-mappings: {c: {schema-pattern: a, target-column: id, expression: "partition id", arguments: ["1"]}}\n'), 20046, 'partition id needs 3 or 4 arguments');
  throwsDm(() => R('column-mapping-rules: [c]', 'column-mappings: {c: {schema-pattern: a, expression: "add prefix", arguments: ["x"]}}\n'), 20046, 'target column');
  assert.ok(R('column-mapping-rules: [c]', 'column-mappings: {c: {schema-pattern: "shard_*", table-pattern: "t_*", source-column: id, target-column: id, expression: "partition id", arguments: ["1", "shard_", "t_"]}}\n'));
  throwsDm(() => R('mydumper: {chunk-filesize: 64x}', ''), 20047, 'invalid `chunk-filesize` 64x', 'mydumper.chunk-filesize');
  throwsDm(() => R('mydumper-config-name: d', 'mydumpers: {d: {chunk-filesize: "-1"}}\n'), 20047, 'mydumpers.d.chunk-filesize');
  throwsDm(() => parse(`${HEAD}shadow-table-rules: ["^_(.+)_(new)$"]\n${INST}`), 20048, "config 'shadow-table-rules' regex pattern '^_(.+)_(new)$' invalid, reason: rule isn't contains exactly one submatch");
  throwsDm(() => parse(`${HEAD}trash-table-rules: ["_(.+"]\n${INST}`), 20048, 'fail to compile');
  assert.deepEqual(parse(`${HEAD}shadow-table-rules: ["_(.+)_gho"]\n${INST}`).shadowTableRules, ['^_(.+)_gho$']);
  throwsDm(() => parse(`${HEAD}tidb: {backend: importer}\n${INST}`), 34019, 'DM do not support backend importer');
  assert.equal(parse(`${HEAD}tidb: {backend: local, pd-addr: "pd:2379", status-port: 10080}\n${INST}`).tidb?.backend, 'local');
});

test('keys added by later DM versions are accepted and typed', () => {
  const c = parse(`${HEAD}strict-optimistic-shard-mode: true\nshard-mode: optimistic\ncollation_compatible: strict
ignore-checking-items: [online_ddl, meta_position]
experimental: {async-checkpoint-flush: true}
mariadb2tidb: {mode: auto, enabled-rules: [a], strict-mode: true}
mysql-instances:
  - source-id: s1
    validator-config-name: v
    route-rules: [r]
    loader: {import-mode: physical, on-duplicate-physical: manual, checksum-physical: "off", analyze: required, range-concurrency: 4, disk-quota-physical: 10GiB, sorting-dir-physical: /tmp/s}
    syncer: {safe-mode-duration: 90s}
validators:
  v: {mode: full, worker-count: 8, validate-interval: 20s, max-pending-row-size: 1g}
routes:
  r: {schema-pattern: "s_*", target-schema: s, extract-table: {table-regexp: "t_(.*)", target-column: c_table}, extract-source: {source-regexp: "(.*)", target-column: c_source}}
`);
  assert.equal(c.strictOptimisticShardMode, true);
  assert.equal(c.collationCompatible, 'strict');
  assert.equal(c.experimental.asyncCheckpointFlush, true);
  assert.equal(c.mariadb2tidb?.strictMode, true);
  const i = c.mysqlInstances[0];
  assert.equal(i?.validator.mode, 'full');
  assert.equal(i?.validator.validateIntervalMs, 20_000);
  assert.equal(i?.loader.importMode, 'physical');
  assert.equal(i?.loader.checksumPhysical, 'off');
  assert.equal(i?.syncer.safeModeDurationMs, 90_000);
  assert.deepEqual({ ...c.routes.r?.extractTable }, { regexp: 't_(.*)', targetColumn: 'c_table' });
  throwsDm(() => parse(`${HEAD}mysql-instances:\n  - {source-id: s1, syncer: {safe-mode: true, safe-mode-duration: 0s}}\n`), 20003, 'safe-mode-duration');
});

test('target-database: session, security, encrypted password; no password in output or errors', () => {
  const secret = 'T0p$ecret';
  const c = parse(`name: t\ntask-mode: all\ntarget-database:\n  host: tidb\n  port: 4000\n  user: root\n  password: ${encryptPassword(secret)}\n  session: {tidb_txn_mode: pessimistic, time_zone: "+08:00"}\n  security: {ssl-ca: /ca.pem}\n${INST}`);
  assert.equal(c.targetDatabase.password, secret);
  assert.deepEqual({ ...c.targetDatabase.session }, { tidb_txn_mode: 'pessimistic', time_zone: '+00:00' });
  assert.equal(c.targetDatabase.security?.sslCa, '/ca.pem');
  for (const shown of [JSON.stringify(c), inspect(c, { depth: 20 })]) assert.ok(!shown.includes(secret));
  const bad = `name: t\ntask-mode: all\ntarget-database: {host: h, port: 4000, user: u, password: ${secret}, passwd: x}\n${INST}`;
  const e = throwsDm(() => parse(bad), 20003, 'target-database.passwd: unknown key');
  assert.ok(!e.message.includes(secret));
  const e2 = throwsDm(() => parse(`name: t\ntask-mode: all\ntarget-database: {host: h, port: 4000, user: u, password: [${secret}]}\n${INST}`), 20003);
  assert.ok(!e2.message.includes(secret));
});

test('the sample task config parses', () => {
  const c = parse(sampleTaskConfig());
  assert.equal(c.name, 'test');
  assert.deepEqual(c.mysqlInstances[0]?.routeRules, ['route-schema', 'route-table']);
  assert.deepEqual(c.warnings, []);
});
