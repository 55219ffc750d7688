/**
 * The sync unit's executors: `worker-count` downstream connections, each applying whole upstream
 * transactions in order, several per downstream transaction (up to `batch` row changes), with its checkpoint
 * row written in the same transaction (see syncer-checkpoint.ts). Causality (causality.ts) decides which
 * executor a transaction goes to; the pool tracks the watermark: the position up to which every transaction is
 * committed downstream, which is what the global checkpoint may record.
 *
 * A batch travels as one multi-statement round trip (`START TRANSACTION; …; <checkpoint>; COMMIT`). Deadlocks
 * and lock-wait timeouts retry the batch; a lost connection reconnects and, when the COMMIT's outcome is
 * unknown, reads the executor's checkpoint row to learn whether it committed — so nothing is applied twice.
 * Any other downstream error stops the pool with a coded error; the unit then stops, and a restart resumes
 * exactly from the checkpoints.
 *
 * Memory: at most `queue-size` row changes wait per executor; a transaction larger than that streams through
 * in pieces inside one open downstream transaction.
 */
import mysql from 'mysql2/promise';
import type { DbConfig } from '../../mysql/db-config.js';
import { mysql2Options } from '../../mysql/db-config.js';
import { driverError, scrub, toCodedError } from '../../mysql/driver-error.js';
import { isLockConflict, isServerError } from '../../mysql/server-error.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { batchSql } from './batch-sql.js';
import { compareLocation, laterLocation, type BinlogLocation } from './binlog-location.js';
import { Causality } from './causality.js';
import type { SyncFailpoints } from './sync-failpoints.js';
import type { RowOp, TxnHandle, TxnPiece } from './sync-job.js';
import type { SyncerCheckpointStore } from './syncer-checkpoint.js';

export interface ExecutorPoolOptions {
  target: DbConfig;
  workerCount: number;
  /** Row changes per downstream transaction. */
  batch: number;
  /** Row changes that may wait per executor. */
  queueSize: number;
  compact: boolean;
  multipleRows: boolean;
  store: SyncerCheckpointStore;
  failpoints: SyncFailpoints;
  /** Downstream session sql_mode. */
  sqlMode: string;
  onLog?: (msg: string) => void;
  /** Attempts for a batch hit by deadlocks / lost connections; default 8. */
  maxRetries?: number;
  /**
   * What the executor rows of the previous run said (after a crash): every row this run writes keeps saying it
   * — the older watermark when it is later, and the applied ids — until this run's watermark has passed them,
   * so a second crash during recovery loses nothing.
   */
  carried?: { watermark: BinlogLocation; last: BinlogLocation | undefined; ids: readonly string[] } | undefined;
}

export interface PoolStats {
  committedTxns: number;
  committedRows: number;
  batches: number;
  retries: number;
}

const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_RETAINED_BYTES = 64 * 1024 * 1024;
/** Applied ids an executor may carry past the watermark before it waits for the others. */
const MAX_PENDING_IDS = 5000;

class Aborted extends Error {}

function excerpt(sql: string, max = 300): string {
  return sql.length <= max ? sql : `${sql.slice(0, max)}… (${sql.length} chars)`;
}

export class ExecutorPool {
  private readonly executors: Executor[] = [];
  private readonly inflight: TxnHandle[] = [];
  private head = 0;
  private seqNext = 1;
  private wmLoc: BinlogLocation;
  private wmSeq = 0;
  private wmTs = 0;
  readonly causality = new Causality();
  private failure: DmError | undefined;
  private waiters: Array<() => void> = [];
  private rr = 0;
  private filling = -1;
  readonly stats: PoolStats = { committedTxns: 0, committedRows: 0, batches: 0, retries: 0 };

  constructor(
    readonly opts: ExecutorPoolOptions,
    start: BinlogLocation,
  ) {
    this.wmLoc = start;
  }

