/**
 * The sync unit (DM's syncer, spec §5.5–5.11): follows the upstream's binlog as a replica and applies every
 * change downstream — continuously, in parallel, exactly once.
 *
 * Path of an event: replica client → decoder → (TABLE_MAP cache, schema tracker) → block-allow list, binlog
 * event filter, expression filters → routes → row operations of one upstream transaction → causality →
 * executor pool (batches committed with the executor's checkpoint row). DDL waits for every in-flight
 * transaction, is tracked, routed and executed, and the global checkpoint is flushed around it.
 *
 * Start point: the global checkpoint when there is one (plus the executors' rows: transactions after it that
 * are already applied are skipped, so replay is exact); else the dump's metadata (`all`) or the task's
 * `meta` (`incremental`). Safe mode (REPLACE, DELETE + REPLACE) is on with `safe-mode: true`, for
 * `safe-mode-duration` after every start, and after a crash until the saved exit point is passed.
 *
 * Invariants: the global checkpoint never passes a transaction not committed downstream, and the tracked
 * table definitions saved with it are those in force at its position.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { EventDecoder } from '../../binlog/event-decoder.js';
import type { BinlogEvent, QueryBody, RowsBody } from '../../binlog/events.js';
import { parseGtidSet, type GtidFlavor, type GtidSet } from '../../binlog/gtid/gtid-set.js';
import { ReplicaClient, type RawEvent, type ReplicaStart } from '../../binlog/replica-client.js';
import { decodeRows } from '../../binlog/row-decoder.js';
import { TableMapCache } from '../../binlog/table-map-cache.js';
import type { SubtaskConfig } from '../../config/subtask-config.js';
import { BinlogEventFilter } from '../../filter/binlog-event-filter.js';
import type { TableFilter, TableRouter } from '../../filter/table-filter.js';
import { openConnection } from '../../mysql/db-config.js';
import { toCodedError } from '../../mysql/driver-error.js';
import { quoteTable } from '../../mysql/identifier.js';
import { DmError, isDmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { splitDDL, type SplitDDL } from '../../sql/ddl/ddl-split.js';
import { parseDDL } from '../../sql/ddl/parser.js';
import type { Statement } from '../../sql/ddl/ast.js';
import { compileExpressionFilter, type CompiledExpressionFilter } from '../../sql/expression/expression-filter.js';
import { parseDumpMetadata } from '../dump/metadata-file.js';
import { scanDumpDir } from '../load/dump-dir-scanner.js';
import { splitStatements } from '../load/sql-splitter.js';
import type { ProcessResult, Unit } from '../unit.js';
import { compareLocation, formatLocation, NO_LOCATION, reachedLocation, type BinlogLocation } from './binlog-location.js';
import { ddlEventNames, routedSql } from './ddl-route.js';
import { ErrorOperatorStore, type ErrorOperator } from './error-operator-store.js';
import { ExecutorPool, PoolAborted, type ExecutorPoolOptions } from './executor-pool.js';
import { SchemaTracker } from './schema-tracker.js';
import { SyncFailpoints } from './sync-failpoints.js';
import type { RowOp, TxnHandle } from './sync-job.js';
import { buildSyncTable, downstreamKey, rowKeys, type SyncTable } from './sync-table.js';
import { latestApplied, SyncerCheckpointStore } from './syncer-checkpoint.js';

export interface SyncUnitOptions {
  readonly cfg: SubtaskConfig;
  readonly filter: TableFilter;
  readonly router: TableRouter;
  /** `task-mode: all`: the dump directory (start position from its metadata, table definitions from its schema files). */
  readonly dumpDir?: string | undefined;
  /** Stop (not an interruption) once everything the upstream had written is applied. */
  readonly stopWhenSynced?: boolean | undefined;
  readonly onLog?: ((msg: string) => void) | undefined;
}

export interface SyncStatus {
  /** Upstream's latest known position: `(file, pos)`; and GTID set. */
  readonly masterBinlog: string;
  readonly masterBinlogGtid: string;
  /** Position every transaction before which is applied downstream. */
  readonly syncerBinlog: string;
  readonly syncerBinlogGtid: string;
  readonly secondsBehindMaster: number;
  readonly synced: boolean;
  readonly safeMode: boolean;
  readonly totalEvents: number;
  readonly totalTransactions: number;
  readonly totalRows: number;
  /** Transactions per second and row changes per second over the last status interval. */
  readonly recentTps: number;
  readonly recentRowsPerSecond: number;
  /** Downstream batches retried (deadlocks, lost connections). */
  readonly retries: number;
  /** The DDL the unit stopped on, with its position, when it did. */
  readonly blockingDDL?: string | undefined;
}

/** Downstream errors a re-executed DDL may give when it had already run before a crash. */
const DDL_DONE_ERRNO = new Set([1007, 1008, 1050, 1051, 1054, 1060, 1061, 1068, 1091, 1146, 1176]);

const PIECE_ROWS = 256;
/** How long a stop or pause waits for the executors to commit what was dispatched. */
const STOP_DRAIN_MS = 30_000;
const META_RECOVERY_NOTE = 'exact replay: transactions already applied downstream are skipped';

interface OpenTxn {
  gtid: string | undefined;
  ops: RowOp[];
  keys: string[];
  handle: TxnHandle | undefined;
  ts: number;
}

