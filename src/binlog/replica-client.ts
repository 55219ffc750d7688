/**
 * A binlog replica client: connects to MySQL/MariaDB as a replica (COM_REGISTER_SLAVE + COM_BINLOG_DUMP /
 * COM_BINLOG_DUMP_GTID) and streams the raw events, undecoded, to one consumer through an async iterator.
 *
 * Invariants:
 * - Ordering and exactly-once: the consumer sees the events of the upstream binlog in order, each once, also
 *   across reconnects. After a connection loss (or a killed dump thread) the client reconnects with backoff
 *   and resumes after the last event it received: at (file, end position) in position mode; in GTID mode at
 *   the set of completed transactions, dropping the re-sent events of the transaction that was cut (counted
 *   and cross-checked against their positions).
 * - What a reconnect re-sends is not delivered again: the fake ROTATE is delivered at stream start and later
 *   only when it names a newer file; a FORMAT_DESCRIPTION_EVENT is delivered once per binlog file (the
 *   consumer already has it to decode that file); other re-sent events (at or before the resume position)
 *   are dropped. Heartbeats always pass through.
 * - `position` / `gtidSet` describe what the consumer has been handed (end of the last delivered event);
 *   heartbeats never move them. The resume point is what was received, which may be ahead (queued).
 * - Every event is checked: its size matches its header, and with CRC32 checksums its checksum is verified.
 * - Memory is bounded: the queue is limited in events and bytes; when full the socket is paused (TCP flow
 *   control stops the server), when half drained it is resumed. One event can exceed the byte limit.
 * - MySQL paths (COM_BINLOG_DUMP_GTID, GTID_LOG_EVENT tracking) follow the protocol documentation but are
 *   only exercised against MariaDB in this repository's tests.
 * - Every socket and timer has one owner: the current session owns its connection, the client owns the
 *   reconnect timer; `stop()` releases both and ends the iterator.
 * - Errors are coded ({@link DmError}) and never contain the password. Errors retrying cannot fix (purged
 *   binlog 1236, authentication, corrupt events) fail at once; transient ones are retried `maxRetries` times.
 */
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import mysql from 'mysql2';
import type { Connection as Mysql2Connection, SslOptions } from 'mysql2';
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { BinlogDumpCommand, BinlogServerError, MARIADB_BINLOG_SEND_ANNOTATE_ROWS_EVENT, type BinlogDumpStart } from './binlog-dump-command.js';
import { EVENT_HEADER_LEN, EventFlag, EventType } from './event-type.js';
import type { EventHeader } from './events.js';
import { MariadbGtidSet } from './gtid/mariadb-gtid-set.js';
import { MysqlGtidSet } from './gtid/mysql-gtid-set.js';
import { checkBinlogSettings, errorText, scrub, type Flavor, type UpstreamInfo } from './upstream-check.js';

export type { Flavor, UpstreamInfo } from './upstream-check.js';

export interface BinlogPosition {
  readonly file: string;
  readonly position: number;
}

export type ReplicaStart = { file: string; position: number } | { gtidSet: string };

export interface ReplicaClientOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** This replica's server id; must be unique among the upstream's replicas (a duplicate kills the other). */
  serverId: number;
  /** Detected from `SELECT VERSION()` when absent. */
  flavor?: Flavor;
  start: ReplicaStart;
  /** Heartbeat period the server uses when idle; default 30000. 0 disables heartbeats. */
  heartbeatPeriodMs?: number;
  /** Default { maxRetries: 10, backoffMs: 500 }; the delay doubles per attempt, capped at 30 s. */
  reconnect?: { maxRetries: number; backoffMs: number };
  /** TCP connect + handshake timeout; default 10000. */
  connectTimeoutMs?: number;
  ssl?: string | SslOptions;
  /** Run {@link checkBinlogSettings} before the first dump; default true. */
  checkUpstream?: boolean;
  /**
   * Queue bounds; defaults 10000 events and 64 MiB. Memory held is at most these plus one socket chunk
   * (≤ 64 KiB, parsed after the pause) plus one event being reassembled by mysql2.
   */
  maxQueueEvents?: number;
  maxQueueBytes?: number;
  /** Called before each reconnect attempt (for logs). */
  onReconnect?: (info: { attempt: number; delayMs: number; cause: Error }) => void;
}

/** Checksum algorithm of the binlog (FORMAT_DESCRIPTION_EVENT checksum_alg). */
export const ChecksumAlg = { NONE: 0, CRC32: 1 } as const;

/** One binlog event as received: header fields, the file it belongs to, and its raw bytes. */
export interface RawEvent extends EventHeader {
  /** The whole event: 19-byte header, body, and the 4-byte CRC32 when `checksumAlg` is CRC32. */
  readonly raw: Buffer;
  /** Binlog file the event belongs to (for a fake ROTATE: the file it announces). */
  readonly file: string;
  /**
   * 1 when `raw` ends with a (verified) CRC32, else 0. A FORMAT_DESCRIPTION_EVENT from a checksum-aware
   * server always ends with checksum_alg + 4 checksum bytes; this field then is its checksum_alg.
   */
  readonly checksumAlg: number;
}

export interface ReplicaClientStats {
  eventsReceived: number;
  bytesReceived: number;
  eventsDelivered: number;
  heartbeats: number;
  reconnects: number;
  /**
   * Re-sent events not delivered: after reconnects (fake rotate, FDE, events at or before the resume point),
   * and MariaDB's fake rotate that follows every real ROTATE (it names the file the real one announced).
   */
  duplicatesDropped: number;
  /** Of those, events of a cut transaction re-sent in GTID mode. */
  partialTransactionEventsDropped: number;
}

