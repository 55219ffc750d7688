/**
 * dm-master's operations ({@link MasterService}): sources, tasks, status, checks, configs, members, error
 * handling — over the {@link Scheduler} (desired state in the store) and the workers (fresh status).
 *
 * Invariants: every mutation runs under one lock, is stored before it is answered, and pokes the workers it
 * concerns so they reconcile at once; bad input answers `result: false` with a DM-coded `msg`, never a
 * throw; passwords never appear in an answer (configs are masked, driver errors scrubbed).
 */
import type mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { checkTask } from '../checker/precheck.js';
import { maskYamlSecrets } from '../config/mask-secrets.js';
import { formatMasterConfig, type MasterConfig } from '../config/master-config.js';
import { decryptOrPlaintext, encryptPassword } from '../config/password-crypto.js';
import { parseSourceConfig, type SourceConfig } from '../config/source-config.js';
import { deriveSubtasks, type SubtaskConfig } from '../config/subtask-config.js';
import { parseTaskConfig, type TaskConfig } from '../config/task-config.js';
import { withConnection } from '../mysql/db-config.js';
import { SYSTEM_SCHEMAS } from '../filter/table-filter.js';
import { driverError } from '../mysql/driver-error.js';
import { quoteId, quoteTable } from '../mysql/identifier.js';
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { binlogSchemaOperation, handleErrorOperation, type ErrorOperation, type SchemaOperation } from '../units/sync/task-meta-operations.js';
import { postJson } from '../api/post-json.js';
import { INTERNAL_PREFIX, type WorkerStatusResponse } from '../api/internal-api.js';
import type {
  CheckTaskRequest,
  CommonResponse,
  ExportConfigsResponse,
  GetCfgRequest,
  GetCfgResponse,
  HandleErrorRequest,
  ListMemberRequest,
  ListMemberResponse,
  ListSourceSchemasRequest,
  ListSourceSchemasResponse,
  MasterService,
  MemberJson,
  OfflineMemberRequest,
  OperateSchemaRequest,
  OperateSourceRequest,
  OperateTaskRequest,
  OperateTaskResponse,
  QueryStatusRequest,
  QueryStatusResponse,
  QueryStatusSourceJson,
  SourceResult,
  SourcesResponse,
  StartTaskRequest,
  StartTaskResponse,
  SubTaskStatusJson,
  TaskSummaryJson,
  TransferSourceRequest,
} from './master-api.js';
import type { Scheduler } from './scheduler.js';

const NOT_BOUND_MSG = 'source is added but there is no free worker to bound';

function messageOf(e: unknown): string {
  if (isDmError(e)) return e.message;
  return DmError.of(E.SubtaskUnexpected, [e instanceof Error ? e.message : String(e)]).message;
}

function fail(e: unknown): CommonResponse {
  return { result: false, msg: messageOf(e) };
}

/** DM's task status from its subtasks (spec §3.3). */
export function taskStatusOf(subs: readonly SubTaskStatusJson[]): string {
  if (subs.some((s) => s.stage === 'Paused' && (s.result?.errors.length ?? 0) > 0)) return 'Error - Some error occurred in subtask. Please run `query-status` to get reason.';
  if (subs.some((s) => s.stage === 'Paused')) return 'Paused';
  if (subs.length > 0 && subs.every((s) => s.stage === 'New')) return 'New';
  if (subs.length > 0 && subs.every((s) => s.stage === 'Finished')) return 'Finished';
  if (subs.length > 0 && subs.every((s) => s.stage === 'Stopped')) return 'Stopped';
  return 'Running';
}

export interface DmMasterServiceOptions {
  readonly config: MasterConfig;
  readonly scheduler: Scheduler;
  readonly log: (msg: string) => void;
}

export class DmMasterService implements MasterService {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly s: Scheduler;
  private readonly cfg: MasterConfig;

  constructor(private readonly o: DmMasterServiceOptions) {
    this.s = o.scheduler;
    this.cfg = o.config;
  }

  /** Runs `f` after every mutation before it (the scheduler's state changes one operation at a time). */
  locked<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private get rpcTimeoutMs(): number {
    return Math.min(this.cfg.rpcTimeoutMs, 30_000);
  }

