/**
 * Runs one subtask (one task on one source) through its units in order, as DM's subtask does: `full` =
 * dump → load, `all` = dump → load → sync, `incremental` = sync. On (re)start it skips to the last non-fresh
 * unit: a sync with a checkpoint resumes the sync; a load with checkpoints resumes without re-dumping;
 * otherwise the dump starts over (a dump is not resumable — DM behaves the same).
 *
 * Invariants: every unit created is closed; errors are reported as coded DmErrors in the outcome, never
 * thrown past `run`; an abort (Ctrl-C, stop) leaves checkpoints so the next run resumes.
 */
import path from 'node:path';
import type { SubtaskConfig } from '../config/subtask-config.js';
import { BlockAllowList } from '../filter/block-allow-list.js';
import { TableRouterImpl } from '../filter/table-router.js';
import { ALLOW_ALL, IDENTITY_ROUTER, type TableFilter, type TableRouter } from '../filter/table-filter.js';
import { DumpUnit, type DumpStatus } from '../units/dump/dump-unit.js';
import type { ConsistencyMode } from '../units/dump/consistency.js';
import { LoadUnit, type LoadStatus } from '../units/load/load-unit.js';
import type { Unit } from '../units/unit.js';
import { SyncUnit, type SyncStatus } from '../units/sync/sync-unit.js';
import { DmError } from '../observability/dm-error.js';
import { toCodedError } from '../mysql/driver-error.js';
import { E } from '../observability/error-catalogue.js';

export type SubtaskStage = 'new' | 'dump' | 'load' | 'sync' | 'finished' | 'paused' | 'error';

export interface SubtaskStatus {
  readonly sourceId: string;
  readonly stage: SubtaskStage;
  readonly dump?: DumpStatus | undefined;
  readonly load?: LoadStatus | undefined;
  readonly sync?: SyncStatus | undefined;
  readonly errors: readonly DmError[];
  /** The unit that stopped with the errors (metrics count unit exits with error). */
  readonly failedUnit?: 'dump' | 'load' | 'sync' | undefined;
}

export interface SubtaskRunnerOptions {
  onLog?: (msg: string) => void;
  /** The sync unit stops (finished) once it has applied everything the upstream had written. */
  stopWhenSynced?: boolean;
}

/** The block-allow list of a subtask (everything but system schemas when it has none). */
export function tableFilterOf(cfg: SubtaskConfig): TableFilter {
  return cfg.blockAllowList ? new BlockAllowList(cfg.blockAllowList, cfg.caseSensitive) : ALLOW_ALL;
}

/** The table router of a subtask (names unchanged when it has no routes). */
export function tableRouterOf(cfg: SubtaskConfig): TableRouter {
  return cfg.routeRules.length > 0 ? new TableRouterImpl(cfg.routeRules, cfg.caseSensitive) : IDENTITY_ROUTER;
}

/**
 * Where a subtask's dump lives: DM's `loaders.dir` (`./dumped_data.{task}`) holds one directory per source,
 * because `dm run` runs every source on this one machine (DM gives each worker its own host).
 */
export function dumpDirOf(cfg: SubtaskConfig): string {
  return path.join(cfg.loader.dir, cfg.sourceId);
}

/** `--consistency X` from `mydumpers.extra-args` (Dumpling's flag); `auto` when absent. */
export function consistencyOf(extraArgs: string): ConsistencyMode {
  const m = /--consistency[= ]+(\w+)/.exec(extraArgs);
  if (/--no-locks\b/.test(extraArgs)) return 'none';
  const v = m?.[1] ?? 'auto';
  if (v === 'auto' || v === 'flush' || v === 'lock' || v === 'snapshot' || v === 'none') return v;
  throw DmError.of(E.ConfigInvalidConsistency, [v]);
}

function toDmError(e: unknown): DmError {
  return toCodedError(e, undefined, (x) => DmError.of(E.SubtaskUnexpected, [x instanceof Error ? x.message : String(x)], { cause: x }));
}

export class SubtaskRunner {
  private stage: SubtaskStage = 'new';
  private dumpStatus: DumpStatus | undefined;
  private loadStatus: LoadStatus | undefined;
  private syncUnit: SyncUnit | undefined;
  private failedUnit: SubtaskStatus['failedUnit'];
  private readonly errors: DmError[] = [];

  constructor(
    readonly cfg: SubtaskConfig,
    private readonly opts: SubtaskRunnerOptions = {},
  ) {}

  status(): SubtaskStatus {
    return { sourceId: this.cfg.sourceId, stage: this.stage, dump: this.dumpStatus, load: this.loadStatus, sync: this.syncUnit?.status(), errors: [...this.errors], failedUnit: this.failedUnit };
  }

