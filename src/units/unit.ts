/**
 * The contract every processing unit (check, dump, load, sync) fulfils, after DM's `Unit`: a subtask runs its
 * units in order; each can be paused, resumed and closed, and reports its status for query-status.
 *
 * Invariants: `process` resolves when the unit has finished its work or was paused/closed (never rejects:
 * errors are reported in the result, as coded DmErrors); after `close` no timer, socket or child remains.
 */
import type { DmError } from '../observability/dm-error.js';

export type UnitName = 'check' | 'dump' | 'load' | 'sync';

export interface ProcessResult {
  /** True when the unit was paused or closed before finishing. */
  readonly interrupted: boolean;
  /** Errors that stopped the unit (empty on success). */
  readonly errors: readonly DmError[];
}

export interface Unit<Status = unknown> {
  readonly name: UnitName;
  /** Prepares resources (connections, directories, checkpoints). */
  init(): Promise<void>;
  /** Does the work; resolves on completion, pause or close. */
  process(signal: AbortSignal): Promise<ProcessResult>;
  /** Whether this unit has a checkpoint (a non-fresh unit resumes rather than restarts). */
  isFresh(): Promise<boolean>;
  /** Releases everything. Idempotent. */
  close(): Promise<void>;
  /** Current progress for query-status / `dm run`. */
  status(): Status;
}

/** Progress of a long piece of work, in the units of the work (bytes, rows, files). */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

export function progressPercent(p: Progress): string {
  if (p.total <= 0) return '0.00 %';
  return `${((Math.min(p.done, p.total) / p.total) * 100).toFixed(2)} %`;
}
