/**
 * A text-protocol SELECT whose rows are handed over as raw packet bytes, never parsed into JS values: the
 * dump's hot path turns those bytes straight into SQL text (see row-encoder.ts). It is a command object for
 * mysql2's internal command queue, the same duck-typed contract src/binlog/binlog-dump-command.ts uses:
 * `execute(packet, conn)` is called once with `undefined` when the command becomes active, then with every
 * packet, and returns true when finished; mysql2 calls `onResult(err)` when the connection dies meanwhile.
 *
 * Packet reading: while the command runs, mysql2's packet parser (`conn.packetParser`, which the socket's
 * data listener calls for every chunk) is swapped for this command's own reader, which cuts packets out
 * of the socket chunks and hands rows on without mysql2's per-packet work (measured ≈ 100-150 ns per row
 * of the dump's CPU). The swap happens between two packets: when the command starts the server has not
 * answered yet, and the result set's final EOF/ERR packet is handed back through mysql2's `handlePacket`
 * after the original parser is restored, so mysql2's queue, sequence ids and error handling continue as
 * if it had parsed everything. With the compressed protocol the command uses mysql2's packets instead.
 *
 * Invariants:
 * - `onRow` receives a view into a socket chunk (or a reassembled packet) that is valid only during the
 *   call: the receiver copies what it needs. Rows in one chunk are back to back with their 4-byte headers
 *   (row-encoder.ts relies on this layout, checking it against the row's own header).
 * - `onEnd` is called exactly once: `undefined` after the final EOF, else the server's ERR (a
 *   {@link ServerError} with errno/sqlState like mysql2's errors) or the connection error. An exception in
 *   `onRow` ends the command with that error and destroys the connection (its state is unknown).
 * - Backpressure: the owner pauses/resumes the connection ({@link pauseConnection}); the chunk being read is
 *   finished (≤ 64 KiB) and TCP flow control then stops the server.
 * - Only result sets of one statement are supported (no multi-statement, no LOCAL INFILE).
 */
import type { Connection } from 'mysql2/promise';
import { OutgoingPacket } from '../../mysql/outgoing-packet.js';

const COM_QUERY = 0x03;
const CLIENT_QUERY_ATTRIBUTES = 0x08000000;

/** An ERR packet from the server, shaped like mysql2's errors so driverError/classifiers handle it. */
export class ServerError extends Error {
  readonly code: string;
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    readonly sqlMessage: string,
  ) {
    super(sqlMessage);
    this.name = 'ServerError';
    this.code = `ER_${errno}`;
  }
}

export interface RawQueryHandlers {
  /** The result has `count` columns (called once, before any row). */
  onFields?(count: number): void;
  /** One row: `buf[start, end)` is the text-protocol row payload, valid only during this call. */
  onRow(buf: Buffer, start: number, end: number): void;
  onEnd(err: Error | undefined): void;
}

/** What this module uses of mysql2's core Connection (internal API, pinned mysql2 version). */
interface CoreConnection {
  _resetSequenceId(): void;
  writePacket(packet: { length(): number; writeHeader(seq: number): void; buffer: Buffer }): void;
  addCommand(cmd: unknown): void;
  handlePacket(packet: Mysql2Packet): void;
  pause(): void;
  resume(): void;
  config: { clientFlags: number; compress?: boolean };
  serverCapabilityFlags?: number;
  sequenceId: number;
  packetParser: { execute(chunk: Buffer): unknown };
  stream?: { destroy(err?: Error): void };
}

interface Mysql2Packet {
  buffer: Buffer;
  offset: number;
  start: number;
  end: number;
  sequenceId: number;
  numPackets: number;
}

const MAX_PACKET = 0xffffff;


function core(conn: Connection): CoreConnection {
  return (conn as unknown as { connection: CoreConnection }).connection;
}

/** Pauses reading from the connection's socket (packets already received are queued by mysql2). */
export function pauseConnection(conn: Connection): void {
  core(conn).pause();
}

export function resumeConnection(conn: Connection): void {
  core(conn).resume();
}

type Phase = 'start' | 'header' | 'fields' | 'rows' | 'done';

export class RawQueryCommand {
  private phase: Phase = 'start';
  private fieldsLeft = 0;
  private ended = false;
  rows = 0;
  /** The connection whose packet parser is swapped out while the command reads. */
  private conn: CoreConnection | undefined;
  private savedParser: CoreConnection['packetParser'] | undefined;
  /** A packet cut by the end of a chunk: its bytes so far (header included). */
  private pend: Buffer | undefined;
  private pendFill = 0;
  /** Payloads of a packet ≥ 16 MiB (sent as several protocol packets). */
  private large: Buffer[] = [];

