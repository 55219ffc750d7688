/**
 * The subtasks of one bound source on a dm-worker (DM's `SourceWorker`): reconciles the subtasks that run
 * with the desired state the master sends, and reports their status.
 *
 * - desired `Running`, not running → start (a restarted runner resumes from the checkpoints downstream);
 * - desired `Paused`, running → stop at the next checkpoint (stage `Paused`);
 * - missing from the desired state → stop and forget (stop-task; checkpoints stay downstream);
 * - a runner that stops with an error → stage `Paused` with the error (DM's Running→Paused on error); it
 *   restarts only when the master's `resumeSeq` for it changes (resume-task);
 * - a task.yaml that changed (stop-task + start-task with another config) → the old runner stops first;
 * - a runner stopped by a transient error (a lost database connection) is resumed automatically with
 *   backoff (auto-resume.ts, DM's task checker; `checker.check-enable: false` in source.yaml turns it off).
 *
 * Invariants: at most one runner per task; `close` stops every runner and waits for it, so checkpoints are
 * flushed before the worker lets go of the source.
 */
import type { SubTaskStatusJson, SubtaskStageName } from '../master/master-api.js';
import { parseSourceConfig, type SourceConfig } from '../config/source-config.js';
import { parseTaskConfig } from '../config/task-config.js';
import { deriveSubtasks } from '../config/subtask-config.js';
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { SubtaskRunner, type SubtaskStatus } from './subtask-runner.js';
import { isResumable, ResumeBackoff } from './auto-resume.js';
import { processResultOf, subtaskStatusJson } from './subtask-status-json.js';
import type { DesiredSubtask } from '../api/internal-api.js';

interface Slot {
  readonly task: string;
  readonly yaml: string;
  runner: SubtaskRunner | undefined;
  abort: AbortController | undefined;
  running: Promise<void> | undefined;
  /** The stage as the worker sees it. */
  stage: SubtaskStageName;
  /** The last final status of a runner (when none runs). */
  last: SubtaskStatus | undefined;
  /** An error before any runner could start (a bad config). */
  configError: DmError | undefined;
  resumeSeq: number;
  startedAt: number;
  removed: boolean;
  /** The stage the master wants. */
  desired: 'Running' | 'Paused';
  backoff: ResumeBackoff;
  /** When an automatic resume is due (0: none planned). */
  resumeAt: number;
}

export class SourceWorker {
  readonly sourceId: string;
  private readonly source: SourceConfig;
  private readonly slots = new Map<string, Slot>();
  /** Runners of removed slots still stopping: a new slot of the same task starts after them. */
  private readonly stopping = new Map<string, Promise<void>>();
  private closed = false;

  private readonly checker: NodeJS.Timeout;

  constructor(
    readonly sourceYaml: string,
    private readonly log: (msg: string) => void,
  ) {
    this.source = parseSourceConfig(sourceYaml, 'source.yaml');
    this.sourceId = this.source.sourceId;
    this.checker = setInterval(() => this.check(), Math.min(this.source.checker.checkIntervalMs, 1000));
  }

  /** The task checker: due automatic resumes, and backoff rollback after a stable run. */
  private check(): void {
    const now = Date.now();
    for (const slot of this.slots.values()) {
      if (slot.running) {
        if (slot.startedAt && now - slot.startedAt >= this.source.checker.backoffRollbackMs) slot.backoff.rollback();
        continue;
      }
      if (slot.resumeAt > 0 && now >= slot.resumeAt && slot.desired === 'Running' && !slot.removed) {
        this.log(`[${this.sourceId}] subtask ${slot.task}: resuming automatically after a transient error`);
        this.start(slot);
      }
    }
  }

  /** Brings the subtasks to the desired state (returns at once; runners stop in the background). */
  reconcile(desired: readonly DesiredSubtask[]): void {
    if (this.closed) return;
    const want = new Map(desired.map((d) => [d.task, d]));
    for (const [task, slot] of this.slots) {
      const d = want.get(task);
      if (!d || d.taskYaml !== slot.yaml) {
        this.log(`[${this.sourceId}] subtask ${task}: stopping (${d ? 'its config changed' : 'stop-task'})`);
        slot.removed = true;
        this.slots.delete(task);
        slot.abort?.abort();
        if (slot.running) {
          const done = slot.running;
          this.stopping.set(task, done);
          void done.then(() => {
            if (this.stopping.get(task) === done) this.stopping.delete(task);
          });
        }
      }
    }
    for (const d of desired) {
      let slot = this.slots.get(d.task);
      if (!slot) {
        // a removed slot of the same task may still be stopping: the new one starts after it
        slot = { task: d.task, yaml: d.taskYaml, runner: undefined, abort: undefined, running: undefined, stage: 'New', last: undefined, configError: undefined, resumeSeq: d.resumeSeq, startedAt: 0, removed: false, desired: d.stage, backoff: new ResumeBackoff(this.source.checker), resumeAt: 0 };
        this.slots.set(d.task, slot);
        if (d.stage === 'Running') this.start(slot);
        else slot.stage = 'Paused';
        continue;
      }
      slot.desired = d.stage;
      if (d.stage === 'Paused') {
        slot.resumeAt = 0;
        if (slot.running) {
          this.log(`[${this.sourceId}] subtask ${d.task}: pausing`);
          slot.abort?.abort();
        } else if (slot.stage === 'Running' || slot.stage === 'New') {
          slot.stage = 'Paused';
        }
        slot.resumeSeq = d.resumeSeq;
        continue;
      }
      // desired Running
      if (slot.running) {
        slot.resumeSeq = d.resumeSeq;
        continue;
      }
      if (slot.stage === 'Finished') continue;
      const resumed = d.resumeSeq !== slot.resumeSeq;
      slot.resumeSeq = d.resumeSeq;
      const byError = slot.configError !== undefined || (slot.last?.errors.length ?? 0) > 0;
      // paused by the user and now wanted running, or stopped by an error and resumed
      if (!byError || resumed) this.start(slot);
    }
  }