  /** Internal state of the running units, for debugging (`kill -USR2` on `dm run`). */
  debugState(): string {
    return `[${this.cfg.sourceId}] ${this.stage}: ${this.syncUnit?.debugState() ?? ''}`;
  }

  private log(msg: string): void {
    this.opts.onLog?.(`[${this.cfg.sourceId}] ${msg}`);
  }

  /** Runs the units; resolves with the final status (stage `finished`, `paused` or `error`). */
  async run(signal: AbortSignal): Promise<SubtaskStatus> {
    const cfg = this.cfg;
    try {
      const filter = tableFilterOf(cfg);
      const router = tableRouterOf(cfg);
      const dir = dumpDirOf(cfg);
      let sync: SyncUnit | undefined;
      if (cfg.taskMode !== 'full') {
        sync = new SyncUnit({ cfg, filter, router, dumpDir: cfg.taskMode === 'all' ? dir : undefined, stopWhenSynced: this.opts.stopWhenSynced, onLog: (m) => this.log(m) });
      }
      try {
        const syncFresh = sync ? await sync.isFresh() : true;
        if (cfg.taskMode !== 'incremental' && syncFresh) {
          if (!(await this.runFull(filter, router, dir, signal))) return this.status();
        } else if (cfg.taskMode === 'all') {
          this.log('sync checkpoint found: continuing the incremental replication');
        }
        if (!sync) {
          this.stage = 'finished';
          return this.status();
        }
        this.stage = 'sync';
        this.syncUnit = sync;
        await sync.init();
        if (!(await this.runUnit(sync, signal, false))) return this.status();
        this.stage = 'finished';
        this.log('sync finished');
      } finally {
        await sync?.close();
      }
    } catch (e) {
      const err = toDmError(e);
      this.errors.push(err);
      this.log(`stopped with an error: ${err.message}`);
      if (this.stage === 'dump' || this.stage === 'load' || this.stage === 'sync') this.failedUnit ??= this.stage;
      this.stage = 'error';
    }
    return this.status();
  }

  /** Dump (unless a load already started) and load; false when stopped or failed (stage set). */
  private async runFull(filter: TableFilter, router: TableRouter, dir: string, signal: AbortSignal): Promise<boolean> {
    const cfg = this.cfg;
    const load = new LoadUnit({
      target: cfg.to,
      dir,
      taskName: cfg.name,
      sourceId: cfg.sourceId,
      metaSchema: cfg.metaSchema,
      poolSize: cfg.loader.poolSize,
      filter,
      router,
      cleanDumpFile: cfg.cleanDumpFile,
      mode: cfg.taskMode === 'all' ? 'all' : 'full',
      onProgress: (s) => (this.loadStatus = s),
    });
    try {
      // the checkpoint table says whether a load already started; the dump dir may not exist yet
      if (await load.isFresh()) {
        this.stage = 'dump';
        const dump = new DumpUnit({
          source: cfg.from,
          flavor: cfg.flavor,
          outputDir: dir,
          threads: cfg.mydumper.threads,
          rows: cfg.mydumper.rows,
          chunkFilesizeMB: cfg.mydumper.chunkFilesize,
          statementSize: cfg.mydumper.statementSize,
          ...(cfg.mydumper.where ? { where: cfg.mydumper.where } : {}),
          consistency: consistencyOf(cfg.mydumper.extraArgs),
          filter,
          onProgress: (s) => (this.dumpStatus = s),
          onLog: (m) => this.log(`dump: ${m}`),
        });
        if (!(await this.runUnit(dump, signal))) return false;
        this.log(`dump finished: ${this.dumpStatus?.finishedRows ?? 0} rows in ${this.dumpStatus?.completedTables ?? 0} tables`);
      } else if (await load.isFinished()) {
        // finished earlier (the process stopped before it could report so): nothing to redo
        this.log('load already finished (checkpoints complete)');
        return true;
      } else {
        this.log('load checkpoints found: resuming the load without dumping again');
      }
      this.stage = 'load';
      await load.init();
      if (!(await this.runUnit(load, signal, false))) return false;
      this.log('load finished');
      return true;
    } finally {
      await load.close();
    }
  }

  /** Runs one unit; false when it stopped with errors or was interrupted (stage set accordingly). */
  private async runUnit(unit: Unit, signal: AbortSignal, manage = true): Promise<boolean> {
    try {
      if (manage) await unit.init();
      const r = await unit.process(signal);
      if (r.errors.length > 0) {
        if (unit.name !== 'check') this.failedUnit = unit.name;
        this.errors.push(...r.errors);
        for (const e of r.errors) this.log(`${unit.name} stopped with an error: ${e.message}`);
        this.stage = 'error';
        return false;
      }
      if (r.interrupted) {
        this.stage = 'paused';
        return false;
      }
      return true;
    } finally {
      if (manage) await unit.close();
    }
  }
}
