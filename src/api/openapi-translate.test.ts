import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseSourceConfig } from '../config/source-config.js';
import { parseTaskConfig } from '../config/task-config.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import {
  PASSWORD_MASK,
  errorBody,
  errorCodeOf,
  failureOf,
  mastersFromListMember,
  maskSource,
  maskTask,
  namesFromMsg,
  parseCreateTaskBody,
  parseOperateTableStructureBody,
  parseSourceBody,
  parseSourceNameList,
  parseTask,
  parseWorkerNameBody,
  queryBool,
  queryList,
  sourceFromYaml,
  sourceStatusList,
  sourceToYaml,
  subTaskStatusList,
  taskFromYaml,
  taskToYaml,
  workersFromListMember,
  type OpenApiTask,
} from './openapi-translate.js';
import { MEMBERS, STATUS, exampleSource, exampleTask } from './openapi-test-support.js';

function codeOfThrown(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DmError, `expected a DmError, got ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail('expected an error');
}

// ---------------------------------------------------------------------------------------------------------
// errors

test('errorCodeOf: the DM code of a coded text, 49001 otherwise', () => {
  assert.equal(errorCodeOf('[code=46018:class=scheduler:scope=internal:level=medium] task with name t not exist'), 46018);
  assert.equal(errorCodeOf('  [code=20031:class=config] x'), 20031);
  assert.equal(errorCodeOf('plain text'), 49001);
  assert.equal(errorCodeOf('text mentioning [code=11111:...] later'), 49001);
});

test('errorBody: service texts verbatim, coded errors keep their code, other errors become 49001', () => {
  const coded = '[code=46008:class=scheduler:scope=internal:level=medium] source config with ID s not exists';
  assert.deepEqual(errorBody(coded), { error_msg: coded, error_code: 46008 });
  assert.deepEqual(errorBody('worker down'), { error_msg: 'worker down', error_code: 49001 });
  const d = DmError.of(E.OpenAPITaskSourceNotFound, ['s9']);
  assert.deepEqual(errorBody(d), { error_msg: d.message, error_code: 49002 });
  const plain = errorBody(new Error('boom'));
  assert.equal(plain.error_code, 49001);
  assert.match(plain.error_msg, /^\[code=49001:class=openapi:scope=internal:level=high\] boom/);
  assert.equal(errorBody(new Error(coded)).error_msg, coded);
  assert.equal(errorBody('').error_code, 49001);
  assert.notEqual(errorBody('').error_msg, '');
});

test('failureOf: the envelope message, else the first failing source, else undefined', () => {
  assert.equal(failureOf({ result: false, msg: 'bad' }), 'bad');
  assert.equal(failureOf({ result: true, msg: '' }), undefined);
  const sources = [
    { result: true, msg: '', source: 'a', worker: 'w1' },
    { result: false, msg: '[code=38032:class=dm-master] no', source: 'b', worker: 'w2' },
  ];
  assert.equal(failureOf({ result: true, msg: '', sources }), '[code=38032:class=dm-master] no');
  assert.match(failureOf({ result: false, msg: '' }) ?? '', /code=49001/);
});

// ---------------------------------------------------------------------------------------------------------
// sources

test('parseSourceBody validates fields and names them', () => {
  const src = parseSourceBody(exampleSource());
  assert.equal(src.source_name, 'mysql-01');
  assert.equal(src.port, 3306);
  assert.deepEqual(src.purge, { interval: 100, expires: 2, remain_space: 20 });
  for (const [patch, re] of [
    [{ source_name: undefined }, /`source_name` is required/],
    [{ source_name: '' }, /must not be empty/],
    [{ port: '3306' }, /`port` must be an integer/],
    [{ port: 70000 }, /`port` must be an integer between 1 and 65535/],
    [{ enable_gtid: 'yes' }, /`enable_gtid` must be true or false/],
    [{ purge: { interval: -1 } }, /`purge.interval`/],
    [{ security: { cert_allowed_cn: 'x' } }, /`security.cert_allowed_cn` must be an array of strings/],
  ] as const) {
    const { code, message } = codeOfThrown(() => parseSourceBody({ ...exampleSource(), ...patch }));
    assert.equal(code, 49001);
    assert.match(message, re);
  }
  assert.equal(codeOfThrown(() => parseSourceBody([1])).code, 49001);
  assert.equal(codeOfThrown(() => parseSourceBody(undefined)).code, 49001);
});

test('sourceToYaml writes a source.yaml our parser (and DM) reads back', () => {
  const src = parseSourceBody({ ...exampleSource(), password: 'on: #1 "q"', security: { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '', cert_allowed_cn: ['dm'] } });
  const text = sourceToYaml(src);
  const cfg = parseSourceConfig(text, 'x.yaml');
  assert.equal(cfg.sourceId, 'mysql-01');
  assert.equal(cfg.enableGtid, true);
  assert.equal(cfg.from.host, '127.0.0.1');
  assert.equal(cfg.from.port, 3306);
  assert.equal(cfg.from.user, 'root');
  assert.equal(cfg.from.password, 'on: #1 "q"');
  assert.deepEqual(cfg.purge, { interval: 100, expires: 2, remainSpace: 20 });
  const raw = parse(text, { version: '1.1' }) as { from: { security: unknown } };
  assert.deepEqual(raw.from.security, { 'cert-allowed-cn': ['dm'] });
  // YAML 1.1 booleans in strings stay strings
  assert.equal(parseSourceConfig(sourceToYaml(parseSourceBody(exampleSource())), 'y').from.password, 'yes');
  // defaults when optional parts are absent
  const bare = parseSourceConfig(sourceToYaml(parseSourceBody({ source_name: 's', host: 'h', port: 1, user: 'u' })), 'z');
  assert.equal(bare.from.password, '');
  assert.equal(bare.enableGtid, false);
  assert.equal(bare.purge.interval, 3600);
});

test('certificate contents are not supported yet (54001)', () => {
  const src = parseSourceBody({ ...exampleSource(), security: { ssl_ca_content: '-----BEGIN CERTIFICATE-----', ssl_cert_content: '', ssl_key_content: '' } });
  const { code, message } = codeOfThrown(() => sourceToYaml(src));
  assert.equal(code, 54001);
  assert.match(message, /not supported yet/);
  const task = parseTask({ ...exampleTask(), target_config: { host: 'h', port: 4000, user: 'u', password: '', security: { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: 'KEY' } } });
  assert.equal(codeOfThrown(() => taskToYaml(task)).code, 54001);
});

test('sourceFromYaml reads a stored source.yaml and masks the password', () => {
  const text = 'source-id: mysql-02\nenable-gtid: false\nfrom:\n  host: db.example\n  port: 3307\n  user: dm\n  password: "******"\n  security:\n    cert-allowed-cn: ["a", "b"]\n';
  const src = sourceFromYaml(text);
  assert.deepEqual(src, {
    source_name: 'mysql-02',
    host: 'db.example',
    port: 3307,
    user: 'dm',
    password: PASSWORD_MASK,
    enable_gtid: false,
    purge: { interval: 3600, expires: 0, remain_space: 15 },
    security: { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '', cert_allowed_cn: ['a', 'b'] },
  });
  const withPlain = sourceFromYaml('source-id: s\nfrom:\n  host: h\n  port: 1\n  user: u\n  password: plaintext\n');
  assert.equal(withPlain.password, PASSWORD_MASK);
  assert.throws(() => sourceFromYaml('from: {host: h}\n'), DmError);
});

test('maskSource hides the password and certificate contents', () => {
  const src = parseSourceBody({ ...exampleSource(), security: { ssl_ca_content: 'CA', ssl_cert_content: 'CERT', ssl_key_content: 'KEY', cert_allowed_cn: ['x'] } });
  const masked = maskSource(src);
  assert.equal(masked.password, PASSWORD_MASK);
  assert.deepEqual(masked.security, { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '', cert_allowed_cn: ['x'] });
  assert.equal(src.password, 'yes', 'the input is not changed');
  assert.ok(!JSON.stringify(masked).includes('KEY'));
});

test('sourceStatusList: worker and error of each source', () => {
  assert.deepEqual(
    sourceStatusList([
      { result: true, msg: '', source: 'a', worker: 'w1' },
      { result: false, msg: 'no free worker', source: 'b', worker: '' },
    ]),
    [
      { source_name: 'a', worker_name: 'w1' },
      { source_name: 'b', worker_name: '', error_msg: 'no free worker' },
    ],
  );
});

// ---------------------------------------------------------------------------------------------------------
// tasks

test('parseTask validates the Task JSON and names the field', () => {
  const task = parseTask(exampleTask());
  assert.equal(task.name, 'task-1');
  assert.equal(task.table_migrate_rule.length, 4);
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: undefined }, /`task.name` is required/],
    [{ task_mode: 'half' }, /`task.task_mode` must be one of full, incremental, all \(got 'half'\)/],
    [{ on_duplicate: 'ignore' }, /`task.on_duplicate` must be one of overwrite, error/],
    [{ shard_mode: 'eager' }, /`task.shard_mode`/],
    [{ enhance_online_schema_change: undefined }, /`task.enhance_online_schema_change` is required/],
    [{ target_config: { host: 'h', port: 0, user: 'u' } }, /`task.target_config.port`/],
    [{ table_migrate_rule: {} }, /`task.table_migrate_rule` must be an array/],
    [{ table_migrate_rule: [{ source: { source_name: 's', schema: 'd' } }] }, /`task.table_migrate_rule\[0\].source.table` is required/],
    [{ source_config: { source_conf: [{}] } }, /`task.source_config.source_conf\[0\].source_name` is required/],
    [{ source_config: {} }, /`task.source_config.source_conf` must be an array/],
    [{ binlog_filter_rule: { r: { ignore_event: 'all' } } }, /`task.binlog_filter_rule.r.ignore_event` must be an array/],
  ];
  for (const [patch, re] of cases) {
    const { code, message } = codeOfThrown(() => parseTask({ ...exampleTask(), ...patch }));
    assert.equal(code, 49001, message);
    assert.match(message, re);
  }
});

test('taskToYaml builds block-allow lists, routes and filters per source, as DM does', () => {
  const text = taskToYaml(parseTask(exampleTask()));
  const cfg = parseTaskConfig(text, 'task.yaml');
  assert.equal(cfg.name, 'task-1');
  assert.equal(cfg.taskMode, 'all');
  assert.equal(cfg.shardMode, 'pessimistic');
  assert.equal(cfg.isSharding, true);
  assert.equal(cfg.metaSchema, 'dm-meta');
  assert.equal(cfg.onlineDdl, true);
  assert.deepEqual([cfg.targetDatabase.host, cfg.targetDatabase.port, cfg.targetDatabase.user, cfg.targetDatabase.password], ['127.0.0.1', 4000, 'root', 's3cret: #x']);
  assert.deepEqual(cfg.mysqlInstances.map((i) => i.sourceId), ['source-1', 'source-2']);
  const [i1, i2] = cfg.mysqlInstances;
  assert.ok(i1 && i2);
  assert.deepEqual(i1.meta, { binlogName: 'binlog.000001', binlogPos: 4, binlogGtid: '' });
  assert.equal(i2.meta?.binlogGtid, '03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423');
  // block-allow list: the schemas and tables of the source's rules
  const ba1 = cfg.blockAllowList[i1.blockAllowList];
  assert.deepEqual(ba1?.doDbs, ['db-*']);
  assert.deepEqual(ba1?.doTables, [{ dbName: 'db-*', tblName: 'tb-*' }]);
  const ba2 = cfg.blockAllowList[i2.blockAllowList];
  assert.deepEqual(ba2?.doDbs, ['db-*', 'other']);
  assert.deepEqual(ba2?.doTables, [{ dbName: 'db-*', tblName: 'tb-*' }, { dbName: 'other', tblName: 't' }]);
  // routes: rules with a target
  assert.equal(i1.routeRules.length, 1);
  assert.equal(i2.routeRules.length, 1);
  const r1 = cfg.routes[i1.routeRules[0]!];
  assert.deepEqual([r1?.schemaPattern, r1?.tablePattern, r1?.targetSchema, r1?.targetTable], ['db-*', 'tb-*', 'db1', 'tb1']);
  // filters: the template applied to the rule's patterns
  assert.equal(i1.filterRules.length, 1);
  assert.equal(i2.filterRules.length, 0);
  const f1 = cfg.filters[i1.filterRules[0]!];
  assert.deepEqual([f1?.schemaPattern, f1?.tablePattern, f1?.events, f1?.sqlPattern, f1?.action], ['db-*', 'tb-*', ['all dml'], ['^Drop'], 'Ignore']);
  // unit configs
  for (const inst of cfg.mysqlInstances) {
    assert.equal(inst.mydumper.threads, 6);
    assert.match(inst.mydumper.extraArgs, /--consistency snapshot/);
    assert.equal(inst.loader.poolSize, 12);
    assert.equal(inst.loader.dir, './exported_data');
    assert.equal(inst.loader.onDuplicateLogical, 'error');
    assert.equal(inst.syncer.workerCount, 8);
    assert.equal(inst.syncer.batch, 50);
  }
  // a source in the rules but not in source_conf is not part of the task
  assert.ok(!text.includes('not-in-task'));
});

test('taskToYaml: defaults, overwrite, no rules = no block-allow list, schema-level target', () => {
  const t = parseTask({
    name: 't2',
    task_mode: 'incremental',
    enhance_online_schema_change: false,
    on_duplicate: 'overwrite',
    ignore_checking_items: ['auto_increment_ID'],
    target_config: { host: 'h', port: 4000, user: 'u', password: '' },
    table_migrate_rule: [],
    source_config: { source_conf: [{ source_name: 's1', binlog_name: 'mysql-bin.000002', binlog_pos: 194 }] },
  });
  const cfg = parseTaskConfig(taskToYaml(t), 't2.yaml');
  assert.equal(cfg.metaSchema, 'dm-meta');
  assert.equal(cfg.shardMode, '');
  assert.equal(cfg.onlineDdl, false);
  assert.deepEqual(cfg.ignoreCheckingItems, ['auto_increment_ID']);
  const inst = cfg.mysqlInstances[0]!;
  assert.equal(inst.blockAllowList, '');
  assert.equal(inst.loader.onDuplicateLogical, 'replace');
  assert.equal(inst.mydumper.threads, 4, 'DM default');
  assert.equal(inst.syncer.workerCount, 16, 'DM default');

  const withSchemaRoute = parseTask({ ...exampleTask(), table_migrate_rule: [{ source: { source_name: 'source-1', schema: 'a', table: '*' }, target: { schema: 'b' } }] });
  const cfg2 = parseTaskConfig(taskToYaml(withSchemaRoute), 'x');
  const r = cfg2.routes[cfg2.mysqlInstances[0]!.routeRules[0]!];
  assert.equal(r?.targetSchema, 'b');
  assert.equal(r?.targetTable, '');
});

test('taskToYaml merges the templates applied to the same tables into one filter', () => {
  const t = parseTask({
    ...exampleTask(),
    binlog_filter_rule: { a: { ignore_event: ['all dml'] }, b: { ignore_event: ['drop table', 'all dml'], ignore_sql: ['^TRUNCATE'] }, c: {} },
    table_migrate_rule: [
      { source: { source_name: 'source-1', schema: 'd', table: 't' }, binlog_filter_rule: ['a', 'b'] },
      { source: { source_name: 'source-1', schema: 'd', table: 't' }, binlog_filter_rule: ['c'] },
    ],
  });
  const cfg = parseTaskConfig(taskToYaml(t), 'm');
  const inst = cfg.mysqlInstances[0]!;
  assert.equal(inst.filterRules.length, 1);
  const f = cfg.filters[inst.filterRules[0]!]!;
  assert.deepEqual([f.events, f.sqlPattern, f.action], [['all dml', 'drop table'], ['^TRUNCATE'], 'Ignore']);
  assert.deepEqual(cfg.blockAllowList[inst.blockAllowList]?.doTables, [{ dbName: 'd', tblName: 't' }]);
});

test('taskToYaml rejects unknown filter names (DM message) and duplicated sources', () => {
  const bad = parseTask({ ...exampleTask(), binlog_filter_rule: {} });
  const { code, message } = codeOfThrown(() => taskToYaml(bad));
  assert.equal(code, 49001);
  assert.match(message, /filter rule name rule-1 not found\./);
  const proto = parseTask({ ...exampleTask(), binlog_filter_rule: {}, table_migrate_rule: [{ source: { source_name: 'source-1', schema: 'a', table: 'b' }, binlog_filter_rule: ['toString'] }] });
  assert.equal(codeOfThrown(() => taskToYaml(proto)).code, 49001);
  const ex = exampleTask();
  const sc = ex.source_config as { source_conf: unknown[] };
  sc.source_conf.push({ source_name: 'source-1' });
  assert.match(codeOfThrown(() => taskToYaml(parseTask(ex))).message, /listed twice/);
});

test('taskFromYaml reads a dmctl-style task.yaml into the Task JSON', () => {
  const text = `
name: test
task-mode: all
shard-mode: optimistic
meta-schema: my-meta
online-ddl: true
target-database:
  host: 10.0.0.1
  port: 4000
  user: root
  password: "******"
mysql-instances:
  - source-id: mysql-replica-01
    meta:
      binlog-name: mysql-bin.000003
      binlog-pos: 194
    block-allow-list: ba
    route-rules: [r1]
    filter-rules: [f1, f2]
    mydumper-thread: 3
    loader:
      pool-size: 5
      dir: ./d
      on-duplicate: error
    syncer-config-name: s
  - source-id: mysql-replica-02
    block-allow-list: ba
    route-rules: [r1]
block-allow-list:
  ba:
    do-dbs: [shop, log]
    do-tables:
      - db-name: shop
        tbl-name: orders_*
routes:
  r1:
    schema-pattern: shop
    table-pattern: orders_*
    target-schema: shop
    target-table: orders
filters:
  f1:
    schema-pattern: shop
    table-pattern: orders_*
    events: [truncate table]
    action: Ignore
  f2:
    schema-pattern: log
    events: [delete]
    action: Do
syncers:
  s:
    worker-count: 9
    batch: 77
`;
  const task = taskFromYaml(text);
  assert.deepEqual(task, {
    name: 'test',
    task_mode: 'all',
    shard_mode: 'optimistic',
    meta_schema: 'my-meta',
    enhance_online_schema_change: true,
    on_duplicate: 'error',
    target_config: { host: '10.0.0.1', port: 4000, user: 'root', password: PASSWORD_MASK },
    binlog_filter_rule: { f1: { ignore_event: ['truncate table'] } },
    table_migrate_rule: [
      { source: { source_name: 'mysql-replica-01', schema: 'shop', table: 'orders_*' }, target: { schema: 'shop', table: 'orders' }, binlog_filter_rule: ['f1'] },
      { source: { source_name: 'mysql-replica-01', schema: 'log', table: '*' } },
      { source: { source_name: 'mysql-replica-02', schema: 'shop', table: 'orders_*' }, target: { schema: 'shop', table: 'orders' } },
      { source: { source_name: 'mysql-replica-02', schema: 'log', table: '*' } },
    ],
    source_config: {
      source_conf: [{ source_name: 'mysql-replica-01', binlog_name: 'mysql-bin.000003', binlog_pos: 194 }, { source_name: 'mysql-replica-02' }],
      full_migrate_conf: { export_threads: 3, import_threads: 5, data_dir: './d', consistency: 'auto' },
      incr_migrate_conf: { repl_threads: 9, repl_batch: 77 },
    },
  });
});

test('Task JSON → task.yaml → Task JSON → task.yaml keeps the meaning', () => {
  const first = parseTaskConfig(taskToYaml(parseTask(exampleTask())), 'a');
  const back: OpenApiTask = taskFromYaml(taskToYaml(parseTask(exampleTask())));
  assert.equal(back.target_config.password, PASSWORD_MASK);
  back.target_config.password = 's3cret: #x';
  const second = parseTaskConfig(taskToYaml(back), 'b');
  const view = (c: typeof first): unknown =>
    c.mysqlInstances.map((i) => ({
      source: i.sourceId,
      meta: i.meta,
      ba: i.blockAllowList ? { dbs: [...(c.blockAllowList[i.blockAllowList]?.doDbs ?? [])].sort(), tables: c.blockAllowList[i.blockAllowList]?.doTables } : null,
      routes: i.routeRules.map((n) => { const r = c.routes[n]!; return [r.schemaPattern, r.tablePattern, r.targetSchema, r.targetTable]; }),
      filters: i.filterRules.map((n) => { const f = c.filters[n]!; return [f.schemaPattern, f.tablePattern, f.events, f.sqlPattern, f.action]; }),
      dump: i.mydumper.threads,
      load: [i.loader.poolSize, i.loader.dir, i.loader.onDuplicateLogical],
      sync: [i.syncer.workerCount, i.syncer.batch],
    }));
  assert.deepEqual(view(second), view(first));
  assert.equal(second.shardMode, first.shardMode);
  assert.equal(second.onlineDdl, first.onlineDdl);
  assert.equal(second.targetDatabase.password, first.targetDatabase.password);
});

test('maskTask hides the target password and certificate contents', () => {
  const t = parseTask({ ...exampleTask(), target_config: { host: 'h', port: 1, user: 'u', password: 'pw', security: { ssl_ca_content: 'CA', ssl_cert_content: 'C', ssl_key_content: 'K' } } });
  const m = maskTask(t);
  assert.equal(m.target_config.password, PASSWORD_MASK);
  assert.deepEqual(m.target_config.security, { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '' });
  assert.equal(t.target_config.password, 'pw');
});

test('parseCreateTaskBody: remove_meta default, source_name_list must name task sources (49002)', () => {
  const req = parseCreateTaskBody({ task: exampleTask() });
  assert.equal(req.remove_meta, false);
  assert.equal(req.source_name_list, undefined);
  assert.deepEqual(parseCreateTaskBody({ remove_meta: true, task: exampleTask(), source_name_list: ['source-2'] }).source_name_list, ['source-2']);
  const { code, message } = codeOfThrown(() => parseCreateTaskBody({ task: exampleTask(), source_name_list: ['source-9'] }));
  assert.equal(code, 49002);
  assert.match(message, /source name source-9/);
  assert.equal(codeOfThrown(() => parseCreateTaskBody({ remove_meta: 'no', task: exampleTask() })).code, 49001);
  assert.match(codeOfThrown(() => parseCreateTaskBody({})).message, /`task` must be a JSON object/);
});

test('small request parsers', () => {
  assert.deepEqual(parseSourceNameList(undefined), []);
  assert.deepEqual(parseSourceNameList(null), []);
  assert.deepEqual(parseSourceNameList([]), []);
  assert.deepEqual(parseSourceNameList(['a', 'b']), ['a', 'b']);
  assert.equal(codeOfThrown(() => parseSourceNameList({ a: 1 })).code, 49001);
  assert.equal(codeOfThrown(() => parseSourceNameList([1])).code, 49001);
  assert.equal(parseWorkerNameBody({ worker_name: 'w' }), 'w');
  assert.equal(codeOfThrown(() => parseWorkerNameBody({})).code, 49001);
  assert.equal(codeOfThrown(() => parseWorkerNameBody({ worker_name: '' })).code, 49001);
  assert.deepEqual(parseOperateTableStructureBody({ sql_content: 'CREATE TABLE t (a int)' }), { sql_content: 'CREATE TABLE t (a int)', flush: true, sync: false });
  assert.deepEqual(parseOperateTableStructureBody({ sql_content: 'x', flush: false, sync: true }), { sql_content: 'x', flush: false, sync: true });
  assert.equal(codeOfThrown(() => parseOperateTableStructureBody({ sql_content: ' ' })).code, 49001);
  assert.deepEqual(queryList(undefined), []);
  assert.deepEqual(queryList('a'), ['a']);
  assert.deepEqual(queryList(['a', 'b,c', '']), ['a', 'b', 'c']);
  assert.equal(queryBool('true'), true);
  assert.equal(queryBool('1'), true);
  assert.equal(queryBool(''), true);
  assert.equal(queryBool('false'), false);
  assert.equal(queryBool(undefined), false);
  assert.equal(queryBool(['false', 'true']), true);
});

// ---------------------------------------------------------------------------------------------------------
// answers

test('cluster lists from ListMember', () => {
  assert.deepEqual(mastersFromListMember(MEMBERS), [
    { name: 'master-1', alive: true, leader: false, addr: '127.0.0.1:8261' },
    { name: 'master-2', alive: false, leader: true, addr: '127.0.0.1:8391' },
  ]);
  assert.deepEqual(workersFromListMember(MEMBERS), [
    { name: 'worker-1', addr: '127.0.0.1:8262', bound_stage: 'bound', bound_source_name: 'mysql-01' },
    { name: 'worker-2', addr: '127.0.0.1:8263', bound_stage: 'free', bound_source_name: '' },
  ]);
  assert.deepEqual(mastersFromListMember({ result: true, msg: '', members: [] }), []);
});

test('subTaskStatusList: one SubTaskStatus per source, numbers as numbers', () => {
  const list = subTaskStatusList('task-1', STATUS);
  assert.equal(list.length, 3);
  assert.deepEqual(list[0], {
    name: 'task-1',
    source_name: 'source-1',
    worker_name: 'worker-1',
    stage: 'Running',
    unit: 'Sync',
    unresolved_ddl_lock_id: 'lock-1',
    load_status: { finished_bytes: 100, total_bytes: 200, progress: '50.00 %', meta_binlog: '(mysql-bin.000001, 4)', meta_binlog_gtid: '' },
    sync_status: {
      total_events: 12,
      total_tps: 3,
      recent_tps: 1,
      master_binlog: '(mysql-bin.000001, 2000)',
      master_binlog_gtid: 'uuid:1-10',
      syncer_binlog: '(mysql-bin.000001, 1500)',
      syncer_binlog_gtid: 'uuid:1-8',
      blocking_ddls: ['ALTER TABLE x'],
      unresolved_groups: [{ target: '`db`.`t`', ddl_list: ['ALTER TABLE x'], first_location: 'pos', synced: ['a'], unsynced: ['b'] }],
      synced: false,
      binlog_type: 'remote',
      seconds_behind_master: 7,
    },
  });
  assert.deepEqual(list[1], {
    name: 'task-1',
    source_name: 'source-2',
    worker_name: 'worker-2',
    stage: 'Paused',
    unit: 'Load',
    unresolved_ddl_lock_id: '',
    error_msg: 'execute statement failed: Duplicate entry',
  });
  assert.deepEqual(list[2], { name: 'task-1', source_name: 'source-3', worker_name: 'worker-3', stage: 'InvalidStage', unit: 'InvalidUnit', error_msg: 'worker-3 unreachable' });
  assert.deepEqual(subTaskStatusList('task-1', { result: true, msg: '' }), []);
});

test('namesFromMsg: a JSON array, or one name per line', () => {
  assert.deepEqual(namesFromMsg('["db1","db2"]'), ['db1', 'db2']);
  assert.deepEqual(namesFromMsg('db1\ndb2\n'), ['db1', 'db2']);
  assert.deepEqual(namesFromMsg(''), []);
  assert.deepEqual(namesFromMsg('[not json'), ['[not json']);
});