  async open(): Promise<void> {
    for (let i = 0; i < this.opts.workerCount; i++) {
      const ex = new Executor(this, i);
      this.executors.push(ex);
    }
    await Promise.all(this.executors.map((e) => e.connect()));
    for (const e of this.executors) e.start();
  }

  /** Position up to which every transaction is committed downstream (safe for the global checkpoint). */
  get watermark(): BinlogLocation {
    return this.wmLoc;
  }

  /** The previous run's executor rows, while this run's watermark has not passed them. */
  carried(): ExecutorPoolOptions['carried'] {
    const c = this.opts.carried;
    if (!c) return undefined;
    if (compareLocation(this.wmLoc, c.last ?? c.watermark) >= 0 && compareLocation(this.wmLoc, c.watermark) >= 0) return undefined;
    return c;
  }

  /** Upstream commit time (seconds) of the latest transaction under the watermark; 0 before any. */
  get watermarkTs(): number {
    return this.wmTs;
  }

  get watermarkSeq(): number {
    return this.wmSeq;
  }

  get error(): DmError | undefined {
    return this.failure;
  }

  /** Transactions dispatched and not yet committed. */
  get pending(): number {
    return this.inflight.length - this.head;
  }

  /** Internal state for debugging stalls (`kill -USR2` on `dm run`). */
  debugState(): string {
    const h = this.inflight[this.head];
    const ex = this.executors.map((e) => e.debugState()).join('; ');
    return `pending ${this.pending}, head ${h ? `seq ${h.seq} exec ${h.executor} done ${h.done} id ${h.id}` : '-'}, keys ${this.causality.size}, waiters ${this.waiters.length}, executors: ${ex}`;
  }

  /** Registers the next upstream transaction (in binlog order). */
  begin(): TxnHandle {
    const t: TxnHandle = { seq: this.seqNext++, executor: -1, keys: [], id: '', end: this.wmLoc, ts: 0, done: false };
    this.inflight.push(t);
    return t;
  }

  /** A transaction with nothing to apply (filtered, already applied): it only moves the watermark. */
  skip(end: BinlogLocation, ts = 0): void {
    const t = this.begin();
    t.end = end;
    t.ts = ts;
    t.done = true;
    this.advance();
  }

  /**
   * Hands a piece of a transaction to its executor, waiting while its keys are held by another executor or
   * the executor's queue is full. Rejects with the pool's error once it failed.
   */
  async dispatch(txn: TxnHandle, ops: readonly RowOp[], keys: readonly string[], final: boolean, signal?: AbortSignal): Promise<void> {
    while (!this.tryDispatch(txn, ops, keys, final)) await this.change(signal);
  }

  /**
   * Dispatch without waiting: true when the piece went to its executor at once (no conflicting keys, room in
   * the queue); false when the caller must use {@link dispatch}. Throws the pool's error once it failed.
   */
  tryDispatch(txn: TxnHandle, ops: readonly RowOp[], keys: readonly string[], final: boolean): boolean {
    this.throwIfFailed();
    const a = this.causality.check(keys);
    if ('conflict' in a) return false;
    let executor = txn.executor;
    if (executor === -1) executor = a.executor >= 0 ? a.executor : this.pick();
    else if (a.executor !== -1 && a.executor !== executor) return false;
    const ex = this.executors[executor]!;
    if (ex.queuedRows > 0 && ex.queuedRows + ops.length > this.opts.queueSize) return false;
    txn.executor = executor;
    this.causality.hold(keys, executor);
    for (const k of keys) txn.keys.push(k);
    ex.enqueue({ txn, ops, final });
    return true;
  }

