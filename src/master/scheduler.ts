/**
 * dm-master's scheduler: sources, tasks, desired subtask stages, worker registrations and source→worker
 * bindings, kept in the {@link MetaStore} under DM's key prefixes (spec §1.10) and mirrored in memory.
 *
 * - Workers register and keep alive by heartbeat; one silent for its keep-alive TTL is `offline` and loses its
 *   source, which is bound to another free worker at once (the new worker resumes from the checkpoints in
 *   the downstream). A worker serves one source; extra workers are `free`.
 * - A source given up by a live worker (transfer-source, source removed) is handed to the next worker only
 *   after the old one reported it let go, so one source never runs on two workers.
 * - Worker choice for an unbound source: the worker it was last bound to when free, else the free worker
 *   with the smallest name (deterministic).
 *
 * Invariants: every change is written to the store before it is applied in memory and before it is
 * answered; after a master restart the store gives back every source, task, stage and binding; a worker bound
 * before the restart keeps its source for one TTL to heartbeat again.
 */
import type { MetaStore, TxnOp } from './store/meta-store.js';
import type { WorkerStage } from './master-api.js';

export type DesiredStage = 'Running' | 'Paused';

export interface SubtaskStageRecord {
  stage: DesiredStage;
  resumeSeq: number;
}

export interface TaskRecord {
  /** task.yaml as the user gave it. */
  yaml: string;
}

export interface WorkerState {
  name: string;
  addr: string;
  online: boolean;
  lastSeen: number;
  keepAliveTtl: number;
  /** The source the worker last reported it runs ('' = none). */
  reportedSource: string;
}

const K = {
  source: '/dm-master/v2/upstream/config/',
  task: '/dm-master/task/',
  stage: '/dm-master/stage/subtask/',
  bound: '/dm-master/bound-worker/',
  lastBound: '/dm-master/last-bound-worker/',
  worker: '/dm-worker/r/',
};

function stageKey(source: string, task: string): string {
  return `${K.stage}${encodeURIComponent(source)}/${encodeURIComponent(task)}`;
}

export class Scheduler {
  readonly sources = new Map<string, string>();
  readonly tasks = new Map<string, TaskRecord>();
  /** source → task → stage. */
  readonly stages = new Map<string, Map<string, SubtaskStageRecord>>();
  /** worker → source. */
  readonly bound = new Map<string, string>();
  /** source → worker it was last bound to. */
  readonly lastBound = new Map<string, string>();
  readonly workers = new Map<string, WorkerState>();
  /** source → worker that must report it let go before anyone else gets it. */
  private readonly releasing = new Map<string, string>();

  private constructor(
    private readonly store: MetaStore,
    private readonly log: (msg: string) => void,
  ) {}

  static async load(store: MetaStore, log: (msg: string) => void, defaultTtl: number): Promise<Scheduler> {
    const s = new Scheduler(store, log);
    for (const kv of await store.list(K.source)) s.sources.set(decodeURIComponent(kv.key.slice(K.source.length)), kv.value);
    for (const kv of await store.list(K.task)) s.tasks.set(decodeURIComponent(kv.key.slice(K.task.length)), JSON.parse(kv.value) as TaskRecord);
    for (const kv of await store.list(K.stage)) {
      const [src, task] = kv.key.slice(K.stage.length).split('/').map(decodeURIComponent);
      if (src === undefined || task === undefined) continue;
      s.stageMap(src).set(task, JSON.parse(kv.value) as SubtaskStageRecord);
    }
    for (const kv of await store.list(K.lastBound)) s.lastBound.set(decodeURIComponent(kv.key.slice(K.lastBound.length)), kv.value);
    const now = Date.now();
    for (const kv of await store.list(K.worker)) {
      const w = JSON.parse(kv.value) as { name: string; addr: string };
      s.workers.set(w.name, { name: w.name, addr: w.addr, online: false, lastSeen: 0, keepAliveTtl: defaultTtl, reportedSource: '' });
    }
    for (const kv of await store.list(K.bound)) {
      const worker = decodeURIComponent(kv.key.slice(K.bound.length));
      const w = s.workers.get(worker);
      if (!w) continue;
      s.bound.set(worker, kv.value);
      // a grace of one TTL to heartbeat again after the master restarted
      w.online = true;
      w.lastSeen = now;
      w.reportedSource = kv.value;
    }
    return s;
  }

  private stageMap(source: string): Map<string, SubtaskStageRecord> {
    let m = this.stages.get(source);
    if (!m) this.stages.set(source, (m = new Map<string, SubtaskStageRecord>()));
    return m;
  }