  /** Asks the workers bound to `sources` to heartbeat now (best effort: they do anyway within a second). */
  poke(sources: Iterable<string>): void {
    for (const src of new Set(sources)) this.pokeWorker(this.s.workerOf(src) ?? '');
  }

  private sourceConfig(id: string): SourceConfig {
    const yaml = this.s.sources.get(id);
    if (yaml === undefined) throw DmError.of(E.SchedulerSourceCfgNotExist, [id]);
    return parseSourceConfig(yaml, `${id}.yaml`);
  }

  private sourceResult(id: string, ok = true, msg = ''): SourceResult {
    const worker = this.s.workerOf(id) ?? '';
    return { result: ok, msg: ok && !worker && !msg ? NOT_BOUND_MSG : msg, source: id, worker };
  }

  /** The subtasks of a task.yaml for the sources the master knows. */
  private subtasksOf(task: TaskConfig): SubtaskConfig[] {
    const known = new Map<string, SourceConfig>();
    for (const inst of task.mysqlInstances) {
      if (!this.s.sources.has(inst.sourceId)) throw DmError.of(E.SchedulerSourceCfgNotExist, [inst.sourceId]);
      known.set(inst.sourceId, this.sourceConfig(inst.sourceId));
    }
    return deriveSubtasks(task, known);
  }

  // ---- sources ----

  OperateSource(req: OperateSourceRequest): Promise<SourcesResponse> {
    return this.locked(async () => {
      try {
        switch (req.op) {
          case 'create':
            return await this.createSources(req.config);
          case 'update':
            return await this.updateSources(req.config);
          case 'stop':
            return await this.stopSources(req);
          case 'show': {
            const ids = req.sourceID.length > 0 ? req.sourceID : [...this.s.sources.keys()].sort();
            for (const id of ids) if (!this.s.sources.has(id)) throw DmError.of(E.SchedulerSourceCfgNotExist, [id]);
            return { result: true, msg: '', sources: ids.map((id) => this.sourceResult(id)) };
          }
          default:
            throw DmError.of(E.MasterInvalidOperateOp, [String(req.op), 'source']);
        }
      } catch (e) {
        return { ...fail(e), sources: [] };
      }
    });
  }

  private async createSources(texts: readonly string[]): Promise<SourcesResponse> {
    if (texts.length === 0) throw DmError.of(E.MasterInvalidOperateOp, ['create without a source config', 'source']);
    const list: Array<{ id: string; yaml: string; cfg: SourceConfig }> = [];
    for (const [i, yaml] of texts.entries()) {
      const cfg = parseSourceConfig(yaml, texts.length > 1 ? `source config #${i + 1}` : 'source config');
      if (this.s.sources.has(cfg.sourceId) || list.some((x) => x.id === cfg.sourceId)) throw DmError.of(E.SchedulerSourceCfgExist, [cfg.sourceId]);
      list.push({ id: cfg.sourceId, yaml, cfg });
    }
    // DM connects to every source before it stores any (create is all or nothing)
    for (const x of list) await this.checkReachable(x.cfg);
    await this.s.addSources(list);
    return { result: true, msg: '', sources: list.map((x) => this.sourceResult(x.id)) };
  }

  private async checkReachable(cfg: SourceConfig): Promise<void> {
    await withConnection(cfg.from, (conn) => conn.query('SELECT 1').catch((e: unknown) => Promise.reject(driverError(e, cfg.from.password))), { connectTimeoutMs: 10_000 });
  }

  private async updateSources(texts: readonly string[]): Promise<SourcesResponse> {
    const out: SourceResult[] = [];
    for (const yaml of texts) {
      const cfg = parseSourceConfig(yaml, 'source config');
      const old = this.s.sources.get(cfg.sourceId);
      if (old === undefined) throw DmError.of(E.SchedulerSourceCfgNotExist, [cfg.sourceId]);
      const strip = (c: SourceConfig): string => JSON.stringify({ ...c, fileName: '', enableRelay: false, relayBinlogName: '', relayBinlogGtid: '', relayDir: '', from: { ...c.from, password: decryptOrPlaintext(c.from.password, this.cfg.secretKey) } });
      if (strip(parseSourceConfig(old, 'source config')) !== strip(cfg)) throw DmError.of(E.SchedulerSourceCfgUpdate, []);
      await this.s.updateSource(cfg.sourceId, yaml);
      out.push(this.sourceResult(cfg.sourceId));
    }
    return { result: true, msg: '', sources: out };
  }

