/**
 * DM's task checker (spec §5.16): a subtask paused by an error that a retry can cure is resumed by the
 * worker itself, with exponential backoff — from `backoff-min` (1 s), times `backoff-factor` (2) with jitter,
 * up to the source's `checker.backoff-max`; the backoff falls back to the minimum once a resumed subtask has
 * run for `backoff-rollback` without an error. Errors a retry cannot cure (a DDL the downstream rejects, a
 * bad config, a purged binlog …) wait for the user (`resume-task` after fixing the cause), as in DM.
 *
 * Resumable here: the database driver errors (10001: connection refused, lost, timed out) — the only ones
 * whose cause is outside the task and transient. Exactly-once checkpoints make any resume safe; the list is
 * kept short so an error that needs a decision is never retried behind the user's back.
 */
import type { CheckerConfig } from '../config/source-config.js';
import type { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

const RESUMABLE = new Set<number>([E.DBDriverError.code]);

/** Whether every error that stopped a subtask may be retried automatically. */
export function isResumable(errors: readonly DmError[]): boolean {
  return errors.length > 0 && errors.every((e) => RESUMABLE.has(e.code));
}

export class ResumeBackoff {
  private current: number;

  constructor(
    private readonly cfg: CheckerConfig,
    private readonly random: () => number = Math.random,
  ) {
    this.current = cfg.backoffMinMs;
  }

  /** The wait before the next automatic resume; each call doubles the one after (up to the maximum). */
  next(): number {
    const base = this.current;
    this.current = Math.min(this.cfg.backoffMaxMs, Math.max(this.cfg.backoffMinMs, base * this.cfg.backoffFactor));
    // jitter: anywhere between half and the whole wait, so workers do not retry in step
    return this.cfg.backoffJitter ? Math.round(base / 2 + (this.random() * base) / 2) : base;
  }

  /** After a stable run: back to the minimum. */
  rollback(): void {
    this.current = this.cfg.backoffMinMs;
  }
}