  constructor(
    private readonly sql: string,
    private readonly handlers: RawQueryHandlers,
  ) {}

  /** mysql2 calls this when the connection fails while the command is active or queued. */
  onResult = (err: Error | null): void => {
    this.restoreParser();
    this.finish(err ?? new Error('connection closed during query'));
  };

  stateName(): string {
    return this.phase;
  }

  /** mysql2's command contract. */
  execute(packet: Mysql2Packet | undefined, conn: CoreConnection): boolean {
    if (this.ended) return true;
    if (this.phase === 'start') {
      conn._resetSequenceId();
      if (!conn.config.compress && conn.packetParser) {
        this.conn = conn;
        this.savedParser = conn.packetParser;
        conn.packetParser = { execute: (chunk: Buffer) => this.onChunk(chunk) };
      }
      conn.writePacket(this.queryPacket(conn));
      this.phase = 'header';
      return false;
    }
    if (!packet) return false;
    return this.onPacket(packet.buffer, packet.offset, packet.end);
  }

  /** One packet payload `b[s, e)`; true when it ended the result. */
  private onPacket(b: Buffer, s: number, e: number): boolean {
    const first = b[s];
    if (first === 0xff) {
      this.finish(parseErr(b, s, e));
      return true;
    }
    switch (this.phase) {
      case 'rows':
        if (first === 0xfe && e - s < 9) {
          this.finish(undefined);
          return true;
        }
        this.rows++;
        this.handlers.onRow(b, s, e);
        return false;
      case 'header':
        if (first === 0x00) {
          // OK: the statement returned no result set
          this.handlers.onFields?.(0);
          this.finish(undefined);
          return true;
        }
        if (first === 0xfb) {
          this.finish(new Error('LOCAL INFILE request in a dump query'));
          return true;
        }
        this.fieldsLeft = readLenencInt(b, s);
        this.handlers.onFields?.(this.fieldsLeft);
        this.phase = 'fields';
        return false;
      case 'fields':
        if (this.fieldsLeft > 0) {
          this.fieldsLeft--;
          return false;
        }
        // the EOF after the column definitions
        this.phase = 'rows';
        return false;
      default:
        return true;
    }
  }

  /** The swapped-in packet parser: cuts the socket chunk into packets. */
  private onChunk(chunk: Buffer): void {
    try {
      this.readChunk(chunk);
    } catch (e) {
      // a failing receiver: the rest of the result can't be read sensibly
      const err = e instanceof Error ? e : new Error(String(e));
      const conn = this.conn;
      this.restoreParser();
      this.finish(err);
      conn?.stream?.destroy(err);
    }
  }

  private readChunk(chunk: Buffer): void {
    const n = chunk.length;
    let p = 0;
    if (this.pend) {
      p = this.fillPending(chunk);
      if (this.pend) return;
    }
    while (p + 4 <= n) {
      const len = chunk[p]! | (chunk[p + 1]! << 8) | (chunk[p + 2]! << 16);
      const end = p + 4 + len;
      if (end > n) break;
      if (this.packet(chunk, p, end)) {
        this.handBack(chunk, p, end, chunk.subarray(end));
        return;
      }
      p = end;
    }
    if (p < n) {
      // the start of a packet whose rest comes with the next chunk
      const avail = n - p;
      const size = avail >= 4 ? 4 + (chunk[p]! | (chunk[p + 1]! << 8) | (chunk[p + 2]! << 16)) : 4;
      this.pend = Buffer.allocUnsafe(Math.max(size, avail));
      chunk.copy(this.pend, 0, p, n);
      this.pendFill = avail;
    }
  }

  /** Completes the pending packet from `chunk`; returns where the chunk's unread bytes start. */
  private fillPending(chunk: Buffer): number {
    let pend = this.pend!;
    let p = 0;
    if (this.pendFill < 4) {
      const take = Math.min(4 - this.pendFill, chunk.length);
      chunk.copy(pend, this.pendFill, 0, take);
      this.pendFill += take;
      p = take;
      if (this.pendFill < 4) return p;
      const size = 4 + (pend[0]! | (pend[1]! << 8) | (pend[2]! << 16));
      const grown = Buffer.allocUnsafe(size);
      pend.copy(grown, 0, 0, 4);
      this.pend = pend = grown;
    }
    const take = Math.min(pend.length - this.pendFill, chunk.length - p);
    chunk.copy(pend, this.pendFill, p, p + take);
    this.pendFill += take;
    p += take;
    if (this.pendFill < pend.length) return p;
    this.pend = undefined;
    if (this.packet(pend, 0, pend.length)) {
      this.handBack(pend, 0, pend.length, chunk.subarray(p));
      return chunk.length;
    }
    return p;
  }