  private start(slot: Slot): void {
    if (this.closed || slot.removed) return;
    const previous = this.stopping.get(slot.task);
    if (previous) {
      slot.stage = 'New';
      void previous.then(() => this.start(slot));
      return;
    }
    let runner: SubtaskRunner;
    try {
      const task = parseTaskConfig(slot.yaml, `${slot.task}.yaml`);
      const mine = { ...task, mysqlInstances: task.mysqlInstances.filter((i) => i.sourceId === this.sourceId) };
      const [cfg] = deriveSubtasks(mine, new Map([[this.sourceId, this.source]]));
      if (!cfg) throw DmError.of(E.SchedulerSubTaskOpSourceNotExist, [this.sourceId]);
      runner = new SubtaskRunner(cfg, { onLog: (m) => this.log(`[${slot.task}] ${m}`) });
    } catch (e) {
      slot.configError = isDmError(e) ? e : DmError.of(E.SubtaskUnexpected, [e instanceof Error ? e.message : String(e)], { cause: e });
      slot.stage = 'Paused';
      this.log(`[${this.sourceId}] subtask ${slot.task}: cannot start: ${slot.configError.message}`);
      return;
    }
    slot.configError = undefined;
    slot.last = undefined;
    slot.resumeAt = 0;
    slot.runner = runner;
    const abort = new AbortController();
    slot.abort = abort;
    slot.stage = 'Running';
    slot.startedAt = Date.now();
    this.log(`[${this.sourceId}] subtask ${slot.task}: running`);
    slot.running = runner
      .run(abort.signal)
      .then((final) => {
        slot.last = final;
        slot.stage = final.stage === 'finished' ? 'Finished' : 'Paused';
        const how = final.errors.length > 0 ? `with an error: ${final.errors.map((e) => e.message).join('; ')}` : final.stage;
        this.log(`[${this.sourceId}] subtask ${slot.task}: stopped (${how})`);
        if (this.source.checker.checkEnable && slot.desired === 'Running' && !slot.removed && isResumable(final.errors)) {
          const wait = slot.backoff.next();
          slot.resumeAt = Date.now() + wait;
          this.log(`[${this.sourceId}] subtask ${slot.task}: the error is transient; resuming automatically in ${(wait / 1000).toFixed(1)} s`);
        }
      })
      .catch((e: unknown) => {
        // run() reports errors in its result; this is a bug, kept visible in the status
        slot.configError = DmError.of(E.SubtaskUnexpected, [e instanceof Error ? e.message : String(e)], { cause: e });
        slot.stage = 'Paused';
      })
      .finally(() => {
        slot.running = undefined;
        slot.runner = undefined;
        slot.abort = undefined;
      });
  }

  /** The running unit's status, or the last run's final one. */
  private unitStatus(slot: Slot): SubtaskStatus | undefined {
    return slot.runner?.status() ?? slot.last;
  }

  /** Status of every subtask (DM's query-status shape). */
  statuses(): SubTaskStatusJson[] {
    return [...this.slots.values()].map((slot) => {
      const s = this.unitStatus(slot);
      const secs = slot.startedAt ? (Date.now() - slot.startedAt) / 1000 : 0;
      const json = subtaskStatusJson(slot.task, slot.stage, s, secs);
      if (slot.configError) json.result = processResultOf([slot.configError]);
      return json;
    });
  }

  /** The units' own statuses with their task names (for metrics). */
  unitStatuses(): Array<SubtaskStatus & { task: string }> {
    const out: Array<SubtaskStatus & { task: string }> = [];
    for (const slot of this.slots.values()) {
      const s = this.unitStatus(slot);
      if (s) out.push({ ...s, task: slot.task });
    }
    return out;
  }

  /** Stops every runner and waits for them (checkpoints flushed). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.checker);
    const waits: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      slot.abort?.abort();
      if (slot.running) waits.push(slot.running);
    }
    waits.push(...this.stopping.values());
    await Promise.all(waits);
  }
}
