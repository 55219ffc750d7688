/**
 * Turns the raw bytes of one binlog event into a {@link BinlogEvent}. Stateful per stream: it remembers the
 * latest FORMAT_DESCRIPTION (post-header lengths, checksum algorithm) and the current file name.
 *
 * Invariants:
 * - The CRC32 of every event is verified when the stream uses checksums; a mismatch is an error. An FDE's
 *   checksum covers its bytes with LOG_EVENT_BINLOG_IN_USE_F clear (the server clears the flag on close
 *   without rewriting the checksum).
 * - Any malformed event (truncated, corrupt, impossible length) gives a DmError 11054 naming the file,
 *   offset and event type — never a crash and never a silently wrong value; coded errors of the body
 *   decoders keep their code and gain the same location.
 * - Pre-GA 5.1/5.2 servers that numbered events differently are decoded under today's type codes.
 * - Unknown event types decode to an `unknown` body (with their bytes), so a reader can skip ignorable ones.
 */
import { crc32 } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { BufferReader, TruncatedError } from './buffer-reader.js';
import { EVENT_HEADER_LEN, EventFlag, EventType, eventTypeName } from './event-type.js';
import type { BinlogEvent, EventBody, EventHeader, FormatDescriptionBody, TransactionPayloadBody } from './events.js';
import { DEFAULT_POST_HEADER_LENGTHS, decodeFormatDescription, oldEventTypePermutation } from './event-bodies/format-description.js';
import { decodeQuery } from './event-bodies/query-event.js';
import { decodeTableMap } from './event-bodies/table-map-event.js';
import { decodeRowsEvent, isRowsEvent } from './event-bodies/rows-event.js';
import { decodeMariadbGtid, decodeMysqlGtid, decodeTaggedGtid } from './event-bodies/gtid-events.js';
import {
  decodeBinlogCheckpoint,
  decodeHeartbeat,
  decodeHeartbeatV2,
  decodeIncident,
  decodeRotate,
  decodeXaPrepare,
  decodeXid,
} from './event-bodies/control-events.js';
import { decodeIntvar, decodeRand, decodeUserVar } from './event-bodies/statement-context-events.js';
import { decodeAnnotateRows, decodeRowsQuery } from './event-bodies/annotation-events.js';
import { decodeLoadBlock } from './event-bodies/load-data-events.js';
import { MysqlGtidSet } from './gtid/mysql-gtid-set.js';
import { MariadbGtidSet } from './gtid/mariadb-gtid-set.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

export const CHECKSUM_NONE = 0;
export const CHECKSUM_CRC32 = 1;

export interface EventDecoderOptions {
  /** Verify CRC32 checksums (default true). */
  verifyChecksum?: boolean;
  /**
   * Checksum algorithm to assume before a FORMAT_DESCRIPTION is seen: a dump stream negotiated with
   * `@master_binlog_checksum` sends a fake ROTATE first, already with a checksum.
   */
  checksumAlg?: number;
  /** File name for events decoded before any ROTATE names one. */
  file?: string;
  /**
   * Where the bytes come from (a file on disk), for error messages: a relay log's events belong to the
   * source's binlog files, but a corrupt event must be located in the file that holds it.
   */
  source?: string;
}

export function readHeader(buf: Buffer, at = 0): EventHeader {
  const r = new BufferReader(buf, at);
  return {
    timestamp: r.u32(),
    typeCode: r.u8(),
    serverId: r.u32(),
    eventSize: r.u32(),
    logPos: r.u32(),
    flags: r.u16(),
  };
}

/** Offset of the flags field in the event header. */
const FLAGS_OFFSET = 17;

/**
 * CRC32 of an event's bytes before the checksum. The server clears LOG_EVENT_BINLOG_IN_USE_F in a file's
 * FORMAT_DESCRIPTION when it closes the file without rewriting the checksum, so the checksum of an FDE is
 * always that of the bytes with the flag clear (mysqlbinlog masks it the same way).
 */
function eventCrc(raw: Buffer, header: EventHeader): number {
  const data = raw.subarray(0, raw.length - 4);
  if (header.typeCode !== EventType.FORMAT_DESCRIPTION || (header.flags & EventFlag.BINLOG_IN_USE) === 0) return crc32(data);
  const head = crc32(data.subarray(0, FLAGS_OFFSET));
  const flagByte = crc32(Buffer.of(data[FLAGS_OFFSET]! & ~EventFlag.BINLOG_IN_USE), head);
  return crc32(data.subarray(FLAGS_OFFSET + 1), flagByte);
}