  /** A whole packet at `b[h, e)` (header at h); true when it was the final one of the result. */
  private packet(b: Buffer, h: number, e: number): boolean {
    const len = e - h - 4;
    if (len === MAX_PACKET || this.large.length > 0) {
      // a payload ≥ 16 MiB arrives in parts of 0xffffff bytes, ended by a shorter part
      this.large.push(Buffer.from(b.subarray(h + 4, e)));
      if (len === MAX_PACKET) return false;
      const whole = Buffer.concat([Buffer.alloc(4), ...this.large]);
      this.large = [];
      return this.onPacket(whole, 4, whole.length);
    }
    return this.onPacket(b, h + 4, e);
  }

  /**
   * Gives the final packet (at `b[h, e)`) to mysql2 so its command queue moves on, then any bytes after it
   * (there are none: the server sends nothing unasked) to mysql2's parser.
   */
  private handBack(b: Buffer, h: number, e: number, rest: Buffer): void {
    const conn = this.conn!;
    const parser = this.savedParser;
    this.restoreParser();
    const packet: Mysql2Packet & { clone(): Mysql2Packet } = {
      buffer: b,
      start: h,
      offset: h + 4,
      end: e,
      sequenceId: conn.sequenceId,
      numPackets: 1,
      // a paused connection queues a copy of the packet and handles it on resume
      clone: () => ({ ...packet }),
    };
    // `ended` is set: mysql2's call of execute() returns true and it starts the next command
    conn.handlePacket(packet);
    if (rest.length > 0) parser?.execute(rest);
  }

  private restoreParser(): void {
    if (this.conn && this.savedParser) this.conn.packetParser = this.savedParser;
    this.savedParser = undefined;
  }

  private queryPacket(conn: CoreConnection): OutgoingPacket {
    const attrs = (conn.config.clientFlags & (conn.serverCapabilityFlags ?? 0) & CLIENT_QUERY_ATTRIBUTES) !== 0;
    const head = attrs ? 7 : 5;
    const sqlLen = Buffer.byteLength(this.sql, 'utf8');
    const buf = Buffer.allocUnsafe(head + sqlLen);
    buf[4] = COM_QUERY;
    if (attrs) {
      buf[5] = 0; // parameter_count
      buf[6] = 1; // parameter_set_count
    }
    buf.write(this.sql, head, 'utf8');
    return new OutgoingPacket(buf);
  }

  private finish(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.phase = 'done';
    this.handlers.onEnd(err);
  }
}

/** Runs `sql` on `conn`, streaming raw rows to `handlers`. Resolves when the result ended. */
export function rawQuery(conn: Connection, sql: string, handlers: Omit<RawQueryHandlers, 'onEnd'>): Promise<number> {
  return new Promise((resolve, reject) => {
    const cmd: RawQueryCommand = new RawQueryCommand(sql, {
      ...handlers,
      onEnd: (err) => (err ? reject(err) : resolve(cmd.rows)),
    });
    core(conn).addCommand(cmd);
  });
}

function readLenencInt(b: Buffer, p: number): number {
  const c = b[p]!;
  if (c < 0xfb) return c;
  if (c === 0xfc) return b.readUInt16LE(p + 1);
  if (c === 0xfd) return b.readUIntLE(p + 1, 3);
  return Number(b.readBigUInt64LE(p + 1));
}

function parseErr(b: Buffer, start: number, end: number): ServerError {
  let p = start + 1;
  const errno = p + 2 <= end ? b.readUInt16LE(p) : 0;
  p += 2;
  let sqlState = 'HY000';
  if (b[p] === 0x23 /* '#' */) {
    sqlState = b.toString('latin1', p + 1, p + 6);
    p += 6;
  }
  return new ServerError(errno, sqlState, p < end ? b.toString('utf8', p, end) : '');
}

/** A text-protocol row payload (what the server sends for a row): each value length-encoded, NULL as 0xfb. */
export function textRowPayload(values: ReadonlyArray<Buffer | string | null>): Buffer {
  const parts: Buffer[] = [];
  for (const v of values) {
    if (v === null) {
      parts.push(Buffer.from([0xfb]));
      continue;
    }
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const n = b.length;
    if (n < 0xfb) parts.push(Buffer.from([n]));
    else if (n < 0x10000) parts.push(Buffer.from([0xfc, n & 0xff, n >> 8]));
    else if (n < 0x1000000) parts.push(Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]));
    else {
      const h = Buffer.alloc(9);
      h[0] = 0xfe;
      h.writeUInt32LE(n, 1);
      parts.push(h);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}
