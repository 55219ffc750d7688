/**
 * Fixtures for the OpenAPI front end's tests: DM's documentation examples of a Source and a Task, and canned
 * dm-master answers (ListMember, QueryStatus) shaped like DM's. Test support only; nothing in the product uses it.
 */
import type { ListMemberResponse, QueryStatusResponse } from '../master/master-api.js';

/** DM's documentation example of a task (OpenAPI `Task`). */
export function exampleTask(): Record<string, unknown> {
  return {
    name: 'task-1',
    task_mode: 'all',
    shard_mode: 'pessimistic',
    meta_schema: 'dm-meta',
    enhance_online_schema_change: true,
    on_duplicate: 'error',
    target_config: { host: '127.0.0.1', port: 4000, user: 'root', password: 's3cret: #x' },
    binlog_filter_rule: { 'rule-1': { ignore_event: ['all dml'], ignore_sql: ['^Drop'] } },
    table_migrate_rule: [
      { source: { source_name: 'source-1', schema: 'db-*', table: 'tb-*' }, target: { schema: 'db1', table: 'tb1' }, binlog_filter_rule: ['rule-1'] },
      { source: { source_name: 'source-2', schema: 'db-*', table: 'tb-*' }, target: { schema: 'db1', table: 'tb1' } },
      { source: { source_name: 'source-2', schema: 'other', table: 't' } },
      { source: { source_name: 'not-in-task', schema: 'x', table: 'y' } },
    ],
    source_config: {
      full_migrate_conf: { export_threads: 6, import_threads: 12, data_dir: './exported_data', consistency: 'snapshot' },
      incr_migrate_conf: { repl_threads: 8, repl_batch: 50 },
      source_conf: [
        { source_name: 'source-1', binlog_name: 'binlog.000001', binlog_pos: 4 },
        { source_name: 'source-2', binlog_gtid: '03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423' },
      ],
    },
  };
}

export function exampleSource(): Record<string, unknown> {
  return { source_name: 'mysql-01', host: '127.0.0.1', port: 3306, user: 'root', password: 'yes', enable_gtid: true, purge: { interval: 100, expires: 2, remain_space: 20 } };
}

export const MEMBERS: ListMemberResponse = {
  result: true,
  msg: '',
  members: [
    { leader: { msg: '', name: 'master-2', addr: '127.0.0.1:8361' } },
    {
      master: {
        msg: '',
        masters: [
          { name: 'master-1', memberID: '1', alive: true, peerURLs: ['http://127.0.0.1:8291'], clientURLs: ['http://127.0.0.1:8261'] },
          { name: 'master-2', memberID: '2', alive: false, peerURLs: ['http://127.0.0.1:8391'], clientURLs: [] },
        ],
      },
    },
    {
      worker: {
        msg: '',
        workers: [
          { name: 'worker-1', addr: '127.0.0.1:8262', stage: 'bound', source: 'mysql-01' },
          { name: 'worker-2', addr: '127.0.0.1:8263', stage: 'free', source: '' },
        ],
      },
    },
  ],
};

export const STATUS: QueryStatusResponse = {
  result: true,
  msg: '',
  sources: [
    {
      result: true,
      msg: '',
      sourceStatus: { source: 'source-1', worker: 'worker-1', result: null, relayStatus: null },
      subTaskStatus: [
        { name: 'other', stage: 'Running', unit: 'Sync', result: null, unresolvedDDLLockID: '' },
        {
          name: 'task-1',
          stage: 'Running',
          unit: 'Sync',
          result: null,
          unresolvedDDLLockID: 'lock-1',
          load: { finishedBytes: '100', totalBytes: '200', progress: '50.00 %', metaBinlog: '(mysql-bin.000001, 4)', metaBinlogGTID: '' , bps: '0' },
          sync: {
            totalEvents: '12',
            totalTps: '3',
            recentTps: '1',
            masterBinlog: '(mysql-bin.000001, 2000)',
            masterBinlogGtid: 'uuid:1-10',
            syncerBinlog: '(mysql-bin.000001, 1500)',
            syncerBinlogGtid: 'uuid:1-8',
            blockingDDLs: ['ALTER TABLE x'],
            unresolvedGroups: [{ target: '`db`.`t`', DDLs: ['ALTER TABLE x'], firstLocation: 'pos', synced: ['a'], unsynced: ['b'] }],
            synced: false,
            binlogType: 'remote',
            secondsBehindMaster: '7',
          },
        },
      ],
    },
    {
      result: true,
      msg: '',
      sourceStatus: { source: 'source-2', worker: 'worker-2', result: null, relayStatus: null },
      subTaskStatus: [
        {
          name: 'task-1',
          stage: 'Paused',
          unit: 'Load',
          result: { isCanceled: false, detail: null, errors: [{ ErrCode: 10006, ErrClass: 'database', ErrScope: 'downstream', ErrLevel: 'high', Message: 'execute statement failed', RawCause: 'Duplicate entry', Workaround: '' }] },
          unresolvedDDLLockID: '',
        },
      ],
    },
    { result: false, msg: 'worker-3 unreachable', sourceStatus: { source: 'source-3', worker: 'worker-3', result: null, relayStatus: null }, subTaskStatus: [] },
  ],
};
