/**
 * The replication protocol on a mysql2 connection: a command object for mysql2's internal command queue
 * (`connection.addCommand(cmd)`, the hook @vlasky/zongji also uses) that sends COM_REGISTER_SLAVE, then
 * COM_BINLOG_DUMP or COM_BINLOG_DUMP_GTID, and hands every binlog event to a callback.
 *
 * mysql2 does not export its `Command` base class (package `exports` hides lib/), so this class implements
 * the same duck-typed contract: `execute(packet, connection)` is called with `undefined` once when the
 * command becomes active, then with every packet; it returns true when the command is finished.
 * `onResult(err)` is what mysql2 calls when the connection dies while this command is active.
 *
 * Invariants:
 * - every event handed to `onEvent` is a Buffer the receiver may keep: mysql2's packet parser reuses one
 *   packet object pointing into the socket chunk, so single-packet events are copied; events larger than
 *   16 MB arrive as several protocol packets which mysql2 reassembles into one fresh buffer (kept as is).
 * - `onEnd` is called exactly once: with `undefined` when the server sent EOF, with a {@link BinlogServerError}
 *   for an ERR packet, or with the connection error mysql2 reports.
 */
import { EventEmitter } from 'node:events';
import { OutgoingPacket } from '../mysql/outgoing-packet.js';

/** COM_ codes of the replication protocol. */
const COM_BINLOG_DUMP = 0x12;
const COM_REGISTER_SLAVE = 0x15;
const COM_BINLOG_DUMP_GTID = 0x1e;

/** COM_BINLOG_DUMP flag: send EOF at the end of the binlog instead of waiting. Never set here. */
export const BINLOG_DUMP_NON_BLOCK = 0x01;
/** MariaDB COM_BINLOG_DUMP flag: also send ANNOTATE_ROWS events (MySQL reads the same bit differently). */
export const MARIADB_BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;

/** The server answered the dump with an ERR packet. */
export class BinlogServerError extends Error {
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'BinlogServerError';
  }

  /** Same shape as mysql2's errors, so one classifier handles both. */
  get code(): string {
    return `ER_${this.errno}`;
  }
}

export type BinlogDumpStart =
  | { readonly kind: 'position'; readonly file: string; readonly position: number }
  /** MySQL COM_BINLOG_DUMP_GTID with the binary encoding of the GTID set. */
  | { readonly kind: 'mysql-gtid'; readonly encodedGtidSet: Buffer };

export interface BinlogDumpRequest {
  /** This replica's server id: must be unique among the source's replicas (a duplicate kills the other dump). */
  readonly serverId: number;
  readonly start: BinlogDumpStart;
  /** Dump flags (see the constants above); `BINLOG_DUMP_NON_BLOCK` is rejected. */
  readonly flags?: number;
  /** Shown by SHOW SLAVE HOSTS. */
  readonly reportHost?: string;
  readonly reportPort?: number;
}

export interface BinlogDumpHandlers {
  /** One complete event: header + body + checksum. The buffer is the receiver's to keep. */
  onEvent(event: Buffer): void;
  /** The dump ended: `undefined` on EOF, else the error. Called once. */
  onEnd(err: Error | undefined): void;
}

/** What this command uses of mysql2's Connection (internal API, pinned mysql2 version). */
export interface Mysql2ConnectionInternals {
  _resetSequenceId(): void;
  writePacket(packet: OutgoingPacket): void;
  clientEncoding?: string;
}

/** What this command uses of mysql2's Packet. */
export interface Mysql2Packet {
  buffer: Buffer;
  /** Offset of the payload (after the 4-byte header). */
  offset: number;
  start: number;
  end: number;
  numPackets: number;
  sequenceId: number;
}


type State = (packet: Mysql2Packet | undefined, conn: Mysql2ConnectionInternals) => State | null;

export class BinlogDumpCommand extends EventEmitter {
  private next: State | null = null;
  private ended = false;
  /** Packets received in the event stream (events + final EOF/ERR). */
  packets = 0;

  constructor(
    private readonly request: BinlogDumpRequest,
    private readonly handlers: BinlogDumpHandlers,
  ) {
    super();
    if ((request.flags ?? 0) & BINLOG_DUMP_NON_BLOCK) throw new RangeError('BINLOG_DUMP_NON_BLOCK is not supported: the replica waits for new events');
    if (!Number.isInteger(request.serverId) || request.serverId <= 0 || request.serverId > 0xffffffff) {
      throw new RangeError(`replica server id must be an integer in 1..4294967295, got ${request.serverId}`);
    }
    if (request.start.kind === 'position') {
      const p = request.start.position;
      if (!Number.isInteger(p) || p < 4 || p > 0xffffffff) throw new RangeError(`binlog position must be an integer in 4..4294967295, got ${p}`);
    }
  }

  /** mysql2 calls this when the connection fails while the command is active (or queued). */
  onResult = (err: Error | null): void => {
    this.finish(err ?? new Error('connection closed during binlog dump'));
  };

