/**
 * Prometheus metrics of running subtasks under DM's names (spec §10), so DM's Grafana dashboards and alert
 * rules work: task state, load progress and sizes, sync binlog file/position of master and syncer, lag,
 * finished transactions and row changes, retries, unit exits with error. Values are read from the subtasks'
 * statuses at scrape time (no bookkeeping on the hot path).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { SubtaskStatus } from '../worker/subtask-runner.js';

/** A subtask's status; `task` names its task when one source serves several (a dm-worker). */
export type TaskSubtaskStatus = SubtaskStatus & { readonly task?: string };

export interface MetricsSource {
  /** The task label when a status does not name its own task. */
  readonly task: string;
  /** The worker label (`dm run` has no worker: its own name). */
  readonly worker: string;
  statuses(): readonly TaskSubtaskStatus[];
}

/** DM's `dm_worker_task_state`: 1 New, 2 Running, 3 Paused (also after an error), 5 Finished. */
export function taskStateValue(stage: SubtaskStatus['stage']): number {
  switch (stage) {
    case 'new':
      return 1;
    case 'dump':
    case 'load':
    case 'sync':
      return 2;
    case 'paused':
    case 'error':
      return 3;
    case 'finished':
      return 5;
  }
}

/** `(mysql-bin.000012, 4567)` → file index 12 and position 4567. */
export function parseBinlogPoint(text: string): { file: number; pos: number } | undefined {
  const m = /\((?:.*\.)?(\d+), (\d+)\)/.exec(text);
  return m ? { file: Number(m[1]), pos: Number(m[2]) } : undefined;
}

export function createTaskMetrics(src: MetricsSource): Registry {
  const registry = new Registry();
  const each = (f: (s: SubtaskStatus, labels: { task: string; source_id: string; worker: string }) => void): void => {
    for (const s of src.statuses()) f(s, { task: s.task ?? src.task, source_id: s.sourceId, worker: src.worker });
  };
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });
  };
  const counter = (name: string, help: string, labelNames: string[], value: (s: SubtaskStatus) => number | undefined): void => {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        each((s, l) => {
          const v = value(s);
          if (v !== undefined && v > 0) this.inc(l, v);
        });
      },
    });
  };
  const base = ['task', 'source_id', 'worker'];

  gauge('dm_worker_task_state', 'state of task, 0 - invalid, 1 - New, 2 - Running, 3 - Paused, 4 - Stopped, 5 - Finished', base, (g) =>
    each((s, l) => g.set(l, taskStateValue(s.stage))),
  );
  gauge('dm_loader_progress', 'the processing progress of loader in percentage', base, (g) =>
    each((s, l) => s.load && g.set(l, s.load.totalBytes > 0 ? s.load.finishedBytes / s.load.totalBytes : 0)),
  );
  gauge('dm_loader_data_size_gauge', 'data size total', base, (g) => each((s, l) => s.load && g.set(l, s.load.totalBytes)));
  gauge('dm_loader_data_file_gauge', 'data files in total', base, (g) => each((s, l) => s.load && g.set(l, s.load.totalFiles)));
  const binlogGauge = (name: string, help: string, part: 'file' | 'pos'): void =>
    gauge(name, help, [...base, 'node'], (g) =>
      each((s, l) => {
        if (!s.sync) return;
        for (const [node, text] of [['master', s.sync.masterBinlog], ['syncer', s.sync.syncerBinlog]] as const) {
          const p = parseBinlogPoint(text);
          if (p) g.set({ ...l, node }, p[part]);
        }
      }),
    );
  binlogGauge('dm_syncer_binlog_file', 'current binlog file index', 'file');
  binlogGauge('dm_syncer_binlog_pos', 'current binlog pos', 'pos');
  gauge('dm_syncer_replication_lag_gauge', 'replication lag gauge in second between mysql and syncer', base, (g) =>
    each((s, l) => s.sync && g.set(l, s.sync.secondsBehindMaster)),
  );
  counter('dm_syncer_finished_transaction_total', 'total number of finished transaction', base, (s) => s.sync?.totalTransactions);
  counter('dm_syncer_finished_jobs_total', 'total number of finished jobs', [...base], (s) => s.sync?.totalRows);
  counter('dm_syncer_sql_retries_total', 'total number of sql retries', base, (s) => s.sync?.retries);
  for (const unit of ['dumpling', 'loader', 'syncer'] as const) {
    const name = unit === 'dumpling' ? 'dump' : unit === 'loader' ? 'load' : 'sync';
    gauge(`dm_${unit}_exit_with_error_count`, `counter for ${unit} exits with error`, base, (g) =>
      each((s, l) => g.set(l, s.failedUnit === name && s.errors.length > 0 ? 1 : 0)),
    );
  }
  return registry;
}