  /** The desired stage of a subtask (undefined when the task has none on that source). */
  stageOf(source: string, task: string): DesiredStage | undefined {
    return this.stages.get(source)?.get(task)?.stage;
  }

  workerOf(source: string): string | undefined {
    for (const [w, s] of this.bound) if (s === source) return w;
    return undefined;
  }

  workerStage(name: string): WorkerStage {
    const w = this.workers.get(name);
    if (!w?.online) return 'offline';
    return this.bound.has(name) ? 'bound' : 'free';
  }

  /** The sources a task has subtasks on. */
  taskSources(task: string): string[] {
    const out: string[] = [];
    for (const [src, m] of this.stages) if (m.has(task)) out.push(src);
    return out.sort();
  }

  // ---- sources ----

  async addSources(list: Array<{ id: string; yaml: string }>): Promise<void> {
    await this.store.txn({ compares: list.map((x) => ({ key: K.source + encodeURIComponent(x.id), exists: false })), success: list.map((x) => ({ type: 'put', key: K.source + encodeURIComponent(x.id), value: x.yaml })) });
    for (const x of list) this.sources.set(x.id, x.yaml);
    for (const x of list) await this.tryBind(x.id);
  }

  async updateSource(id: string, yaml: string): Promise<void> {
    await this.store.put(K.source + encodeURIComponent(id), yaml);
    this.sources.set(id, yaml);
  }

  async removeSource(id: string): Promise<void> {
    const worker = this.workerOf(id);
    const ops: TxnOp[] = [{ type: 'delete', key: K.source + encodeURIComponent(id) }, { type: 'delete', key: K.lastBound + encodeURIComponent(id) }];
    if (worker) ops.push({ type: 'delete', key: K.bound + encodeURIComponent(worker) });
    await this.store.txn({ compares: [], success: ops });
    this.sources.delete(id);
    this.lastBound.delete(id);
    if (worker) {
      this.bound.delete(worker);
      this.markReleasing(id, worker);
      await this.bindFreeWorkers();
    }
  }

  // ---- subtasks ----

  async putTask(name: string, yaml: string, sources: readonly string[]): Promise<void> {
    const rec: SubtaskStageRecord = { stage: 'Running', resumeSeq: 0 };
    await this.store.txn({
      compares: [],
      success: [{ type: 'put', key: K.task + encodeURIComponent(name), value: JSON.stringify({ yaml } satisfies TaskRecord) }, ...sources.map((s): TxnOp => ({ type: 'put', key: stageKey(s, name), value: JSON.stringify(rec) }))],
    });
    this.tasks.set(name, { yaml });
    for (const s of sources) this.stageMap(s).set(name, { ...rec });
  }

  async setStage(task: string, sources: readonly string[], stage: DesiredStage): Promise<void> {
    const next = sources.map((s) => {
      const cur = this.stageMap(s).get(task) ?? { stage: 'Running', resumeSeq: 0 };
      return { s, rec: { stage, resumeSeq: stage === 'Running' ? cur.resumeSeq + 1 : cur.resumeSeq } };
    });
    await this.store.txn({ compares: [], success: next.map(({ s, rec }): TxnOp => ({ type: 'put', key: stageKey(s, task), value: JSON.stringify(rec) })) });
    for (const { s, rec } of next) this.stageMap(s).set(task, rec);
  }

  async removeSubtasks(task: string, sources: readonly string[]): Promise<void> {
    const left = this.taskSources(task).filter((s) => !sources.includes(s));
    const ops: TxnOp[] = sources.map((s) => ({ type: 'delete', key: stageKey(s, task) }));
    if (left.length === 0) ops.push({ type: 'delete', key: K.task + encodeURIComponent(task) });
    await this.store.txn({ compares: [], success: ops });
    for (const s of sources) this.stages.get(s)?.delete(task);
    if (left.length === 0) this.tasks.delete(task);
  }

  // ---- workers ----