  private async stopSources(req: OperateSourceRequest): Promise<SourcesResponse> {
    const ids = [...req.sourceID, ...req.config.map((y) => parseSourceConfig(y, 'source config').sourceId)];
    if (ids.length === 0) throw DmError.of(E.MasterInvalidOperateOp, ['stop without a source', 'source']);
    const out: SourceResult[] = [];
    let ok = true;
    for (const id of ids) {
      try {
        if (!this.s.sources.has(id)) throw DmError.of(E.SchedulerSourceCfgNotExist, [id]);
        const tasks = [...(this.s.stages.get(id)?.keys() ?? [])];
        if (tasks.length > 0) throw DmError.of(E.SchedulerSourceOpTaskExist, [id, `[${tasks.join(' ')}]`]);
        const worker = this.s.workerOf(id) ?? '';
        await this.s.removeSource(id);
        this.pokeWorker(worker);
        out.push({ result: true, msg: '', source: id, worker });
      } catch (e) {
        ok = false;
        out.push({ result: false, msg: messageOf(e), source: id, worker: '' });
      }
    }
    return { result: ok, msg: '', sources: out };
  }

  private pokeWorker(name: string): void {
    const addr = this.s.workers.get(name)?.addr;
    if (addr) void postJson(addr, `${INTERNAL_PREFIX}poke`, {}, 2000).catch(() => undefined);
  }

  // ---- tasks ----

  StartTask(req: StartTaskRequest): Promise<StartTaskResponse> {
    return this.locked(async () => {
      try {
        const task = parseTaskConfig(req.task, 'task config');
        const all = this.subtasksOf(task);
        const subtasks = req.sources.length > 0 ? all.filter((s) => req.sources.includes(s.sourceId)) : all;
        const missing = req.sources.filter((s) => !all.some((x) => x.sourceId === s));
        if (missing.length > 0) throw DmError.of(E.SchedulerSubTaskOpSourceNotExist, [`[${missing.join(' ')}]`]);
        const existing = subtasks.filter((s) => this.s.stageOf(s.sourceId, task.name) !== undefined).map((s) => s.sourceId);
        if (existing.length > 0) throw DmError.of(E.SchedulerSubTaskExist, [task.name, `[${existing.join(' ')}]`]);
        const other = this.s.tasks.get(task.name);
        if (other && other.yaml !== req.task) throw DmError.of(E.SchedulerSubTaskExist, [task.name, `[${this.s.taskSources(task.name).join(' ')}] (with another config; stop-task first)`]);
        const report = await checkTask(subtasks);
        if (!report.result) return { result: false, msg: report.msg, sources: [], checkResult: report.checkResult };
        if (req.removeMeta) await this.removeMeta(task);
        await this.s.putTask(task.name, req.task, subtasks.map((s) => s.sourceId));
        this.o.log(`task ${task.name} started on ${subtasks.map((s) => s.sourceId).join(', ')}`);
        this.poke(subtasks.map((s) => s.sourceId));
        const warn = report.checkResult.summary.warning > 0 ? report.msg : '';
        return { result: true, msg: warn, sources: subtasks.map((s) => this.sourceResult(s.sourceId)), ...(warn ? { checkResult: report.checkResult } : {}) };
      } catch (e) {
        return { ...fail(e), sources: [] };
      }
    });
  }

  /** `start-task --remove-meta`: the task's checkpoint tables in the downstream are dropped. */
  private async removeMeta(task: TaskConfig): Promise<void> {
    await withConnection(task.targetDatabase, async (conn) => {
      for (const suffix of ['loader_checkpoint', 'syncer_checkpoint', 'syncer_applied', 'syncer_handle_error', 'syncer_sharding_meta', 'onlineddl']) {
        await conn.query(`DROP TABLE IF EXISTS ${quoteTable(task.metaSchema, `${task.name}_${suffix}`)}`);
      }
    });
  }