export class EventDecoder {
  private fde: FormatDescriptionBody | undefined;
  private checksumAlg: number | undefined;
  private readonly verify: boolean;
  private readonly source: string | undefined;
  /** Type-code map of pre-GA 5.1/5.2 servers (see oldEventTypePermutation), else undefined. */
  private typeMap: readonly number[] | undefined;
  private readonly tableMaps = new Map<number, { bytes: Buffer; body: EventBody }>();
  /** Name of the binlog file the next events belong to. */
  file: string;

  constructor(opts: EventDecoderOptions = {}) {
    this.verify = opts.verifyChecksum ?? true;
    this.checksumAlg = opts.checksumAlg;
    this.file = opts.file ?? '';
    this.source = opts.source;
  }

  get formatDescription(): FormatDescriptionBody | undefined {
    return this.fde;
  }

  /** Checksum algorithm in force (from the latest FORMAT_DESCRIPTION, or the one assumed at start). */
  get checksum(): number | undefined {
    return this.checksumAlg;
  }

  set checksum(alg: number | undefined) {
    this.checksumAlg = alg;
  }

  /**
   * Decodes one event. `raw` must hold exactly one event (header + body + checksum).
   * @param offset start offset of the event in its file; derived from log_pos when omitted.
   */
  decode(raw: Buffer, offset?: number): BinlogEvent {
    let header: EventHeader | undefined;
    const at = (): number => offset ?? (header && header.logPos > 0 ? header.logPos - header.eventSize : 0);
    try {
      if (raw.length < EVENT_HEADER_LEN) throw new TruncatedError(0, EVENT_HEADER_LEN, raw.length);
      header = readHeader(raw);
      if (header.eventSize !== raw.length) {
        throw new Error(`event size in header is ${header.eventSize} but ${raw.length} bytes were given`);
      }
      return this.decodeChecked(raw, header, at(), true);
    } catch (e) {
      throw this.located(e, header ? eventTypeName(this.typeOf(header)) : 'event', at());
    }
  }

  /**
   * Every decoding failure leaves as a DmError naming the event type, file and offset: plain errors become
   * 11054; coded errors from the body decoders (GTID sets, decimals, charsets) keep their code.
   */
  private located(e: unknown, type: string, offset: number): DmError {
    const where = `${type} at ${this.where(offset)}`;
    if (e instanceof DmError) {
      if (e.def === E.BinlogEventDecode) return DmError.of(E.BinlogEventDecode, [`${where}: ${e.detail.replace(/^decode /, '')}`], { cause: e });
      return new DmError(e.def, `${e.detail} (${where})`, { cause: e });
    }
    const msg = e instanceof Error ? e.message : String(e);
    return DmError.of(E.BinlogEventDecode, [`${where}: ${msg}`], { cause: e });
  }

  /** `file:offset` of an event for error messages; names the file on disk too when it differs. */
  private where(offset: number): string {
    const file = this.file || '<stream>';
    if (this.source === undefined || this.source === this.file) return `${file}:${offset}`;
    return this.file ? `${this.source}:${offset} (binlog ${this.file})` : `${this.source}:${offset}`;
  }

  /** Today's type code of an event (differs from the header's only for pre-GA 5.1/5.2 servers). */
  private typeOf(header: EventHeader): number {
    return this.typeMap?.[header.typeCode] ?? header.typeCode;
  }

  private decodeChecked(raw: Buffer, header: EventHeader, offset: number, outer: boolean): BinlogEvent {
    const type = this.typeOf(header);
    let bodyEnd = raw.length;
    let checksum: number | undefined;
    if (type === EventType.FORMAT_DESCRIPTION) {
      const fde = decodeFormatDescription(raw, EVENT_HEADER_LEN, raw.length);
      if (fde.checksumAlg === CHECKSUM_CRC32) {
        checksum = raw.readUInt32LE(raw.length - 4);
        this.verifyCrc(raw, checksum, header);
      }
      this.fde = fde;
      this.typeMap = oldEventTypePermutation(fde.serverVersion, fde.postHeaderLengths.length);
      this.checksumAlg = fde.checksumAlg ?? CHECKSUM_NONE;
      return this.event(raw, header, offset, fde, checksum, this.file);
    }
    // events inside a TRANSACTION_PAYLOAD have no checksum of their own
    if (outer && this.checksumAlg === CHECKSUM_CRC32) {
      if (raw.length < EVENT_HEADER_LEN + 4) throw new TruncatedError(EVENT_HEADER_LEN, 4, raw.length - EVENT_HEADER_LEN);
      bodyEnd = raw.length - 4;
      checksum = raw.readUInt32LE(bodyEnd);
      this.verifyCrc(raw, checksum, header);
    }
    const fileBefore = this.file;
    const body = this.decodeBody(raw, header, type, bodyEnd, offset);
    if (body.kind !== 'rotate') return this.event(raw, header, offset, body, checksum, fileBefore);
    // a real ROTATE is the last event of its file; a fake one (stream start) names the file that follows
    if (body.nextFile) this.file = body.nextFile;
    return this.event(raw, header, offset, body, checksum, body.fake ? this.file : fileBefore);
  }