  /** mysql2's command contract. */
  execute(packet: Mysql2Packet | undefined, conn: Mysql2ConnectionInternals): boolean {
    if (this.ended) return true;
    if (!this.next) {
      this.next = this.sendRegister;
      conn._resetSequenceId();
    }
    if (packet && packet.buffer[packet.offset] === 0xff) {
      this.finish(parseErrPacket(packet, conn.clientEncoding));
      return true;
    }
    this.next = this.next(packet, conn);
    if (this.next) return false;
    this.emit('end');
    return true;
  }

  /** Debug aid mysql2 calls when its `debug` option is on. */
  stateName(): string {
    return this.next === this.sendRegister ? 'sendRegister' : this.next === this.registered ? 'registered' : 'events';
  }

  private finish(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onEnd(err);
  }

  private sendRegister: State = (_packet, conn) => {
    conn.writePacket(registerSlavePacket(this.request));
    return this.registered;
  };

  /** The OK of COM_REGISTER_SLAVE (ERR was handled in execute): start the dump as a new command phase. */
  private registered: State = (_packet, conn) => {
    conn._resetSequenceId();
    conn.writePacket(dumpPacket(this.request));
    return this.events;
  };

  private events: State = (packet) => {
    if (!packet) return this.events;
    this.packets++;
    const first = packet.buffer[packet.offset];
    if (first === 0xfe) {
      // EOF (or an OK with the 0xfe header when CLIENT_DEPRECATE_EOF is on): the server ended the dump.
      this.finish(undefined);
      return null;
    }
    if (first !== 0x00) {
      this.finish(new BinlogServerError(0, 'HY000', `unexpected packet in binlog stream, first byte 0x${(first ?? 0).toString(16)}`));
      return null;
    }
    const from = packet.offset + 1;
    // Reassembled multi-packet payloads are a fresh buffer owned by this packet alone: keep a view.
    // Single packets point into the socket chunk mysql2 hands on, which other packets share: copy.
    const event = packet.numPackets > 1 ? packet.buffer.subarray(from, packet.end) : Buffer.from(packet.buffer.subarray(from, packet.end));
    this.handlers.onEvent(event);
    return this.events;
  };
}

function parseErrPacket(packet: Mysql2Packet, encoding: string | undefined): BinlogServerError {
  const b = packet.buffer;
  let p = packet.offset + 1;
  const errno = p + 2 <= packet.end ? b.readUInt16LE(p) : 0;
  p += 2;
  let sqlState = '';
  if (b[p] === 0x23 /* '#' */) {
    sqlState = b.toString('latin1', p + 1, p + 6);
    p += 6;
  }
  const enc: BufferEncoding = encoding === 'utf8' || encoding === 'latin1' || encoding === 'ascii' ? encoding : 'utf8';
  const message = p < packet.end ? b.toString(enc, p, packet.end) : '';
  return new BinlogServerError(errno, sqlState, message);
}

function registerSlavePacket(r: BinlogDumpRequest): OutgoingPacket {
  const host = Buffer.from(r.reportHost ?? '', 'utf8');
  if (host.length > 255) throw new RangeError('report host longer than 255 bytes');
  // command, server_id, host (len-prefixed), user, password (both empty: never sent), port, rank, master_id
  const buf = Buffer.alloc(4 + 1 + 4 + 1 + host.length + 1 + 1 + 2 + 4 + 4);
  let p = 4;
  buf[p++] = COM_REGISTER_SLAVE;
  buf.writeUInt32LE(r.serverId, p);
  p += 4;
  buf[p++] = host.length;
  host.copy(buf, p);
  p += host.length;
  buf[p++] = 0; // user
  buf[p++] = 0; // password
  buf.writeUInt16LE(r.reportPort ?? 0, p);
  // rank and master id stay 0
  return new OutgoingPacket(buf);
}

function dumpPacket(r: BinlogDumpRequest): OutgoingPacket {
  const flags = r.flags ?? 0;
  const s = r.start;
  if (s.kind === 'position') {
    const name = Buffer.from(s.file, 'utf8');
    // pos u32, flags u16, server_id u32, filename (rest of packet, not terminated)
    const buf = Buffer.alloc(4 + 1 + 4 + 2 + 4 + name.length);
    let p = 4;
    buf[p++] = COM_BINLOG_DUMP;
    buf.writeUInt32LE(s.position, p);
    p += 4;
    buf.writeUInt16LE(flags, p);
    p += 2;
    buf.writeUInt32LE(r.serverId, p);
    p += 4;
    name.copy(buf, p);
    return new OutgoingPacket(buf);
  }
  // flags u16, server_id u32, name_len u32, name (empty: let the server find the file), pos u64 (4),
  // data_size u32, GTID set
  const data = s.encodedGtidSet;
  const buf = Buffer.alloc(4 + 1 + 2 + 4 + 4 + 8 + 4 + data.length);
  let p = 4;
  buf[p++] = COM_BINLOG_DUMP_GTID;
  buf.writeUInt16LE(flags, p);
  p += 2;
  buf.writeUInt32LE(r.serverId, p);
  p += 4;
  buf.writeUInt32LE(0, p);
  p += 4;
  buf.writeBigUInt64LE(4n, p);
  p += 8;
  buf.writeUInt32LE(data.length, p);
  p += 4;
  data.copy(buf, p);
  return new OutgoingPacket(buf);
}