  OperateTask(req: OperateTaskRequest): Promise<OperateTaskResponse> {
    return this.locked(async () => {
      try {
        if (!['Stop', 'Pause', 'Resume'].includes(req.op)) throw DmError.of(E.MasterInvalidOperateOp, [String(req.op), 'task']);
        // with a task name: its subtasks (on `sources` when given); without: every task on `sources`
        const pairs: Array<{ task: string; source: string }> = [];
        if (req.name) {
          if (!this.s.tasks.has(req.name)) throw DmError.of(E.SchedulerTaskNotExist, [req.name]);
          const on = this.s.taskSources(req.name);
          const missing = req.sources.filter((s) => !on.includes(s));
          if (missing.length > 0) throw DmError.of(E.SchedulerSubTaskOpSourceNotExist, [`[${missing.join(' ')}]`]);
          for (const source of req.sources.length > 0 ? req.sources : on) pairs.push({ task: req.name, source });
        } else {
          if (req.sources.length === 0) throw DmError.of(E.MasterInvalidOperateOp, [req.op, 'task (give a task name or -s sources)']);
          for (const source of req.sources) {
            if (!this.s.sources.has(source)) throw DmError.of(E.SchedulerSourceCfgNotExist, [source]);
            for (const task of this.s.stages.get(source)?.keys() ?? []) pairs.push({ task, source });
          }
        }
        const byTask = new Map<string, string[]>();
        for (const p of pairs) byTask.set(p.task, [...(byTask.get(p.task) ?? []), p.source]);
        for (const [task, sources] of byTask) {
          if (req.op === 'Stop') await this.s.removeSubtasks(task, sources);
          else await this.s.setStage(task, sources, req.op === 'Pause' ? 'Paused' : 'Running');
          this.o.log(`task ${task}: ${req.op.toLowerCase()} on ${sources.join(', ')}`);
        }
        this.poke(pairs.map((p) => p.source));
        return { op: req.op, result: true, msg: '', sources: pairs.map((p) => ({ ...this.sourceResult(p.source), msg: '' })) };
      } catch (e) {
        return { op: req.op, ...fail(e), sources: [] };
      }
    });
  }

  // ---- status ----

  private async workerStatus(worker: string): Promise<WorkerStatusResponse | undefined> {
    const w = this.s.workers.get(worker);
    if (!w?.online) return undefined;
    return postJson<WorkerStatusResponse>(w.addr, `${INTERNAL_PREFIX}status`, {}, Math.min(this.rpcTimeoutMs, 5000)).catch(() => undefined);
  }

  /** Every subtask's status per source, fresh from the workers. */
  private async sourceStatuses(sources: readonly string[]): Promise<Map<string, { worker: string; subtasks: SubTaskStatusJson[]; error: string }>> {
    const out = new Map<string, { worker: string; subtasks: SubTaskStatusJson[]; error: string }>();
    await Promise.all(
      sources.map(async (src) => {
        const worker = this.s.workerOf(src) ?? '';
        if (!worker) {
          out.set(src, { worker, subtasks: [], error: DmError.of(E.SchedulerSourcesUnbound, [`[${src}]`]).message });
          return;
        }
        const st = await this.workerStatus(worker);
        if (!st) out.set(src, { worker, subtasks: [], error: DmError.of(E.MasterOperRequestTimeout, [worker]).message });
        else out.set(src, { worker, subtasks: st.source === src ? st.subtasks : [], error: '' });
      }),
    );
    return out;
  }

  /** A subtask's status as known: the worker's, or its desired stage when the worker has not started it yet. */
  private subtaskStatus(task: string, source: string, got: SubTaskStatusJson[] | undefined): SubTaskStatusJson {
    const found = got?.find((x) => x.name === task);
    if (found) return found;
    return { name: task, stage: this.s.stageOf(source, task) === 'Paused' ? 'Paused' : 'New', unit: 'InvalidUnit', result: null, unresolvedDDLLockID: '' };
  }