  private verifyCrc(raw: Buffer, expected: number, header: EventHeader): void {
    if (!this.verify) return;
    const actual = eventCrc(raw, header);
    if (actual !== expected) {
      throw new Error(`checksum mismatch (event says 0x${expected.toString(16)}, bytes give 0x${actual.toString(16)})`);
    }
  }

  private event(raw: Buffer, header: EventHeader, offset: number, body: EventBody, checksum: number | undefined, file: string): BinlogEvent {
    return { header, type: eventTypeName(this.typeOf(header)), file, offset, raw, checksum, body };
  }

  /**
   * Every transaction repeats the TABLE_MAP of each table it touches, byte for byte: the last body decoded
   * for each table id is reused when the bytes are the same (bodies are immutable).
   */
  private tableMap(raw: Buffer, start: number, end: number, postHeaderLength: number): EventBody {
    const bytes = raw.subarray(start, end);
    const id = bytes.length >= 6 ? bytes.readUIntLE(0, 6) : -1;
    const hit = this.tableMaps.get(id);
    if (hit && hit.bytes.equals(bytes)) return hit.body;
    const body = decodeTableMap(raw, start, end, postHeaderLength);
    if (this.tableMaps.size >= 4096) this.tableMaps.clear();
    this.tableMaps.set(id, { bytes: Buffer.from(bytes), body });
    return body;
  }

  private postHeaderLength(type: number): number {
    const table = this.fde?.postHeaderLengths ?? DEFAULT_POST_HEADER_LENGTHS;
    return table[type - 1] ?? DEFAULT_POST_HEADER_LENGTHS[type - 1] ?? 0;
  }

  /** `type` is today's type code (see typeOf); `offset` the event's start offset. */
  private decodeBody(raw: Buffer, header: EventHeader, type: number, bodyEnd: number, offset: number): EventBody {
    const s = EVENT_HEADER_LEN;
    switch (type) {
      case EventType.QUERY:
        return decodeQuery(raw, s, bodyEnd, this.postHeaderLength(type), false);
      case EventType.MARIADB_QUERY_COMPRESSED:
        return decodeQuery(raw, s, bodyEnd, this.postHeaderLength(EventType.QUERY), true);
      case EventType.EXECUTE_LOAD_QUERY:
        return decodeQuery(raw, s, bodyEnd, this.postHeaderLength(type) || 26, false);
      case EventType.ROTATE:
        return decodeRotate(raw, s, bodyEnd, header);
      case EventType.XID:
        return decodeXid(raw, s, bodyEnd);
      case EventType.STOP:
        return { kind: 'stop' };
      case EventType.INCIDENT:
        return decodeIncident(raw, s, bodyEnd);
      case EventType.HEARTBEAT:
        return decodeHeartbeat(raw, s, bodyEnd, header);
      case EventType.HEARTBEAT_V2:
        return decodeHeartbeatV2(raw, s, bodyEnd, header);
      case EventType.XA_PREPARE:
        return decodeXaPrepare(raw, s, bodyEnd);
      case EventType.INTVAR:
        return decodeIntvar(raw, s, bodyEnd);
      case EventType.RAND:
        return decodeRand(raw, s, bodyEnd);
      case EventType.USER_VAR:
        return decodeUserVar(raw, s, bodyEnd);
      case EventType.TABLE_MAP:
        return this.tableMap(raw, s, bodyEnd, this.postHeaderLength(type));
      case EventType.GTID:
        return decodeMysqlGtid(raw, s, bodyEnd, false);
      case EventType.ANONYMOUS_GTID:
        return decodeMysqlGtid(raw, s, bodyEnd, true);
      case EventType.GTID_TAGGED:
        return decodeTaggedGtid(raw, s, bodyEnd);
      case EventType.PREVIOUS_GTIDS:
        return { kind: 'previous_gtids', gtidSet: MysqlGtidSet.decode(raw.subarray(s, bodyEnd)).toString() };
      case EventType.TRANSACTION_PAYLOAD:
        return this.decodeTransactionPayload(raw, s, bodyEnd, offset);
      case EventType.ROWS_QUERY:
        return decodeRowsQuery(raw, s, bodyEnd);
      case EventType.MARIADB_ANNOTATE_ROWS:
        return decodeAnnotateRows(raw, s, bodyEnd);
      case EventType.MARIADB_BINLOG_CHECKPOINT:
        return decodeBinlogCheckpoint(raw, s, bodyEnd);
      case EventType.MARIADB_GTID:
        return decodeMariadbGtid(raw, s, bodyEnd, header.serverId);
      case EventType.MARIADB_GTID_LIST: {
        const { gtids } = MariadbGtidSet.decodeGtidList(raw.subarray(s, bodyEnd));
        const set = new MariadbGtidSet();
        for (const g of gtids) set.add(`${g.domainId}-${g.serverId}-${g.seqNo}`);
        return { kind: 'mariadb_gtid_list', gtids, gtidSet: set.toString() };
      }
      case EventType.BEGIN_LOAD_QUERY:
      case EventType.APPEND_BLOCK:
        return decodeLoadBlock(raw, s, bodyEnd);
      default:
        if (isRowsEvent(type)) return decodeRowsEvent(type, raw, s, bodyEnd, this.postHeaderLength(this.rowsPostHeaderType(type)));
        return { kind: 'unknown', ignorable: (header.flags & EventFlag.IGNORABLE) !== 0, body: raw.subarray(s, bodyEnd) };
    }
  }