  /** Resolves when every dispatched transaction has committed (or rejects with the pool's error). */
  async drain(signal?: AbortSignal): Promise<void> {
    while (this.head < this.inflight.length) {
      this.throwIfFailed();
      await this.change(signal);
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * The executor for a transaction without conflicts: the one being filled, until it holds a batch; then
   * the least loaded. A backlog thus travels in full batches (one round trip and one commit per `batch`
   * rows) instead of being spread thin over every executor.
   */
  private pick(): number {
    const f = this.executors[this.filling];
    if (f && f.queuedRows < this.opts.batch) return this.filling;
    this.filling = this.leastLoaded();
    return this.filling;
  }

  /** The executor with the fewest queued rows (round robin among equals). */
  private leastLoaded(): number {
    let best = -1;
    let bestRows = Infinity;
    const n = this.executors.length;
    for (let k = 0; k < n; k++) {
      const i = (this.rr + k) % n;
      const q = this.executors[i]!.load;
      if (q < bestRows) {
        best = i;
        bestRows = q;
      }
    }
    this.rr = (best + 1) % n;
    return best;
  }

  /** Waits for the next commit, failure or abort. */
  change(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Aborted('aborted'));
      const onAbort = (): void => reject(new Aborted('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Called by an executor when transactions committed. */
  committed(txns: readonly TxnHandle[], rows: number): void {
    for (const t of txns) {
      t.done = true;
      this.causality.release(t.keys);
      t.keys.length = 0;
    }
    this.stats.committedTxns += txns.length;
    this.stats.committedRows += rows;
    this.stats.batches++;
    this.advance();
    this.notify();
  }

  private advance(): void {
    while (this.head < this.inflight.length && this.inflight[this.head]!.done) {
      const t = this.inflight[this.head++]!;
      this.wmLoc = t.end;
      this.wmSeq = t.seq;
      if (t.ts > 0) this.wmTs = t.ts;
    }
    if (this.head > 4096 && this.head * 2 > this.inflight.length) {
      this.inflight.splice(0, this.head);
      this.head = 0;
    }
  }

  fail(e: DmError): void {
    if (!this.failure) this.failure = e;
    this.notify();
  }

  /** Stops the executors (queued work is dropped; it was not committed and will be replayed). */
  async close(): Promise<void> {
    // every executor is marked closed first, then the ones waiting for the watermark are woken to see it
    const closing = this.executors.map((e) => e.close());
    this.notify();
    await Promise.all(closing);
  }
}

interface Pending {
  readonly seq: number;
  readonly id: string;
}

class Executor {
  private queue: TxnPiece[] = [];
  queuedRows = 0;
  private conn: mysql.Connection | undefined;
  private inTxn = false;
  private retained: string[] = [];
  private retainedBytes = 0;
  private retryable = true;
  /** Ids of transactions this executor committed that the watermark has not passed yet. */
  private mine: Pending[] = [];
  private last: BinlogLocation | undefined;
  /** Complete transactions inside the open downstream transaction, and its row count. */
  private openFinals: TxnHandle[] = [];
  private openRows = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pool: ExecutorPool,
    readonly index: number,
  ) {}

  private phase = 'idle';

  debugState(): string {
    return `#${this.index} ${this.phase} q=${this.queue.length}/${this.queuedRows} inTxn=${this.inTxn} mine=${this.mine.length}`;
  }

  /** Queued rows plus one for a busy executor (the dispatcher prefers idle ones). */
  get load(): number {
    return this.queuedRows + (this.inTxn ? 1 : 0);
  }

  async connect(): Promise<void> {
    const o = this.pool.opts;
    let conn: mysql.Connection;
    try {
      // trace: false — no stack captured per query (measurable on the hot path)
      conn = await mysql.createConnection({ ...mysql2Options(o.target, { multipleStatements: true }), trace: false });
    } catch (e) {
      throw driverError(e, o.target.password);
    }
    const vars = [`time_zone = '+00:00'`, `sql_mode = ${mysql.escape(o.sqlMode)}`, 'foreign_key_checks = 0'];
    for (const [k, v] of Object.entries(o.target.session ?? {})) vars.push(`${k} = ${typeof v === 'string' ? mysql.escape(v) : String(v)}`);
    try {
      await conn.query(`SET SESSION ${vars.join(', ')}`);
      // fewer gap locks between executors; TiDB may refuse the level in optimistic mode, which is fine
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED').catch(() => undefined);
    } catch (e) {
      await conn.end().catch(() => undefined);
      throw driverError(e, o.target.password);
    }
    this.conn = conn;
  }

  start(): void {
    this.loop = this.run().catch((e: unknown) => {
      if (!(e instanceof Aborted)) this.pool.fail(toCodedError(e, this.pool.opts.target.password, (x) => DmError.of(E.SubtaskUnexpected, [x instanceof Error ? x.message : String(x)], { cause: x })));
    });
  }

  enqueue(p: TxnPiece): void {
    this.queue.push(p);
    this.queuedRows += p.ops.length;
    this.wake?.();
  }

  private waitWork(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const o = this.pool.opts;
    while (!this.closed) {
      if (this.queue.length === 0) {
        this.phase = 'wait-work';
        await this.waitWork();
        continue;
      }
      if (this.pool.error) return;
      // the watermark must pass some of this executor's transactions before it takes on more
      this.prune();
      if (this.mine.length > MAX_PENDING_IDS && !this.inTxn) {
        this.phase = 'wait-watermark';
        await this.pool.change();
        continue;
      }
      const taken: TxnPiece[] = [];
      let rows = 0;
      while (this.queue.length > 0) {
        const lastFinal = taken.length > 0 && taken[taken.length - 1]!.final;
        if (taken.length > 0 && lastFinal && rows >= o.batch) break;
        const p = this.queue.shift()!;
        taken.push(p);
        rows += p.ops.length;
        this.queuedRows -= p.ops.length;
      }
      const commit = taken[taken.length - 1]!.final;
      const ops: RowOp[] = [];
      for (const p of taken) for (const op of p.ops) ops.push(op);
      // transactions completed in a batch that cannot commit yet (a large one follows in the same downstream
      // transaction) are committed — and marked done — with the batch that ends it
      for (const p of taken) if (p.final) this.openFinals.push(p.txn);
      const finals = commit ? this.openFinals.splice(0) : [];
      this.openRows += ops.length;
      this.phase = 'apply';
      await this.apply(ops, finals, commit);
      this.phase = 'applied';
      this.pool.notify();
    }
  }

  private prune(): void {
    const wm = this.pool.watermarkSeq;
    if (this.mine.length > 0 && this.mine[0]!.seq <= wm) this.mine = this.mine.filter((m) => m.seq > wm);
  }

  private async apply(ops: RowOp[], finals: TxnHandle[], commit: boolean): Promise<void> {
    const o = this.pool.opts;
    const conn = this.conn!;
    const stmts = batchSql(ops, { compact: o.compact, multipleRows: o.multipleRows, escape: (v) => conn.escape(v) });
    const parts: string[] = [];
    if (!this.inTxn) parts.push('START TRANSACTION');
    for (const s of stmts) parts.push(s);
    let mark: Pending[] = [];
    let last = this.last;
    if (commit) {
      this.prune();
      mark = [...this.mine, ...finals.map((t) => ({ seq: t.seq, id: t.id }))];
      last = finals[finals.length - 1]!.end;
      let watermark = this.pool.watermark;
      let applied = mark.map((m) => m.id);
      const c = this.pool.carried();
      if (c) {
        watermark = laterLocation(watermark, c.watermark);
        if (c.last) last = laterLocation(last, c.last);
        applied = [...c.ids, ...applied];
      }
      parts.push(o.store.markSql((v) => conn.escape(v), { executor: this.index, watermark, last, applied }));
    }
    const chunks = chunk(parts);
    if (!this.inTxn) {
      this.retained = [];
      this.retainedBytes = 0;
      this.retryable = true;
    }
    for (const c of chunks) {
      this.retainedBytes += c.length;
      if (this.retryable) this.retained.push(c);
    }
    if (this.retainedBytes > MAX_RETAINED_BYTES) {
      this.retryable = false;
      this.retained = [];
    }
    const commitSeparately = commit && o.failpoints.active;
    const txnIds = (): string => finals.map((t) => t.id).join(', ') || '(open transaction)';
    for (let attempt = 0; ; attempt++) {
      try {
        // a retry re-runs the whole downstream transaction from its START TRANSACTION
        const toSend = attempt === 0 ? chunks : this.retained;
        for (let i = 0; i < toSend.length; i++) {
          const isLast = i === toSend.length - 1;
          await this.conn!.query(isLast && commit && !commitSeparately ? `${toSend[i]!};\nCOMMIT` : toSend[i]!);
        }
        if (commit && commitSeparately) {
          o.failpoints.hit('before-commit');
          await this.conn!.query('COMMIT');
        }
        this.inTxn = !commit;
        break;
      } catch (e) {
        if (this.closed) throw new Aborted('closed');
        const server = isServerError(e);
        if (server && (!isLockConflict(e) || !this.retryable || attempt >= (o.maxRetries ?? 8))) {
          await this.conn!.query('ROLLBACK').catch(() => undefined);
          const msg = `${e.message}${e.errno ? ` (errno ${e.errno})` : ''}`;
          throw DmError.of(E.SyncerUnitExecDML, [txnIds(), `${msg}; statements: ${excerpt(stmts[0] ?? '')}`], { cause: e });
        }
        if (!server && attempt >= (o.maxRetries ?? 8)) throw driverError(e, o.target.password);
        this.pool.stats.retries++;
        o.onLog?.(`executor ${this.index}: ${scrub(e instanceof Error ? e.message : String(e), o.target.password)}; retrying the batch (attempt ${attempt + 1})`);
        if (server) {
          await this.conn!.query('ROLLBACK').catch(() => undefined);
        } else {
          await this.reconnect(attempt);
          if (commit && (await this.committedBefore(last!, mark))) {
            this.inTxn = false;
            break;
          }
        }
        if (!this.retryable) throw DmError.of(E.SyncerUnitExecDML, [txnIds(), 'the connection was lost inside a transaction too large to retry; resume the task to replay it from the checkpoint']);
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
    if (commit) {
      o.failpoints.hit('after-commit');
      this.mine = mark;
      this.last = last;
      this.retained = [];
      this.retainedBytes = 0;
      const rows = this.openRows;
      this.openRows = 0;
      this.pool.committed(finals, rows);
    }
  }

  /** After a lost connection: did the batch's COMMIT reach the downstream? Its checkpoint row says. */
  private async committedBefore(last: BinlogLocation, mark: Pending[]): Promise<boolean> {
    const m = await this.pool.opts.store.loadMark(this.conn!, this.index);
    if (!m) return false;
    const lastId = mark[mark.length - 1]?.id;
    return m.last.file === last.file && m.last.pos === last.pos && m.last.gtid === last.gtid && (lastId === undefined || m.applied.includes(lastId));
  }

  private async reconnect(attempt: number): Promise<void> {
    this.conn?.destroy();
    this.conn = undefined;
    for (let i = 0; ; i++) {
      try {
        await this.connect();
        return;
      } catch (e) {
        if (i + attempt >= (this.pool.opts.maxRetries ?? 8)) throw e;
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** i)));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const c = this.conn;
    this.conn = undefined;
    if (c) {
      // an open downstream transaction is rolled back by the server when the connection goes
      c.destroy();
    }
    await this.loop?.catch(() => undefined);
  }
}

/** Joins statements into multi-statement strings of at most ~4 MiB (a single larger statement goes alone). */
function chunk(parts: readonly string[]): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const p of parts) {
    if (cur.length > 0 && size + p.length > MAX_CHUNK_BYTES) {
      out.push(cur.join(';\n'));
      cur = [];
      size = 0;
    }
    cur.push(p);
    size += p.length + 2;
  }
  if (cur.length > 0) out.push(cur.join(';\n'));
  return out;
}

export { Aborted as PoolAborted };