function statementText(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function createTableOf(text: string): string | undefined {
  for (const s of splitStatements(text)) if (/^\s*CREATE\s+TABLE\b/i.test(s)) return s;
  return undefined;
}

/** Replaces the table name of `CREATE TABLE name (…` (as SHOW CREATE TABLE prints it). */
function renameCreate(create: string, table: string): string {
  return create.replace(/^(\s*CREATE\s+TABLE\s+)(`(?:[^`]|``)*`(?:\.`(?:[^`]|``)*`)?|\S+)/i, (_m, head: string) => `${head}\`${table.replace(/`/g, '``')}\``);
}

export class SyncUnit implements Unit<SyncStatus> {
  readonly name = 'sync';
  private readonly cfg: SubtaskConfig;
  private readonly store: SyncerCheckpointStore;
  private readonly operators: ErrorOperatorStore;
  private readonly failpoints = new SyncFailpoints();
  private readonly eventFilter: BinlogEventFilter | undefined;
  private readonly gtidMode: boolean;
  private flavor: GtidFlavor | undefined;
  private control: mysql.Connection | undefined;
  private upstream: mysql.Connection | undefined;
  private tracker: SchemaTracker;
  private pool: ExecutorPool | undefined;
  private client: ReplicaClient | undefined;
  private start: BinlogLocation = NO_LOCATION;
  private exitPoint: BinlogLocation | undefined;
  private startedAt = 0;
  /** Recovery after a crash: transactions already applied (by id) and the executors' watermarks. */
  private recovery: { ids: Set<string>; watermark: BinlogLocation | undefined; wmGtid: string } | undefined;
  private readonly tables = new TableMapCache();
  private readonly syncTables = new Map<string, { gen: number; table: SyncTable }>();
  private readonly exprFilters = new Map<string, { gen: number; filters: CompiledExpressionFilter[] }>();
  private readonly downstreamKeys = new Map<string, string[] | undefined>();
  private cur: OpenTxn | undefined;
  private readPos: BinlogLocation = NO_LOCATION;
  private masterPos: BinlogLocation | undefined;
  private caughtUp = false;
  private lastFlush = 0;
  private totalEvents = 0;
  private blockingDDL: string | undefined;
  private sample = { at: Date.now(), txns: 0, rows: 0, tps: 0, rps: 0 };
  private fresh = true;
  /** The previous run's executor rows, kept by this run's rows until its watermark passes them. */
  private carried: ExecutorPoolOptions['carried'];
  private step = 'init';
  /** Position mode: the GTID set followed by hand (GTID mode: the replica client's). */
  private posModeGtids: GtidSet | undefined;

  constructor(private readonly opts: SyncUnitOptions) {
    this.cfg = opts.cfg;
    this.store = new SyncerCheckpointStore(this.cfg.metaSchema, this.cfg.name, this.cfg.sourceId);
    this.operators = new ErrorOperatorStore(this.cfg.metaSchema, this.cfg.name, this.cfg.sourceId);
    this.eventFilter = this.cfg.filterRules.length > 0 ? new BinlogEventFilter(this.cfg.filterRules, this.cfg.caseSensitive) : undefined;
    this.gtidMode = this.cfg.enableGtid;
    this.flavor = this.cfg.flavor;
    this.tracker = new SchemaTracker({ caseSensitive: this.cfg.caseSensitive });
  }

  private log(msg: string): void {
    this.opts.onLog?.(`sync: ${msg}`);
  }

  private async controlConn(): Promise<mysql.Connection> {
    if (!this.control) {
      const c = await openConnection({ ...this.cfg.to, session: { time_zone: '+00:00', foreign_key_checks: 0, ...(this.cfg.to.session ?? {}) } });
      // no gap locks between the checkpoint flushes of sources sharing the tables (TiDB may refuse the level)
      await c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED').catch(() => undefined);
      this.control = c;
    }
    return this.control;
  }

  private async upstreamConn(): Promise<mysql.Connection> {
    this.upstream ??= await openConnection(this.cfg.from);
    return this.upstream;
  }

  async isFresh(): Promise<boolean> {
    const cp = await this.store.load(await this.controlConn());
    return cp.global === undefined;
  }