  /** MariaDB compressed rows events share the post-header of their uncompressed twins. */
  private rowsPostHeaderType(type: number): number {
    if (type >= EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1 && type <= EventType.MARIADB_DELETE_ROWS_COMPRESSED_V1)
      return type - EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1 + EventType.WRITE_ROWS_V1;
    if (type >= EventType.MARIADB_WRITE_ROWS_COMPRESSED && type <= EventType.MARIADB_DELETE_ROWS_COMPRESSED)
      return type - EventType.MARIADB_WRITE_ROWS_COMPRESSED + EventType.WRITE_ROWS_V2;
    return type;
  }

  /**
   * TRANSACTION_PAYLOAD (MySQL 8.0.20+ binlog_transaction_compression): (type, length, value) header fields
   * with packed integers, an end mark, then the zstd-compressed events of one transaction.
   */
  private decodeTransactionPayload(raw: Buffer, s: number, bodyEnd: number, outerOffset: number): TransactionPayloadBody {
    const r = new BufferReader(raw, s, bodyEnd);
    let payloadSize = 0;
    let compressionType = 0;
    let uncompressedSize = 0;
    for (;;) {
      const type = r.lenenc();
      if (type === 0) break; // OTW_PAYLOAD_HEADER_END_MARK
      const len = r.lenenc();
      const f = new BufferReader(raw, r.pos, r.pos + len);
      r.skip(len);
      if (type === 1) payloadSize = f.lenenc();
      else if (type === 2) compressionType = f.lenenc();
      else if (type === 3) uncompressedSize = f.lenenc();
    }
    const payload = payloadSize > 0 ? r.bytes(Math.min(payloadSize, r.remaining)) : r.rest();
    let plain: Buffer;
    if (compressionType === 0) {
      const out = zstdDecompress(payload);
      plain = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    } else if (compressionType === 255) {
      plain = Buffer.from(payload);
    } else {
      throw new Error(`unknown transaction payload compression type ${compressionType}`);
    }
    if (uncompressedSize && plain.length !== uncompressedSize) {
      throw new Error(`transaction payload uncompressed to ${plain.length} bytes, header says ${uncompressedSize}`);
    }
    const events: BinlogEvent[] = [];
    for (let p = 0; p < plain.length; ) {
      const h = readHeader(plain, p);
      if (h.eventSize < EVENT_HEADER_LEN || p + h.eventSize > plain.length) {
        throw new Error(`inner event at payload offset ${p} has impossible size ${h.eventSize}`);
      }
      // inner events report the payload event's own offset: that is where a reader can resume
      events.push(this.decodeChecked(plain.subarray(p, p + h.eventSize), h, outerOffset, false));
      p += h.eventSize;
    }
    return { kind: 'transaction_payload', compressionType, payloadSize, uncompressedSize, events };
  }
}