  async QueryStatus(req: QueryStatusRequest): Promise<QueryStatusResponse> {
    try {
      if (!req.name) {
        const tasks = [...this.s.tasks.keys()].sort();
        const sources = [...new Set(tasks.flatMap((t) => this.s.taskSources(t)))];
        const st = await this.sourceStatuses(sources);
        const summary: TaskSummaryJson[] = [];
        for (const t of tasks) {
          const on = this.s.taskSources(t).filter((s) => req.sources.length === 0 || req.sources.includes(s));
          if (on.length === 0) continue;
          summary.push({ taskName: t, taskStatus: taskStatusOf(on.map((s) => this.subtaskStatus(t, s, st.get(s)?.subtasks))), sources: on });
        }
        return { result: true, msg: '', tasks: summary };
      }
      if (!this.s.tasks.has(req.name)) throw DmError.of(E.SchedulerTaskNotExist, [req.name]);
      const on = this.s.taskSources(req.name).filter((s) => req.sources.length === 0 || req.sources.includes(s));
      const st = await this.sourceStatuses(on);
      const sources: QueryStatusSourceJson[] = on.map((src) => {
        const x = st.get(src)!;
        return {
          result: x.error === '',
          msg: x.error,
          sourceStatus: { source: src, worker: x.worker, result: null, relayStatus: null },
          subTaskStatus: [this.subtaskStatus(req.name, src, x.subtasks)],
        };
      });
      return { result: true, msg: '', sources };
    } catch (e) {
      return fail(e);
    }
  }

  async CheckTask(req: CheckTaskRequest): Promise<CommonResponse> {
    try {
      const task = parseTaskConfig(req.task, 'task config');
      const report = await checkTask(this.subtasksOf(task), { errorLimit: req.errCnt || 10, warnLimit: req.warnCnt || 10 });
      return { result: report.result, msg: report.msg, checkResult: report.checkResult } as CommonResponse;
    } catch (e) {
      return fail(e);
    }
  }

  // ---- configs ----

  async GetCfg(req: GetCfgRequest): Promise<GetCfgResponse> {
    try {
      switch (req.type) {
        case 'task': {
          const t = this.s.tasks.get(req.name);
          if (!t) throw DmError.of(E.SchedulerTaskNotExist, [req.name]);
          return { result: true, msg: '', cfg: maskYamlSecrets(t.yaml) };
        }
        case 'source': {
          const y = this.s.sources.get(req.name);
          if (y === undefined) throw DmError.of(E.SchedulerSourceCfgNotExist, [req.name]);
          return { result: true, msg: '', cfg: maskYamlSecrets(y) };
        }
        case 'master': {
          if (req.name !== this.cfg.name) throw DmError.of(E.MasterMasterNameNotExist, [req.name]);
          return { result: true, msg: '', cfg: formatMasterConfig(this.cfg) };
        }
        case 'worker': {
          const w = this.s.workers.get(req.name);
          if (!w) throw DmError.of(E.SchedulerWorkerNotExist, [req.name]);
          if (!w.online) throw DmError.of(E.MasterOperRequestTimeout, [req.name]);
          const r = await postJson<GetCfgResponse>(w.addr, `${INTERNAL_PREFIX}config`, {}, 5000);
          return r;
        }
        default:
          throw DmError.of(E.MasterInvalidOperateOp, [String(req.type), 'get-config']);
      }
    } catch (e) {
      return { ...fail(e), cfg: '' };
    }
  }