  async init(): Promise<void> {
    const conn = await this.controlConn();
    if (!this.flavor) {
      const [v] = await (await this.upstreamConn()).query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      this.flavor = /mariadb/i.test(String(v[0]?.v ?? '')) ? 'mariadb' : 'mysql';
    }
    const cp = await this.store.load(conn);
    if (cp.global) {
      this.fresh = false;
      this.start = cp.global.location;
      this.tracker = SchemaTracker.load(cp.global.tracker, { caseSensitive: this.cfg.caseSensitive });
      const applied = latestApplied(cp.marks);
      let exit = cp.global.exitSafe;
      if (applied && compareLocation(applied, this.start) > 0 && (!exit || compareLocation(applied, exit) > 0)) exit = applied;
      this.exitPoint = exit;
      if (cp.marks.length > 0) {
        const ids = new Set<string>();
        let wm: BinlogLocation | undefined;
        let wmGtid = '';
        for (const m of cp.marks) {
          for (const id of m.applied) ids.add(id);
          if (!wm || compareLocation(m.watermark, wm) > 0) wm = m.watermark;
          if (m.watermark.gtid && this.flavor) wmGtid = wmGtid ? parseGtidSet(this.flavor, wmGtid).union(parseGtidSet(this.flavor, m.watermark.gtid)).toString() : m.watermark.gtid;
        }
        this.recovery = { ids, watermark: wm, wmGtid };
        this.carried = { watermark: wm!, last: applied, ids: [...ids] };
      }
      this.log(`resuming from checkpoint ${formatLocation(this.start)}${exit ? `; safe mode until ${formatLocation(exit)} (${META_RECOVERY_NOTE})` : ''}`);
      return;
    }
    // fresh: the dump's position (all) or the task's meta (incremental)
    if (this.cfg.taskMode === 'all') {
      const dir = this.opts.dumpDir;
      if (!dir) throw DmError.of(E.MetadataNoBinlogLoc, ['(no dump directory)']);
      const metaFile = path.join(dir, 'metadata');
      let text: string;
      try {
        text = await readFile(metaFile, 'utf8');
      } catch (e) {
        throw DmError.of(E.MetadataNoBinlogLoc, [metaFile], { cause: e });
      }
      const md = parseDumpMetadata(text);
      this.start = { file: md.position.file, pos: md.position.pos, gtid: md.position.gtid };
      if (md.endPosition) this.exitPoint = { file: md.endPosition.file, pos: md.endPosition.pos, gtid: md.endPosition.gtid };
      await this.seedFromDump(dir);
    } else {
      const m = this.cfg.meta;
      if (!m || (!m.binlogName && !m.binlogGtid)) throw DmError.of(E.ConfigMetadataNotSet, [this.cfg.sourceId, this.cfg.taskMode]);
      this.start = { file: m.binlogName, pos: m.binlogName ? m.binlogPos : 4, gtid: m.binlogGtid };
    }
    await this.store.ensureTables(conn);
    await this.operators.ensureTable(conn);
    await this.store.flush(conn, { location: this.start, exitSafe: this.exitPoint, tracker: this.tracker.save() });
    this.log(`starting at ${formatLocation(this.start)} (${this.cfg.taskMode})`);
  }

  /** The table definitions of the dump (the schema as of the dump's position). */
  private async seedFromDump(dir: string): Promise<void> {
    const dump = await scanDumpDir(dir);
    for (const t of dump.tables) {
      const create = createTableOf(await readFile(path.join(dir, t.file), 'utf8'));
      if (create) this.tracker.setTable(t.schema, create);
    }
    this.log(`table definitions of ${dump.tables.length} table(s) taken from the dump`);
  }

  status(): SyncStatus {
    const pool = this.pool;
    const now = Date.now();
    const txns = pool?.stats.committedTxns ?? 0;
    const rows = pool?.stats.committedRows ?? 0;
    if (now - this.sample.at >= 1000) {
      const dt = (now - this.sample.at) / 1000;
      this.sample = { at: now, txns, rows, tps: (txns - this.sample.txns) / dt, rps: (rows - this.sample.rows) / dt };
    }
    const wm = pool?.watermark ?? this.start;
    const synced = this.isSynced();
    const master = this.masterPos ?? this.readPos;
    const wmTs = pool?.watermarkTs ?? 0;
    return {
      masterBinlog: formatLocation({ ...master, gtid: '' }),
      masterBinlogGtid: master.gtid,
      syncerBinlog: formatLocation({ ...wm, gtid: '' }),
      syncerBinlogGtid: wm.gtid,
      secondsBehindMaster: synced || wmTs === 0 ? 0 : Math.max(0, Math.round(now / 1000 - wmTs)),
      synced,
      safeMode: this.safeModeAt(this.readPos),
      totalEvents: this.totalEvents,
      totalTransactions: txns,
      totalRows: rows,
      recentTps: Math.round(this.sample.tps),
      recentRowsPerSecond: Math.round(this.sample.rps),
      retries: pool?.stats.retries ?? 0,
      blockingDDL: this.blockingDDL,
    };
  }

  /** Everything read is applied and the upstream had nothing more when last asked. */
  private isSynced(): boolean {
    if (!this.pool || this.cur || this.pool.pending > 0) return false;
    if (this.caughtUp) return true;
    return this.masterPos !== undefined && this.readPos.file !== '' && compareLocation(this.readPos, this.masterPos) >= 0;
  }

  private safeModeAt(l: BinlogLocation): boolean {
    if (this.cfg.syncer.safeMode) return true;
    if (this.cfg.syncer.safeModeDurationMs > 0 && Date.now() - this.startedAt < this.cfg.syncer.safeModeDurationMs) return true;
    return this.exitPoint !== undefined && !this.passed(l, this.exitPoint);
  }

  private passed(l: BinlogLocation, mark: BinlogLocation): boolean {
    if (l.file === '' && !l.gtid) return false;
    return reachedLocation(l, mark, this.flavor, this.gtidMode);
  }