type ClientState = 'new' | 'starting' | 'running' | 'reconnecting' | 'failed' | 'stopped';

const DEFAULT_QUEUE_EVENTS = 10_000;
const DEFAULT_QUEUE_BYTES = 64 * 1024 * 1024;
const MAX_BACKOFF_MS = 30_000;

/** Server errors a reconnect can cure: shutdown, kill, timeouts, lost connections. */
const RETRYABLE_ERRNO = new Set([1040, 1053, 1077, 1152, 1153, 1158, 1159, 1160, 1161, 1205, 1317, 1927, 2006, 2013, 4031]);
/** Socket/driver error codes a reconnect can cure. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

// ---------------------------------------------------------------------------------------------------------
// GTIDs: the sets are src/binlog/gtid's; a GtidRef is one GTID as read from a GTID event.

type GtidRef = { readonly kind: 'mysql'; readonly sid: string; readonly gno: bigint } | { readonly kind: 'mariadb'; readonly domain: number; readonly server: number; readonly seq: bigint };

type GtidState = MysqlGtidSet | MariadbGtidSet;

function addToState(state: GtidState, g: GtidRef): void {
  if (state instanceof MysqlGtidSet) {
    if (g.kind !== 'mysql') throw new TypeError('MariaDB GTID in a MySQL GTID set');
    state.addGtid(g.sid, g.gno);
  } else {
    if (g.kind !== 'mariadb') throw new TypeError('MySQL GTID in a MariaDB GTID set');
    // The replica's position is the last GTID applied per domain (as @@gtid_slave_pos), not the highest.
    state.replace({ domainId: g.domain, serverId: g.server, seqNo: g.seq });
  }
}

function gtidRefText(g: GtidRef | undefined): string {
  if (!g) return 'ANONYMOUS';
  return g.kind === 'mysql' ? `${g.sid}:${g.gno}` : `${g.domain}-${g.server}-${g.seq}`;
}

function sameGtid(a: GtidRef | undefined, b: GtidRef | undefined): boolean {
  return gtidRefText(a) === gtidRefText(b);
}

// ---------------------------------------------------------------------------------------------------------
// Event-level helpers.

/** Orders binlog files: same base name by numeric extension, else by name. */
export function compareFiles(a: string, b: string): number {
  if (a === b) return 0;
  const ma = /^(.*)\.(\d+)$/.exec(a);
  const mb = /^(.*)\.(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : 1;
}

function comparePositions(fa: string, pa: number, fb: string, pb: number): number {
  const c = compareFiles(fa, fb);
  return c !== 0 ? c : pa - pb;
}

/** Text of a QUERY event, its first `max` bytes (enough to recognise BEGIN / COMMIT / XA ...). */
function queryPrefix(raw: Buffer, crcLen: number, max = 24): string {
  const body = EVENT_HEADER_LEN;
  if (raw.length < body + 13 + crcLen) return '';
  const dbLen = raw[body + 8]!;
  const statusLen = raw.readUInt16LE(body + 11);
  const start = body + 13 + statusLen + dbLen + 1;
  const end = Math.min(raw.length - crcLen, start + max);
  return start < end ? raw.toString('latin1', start, end).trimStart().toUpperCase() : '';
}

function isHeartbeat(type: number): boolean {
  return type === EventType.HEARTBEAT || type === EventType.HEARTBEAT_V2;
}

function isGtidEvent(type: number): boolean {
  return type === EventType.GTID || type === EventType.ANONYMOUS_GTID || type === EventType.MARIADB_GTID;
}

/** Parses the GTID of a GTID event; undefined for anonymous ones. */
function parseGtid(raw: Buffer, type: number, serverId: number): { gtid: GtidRef | undefined; standalone: boolean } {
  const b = EVENT_HEADER_LEN;
  if (type === EventType.MARIADB_GTID) {
    // seq_no u64, domain_id u32, flags2 u8; the server id is the header's.
    const seq = raw.readBigUInt64LE(b);
    const domain = raw.readUInt32LE(b + 8);
    const flags2 = raw[b + 12]!;
    return { gtid: { kind: 'mariadb', domain, server: serverId, seq }, standalone: (flags2 & 1) !== 0 };
  }
  if (type === EventType.ANONYMOUS_GTID) return { gtid: undefined, standalone: false };
  // MySQL GTID_LOG_EVENT: flags u8, sid 16 bytes, gno u64.
  const hex = raw.toString('hex', b + 1, b + 17);
  const sid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { gtid: { kind: 'mysql', sid, gno: raw.readBigInt64LE(b + 17) }, standalone: false };
}

/**
 * Follows transaction boundaries to know which GTIDs are complete. A group starts at a GTID event; it is
 * transactional when a BEGIN (or XA START) follows, and then ends at XID, COMMIT/ROLLBACK, XA PREPARE/COMMIT/
 * ROLLBACK; otherwise (MariaDB FL_STANDALONE, MySQL DDL) it ends at its first statement-ending event.
 */
class TransactionTracker {
  trx: { gtid: GtidRef | undefined; events: number; begun: boolean; standalone: boolean } | undefined;

  /** Feeds one event (never heartbeats); returns the GTID it completes, if any. */
  feed(type: number, raw: Buffer, serverId: number, crcLen: number): { completes: boolean; gtid: GtidRef | undefined } {
    if (isGtidEvent(type)) {
      // A GTID while a group is open means that group was cut short upstream (crash): it never committed.
      const { gtid, standalone } = parseGtid(raw, type, serverId);
      this.trx = { gtid, events: 1, begun: false, standalone };
      return { completes: false, gtid: undefined };
    }
    const t = this.trx;
    if (!t) return { completes: false, gtid: undefined };
    t.events++;
    let ends = false;
    const isQuery = type === EventType.QUERY;
    if (!t.begun) {
      if (isQuery && !t.standalone) {
        const q = queryPrefix(raw, crcLen);
        if (q.startsWith('BEGIN') || q.startsWith('XA START')) t.begun = true;
        else ends = true;
      } else if (
        isQuery ||
        type === EventType.MARIADB_QUERY_COMPRESSED ||
        type === EventType.XID ||
        type === EventType.XA_PREPARE ||
        type === EventType.TRANSACTION_PAYLOAD ||
        type === EventType.EXECUTE_LOAD_QUERY
      ) {
        ends = true;
      }
    } else if (type === EventType.XID || type === EventType.XA_PREPARE) {
      ends = true;
    } else if (isQuery) {
      const q = queryPrefix(raw, crcLen);
      ends = q.startsWith('COMMIT') || q.startsWith('ROLLBACK') || q.startsWith('XA PREPARE') || q.startsWith('XA COMMIT') || q.startsWith('XA ROLLBACK');
    }
    if (!ends) return { completes: false, gtid: undefined };
    this.trx = undefined;
    return { completes: true, gtid: t.gtid };
  }
}

// ---------------------------------------------------------------------------------------------------------

interface QueueItem {
  readonly ev: RawEvent;
  /** Position after this event (what `position` becomes once it is delivered). */
  readonly file: string;
  readonly pos: number;
  /** The GTID this event completes. */
  readonly commit: GtidRef | undefined;
}

/** One connection to the upstream and the dump running on it. */
interface Session {
  readonly id: number;
  readonly conn: Mysql2Connection;
  /** Resolves when the dump delivered its first event, rejects if it ended before. */
  started: boolean;
  ended: boolean;
  readonly ready: Deferred<void>;
  readonly closed: Promise<void>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection nobody awaits (a session that died after start) is handled where it matters.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** State of the resume after a reconnect, until the first new event. */
interface ResumeState {
  /** Events of the cut transaction already received (GTID mode), to drop when re-sent. */
  readonly trxEvents: number;
  readonly trxGtid: GtidRef | undefined;
  /** Re-sent events of the cut transaction still to drop (set when its GTID event arrives). */
  skipping: number;
  sawTrxGtid: boolean;
}

/** What `start()` rejects with when `stop()` was called before it finished. */
export class ReplicaClientStoppedError extends Error {
  constructor() {
    super('replica client stopped');
    this.name = 'ReplicaClientStoppedError';
  }
}

export class ReplicaClient implements AsyncIterable<RawEvent> {
  private readonly opts: ReplicaClientOptions;
  private readonly gtidMode: boolean;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly replicaUuid = randomUUID();
  private state: ClientState = 'new';
  private flavorValue: Flavor | undefined;
  private upstreamInfo: UpstreamInfo | undefined;
  /** Negotiated checksum (@@global.binlog_checksum); applies until the first FORMAT_DESCRIPTION_EVENT. */
  private negotiatedAlg: number = ChecksumAlg.NONE;
  /** Whether the server writes checksum_alg in the FDE (5.6.1+ / MariaDB 5.3+: it has binlog_checksum). */
  private checksumAware = false;
  /** Checksum of the events now arriving (from the last FDE). */
  private currentAlg: number = ChecksumAlg.NONE;

  private session: Session | undefined;
  private sessionSeq = 0;
  private paused = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private wakeReconnect: (() => void) | undefined;
  private consecutiveFailures = 0;

  // Receive side: what has been queued; the resume point.
  /** File of the events now arriving (follows every rotate, also re-sent ones). */
  private streamFile: string;
  private recvFile: string;
  private recvPos: number;
  /** The file whose FORMAT_DESCRIPTION_EVENT the consumer has been given (queued). */
  private fdeFile: string | undefined;
  private fakeRotateDelivered = false;
  private recvGtid: GtidState | undefined;
  private readonly tracker = new TransactionTracker();
  private resume: ResumeState | undefined;

  // Delivery side: what the consumer has taken.
  private deliveredFile: string;
  private deliveredPos: number;
  private deliveredGtid: GtidState | undefined;

  private readonly queue: QueueItem[] = [];
  private queueHead = 0;
  private queueBytes = 0;
  private waiter: { resolve: (r: IteratorResult<RawEvent>) => void; reject: (e: unknown) => void } | undefined;
  private failure: Error | undefined;
  private failureReported = false;
  private iterator: AsyncIterableIterator<RawEvent> | undefined;

  private readonly statsValue: ReplicaClientStats = {
    eventsReceived: 0,
    bytesReceived: 0,
    eventsDelivered: 0,
    heartbeats: 0,
    reconnects: 0,
    duplicatesDropped: 0,
    partialTransactionEventsDropped: 0,
  };

  constructor(opts: ReplicaClientOptions) {
    this.opts = { ...opts };
    if (!Number.isInteger(opts.serverId) || opts.serverId <= 0 || opts.serverId > 0xffffffff) {
      throw new RangeError(`serverId must be an integer in 1..4294967295, got ${opts.serverId}`);
    }
    this.flavorValue = opts.flavor;
    this.maxEvents = Math.max(1, opts.maxQueueEvents ?? DEFAULT_QUEUE_EVENTS);
    this.maxBytes = Math.max(1, opts.maxQueueBytes ?? DEFAULT_QUEUE_BYTES);
    const start = opts.start;
    if ('gtidSet' in start) {
      this.gtidMode = true;
      this.streamFile = this.recvFile = this.deliveredFile = '';
      this.recvPos = this.deliveredPos = 4;
      // The flavor may still be unknown: parse once it is (see initGtidState); keep the text until then.
      this.recvGtid = undefined;
      this.deliveredGtid = undefined;
    } else {
      if (!start.file) throw new RangeError('start.file must be a binlog file name');
      if (!Number.isInteger(start.position) || start.position < 4 || start.position > 0xffffffff) {
        throw new RangeError(`start.position must be an integer in 4..4294967295, got ${start.position}`);
      }
      this.gtidMode = false;
      this.streamFile = this.recvFile = this.deliveredFile = start.file;
      this.recvPos = this.deliveredPos = start.position;
      this.recvGtid = undefined;
      this.deliveredGtid = undefined;
    }
  }

  /** Upstream flavor (known after `start()` when not configured). */
  get flavor(): Flavor | undefined {
    return this.flavorValue;
  }

  /** What `checkBinlogSettings` returned (undefined when the check was skipped). */
  get upstream(): UpstreamInfo | undefined {
    return this.upstreamInfo;
  }

  /** Position after the last event handed to the consumer (GTID mode: file is '' until the first rotate). */
  get position(): BinlogPosition {
    return { file: this.deliveredFile, position: this.deliveredPos };
  }

  /** GTID mode: the GTID set executed up to the last delivered event (complete transactions only). */
  get gtidSet(): string | undefined {
    return this.deliveredGtid?.toString();
  }

  /** Checksum algorithm of the events now arriving. */
  get checksumAlg(): number {
    return this.currentAlg;
  }

  get stats(): Readonly<ReplicaClientStats> {
    return { ...this.statsValue };
  }

  /**
   * Connects, checks the upstream (unless `checkUpstream: false`), and starts the dump. Resolves when the
   * server sent the first event; rejects with a DmError (10001 connection/authentication, 30015 purged or
   * missing position, 30012/30014 other start failures, 11125/36014/11126 unusable binlog settings).
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`ReplicaClient.start() called in state ${this.state}`);
    this.state = 'starting';
    try {
      await this.openSession(false);
      // stop() or a failure may have happened meanwhile (the compiler cannot see that).
      if ((this.state as ClientState) === 'starting') this.state = 'running';
    } catch (e) {
      const err = e instanceof ReplicaClientStoppedError ? e : this.toDmError(e, 'start');
      if ((this.state as ClientState) !== 'stopped') {
        this.state = 'failed';
        this.failure = err;
        this.failureReported = true; // reported by start() itself
      }
      await this.closeSession();
      throw err;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RawEvent> {
    return this.events();
  }

  /**
   * The event stream, for one consumer: every call returns the same iterator. Ends after `stop()` (also
   * called by `return()`, i.e. `break` in for-await); throws the error that ended the stream, once.
   */
  events(): AsyncIterableIterator<RawEvent> {
    if (this.iterator) return this.iterator;
    const it: AsyncIterableIterator<RawEvent> = {
      next: () => this.nextEvent(),
      return: async (): Promise<IteratorResult<RawEvent>> => {
        await this.stop();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => it,
    };
    this.iterator = it;
    return it;
  }

  /** Closes the dump connection and ends the iterator (queued events are discarded). Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') {
      await this.session?.closed;
      return;
    }
    this.state = 'stopped';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.wakeReconnect?.();
    this.queue.length = 0;
    this.queueHead = 0;
    this.queueBytes = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve({ done: true, value: undefined });
    await this.closeSession();
  }

  // -------------------------------------------------------------------------------------------------------
  // Consumer side.

  /**
   * The next queued event without waiting (undefined when none is queued, or the stream ended): lets a busy
   * consumer take events with no promise per event, falling back to the iterator when the queue is empty.
   */
  tryNext(): RawEvent | undefined {
    if (this.waiter || this.state === 'stopped') return undefined;
    const item = this.dequeue();
    return item ? this.deliver(item) : undefined;
  }

  private nextEvent(): Promise<IteratorResult<RawEvent>> {
    if (this.waiter) return Promise.reject(new Error('ReplicaClient iterator: next() called while a previous next() is pending'));
    const item = this.dequeue();
    if (item) return Promise.resolve({ done: false, value: this.deliver(item) });
    if (this.failure && this.state === 'failed') {
      if (this.failureReported) return Promise.resolve({ done: true, value: undefined });
      this.failureReported = true;
      return Promise.reject(this.failure);
    }
    if (this.state === 'stopped') return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private dequeue(): QueueItem | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const item = this.queue[this.queueHead]!;
    (this.queue as Array<QueueItem | undefined>)[this.queueHead] = undefined;
    this.queueHead++;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.queueBytes -= item.ev.raw.length;
    if (this.paused && this.queue.length - this.queueHead <= this.maxEvents / 2 && this.queueBytes <= this.maxBytes / 2) {
      this.paused = false;
      if (this.session) socketOf(this.session).resume();
    }
    return item;
  }

  private deliver(item: QueueItem): RawEvent {
    this.deliveredFile = item.file;
    this.deliveredPos = item.pos;
    if (item.commit && this.deliveredGtid) addToState(this.deliveredGtid, item.commit);
    this.statsValue.eventsDelivered++;
    return item.ev;
  }

  private enqueue(item: QueueItem): void {
    const w = this.waiter;
    if (w && this.queueHead >= this.queue.length) {
      this.waiter = undefined;
      w.resolve({ done: false, value: this.deliver(item) });
      return;
    }
    this.queue.push(item);
    this.queueBytes += item.ev.raw.length;
    if (!this.paused && (this.queue.length - this.queueHead >= this.maxEvents || this.queueBytes >= this.maxBytes)) {
      this.paused = true;
      // Pauses the socket (not mysql2's pause(), which re-queues packets and loses the multi-packet count):
      // the rest of the current chunk is still parsed, then the kernel buffers fill and the server blocks.
      if (this.session) socketOf(this.session).pause();
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Sessions.

  private async openSession(resume: boolean): Promise<void> {
    const o = this.opts;
    const conn = mysql.createConnection({
      host: o.host,
      port: o.port,
      user: o.user,
      password: o.password,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...(o.ssl !== undefined ? { ssl: o.ssl } : {}),
    });
    const id = ++this.sessionSeq;
    const closed = new Promise<void>((resolve) => {
      const stream = (conn as unknown as { stream?: NodeJS.EventEmitter & { destroyed?: boolean } }).stream;
      if (!stream || stream.destroyed) resolve();
      else stream.once('close', () => resolve());
    });
    const session: Session = { id, conn, started: false, ended: false, ready: deferred<void>(), closed };
    this.session = session;
    // mysql2 emits 'error' for connection failures; without a listener they would crash the process.
    conn.on('error', (e: Error) => this.sessionEnded(session, e));

    await new Promise<void>((resolve, reject) => {
      const onConnect = (): void => {
        conn.removeListener('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        conn.removeListener('connect', onConnect);
        reject(e);
      };
      conn.once('connect', onConnect);
      conn.once('error', onError);
    }).catch((e: unknown) => {
      throw this.stoppedOr(session) ?? this.toDmError(e, 'connect');
    });
    this.checkAlive(session);

    const pconn = conn.promise();
    const run = async (sql: string, values?: unknown[]): Promise<unknown[]> => {
      this.checkAlive(session);
      try {
        const [rows] = await pconn.query(sql, values);
        return Array.isArray(rows) ? rows : [];
      } catch (e) {
        throw this.stoppedOr(session) ?? this.toDmError(e, 'setup', sql);
      }
    };

    if (!resume) {
      if (o.checkUpstream !== false) {
        this.upstreamInfo = await checkBinlogSettings(pconn).catch((e: unknown) => {
          throw this.stoppedOr(session) ?? e;
        });
        this.flavorValue ??= this.upstreamInfo.flavor;
      } else if (!this.flavorValue) {
        const rows = (await run('SELECT VERSION() AS v')) as Array<{ v: string }>;
        this.flavorValue = /mariadb/i.test(String(rows[0]?.v ?? '')) ? 'mariadb' : 'mysql';
      }
      this.initGtidState();
    }
    const flavor = this.flavorValue!;

    // Checksum negotiation: ask for events exactly as written, and remember the algorithm.
    try {
      await pconn.query('SET @master_binlog_checksum = @@global.binlog_checksum');
      const rows = (await run('SELECT @master_binlog_checksum AS c')) as Array<{ c: unknown }>;
      const c = rows[0]?.c;
      const alg = (typeof c === 'string' ? c : 'NONE').toUpperCase();
      if (alg !== 'CRC32' && alg !== 'NONE') throw this.toDmError(new Error(`unsupported binlog_checksum ${alg}`), 'setup');
      this.negotiatedAlg = alg === 'CRC32' ? ChecksumAlg.CRC32 : ChecksumAlg.NONE;
      this.checksumAware = true;
    } catch (e) {
      const stopped = this.stoppedOr(session);
      if (stopped) throw stopped;
      // ER_UNKNOWN_SYSTEM_VARIABLE: a server older than checksums (MySQL < 5.6.1) sends none.
      if ((e as { errno?: number }).errno !== 1193) throw isDmError(e) ? e : this.toDmError(e, 'setup');
      this.negotiatedAlg = ChecksumAlg.NONE;
      this.checksumAware = false;
    }
    this.currentAlg = this.negotiatedAlg;
    const heartbeatNs = BigInt(Math.max(0, Math.round(o.heartbeatPeriodMs ?? 30_000))) * 1_000_000n;
    await run(`SET @master_heartbeat_period = ${heartbeatNs}`);

    let start: BinlogDumpStart;
    let flags = 0;
    if (flavor === 'mariadb') {
      // Capability 4 (MARIA_SLAVE_CAPABILITY_GTID): GTID events, annotate rows, binlog checkpoints.
      await run('SET @mariadb_slave_capability = 4');
      flags |= MARIADB_BINLOG_SEND_ANNOTATE_ROWS_EVENT;
    } else {
      // Without a replica UUID MySQL identifies zombie dump threads by server id only.
      await run('SET @slave_uuid = ?, @replica_uuid = ?', [this.replicaUuid, this.replicaUuid]);
    }
    if (this.gtidMode) {
      const set = this.recvGtid!.toString();
      if (flavor === 'mariadb') {
        await run('SET @slave_connect_state = ?', [set]);
        await run('SET @slave_gtid_strict_mode = 0');
        await run('SET @slave_gtid_ignore_duplicates = 0');
        // The server finds the file from the connect state; name and position are ignored.
        start = { kind: 'position', file: '', position: 4 };
      } else {
        if (this.upstreamInfo && !this.upstreamInfo.gtidMode) {
          throw DmError.of(E.RelayTCPReaderStartSyncGTID, [`${set}: the upstream has gtid_mode=${this.upstreamInfo.gtidModeValue ?? 'OFF'}, GTID positioning needs gtid_mode=ON`]);
        }
        start = { kind: 'mysql-gtid', encodedGtidSet: (this.recvGtid as MysqlGtidSet).encode() };
      }
    } else {
      start = { kind: 'position', file: this.recvFile, position: this.recvPos };
    }
    this.checkAlive(session);

    if (resume) this.beginResume();
    const cmd = new BinlogDumpCommand(
      { serverId: o.serverId, start, flags },
      {
        onEvent: (ev) => this.onPacket(session, ev),
        onEnd: (err) => this.sessionEnded(session, err ?? new BinlogServerError(0, '', 'the server ended the binlog dump (EOF)')),
      },
    );
    (conn as unknown as { addCommand(c: unknown): void }).addCommand(cmd);
    try {
      await session.ready.promise;
    } catch (e) {
      throw this.stoppedOr(session) ?? this.toDmError(e, 'dump');
    }
    // The queue may still be full from before a reconnect.
    if (this.paused) socketOf(session).pause();
  }

  private initGtidState(): void {
    const start = this.opts.start;
    if (!('gtidSet' in start)) return;
    const flavor = this.flavorValue!;
    const state: GtidState = flavor === 'mariadb' ? MariadbGtidSet.parse(start.gtidSet) : MysqlGtidSet.parse(start.gtidSet);
    this.recvGtid = state;
    this.deliveredGtid = state.clone();
  }

  /** Throws if the session was replaced or the client stopped meanwhile. */
  private checkAlive(session: Session): void {
    const e = this.stoppedOr(session);
    if (e) throw e;
  }

  private stoppedOr(session: Session): Error | undefined {
    if (this.state === 'stopped' || this.session !== session) return new ReplicaClientStoppedError();
    return undefined;
  }

  /** The session's connection ended or failed (called once per session). */
  private sessionEnded(session: Session, err: Error): void {
    if (session.ended) return;
    session.ended = true;
    if (!session.started) {
      session.ready.reject(err);
      return;
    }
    if (this.session !== session || this.state === 'stopped' || this.state === 'failed') return;
    if (this.isRetryable(err)) {
      void this.reconnect(err);
    } else {
      this.fail(this.toDmError(err, 'stream'));
    }
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    if (!s) return;
    s.ended = true;
    s.ready.reject(new ReplicaClientStoppedError());
    const conn = s.conn as unknown as { destroy(): void; stream?: { destroy(): void } };
    // close() half-closes; destroy the socket too so no handle outlives stop().
    conn.destroy();
    conn.stream?.destroy();
    await s.closed;
  }

  private isRetryable(err: unknown): boolean {
    if (err === null || typeof err !== 'object' || isDmError(err)) return false;
    const errno = (err as { errno?: unknown }).errno;
    // errno 0: the server ended the dump with EOF (e.g. shutting down) or sent garbage: start over.
    if (err instanceof BinlogServerError) return err.errno === 0 || RETRYABLE_ERRNO.has(err.errno);
    const code = codeOf(err);
    if (typeof errno === 'number' && errno > 0 && code.startsWith('ER_')) return RETRYABLE_ERRNO.has(errno);
    if (RETRYABLE_CODES.has(code)) return true;
    // AggregateError from a dual-stack connect: retryable when all parts are.
    if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every((x: unknown) => this.isRetryable(x));
    return false;
  }

  private async reconnect(cause: Error): Promise<void> {
    this.state = 'reconnecting';
    await this.closeSession();
    const { maxRetries, backoffMs } = this.opts.reconnect ?? { maxRetries: 10, backoffMs: 500 };
    let last: Error = cause;
    while (this.consecutiveFailures < maxRetries) {
      this.consecutiveFailures++;
      const attempt = this.consecutiveFailures;
      const delayMs = Math.min(backoffMs * 2 ** (attempt - 1), Math.max(backoffMs, MAX_BACKOFF_MS));
      this.opts.onReconnect?.({ attempt, delayMs, cause: last });
      await new Promise<void>((resolve) => {
        this.wakeReconnect = resolve;
        this.reconnectTimer = setTimeout(resolve, delayMs);
      });
      this.reconnectTimer = undefined;
      this.wakeReconnect = undefined;
      if (this.state !== 'reconnecting') return;
      try {
        await this.openSession(true);
        if (this.state !== 'reconnecting') return;
        this.state = 'running';
        this.statsValue.reconnects++;
        return;
      } catch (e) {
        await this.closeSession();
        if (this.state !== 'reconnecting') return;
        if (e instanceof ReplicaClientStoppedError) return;
        if (isDmError(e) ? !this.isRetryable(e.cause) : !this.isRetryable(e)) {
          this.fail(isDmError(e) ? e : this.toDmError(e, 'stream'));
          return;
        }
        last = e instanceof Error ? e : new Error(String(e));
      }
    }
    const base = isDmError(last) && last.cause !== undefined ? last.cause : last;
    this.fail(this.toDmError(base, 'stream', undefined, `gave up after ${maxRetries} reconnect attempt(s)`));
  }

  private fail(err: DmError): void {
    if (this.state === 'stopped' || this.state === 'failed') return;
    this.state = 'failed';
    this.failure = err;
    void this.closeSession();
    if (this.waiter && this.queueHead >= this.queue.length) {
      const w = this.waiter;
      this.waiter = undefined;
      this.failureReported = true;
      w.reject(err);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Receive side.

  private beginResume(): void {
    const trx = this.gtidMode ? this.tracker.trx : undefined;
    this.resume = { trxEvents: trx?.events ?? 0, trxGtid: trx?.gtid, skipping: 0, sawTrxGtid: false };
  }

  private onPacket(session: Session, raw: Buffer): void {
    if (this.session !== session || session.ended) return;
    try {
      this.handleEvent(raw);
    } catch (e) {
      const err = isDmError(e) ? e : this.toDmError(e, 'stream');
      if (session.started) {
        this.fail(err);
      } else {
        // Still opening (start or reconnect): the opener gets the error and decides.
        session.ended = true;
        session.ready.reject(err);
      }
      return;
    }
    if (!session.started) {
      session.started = true;
      session.ready.resolve();
    }
  }

  private handleEvent(raw: Buffer): void {
    if (raw.length < EVENT_HEADER_LEN) throw this.eventError(`event of ${raw.length} bytes is shorter than its header`, raw);
    const timestamp = raw.readUInt32LE(0);
    const typeCode = raw[4]!;
    const serverId = raw.readUInt32LE(5);
    const eventSize = raw.readUInt32LE(9);
    const logPos = raw.readUInt32LE(13);
    const flags = raw.readUInt16LE(17);
    if (eventSize !== raw.length) throw this.eventError(`event size ${eventSize} in the header but ${raw.length} bytes received`, raw);
    this.statsValue.eventsReceived++;
    this.statsValue.bytesReceived += raw.length;

    let alg = this.currentAlg;
    if (typeCode === EventType.FORMAT_DESCRIPTION) {
      // checksum_alg is the byte before the 4 checksum bytes (present in every FDE of a checksum-aware server).
      alg = this.checksumAware && raw.length >= EVENT_HEADER_LEN + 57 + 5 ? raw[raw.length - 5]! : ChecksumAlg.NONE;
      if (alg === 0xff) alg = ChecksumAlg.NONE; // BINLOG_CHECKSUM_ALG_UNDEF: a pre-checksum binlog
      if (alg !== ChecksumAlg.NONE && alg !== ChecksumAlg.CRC32) throw this.eventError(`unknown checksum algorithm ${alg} in FORMAT_DESCRIPTION_EVENT`, raw);
      this.currentAlg = alg;
    }
    const crcLen = alg === ChecksumAlg.CRC32 ? 4 : 0;
    if (crcLen) {
      if (raw.length < EVENT_HEADER_LEN + 4) throw this.eventError('event too short for its CRC32', raw);
      const stored = raw.readUInt32LE(raw.length - 4);
      const computed = zlib.crc32(raw.subarray(0, raw.length - 4));
      if (stored !== computed) {
        throw this.eventError(`CRC32 checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)}); the binlog or the network corrupted the event`, raw);
      }
    }

    const ev: RawEvent = { timestamp, typeCode, serverId, eventSize, logPos, flags, raw, file: this.streamFile, checksumAlg: alg };
    if (this.gtidMode && typeCode === EventType.GTID_TAGGED) {
      // Its GTID cannot be tracked yet: resuming would repeat or lose transactions. Fail loudly instead.
      throw this.eventError('tagged GTIDs (MySQL 8.3+) are not supported in GTID mode yet; start from a file/position', raw);
    }

    if (isHeartbeat(typeCode)) {
      // Heartbeats are delivered for lag measurement; they never move any position.
      this.statsValue.heartbeats++;
      if (!this.resume) this.consecutiveFailures = 0;
      this.enqueue({ ev, file: this.recvFile, pos: this.recvPos, commit: undefined });
      return;
    }

    // Position after this event, in the stream's file.
    let evFile = this.streamFile;
    let afterFile = this.streamFile;
    let afterPos: number | undefined = logPos > 0 ? logPos : undefined;
    const isRotate = typeCode === EventType.ROTATE;
    const fakeRotate = isRotate && (logPos === 0 || (flags & EventFlag.ARTIFICIAL) !== 0);
    if (isRotate) {
      const b = EVENT_HEADER_LEN;
      if (raw.length < b + 8 + crcLen) throw this.eventError('ROTATE_EVENT too short', raw);
      const nextPos = Number(raw.readBigUInt64LE(b));
      const nextFile = raw.toString('utf8', b + 8, raw.length - crcLen);
      afterFile = nextFile;
      afterPos = nextPos;
      if (fakeRotate) evFile = nextFile;
      this.streamFile = nextFile;
    }

    if (this.resume && this.dropResent(typeCode, raw, evFile, logPos, fakeRotate, serverId)) {
      this.statsValue.duplicatesDropped++;
      return;
    }

    if (fakeRotate) {
      // At stream start: it names the file. Later (new session): only when the file is new to the consumer.
      if (this.fakeRotateDelivered && compareFiles(evFile, this.recvFile) <= 0) {
        this.statsValue.duplicatesDropped++;
        return;
      }
      this.fakeRotateDelivered = true;
    }
    if (typeCode === EventType.FORMAT_DESCRIPTION) {
      if (logPos === 0 && this.fdeFile === evFile) {
        this.statsValue.duplicatesDropped++;
        return;
      }
      this.fdeFile = evFile;
    }

    let commit: GtidRef | undefined;
    if (this.gtidMode) {
      const r = this.tracker.feed(typeCode, raw, serverId, crcLen);
      if (r.completes && r.gtid) {
        commit = r.gtid;
        addToState(this.recvGtid!, r.gtid);
      }
    }
    if (afterPos !== undefined) {
      this.recvFile = afterFile;
      this.recvPos = afterPos;
    }
    // A new event got through: the session is healthy, later failures start a fresh retry budget.
    this.consecutiveFailures = 0;
    this.enqueue({ ev: evFile === ev.file ? ev : { ...ev, file: evFile }, file: this.recvFile, pos: this.recvPos, commit });
  }

  /**
   * After a reconnect: decides whether an event is a re-send of something already queued. Ends the resume
   * phase at the first new event. Throws when the server's stream does not line up with what was received.
   */
  private dropResent(typeCode: number, raw: Buffer, file: string, logPos: number, fakeRotate: boolean, serverId: number): boolean {
    const r = this.resume!;
    if (r.skipping > 0) {
      // Inside the re-sent part of the cut transaction.
      r.skipping--;
      this.statsValue.partialTransactionEventsDropped++;
      if (r.skipping === 0) {
        if (logPos > 0 && comparePositions(file, logPos, this.recvFile, this.recvPos) !== 0) {
          throw this.resumeError(`the re-sent transaction ${gtidRefText(r.trxGtid)} ends at ${file}:${logPos}, but ${this.recvFile}:${this.recvPos} was received before the reconnect`);
        }
        this.resume = undefined;
      }
      return true;
    }
    if (fakeRotate) return compareFiles(file, this.recvFile) <= 0;
    if (typeCode === EventType.FORMAT_DESCRIPTION && logPos === 0) return this.fdeFile === file;
    if (r.trxEvents > 0 && isGtidEvent(typeCode)) {
      const { gtid } = parseGtid(raw, typeCode, serverId);
      if (!sameGtid(gtid, r.trxGtid)) {
        throw this.resumeError(`expected the cut transaction ${gtidRefText(r.trxGtid)} first, got ${gtidRefText(gtid)}`);
      }
      r.sawTrxGtid = true;
      r.skipping = r.trxEvents - 1;
      this.statsValue.partialTransactionEventsDropped++;
      if (r.skipping === 0) this.resume = undefined;
      return true;
    }
    if (logPos === 0) return true; // artificial, no position: nothing new
    if (comparePositions(file, logPos, this.recvFile, this.recvPos) <= 0) return true;
    // The first event after the resume point.
    if (r.trxEvents > 0 && !r.sawTrxGtid) {
      throw this.resumeError(`the server did not re-send the cut transaction ${gtidRefText(r.trxGtid)} (next event at ${file}:${logPos})`);
    }
    this.resume = undefined;
    return false;
  }

  private resumeError(detail: string): DmError {
    return DmError.of(E.RelayTCPReaderGetEvent, [`cannot resume the binlog stream without losing or repeating events: ${detail}`]);
  }

  private eventError(detail: string, raw: Buffer): DmError {
    const type = raw.length > 4 ? raw[4] : undefined;
    const end = raw.length >= 17 ? raw.readUInt32LE(13) : 0;
    const where = end > 0 ? `${this.streamFile}:${end - raw.length} (end ${end})` : `${this.streamFile} after position ${this.recvPos}`;
    return DmError.of(E.RelayTCPReaderGetEvent, [`event type ${type ?? '?'} at ${where}: ${detail}`]);
  }

  // -------------------------------------------------------------------------------------------------------
  // Errors.

  /** Maps any error to a DmError; `phase` says where it happened. The password never survives. */
  private toDmError(e: unknown, phase: 'start' | 'connect' | 'setup' | 'dump' | 'stream', sql?: string, note?: string): DmError {
    if (isDmError(e)) return e;
    const pw = this.opts.password;
    const raw = errorText(e);
    const msg = scrub(note ? `${raw} (${note})` : raw, pw);
    const cause = e instanceof Error && pw.length >= 3 && (e.message.includes(pw) || String(e.stack).includes(pw)) ? new Error(scrub(e.message, pw)) : e;
    const errno = (e as { errno?: unknown }).errno;
    const code = codeOf(e);
    if (errno === 1236) {
      const purged = /purged|could not find first log file|not found in binlog index|could not find gtid state/i.test(raw);
      const where = this.gtidMode ? `GTID set ${this.recvGtid?.toString() ?? ''}` : `${this.recvFile}:${this.recvPos}`;
      const detail = purged
        ? `the binlog position ${where} has been purged from the upstream (ERROR 1236: ${msg}); ` +
          'restart the task from a binlog position that still exists on the upstream (or clean the downstream and run ' +
          '`start-task --remove-meta` to migrate again from a full dump), and keep binlogs longer on the upstream ' +
          '(`expire_logs_days` / `binlog_expire_logs_seconds`)'
        : `reading the binlog from ${where} failed (ERROR 1236: ${msg})`;
      return DmError.of(E.RelayTCPReaderGetEvent, [detail], { cause });
    }
    const serverError = e instanceof BinlogServerError || (typeof errno === 'number' && errno > 0 && code.startsWith('ER_'));
    if (!serverError) {
      // Sockets, TLS, the handshake: a driver error. Anything else (a bug, a decoding failure) while streaming.
      const network = RETRYABLE_CODES.has(code) || e instanceof AggregateError || /^(PROTOCOL_|HANDSHAKE_|ERR_TLS|ERR_SSL|E[A-Z]+$)/.test(code);
      return network || phase !== 'stream' ? DmError.of(E.DBDriverError, [msg], { cause }) : DmError.of(E.RelayTCPReaderGetEvent, [msg], { cause });
    }
    if (phase === 'connect' || phase === 'start' || (typeof errno === 'number' && AUTH_ERRNO.has(errno))) return DmError.of(E.DBDriverError, [msg], { cause });
    if (phase === 'setup' || phase === 'dump') {
      const what = sql ? `${msg} (in \`${sql}\`)` : msg;
      return this.gtidMode
        ? DmError.of(E.RelayTCPReaderStartSyncGTID, [`${this.recvGtid?.toString() ?? ''}: ${what}`], { cause })
        : DmError.of(E.RelayTCPReaderStartSync, [`${this.recvFile}:${this.recvPos}: ${what}`], { cause });
    }
    return DmError.of(E.RelayTCPReaderGetEvent, [msg], { cause });
  }
}

/** The `code` of a Node/mysql2 error ('' when absent). */
function codeOf(e: unknown): string {
  const c = e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  return typeof c === 'string' ? c : '';
}

/** The session's socket (after STARTTLS, the TLS socket). */
function socketOf(session: Session): { pause(): void; resume(): void } {
  return (session.conn as unknown as { stream: { pause(): void; resume(): void } }).stream;
}

/** Access denied and friends: a reconnect cannot fix them. */
const AUTH_ERRNO = new Set([1044, 1045, 1129, 1130, 1131, 1133, 1227, 1251, 1698, 1862, 3118]);