  /**
   * A heartbeat: registers the worker when new, marks it online, notes what it runs. Returns an error text
   * when the name is already online at another address.
   */
  async heartbeat(name: string, addr: string, ttl: number, reportedSource: string): Promise<string | undefined> {
    const now = Date.now();
    let w = this.workers.get(name);
    if (w && w.online && w.addr !== addr && now - w.lastSeen <= w.keepAliveTtl * 1000) {
      return `dm-worker with name ${name} is already online at ${w.addr}`;
    }
    if (!w || w.addr !== addr) {
      await this.store.put(K.worker + encodeURIComponent(name), JSON.stringify({ name, addr }));
      if (!w) this.log(`dm-worker ${name} registered at ${addr}`);
      w = { name, addr, online: false, lastSeen: now, keepAliveTtl: ttl, reportedSource };
      this.workers.set(name, w);
    }
    const wasOnline = w.online;
    w.online = true;
    w.lastSeen = now;
    w.keepAliveTtl = ttl;
    w.reportedSource = reportedSource;
    const rel = [...this.releasing].find(([src, worker]) => worker === name && src !== reportedSource);
    if (rel) {
      this.releasing.delete(rel[0]);
      await this.tryBind(rel[0]);
    }
    if (!wasOnline) {
      this.log(`dm-worker ${name} is online`);
      await this.bindFreeWorkers();
    }
    return undefined;
  }

  /** Marks workers silent for their TTL offline and rebinds their sources; returns the workers it took offline. */
  async sweep(now = Date.now()): Promise<string[]> {
    const lost: string[] = [];
    for (const w of this.workers.values()) {
      if (!w.online || now - w.lastSeen <= w.keepAliveTtl * 1000) continue;
      w.online = false;
      lost.push(w.name);
      const src = this.bound.get(w.name);
      this.log(`dm-worker ${w.name} is offline (no keep-alive for ${w.keepAliveTtl} s)${src ? `: source ${src} is unbound` : ''}`);
      if (src) {
        await this.store.delete(K.bound + encodeURIComponent(w.name));
        this.bound.delete(w.name);
      }
      for (const [s, worker] of this.releasing) if (worker === w.name) this.releasing.delete(s);
    }
    if (lost.length > 0) await this.bindFreeWorkers();
    return lost;
  }

  async removeWorker(name: string): Promise<void> {
    const ops: TxnOp[] = [{ type: 'delete', key: K.worker + encodeURIComponent(name) }];
    if (this.bound.has(name)) ops.push({ type: 'delete', key: K.bound + encodeURIComponent(name) });
    await this.store.txn({ compares: [], success: ops });
    const src = this.bound.get(name);
    this.bound.delete(name);
    this.workers.delete(name);
    if (src) await this.tryBind(src);
  }

  /** Moves a source to a free worker (the old one lets it go first). */
  async transfer(source: string, worker: string): Promise<void> {
    const old = this.workerOf(source);
    if (old === worker) return;
    const ops: TxnOp[] = [{ type: 'put', key: K.bound + encodeURIComponent(worker), value: source }, { type: 'put', key: K.lastBound + encodeURIComponent(source), value: worker }];
    if (old) ops.push({ type: 'delete', key: K.bound + encodeURIComponent(old) });
    await this.store.txn({ compares: [], success: ops });
    if (old) {
      this.bound.delete(old);
      this.markReleasing(source, old);
    }
    this.bound.set(worker, source);
    this.lastBound.set(source, worker);
    this.log(`source ${source} transferred from ${old ?? '(none)'} to ${worker}`);
    if (old) await this.bindFreeWorkers();
  }

  /** The source a worker should run now: its binding, unless the previous worker has not let go yet. */
  sourceFor(worker: string): string | undefined {
    const src = this.bound.get(worker);
    if (src === undefined) return undefined;
    const holder = this.releasing.get(src);
    return holder !== undefined && holder !== worker ? undefined : src;
  }

  private markReleasing(source: string, worker: string): void {
    const w = this.workers.get(worker);
    if (w?.online && w.reportedSource === source) this.releasing.set(source, worker);
  }

  private async bindFreeWorkers(): Promise<void> {
    for (const src of [...this.sources.keys()].sort()) if (!this.workerOf(src)) await this.tryBind(src);
  }

  private async tryBind(source: string): Promise<string | undefined> {
    if (!this.sources.has(source) || this.workerOf(source)) return this.workerOf(source);
    const free = [...this.workers.values()].filter((w) => w.online && !this.bound.has(w.name) && ![...this.releasing.values()].includes(w.name));
    if (free.length === 0) return undefined;
    const last = this.lastBound.get(source);
    const pick = free.find((w) => w.name === last) ?? free.sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
    await this.store.txn({
      compares: [],
      success: [
        { type: 'put', key: K.bound + encodeURIComponent(pick.name), value: source },
        { type: 'put', key: K.lastBound + encodeURIComponent(source), value: pick.name },
      ],
    });
    this.bound.set(pick.name, source);
    this.lastBound.set(source, pick.name);
    this.log(`source ${source} bound to dm-worker ${pick.name}`);
    return pick.name;
  }
}