  async process(signal: AbortSignal): Promise<ProcessResult> {
    const local = new AbortController();
    const onAbort = (): void => local.abort();
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) local.abort();
    let poll: NodeJS.Timeout | undefined;
    try {
      this.startedAt = Date.now();
      const conn = await this.controlConn();
      await this.store.ensureTables(conn);
      await this.operators.ensureTable(conn);
      const pool = new ExecutorPool(
        {
          target: this.cfg.to,
          workerCount: Math.max(1, this.cfg.syncer.workerCount),
          batch: Math.max(1, this.cfg.syncer.batch),
          queueSize: Math.max(PIECE_ROWS, this.cfg.syncer.queueSize),
          compact: this.cfg.syncer.compact,
          multipleRows: this.cfg.syncer.multipleRows,
          store: this.store,
          failpoints: this.failpoints,
          sqlMode: 'NO_AUTO_VALUE_ON_ZERO',
          onLog: (m) => this.log(m),
          carried: this.carried,
        },
        this.start,
      );
      this.pool = pool;
      await pool.open();
      if (!this.gtidMode && this.start.gtid && this.flavor) {
        try {
          this.posModeGtids = parseGtidSet(this.flavor, this.start.gtid);
        } catch {
          this.posModeGtids = undefined;
        }
      }
      const start: ReplicaStart = this.gtidMode && this.start.gtid ? { gtidSet: this.start.gtid } : { file: this.start.file, position: this.start.pos };
      if (!('gtidSet' in start) && !start.file) throw DmError.of(E.ConfigMetaInvalid, []);
      const client = new ReplicaClient({
        host: this.cfg.from.host,
        port: this.cfg.from.port,
        user: this.cfg.from.user,
        password: this.cfg.from.password,
        serverId: this.cfg.serverId ?? 400_000_000 + Math.floor(Math.random() * 100_000_000),
        ...(this.cfg.flavor ? { flavor: this.cfg.flavor } : {}),
        start,
        heartbeatPeriodMs: 1000,
        // read-ahead: enough to keep the executors busy; memory stays bounded whatever the upstream writes
        maxQueueEvents: 4096,
        maxQueueBytes: 16 * 1024 * 1024,
        onReconnect: (i) => this.log(`upstream connection lost (${i.cause.message}); reconnecting (attempt ${i.attempt})`),
      });
      this.client = client;
      await client.start();
      this.flavor ??= client.flavor;
      local.signal.addEventListener('abort', () => void client.stop());
      if (local.signal.aborted) void client.stop();
      const pollMaster = async (): Promise<void> => {
        try {
          await this.refreshMasterStatus();
          if (this.opts.stopWhenSynced && this.isSynced()) {
            this.log(`synced with the upstream at ${formatLocation(this.pool?.watermark ?? this.start)}; stopping (--exit-when-synced)`);
            local.abort();
          }
        } catch {
          // the next poll retries; the replica client reports a lost upstream itself
        }
      };
      poll = setInterval(() => void pollMaster(), 1000);
      // the replica client has verified every event's CRC32 already
      const decoder = new EventDecoder({ checksumAlg: client.checksumAlg, verifyChecksum: false });
      this.lastFlush = Date.now();
      const events = client.events();
      const flushMs = this.cfg.syncer.checkpointFlushInterval * 1000;
      for (;;) {
        // queued events are taken without a promise each; the iterator waits when the queue is empty
        let raw = client.tryNext();
        if (raw === undefined) {
          this.step = 'read';
          const r = await events.next();
          if (r.done) break;
          raw = r.value;
        }
        decoder.file = raw.file;
        if (raw.typeCode !== 15) decoder.checksum = raw.checksumAlg;
        const ev = decoder.decode(raw.raw, raw.logPos > 0 ? raw.logPos - raw.eventSize : 0);
        const wait = this.handle(ev, raw, local.signal);
        if (wait) {
          this.step = `wait on ${ev.type} at ${raw.file}:${raw.logPos}`;
          await wait;
        }
        if (local.signal.aborted) break;
        if (this.cur === undefined && Date.now() - this.lastFlush >= flushMs) await this.flush();
      }
      clearInterval(poll);
      poll = undefined;
      await client.stop();
      await this.finishStop();
      await this.operators.clearErrors(conn);
      const st = pool.stats;
      this.log(`stopped at ${formatLocation(pool.watermark)}: ${st.committedTxns} transactions, ${st.committedRows} row changes in ${st.batches} downstream transactions (${st.retries} retries)`);
      return { interrupted: signal.aborted || !this.opts.stopWhenSynced, errors: [] };
    } catch (e) {
      if (poll) clearInterval(poll);
      if (e instanceof PoolAborted && local.signal.aborted) {
        await this.finishStop().catch(() => undefined);
        return { interrupted: true, errors: [] };
      }
      // no flush here: the executors' rows already say exactly what is applied, and a DDL may be half-tracked
      const err = toCodedError(e, this.cfg.to.password, (x) => DmError.of(E.SubtaskUnexpected, [x instanceof Error ? x.message : String(x)], { cause: x }));
      return { interrupted: false, errors: [this.pool?.error ?? err] };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.client?.stop().catch(() => undefined);
    }
  }

  /**
   * On stop or pause: let the executors apply what was dispatched, then record the watermark. A transaction
   * still being read (its pieces partly dispatched) cannot finish: it is rolled back when the pool closes and
   * read again on the next start.
   */
  private async finishStop(): Promise<void> {
    if (!this.cur?.handle && this.pool) {
      // bounded: a stop must not hang on a stuck downstream; what is not committed rolls back when the pool
      // closes and is applied on the next start (the executors' rows say exactly what is applied)
      let timer: NodeJS.Timeout | undefined;
      const drain = this.pool.drain().then(() => true);
      // a failure after the timeout is dropped (the pool is closed anyway), before it is thrown below
      drain.catch(() => undefined);
      const drained = await Promise.race([
        drain,
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_DRAIN_MS))),
      ]).finally(() => clearTimeout(timer));
      if (!drained) {
        this.log(`stop: the executors did not finish within ${STOP_DRAIN_MS / 1000} s (${this.pool.debugState()}); stopping without them — their transactions roll back and are applied on the next start`);
        return;
      }
    }
    await this.flush();
  }

  private async refreshMasterStatus(): Promise<void> {
    const conn = await this.upstreamConn();
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
    const r = rows[0];
    if (!r) return;
    const gtid = this.flavor === 'mariadb' ? await this.mariadbGtidPos(conn) : String(r.Executed_Gtid_Set ?? '').replace(/\s+/g, '');
    this.masterPos = { file: String(r.File), pos: Number(r.Position), gtid };
  }

  private async mariadbGtidPos(conn: mysql.Connection): Promise<string> {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT @@gtid_binlog_pos AS g');
    return String(rows[0]?.g ?? '');
  }

  /** Writes the global checkpoint at the watermark (or `at`), with the tracker's current definitions. */
  private async flush(at?: BinlogLocation, exitSafe?: BinlogLocation): Promise<void> {
    if (!this.pool || !this.control) return;
    const location = at ?? this.pool.watermark;
    let exit = exitSafe;
    if (!exit && this.exitPoint && !this.passed(location, this.exitPoint)) exit = this.exitPoint;
    this.failpoints.hit('before-flush');
    await this.store.flush(this.control, { location, exitSafe: exit, tracker: this.tracker.save() });
    this.failpoints.hit('after-flush');
    this.lastFlush = Date.now();
  }

  // ---------------------------------------------------------------------------------------------------------
  // events

  private endLocation(raw: RawEvent): BinlogLocation {
    const gtid = this.gtidMode ? (this.client?.gtidSet ?? '') : (this.posModeGtids?.toString() ?? '');
    return { file: raw.file, pos: raw.logPos, gtid };
  }

  /** Position mode: adds a transaction's GTID to the followed set (known only when the start had one). */
  private noteGtid(gtid: string | undefined): void {
    if (this.gtidMode || !gtid || !this.posModeGtids) return;
    try {
      this.posModeGtids.add(gtid);
    } catch {
      this.posModeGtids = undefined;
    }
  }

  /** Handles one event; returns a promise only when it has to wait (dispatch back-pressure, DDL, lookups). */
  private handle(ev: BinlogEvent, raw: RawEvent, signal: AbortSignal): Promise<void> | undefined {
    const b = ev.body;
    if (b.kind === 'heartbeat') {
      this.caughtUp = true;
      return undefined;
    }
    this.caughtUp = false;
    this.totalEvents++;
    if (raw.logPos > 0) this.readPos = { file: raw.file, pos: raw.logPos, gtid: '' };
    switch (b.kind) {
      case 'gtid':
        this.cur = { gtid: b.anonymous ? undefined : b.gtid, ops: [], keys: [], handle: undefined, ts: ev.header.timestamp };
        return undefined;
      case 'mariadb_gtid':
        this.cur = { gtid: b.gtid, ops: [], keys: [], handle: undefined, ts: ev.header.timestamp };
        return undefined;
      case 'table_map':
        this.tables.observe(ev);
        return undefined;
      case 'rows':
        return this.onRows(ev as BinlogEvent & { body: RowsBody }, signal);
      case 'xid':
        return this.endTxn(raw, signal);
      case 'transaction_payload':
        return this.handlePayload(b.events, raw, signal);
      case 'query':
        return this.onQuery(ev, b, raw, signal);
      default:
        return undefined;
    }
  }

  /** MySQL's compressed transaction: its events, in order (the transaction ends inside, at its XID). */
  private async handlePayload(events: readonly BinlogEvent[], raw: RawEvent, signal: AbortSignal): Promise<void> {
    for (const inner of events) {
      const p = this.handle(inner, raw, signal);
      if (p) await p;
    }
  }

  private async onQuery(ev: BinlogEvent, b: QueryBody, raw: RawEvent, signal: AbortSignal): Promise<void> {
    const q = b.query.trim();
    const head = q.slice(0, 16).toUpperCase();
    if (head.startsWith('BEGIN') || head.startsWith('XA START') || head.startsWith('SAVEPOINT') || head.startsWith('ROLLBACK TO')) {
      this.cur ??= { gtid: undefined, ops: [], keys: [], handle: undefined, ts: ev.header.timestamp };
      return;
    }
    if (head.startsWith('COMMIT') || head.startsWith('ROLLBACK') || head.startsWith('XA END') || head.startsWith('XA PREPARE') || head.startsWith('XA COMMIT')) {
      if (head.startsWith('XA END')) return;
      await this.endTxn(raw, signal);
      return;
    }
    if (/^(INSERT|UPDATE|DELETE|REPLACE|LOAD\s+DATA)\b/i.test(q)) {
      throw DmError.of(E.SyncUnitDMLStatementFound, [`unexpected DML statement found in query event at ${raw.file}:${ev.offset}: ${statementText(q)}`]);
    }
    // a statement outside a transaction: DDL (or something we skip)
    this.noteGtid(this.cur?.gtid);
    const end = this.endLocation(raw);
    const startLoc: BinlogLocation = { file: raw.file, pos: ev.offset, gtid: '' };
    this.cur = undefined;
    await this.onDdl(q, b.schema, startLoc, end, ev.header.timestamp, signal);
  }

  private isApplied(id: string, end: BinlogLocation): boolean {
    const r = this.recovery;
    if (!r) return false;
    if (r.ids.has(id)) return true;
    if (this.gtidMode && r.wmGtid && this.flavor && !id.includes(':')) {
      const one = parseGtidSet(this.flavor, id);
      return parseGtidSet(this.flavor, r.wmGtid).contains(one);
    }
    if (this.gtidMode && r.wmGtid && this.flavor === 'mysql' && /^[0-9a-f-]{36}:/i.test(id)) {
      return parseGtidSet('mysql', r.wmGtid).contains(parseGtidSet('mysql', id));
    }
    return r.watermark !== undefined && !this.gtidMode && compareLocation(end, r.watermark) <= 0;
  }

  /** Leaves recovery once the stream is past the exit point. */
  private updateRecovery(l: BinlogLocation): void {
    if (this.recovery && (!this.exitPoint || this.passed(l, this.exitPoint))) {
      this.recovery = undefined;
      this.log(`recovery done at ${formatLocation(l)}`);
    }
  }

  private endTxn(endRaw: RawEvent, signal: AbortSignal): Promise<void> | undefined {
    const t = this.cur;
    this.cur = undefined;
    this.noteGtid(t?.gtid);
    const end = this.endLocation(endRaw);
    const pool = this.pool!;
    let wait: Promise<void> | undefined;
    if (!t) {
      pool.skip(end);
      return undefined;
    }
    const id = t.gtid ?? `${end.file}:${end.pos}`;
    if (!t.handle && (t.ops.length === 0 || this.isApplied(id, end))) {
      pool.skip(end, t.ts);
    } else {
      const h = t.handle ?? pool.begin();
      h.id = id;
      h.end = end;
      h.ts = t.ts;
      if (!pool.tryDispatch(h, t.ops, t.keys, true)) wait = pool.dispatch(h, t.ops, t.keys, true, signal);
    }
    if (this.recovery) this.updateRecovery(end);
    return wait;
  }

  // ---------------------------------------------------------------------------------------------------------
  // rows

  private onRows(ev: BinlogEvent & { body: RowsBody }, signal: AbortSignal): Promise<void> | undefined {
    const tm = this.tables.require(ev);
    const { schema, table } = tm;
    if (schema === this.cfg.metaSchema || !this.opts.filter.matchTable(schema, table)) return undefined;
    const action = ev.body.action;
    if (this.eventFilter) {
      const d = this.eventFilter.filter({ schema, table, event: action });
      if (d === 'ignore') return undefined;
      if (d === 'error') throw DmError.of(E.SyncerUnitBinlogEventFilter, [`${action} on ${quoteTable(schema, table)} at ${ev.file}:${ev.offset}`]);
    }
    const cached = this.syncTables.get(`${schema}\u0000${table}`);
    if (cached && cached.gen === this.tracker.generation) return this.addRows(ev, cached.table, signal);
    return this.syncTable(schema, table).then((st) => this.addRows(ev, st, signal));
  }

  private addRows(ev: BinlogEvent & { body: RowsBody }, st: SyncTable, signal: AbortSignal): Promise<void> | undefined {
    const decoded = decodeRows(ev.body, this.tables.require(ev), st.decode);
    const filters = this.expressionFilters(st);
    this.cur ??= { gtid: undefined, ops: [], keys: [], handle: undefined, ts: ev.header.timestamp };
    const t = this.cur;
    const safe = this.safeModeAt(this.readPos);
    if (decoded.action === 'update') {
      for (const c of decoded.rows) {
        if (filters.length > 0 && filters.some((f) => f.skipUpdate(c.before, c.after))) continue;
        t.ops.push({ action: 'update', table: st, before: c.before, after: c.after, safe });
        rowKeys(st, c.before, t.keys);
        rowKeys(st, c.after, t.keys);
      }
    } else {
      const ins = decoded.action === 'insert';
      for (const r of decoded.rows) {
        if (filters.length > 0 && filters.some((f) => (ins ? f.skipInsert(r) : f.skipDelete(r)))) continue;
        t.ops.push(ins ? { action: 'insert', table: st, after: r, safe } : { action: 'delete', table: st, before: r, safe });
        rowKeys(st, r, t.keys);
      }
    }
    // a large transaction streams through in pieces (not while recovering: it may turn out to be applied)
    if (t.ops.length >= PIECE_ROWS && !this.recovery) {
      // Its downstream transaction stays open between pieces, holding row (and gap) locks. An earlier
      // transaction on another executor could wait for those locks while a later piece waits, by causality,
      // for that earlier transaction: a deadlock InnoDB cannot see. So the first piece goes only once
      // everything before it is committed; nothing after it is read until its last piece.
      if (!t.handle && this.pool!.pending > 0) return this.pool!.drain(signal).then(() => this.dispatchPiece(t, signal));
      return this.dispatchPiece(t, signal);
    }
    return undefined;
  }

  private dispatchPiece(t: OpenTxn, signal: AbortSignal): Promise<void> | undefined {
    t.handle ??= this.pool!.begin();
    const ops = t.ops;
    const keys = t.keys;
    t.ops = [];
    t.keys = [];
    if (!this.pool!.tryDispatch(t.handle, ops, keys, false)) return this.pool!.dispatch(t.handle, ops, keys, false, signal);
    return undefined;
  }

  private expressionFilters(st: SyncTable): CompiledExpressionFilter[] {
    if (this.cfg.expressionFilters.length === 0) return [];
    const k = `${st.upstream.schema}\u0000${st.upstream.table}`;
    const c = this.exprFilters.get(k);
    if (c && c.gen === this.tracker.generation) return c.filters;
    const eq = (a: string, b: string): boolean => (this.cfg.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase());
    const names = st.decode.columns.map((col) => col.name ?? '');
    const filters = this.cfg.expressionFilters
      .filter((r) => eq(r.schema, st.upstream.schema) && eq(r.table, st.upstream.table))
      .map((r) => compileExpressionFilter(r, names));
    this.exprFilters.set(k, { gen: this.tracker.generation, filters });
    return filters;
  }

  /** The table as the executors need it, rebuilt after any DDL. */
  private async syncTable(schema: string, table: string): Promise<SyncTable> {
    const k = `${schema}\u0000${table}`;
    const c = this.syncTables.get(k);
    if (c && c.gen === this.tracker.generation) return c.table;
    await this.ensureTracked(schema, table);
    const model = this.tracker.tableModel(schema, table);
    const decode = this.tracker.requireTableSchema(schema, table);
    const target = this.opts.router.route(schema, table);
    const dk = quoteTable(target.schema, target.table);
    if (!this.downstreamKeys.has(dk)) this.downstreamKeys.set(dk, await downstreamKey(await this.controlConn(), target.schema, target.table));
    const st = buildSyncTable(model!, decode, target, this.downstreamKeys.get(dk));
    if (st.dml.key.length === 0) this.log(`warning: ${quoteTable(schema, table)} has no primary or NOT NULL unique key: rows are matched on every column, and safe mode cannot make its changes idempotent`);
    this.syncTables.set(k, { gen: this.tracker.generation, table: st });
    return st;
  }

  /**
   * A table the tracker does not know yet (incremental mode, or a table the dump did not have): its definition
   * from the downstream (loaded as of the start position), else from the upstream (today's definition).
   */
  private async ensureTracked(schema: string, table: string): Promise<void> {
    if (this.tracker.tableModel(schema, table)) return;
    const target = this.opts.router.route(schema, table);
    let create: string | undefined;
    for (const [conn, s, t] of [
      [await this.controlConn(), target.schema, target.table],
      [await this.upstreamConn(), schema, table],
    ] as const) {
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${quoteTable(s, t)}`);
        const text: unknown = rows[0]?.['Create Table'];
        if (typeof text === 'string') {
          create = text;
          this.log(`definition of ${quoteTable(schema, table)} taken from the ${conn === this.control ? 'downstream' : 'upstream'}`);
          break;
        }
      } catch {
        // not there: try the next place
      }
    }
    if (!create) throw DmError.of(E.SchemaTrackerCannotGetTable, [quoteTable(schema, table)]);
    this.tracker.setTable(schema, renameCreate(create, table));
  }

  // ---------------------------------------------------------------------------------------------------------
  // DDL

  private ddlAllowed(p: SplitDDL, sql: string): boolean {
    const schema = p.table?.schema ?? p.schema ?? (p.node.type === 'createDatabase' || p.node.type === 'dropDatabase' ? p.node.name : '');
    const table = p.table?.name ?? '';
    if (schema === this.cfg.metaSchema) return false;
    if (table ? !this.opts.filter.matchTable(schema, table) : !this.opts.filter.matchSchema(schema)) return false;
    if (!this.eventFilter) return true;
    const names = ddlEventNames(p.node);
    let decision = this.eventFilter.filter({ schema, table, event: names.general, sql });
    if (names.specific) {
      const x = this.eventFilter.explain({ schema, table, event: names.specific, sql });
      if (x.rule?.events.some((e) => e.toLowerCase() === names.specific)) decision = x.decision;
    }
    if (decision === 'error') throw DmError.of(E.SyncerUnitBinlogEventFilter, [`${statementText(sql)}`]);
    return decision === 'do';
  }

  private async onDdl(sql: string, currentSchema: string, startLoc: BinlogLocation, end: BinlogLocation, ts: number, signal: AbortSignal): Promise<void> {
    const pool = this.pool!;
    const conn = await this.controlConn();
    const positions = [`${startLoc.file}:${startLoc.pos}`, `${end.file}:${end.pos}`];
    const where = `${startLoc.file}:${startLoc.pos}`;
    const operator: ErrorOperator | undefined = await this.operators.find(conn, positions);

    // the tracker follows the upstream's statement whatever the operator (rows after it are decoded with it)
    let pieces: SplitDDL[] = [];
    let st: Statement | undefined;
    try {
      st = parseDDL(sql);
    } catch (e) {
      if (!operator) {
        await this.stopOnDdl(where, DmError.of(E.SyncerParseDDL, [`${statementText(sql)} at ${where}: ${e instanceof Error ? e.message : String(e)}`], { cause: e }));
      }
      this.log(`warning: cannot parse the DDL at ${where} (handle-error ${operator!.op}); the schema tracker does not follow it: ${statementText(sql)}`);
    }
    if (st?.type === 'unsupported' && !operator) {
      this.log(`skipping statement at ${where} (not a table or database DDL): ${statementText(sql)}`);
    } else if (st && st.type !== 'unsupported') {
      pieces = splitDDL(st, currentSchema || undefined).filter((p) => this.ddlAllowed(p, sql));
    }
    // what runs downstream: the routed pieces, the operator's replacement, or nothing (skip)
    let run: string[] | undefined;
    if (operator?.op === 'replace') run = operator.sqls.flatMap((x) => this.routeReplacement(x, currentSchema));
    else if (operator?.op === 'skip') run = [];
    if (pieces.length === 0 && !operator) {
      pool.skip(end, ts);
      this.updateRecovery(end);
      return;
    }

    // every transaction before the DDL is applied; record that point with the definitions before the DDL
    await pool.drain(signal);
    await this.flush(pool.watermark, end);

    const routed: string[] = [];
    for (const p of pieces) {
      try {
        if (p.table && p.node.type !== 'createTable') await this.ensureTracked(p.table.schema ?? currentSchema, p.table.name).catch(() => undefined);
        if (p.node.type === 'createTable' && p.node.like) await this.ensureTracked(p.node.like.schema ?? currentSchema, p.node.like.name).catch(() => undefined);
        this.tracker.applyPiece(p, currentSchema);
      } catch (e) {
        if (operator) {
          this.log(`warning: the schema tracker cannot follow ${statementText(p.sql)} (${e instanceof Error ? e.message : String(e)}); continuing (handle-error ${operator.op})`);
        } else if (p.node.type !== 'dropTable' && p.node.type !== 'dropDatabase') {
          await this.stopOnDdl(where, isDmError(e) ? e : DmError.of(E.SchemaTrackerCannotExecDDL, [String(e)]));
        }
      }
      routed.push(routedSql(p, this.opts.router, currentSchema));
    }
    this.downstreamKeys.clear();

    if (operator?.op === 'skip') this.log(`skipped DDL at ${where} (handle-error skip): ${statementText(sql)}`);
    const statements = run ?? routed;
    if (statements.length > 0) {
      this.failpoints.hit('before-ddl');
      // a DDL that starts before the exit point may have run before a crash (its checkpoint not yet flushed)
      const recovering = this.exitPoint !== undefined && !this.passed({ ...startLoc, gtid: '' }, this.exitPoint);
      for (const r of statements) {
        try {
          await conn.query(r);
          this.log(`executed DDL at ${where}${operator ? ' (handle-error replace)' : ''}: ${statementText(r)}`);
        } catch (e) {
          const errno = (e as { errno?: number }).errno;
          if (recovering && errno !== undefined && DDL_DONE_ERRNO.has(errno)) {
            this.log(`DDL at ${where} was already executed before the restart (${(e as Error).message}); continuing`);
            continue;
          }
          await this.stopOnDdl(where, DmError.of(E.SyncerUnitHandleDDLFailed, [`${statementText(r)} at ${where}: ${(e as Error).message}`], { cause: e }));
        }
      }
      this.failpoints.hit('after-ddl');
    }
    if (operator) await this.operators.remove(conn, operator.position);
    this.blockingDDL = undefined;
    pool.skip(end, ts);
    await this.flush(end);
    this.updateRecovery(end);
  }

  /** A `handle-error replace` statement, written in upstream names: routed like the binlog's DDL (as is when it cannot be parsed). */
  private routeReplacement(sql: string, currentSchema: string): string[] {
    try {
      const st = parseDDL(sql);
      if (st.type === 'unsupported') return [sql];
      return splitDDL(st, currentSchema || undefined).map((p) => routedSql(p, this.opts.router, currentSchema));
    } catch {
      return [sql];
    }
  }

  /** Records the failing DDL for `handle-error` and stops the unit with the error. */
  private async stopOnDdl(where: string, err: DmError): Promise<never> {
    this.blockingDDL = where;
    await this.operators.put(await this.controlConn(), where, 'error', [], err.message).catch(() => undefined);
    throw err;
  }

  async close(): Promise<void> {
    await this.client?.stop().catch(() => undefined);
    await this.pool?.close();
    for (const c of [this.control, this.upstream]) await c?.end().catch(() => c.destroy());
    this.control = undefined;
    this.upstream = undefined;
  }

  /** Internal state for debugging stalls. */
  debugState(): string {
    return `step ${this.step}; cur ${this.cur ? `gtid ${this.cur.gtid} ops ${this.cur.ops.length} handle ${this.cur.handle?.seq ?? '-'}` : '-'}; read ${formatLocation(this.readPos)}; pool ${this.pool?.debugState() ?? '-'}`;
  }

  /** Whether this unit started from scratch (no checkpoint) on this run. */
  get startedFresh(): boolean {
    return this.fresh;
  }
}
