import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createTaskMetrics, parseBinlogPoint, taskStateValue } from './task-metrics.js';
import { parseListenAddr, startStatusServer } from './status-server.js';
import type { SubtaskStatus } from '../worker/subtask-runner.js';
import { DmError } from './dm-error.js';
import { E } from './error-catalogue.js';

const sync: NonNullable<SubtaskStatus['sync']> = {
  masterBinlog: '(mysql-bin.000012, 9000)',
  masterBinlogGtid: '0-1-50',
  syncerBinlog: '(mysql-bin.000011, 4567)',
  syncerBinlogGtid: '0-1-40',
  secondsBehindMaster: 3,
  synced: false,
  safeMode: false,
  totalEvents: 100,
  totalTransactions: 40,
  totalRows: 90,
  recentTps: 5,
  recentRowsPerSecond: 9,
  retries: 2,
};

test('DM metric names and values from subtask statuses; /metrics and /status over HTTP', async () => {
  const statuses: SubtaskStatus[] = [
    { sourceId: 's1', stage: 'sync', sync, errors: [] },
    { sourceId: 's2', stage: 'error', errors: [DmError.of(E.SyncerUnitHandleDDLFailed, ['ALTER …'])], failedUnit: 'sync' },
    { sourceId: 's3', stage: 'load', load: { finishedBytes: 25, totalBytes: 100, progress: '25.00 %', completedFiles: 1, totalFiles: 4, stage: 'loading' as never, warnings: [], errors: [] }, errors: [] },
  ];
  const registry = createTaskMetrics({ task: 't', worker: 'dm-run', statuses: () => statuses });
  const server = await startStatusServer({ host: '127.0.0.1', port: 0, registry, status: () => ({ task: 't', sources: statuses }) });
  try {
    const port = (server.server.address() as AddressInfo).port;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const has = (line: string): void => assert.ok(text.includes(line), `${line}\n--- in ---\n${text}`);
    has('dm_worker_task_state{task="t",source_id="s1",worker="dm-run"} 2');
    has('dm_worker_task_state{task="t",source_id="s2",worker="dm-run"} 3');
    has('dm_syncer_binlog_file{task="t",source_id="s1",worker="dm-run",node="master"} 12');
    has('dm_syncer_binlog_file{task="t",source_id="s1",worker="dm-run",node="syncer"} 11');
    has('dm_syncer_binlog_pos{task="t",source_id="s1",worker="dm-run",node="syncer"} 4567');
    has('dm_syncer_replication_lag_gauge{task="t",source_id="s1",worker="dm-run"} 3');
    has('dm_syncer_finished_transaction_total{task="t",source_id="s1",worker="dm-run"} 40');
    has('dm_syncer_sql_retries_total{task="t",source_id="s1",worker="dm-run"} 2');
    has('dm_syncer_exit_with_error_count{task="t",source_id="s2",worker="dm-run"} 1');
    has('dm_loader_progress{task="t",source_id="s3",worker="dm-run"} 0.25');
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { task: string; sources: Array<{ sourceId: string; errors: Array<{ ErrCode: number }> }> };
    assert.equal(status.task, 't');
    assert.equal(status.sources[1]!.errors[0]!.ErrCode, 36061);
    assert.equal((await fetch(`http://127.0.0.1:${port}/nothing`)).status, 404);
  } finally {
    await server.close();
  }
});

test('helpers: task state values, binlog points, listen addresses', () => {
  assert.equal(taskStateValue('finished'), 5);
  assert.equal(taskStateValue('new'), 1);
  assert.deepEqual(parseBinlogPoint('(mysql-bin.000003, 120)'), { file: 3, pos: 120 });
  assert.equal(parseBinlogPoint('(, 0)'), undefined);
  assert.deepEqual(parseListenAddr(':8262'), { host: '127.0.0.1', port: 8262 });
  assert.deepEqual(parseListenAddr('0.0.0.0:9000'), { host: '0.0.0.0', port: 9000 });
  assert.throws(() => parseListenAddr('nope'), /host:port/);
});
