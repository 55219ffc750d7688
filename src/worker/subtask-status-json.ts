/**
 * A running subtask's status in DM's query-status JSON shape (`SubTaskStatus` of DM's protobuf: int64 fields
 * as strings, stages and units capitalised), built from the units' own status objects.
 */
import type { DumpStatusJson, LoadStatusJson, ProcessResultJson, SubTaskStatusJson, SubtaskStageName, SyncStatusJson, UnitName } from '../master/master-api.js';
import type { DmError } from '../observability/dm-error.js';
import type { DumpStatus } from '../units/dump/dump-unit.js';
import type { LoadStatus } from '../units/load/load-unit.js';
import type { SyncStatus } from '../units/sync/sync-unit.js';
import type { SubtaskStatus } from './subtask-runner.js';

/** The unit a runner status is in (or stopped in). */
export function unitOf(s: SubtaskStatus): UnitName {
  const u = s.failedUnit ?? (s.stage === 'dump' || s.stage === 'load' || s.stage === 'sync' ? s.stage : undefined);
  if (u) return u === 'dump' ? 'Dump' : u === 'load' ? 'Load' : 'Sync';
  if (s.sync) return 'Sync';
  if (s.load) return 'Load';
  if (s.dump) return 'Dump';
  return 'InvalidUnit';
}

export function processResultOf(errors: readonly DmError[], canceled = false): ProcessResultJson | null {
  if (errors.length === 0 && !canceled) return null;
  return { isCanceled: canceled, errors: errors.map((e) => e.toJSON()), detail: null };
}

function dumpJson(d: DumpStatus): DumpStatusJson {
  return { totalTables: String(d.totalTables), completedTables: d.completedTables, finishedBytes: d.finishedBytes, finishedRows: d.finishedRows, estimateTotalRows: d.estimateTotalRows, bps: '0', progress: d.progress };
}

function loadJson(l: LoadStatus): LoadStatusJson {
  return { finishedBytes: String(l.finishedBytes), totalBytes: String(l.totalBytes), progress: l.progress, metaBinlog: l.metaBinlog ?? '', metaBinlogGTID: l.metaBinlogGTID ?? '', bps: '0' };
}

function syncJson(s: SyncStatus, runningSeconds: number): SyncStatusJson {
  return {
    totalEvents: String(s.totalEvents),
    totalTps: String(runningSeconds > 0 ? Math.round(s.totalTransactions / runningSeconds) : 0),
    recentTps: String(Math.round(s.recentTps)),
    masterBinlog: s.masterBinlog,
    masterBinlogGtid: s.masterBinlogGtid,
    syncerBinlog: s.syncerBinlog,
    syncerBinlogGtid: s.syncerBinlogGtid,
    blockingDDLs: s.blockingDDL ? [s.blockingDDL] : [],
    unresolvedGroups: [],
    synced: s.synced,
    binlogType: 'remote',
    secondsBehindMaster: String(Math.max(0, Math.round(s.secondsBehindMaster))),
  };
}

/** `stage` is the subtask's stage as the worker sees it (running, paused by the user or by an error …). */
export function subtaskStatusJson(task: string, stage: SubtaskStageName, s: SubtaskStatus | undefined, runningSeconds: number): SubTaskStatusJson {
  const out: SubTaskStatusJson = { name: task, stage, unit: s ? unitOf(s) : 'InvalidUnit', result: processResultOf(s?.errors ?? []), unresolvedDDLLockID: '' };
  if (s?.dump) out.dump = dumpJson(s.dump);
  if (s?.load) out.load = loadJson(s.load);
  if (s?.sync) out.sync = syncJson(s.sync, runningSeconds);
  return out;
}