  ExportConfigs(): Promise<ExportConfigsResponse> {
    const key = this.cfg.secretKey;
    // DM exports passwords encrypted: a plaintext one is encrypted, an encrypted one kept
    const encrypt = (text: string): string =>
      text.replace(/^(\s*password:\s*)(['"]?)(.*?)\2\s*$/gm, (_m, head: string, _q: string, value: string) => {
        const plain = decryptOrPlaintext(value, key);
        return `${head}${plain === value ? encryptPassword(plain, key) : value}`;
      });
    return Promise.resolve({
      result: true,
      msg: '',
      sources: [...this.s.sources].sort().map(([name, cfg]) => ({ name, cfg: encrypt(cfg) })),
      tasks: [...this.s.tasks].sort().map(([name, t]) => ({ name, cfg: encrypt(t.yaml) })),
    });
  }

  // ---- members ----

  ListMember(req: ListMemberRequest): Promise<ListMemberResponse> {
    const all = !req.leader && !req.master && !req.worker;
    const named = (n: string): boolean => req.names.length === 0 || req.names.includes(n);
    const members: MemberJson[] = [];
    if (all || req.leader) members.push({ leader: { msg: '', name: this.cfg.name, addr: this.cfg.advertiseAddr } });
    if (all || req.master) {
      const masters = named(this.cfg.name) ? [{ name: this.cfg.name, memberID: '0', alive: true, peerURLs: this.cfg.advertisePeerUrls.split(','), clientURLs: [`http://${this.cfg.advertiseAddr}`] }] : [];
      members.push({ master: { msg: '', masters } });
    }
    if (all || req.worker) {
      const workers = [...this.s.workers.values()]
        .filter((w) => named(w.name))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((w) => ({ name: w.name, addr: w.addr, stage: this.s.workerStage(w.name), source: this.s.bound.get(w.name) ?? '' }));
      members.push({ worker: { msg: '', workers } });
    }
    return Promise.resolve({ result: true, msg: '', members });
  }

  OfflineMember(req: OfflineMemberRequest): Promise<CommonResponse> {
    return this.locked(async () => {
      try {
        if (req.type === 'worker') {
          const w = this.s.workers.get(req.name);
          if (!w) throw DmError.of(E.SchedulerWorkerNotExist, [req.name]);
          if (w.online) throw DmError.of(E.SchedulerWorkerOnline, [req.name]);
          await this.s.removeWorker(req.name);
          this.poke(this.s.sources.keys());
          return { result: true, msg: '' };
        }
        if (req.type === 'master') {
          if (req.name === this.cfg.name) throw DmError.of(E.SchedulerWorkerOnline, [`${req.name} (this dm-master itself; stop it instead)`]);
          throw DmError.of(E.MasterMasterNameNotExist, [req.name]);
        }
        throw DmError.of(E.MasterInvalidOfflineType, [String(req.type)]);
      } catch (e) {
        return fail(e);
      }
    });
  }

  TransferSource(req: TransferSourceRequest): Promise<CommonResponse> {
    return this.locked(async () => {
      try {
        if (!this.s.sources.has(req.source)) throw DmError.of(E.SchedulerSourceCfgNotExist, [req.source]);
        const w = this.s.workers.get(req.worker);
        if (!w) throw DmError.of(E.SchedulerWorkerNotExist, [req.worker]);
        const old = this.s.workerOf(req.source);
        if (old === req.worker) return { result: true, msg: '' };
        const stage = this.s.workerStage(req.worker);
        if (stage !== 'free') throw DmError.of(E.SchedulerWorkerInvalidTrans, [req.worker, stage, 'bound']);
        const running = [...(this.s.stages.get(req.source) ?? [])].filter(([, r]) => r.stage === 'Running').map(([t]) => t);
        if (old && running.length > 0) throw DmError.of(E.SchedulerRequireNotRunning, [`[${running.join(' ')}]`, req.source]);
        await this.s.transfer(req.source, req.worker);
        if (old) this.pokeWorker(old);
        this.pokeWorker(req.worker);
        return { result: true, msg: '' };
      } catch (e) {
        return fail(e);
      }
    });
  }

  // ---- error handling / schemas (the task's metadata in the downstream) ----

  private async withTaskMeta<T>(taskName: string, sources: readonly string[], f: (conn: mysql.Connection, task: TaskConfig, on: string[]) => Promise<T>): Promise<T> {
    const rec = this.s.tasks.get(taskName);
    if (!rec) throw DmError.of(E.SchedulerTaskNotExist, [taskName]);
    const task = parseTaskConfig(rec.yaml, `${taskName}.yaml`);
    const all = this.s.taskSources(taskName);
    const missing = sources.filter((s) => !all.includes(s));
    if (missing.length > 0) throw DmError.of(E.SchedulerSubTaskOpSourceNotExist, [`[${missing.join(' ')}]`]);
    return withConnection(task.targetDatabase, (conn) => f(conn, task, sources.length > 0 ? [...sources] : all));
  }

  HandleError(req: HandleErrorRequest): Promise<SourcesResponse> {
    return this.locked(async () => {
      try {
        if (!['skip', 'replace', 'revert', 'list'].includes(req.op)) throw DmError.of(E.MasterInvalidOperateOp, [req.op, 'handle-error']);
        const rows = await this.withTaskMeta(req.task, req.sources, (conn, task, on) => handleErrorOperation(conn, { taskName: task.name, metaSchema: task.metaSchema }, on, req.op as ErrorOperation, req.binlogPos || undefined, req.sqls));
        const touched = [...new Set(rows.map((r) => r.source))];
        // DM resumes the subtask once its error has an operator
        if (req.op === 'skip' || req.op === 'replace') {
          const paused = touched.filter((s) => this.s.stageOf(s, req.task) === 'Running');
          if (paused.length > 0) await this.s.setStage(req.task, paused, 'Running');
          this.poke(touched);
        }
        const sources = rows.map((r) => ({ result: true, msg: JSON.stringify(r), source: r.source, worker: this.s.workerOf(r.source) ?? '' }));
        return { result: true, msg: '', sources };
      } catch (e) {
        return { ...fail(e), sources: [] };
      }
    });
  }

  OperateSchema(req: OperateSchemaRequest): Promise<SourcesResponse> {
    return this.locked(async () => {
      try {
        const op: SchemaOperation | undefined = ({ list: 'list', get: 'get', set: 'update', remove: 'delete' } as const)[req.op];
        if (!op) throw DmError.of(E.MasterInvalidOperateOp, [String(req.op), 'binlog-schema']);
        const out = await this.withTaskMeta(req.task, req.sources, async (conn, task, on) => {
          if (op !== 'list' && op !== 'get') {
            const running = on.filter((s) => this.s.stageOf(s, req.task) === 'Running');
            if (running.length > 0) throw DmError.of(E.SchedulerRequireNotRunning, [`[${req.task}]`, running.join(', ')]);
          }
          let create = req.schema;
          if (op === 'update' && (req.fromSource || req.fromTarget)) create = await this.currentCreate(req, task, on[0]!);
          const res: SourceResult[] = [];
          for (const src of on) {
            const tables = await binlogSchemaOperation(conn, { taskName: task.name, metaSchema: task.metaSchema }, src, op, req.database || undefined, req.table || undefined, create);
            // list: the schemas, or the tables of `database` (a JSON array of names); get: the CREATE TABLE
            const names = req.database ? tables.map((t) => t.table) : [...new Set(tables.map((t) => t.db))];
            const msg = op === 'get' ? (tables[0]?.schema ?? '') : op === 'list' ? JSON.stringify(names) : '';
            res.push({ result: true, msg, source: src, worker: this.s.workerOf(src) ?? '' });
          }
          return res;
        });
        return { result: true, msg: '', sources: out };
      } catch (e) {
        return { ...fail(e), sources: [] };
      }
    });
  }

  /** `--from-source` / `--from-target`: the table's CREATE TABLE as the upstream (or downstream) has it now. */
  private async currentCreate(req: OperateSchemaRequest, task: TaskConfig, source: string): Promise<string> {
    const db = req.fromSource ? this.sourceConfig(source).from : task.targetDatabase;
    return withConnection(db, async (conn) => {
      try {
        const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE TABLE ${quoteTable(req.database, req.table)}`);
        const create = (rows[0] as Record<string, unknown> | undefined)?.['Create Table'];
        return typeof create === 'string' ? create : '';
      } catch (e) {
        throw driverError(e, db.password);
      }
    });
  }

  async ListSourceSchemas(req: ListSourceSchemasRequest): Promise<ListSourceSchemasResponse> {
    try {
      const cfg = this.sourceConfig(req.source);
      return await withConnection(cfg.from, async (conn) => {
        try {
          const [rows] = await conn.query<RowDataPacket[]>(req.schema ? `SHOW FULL TABLES FROM ${quoteId(req.schema)} WHERE Table_type = 'BASE TABLE'` : 'SHOW DATABASES');
          const names = rows.map((r) => String(Object.values(r)[0])).filter((n) => req.schema || !SYSTEM_SCHEMAS.has(n.toLowerCase()));
          return { result: true, msg: '', names };
        } catch (e) {
          throw driverError(e, cfg.from.password);
        }
      });
    } catch (e) {
      return { ...fail(e), names: [] };
    }
  }
}
