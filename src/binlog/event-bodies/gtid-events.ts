/**
 * Transaction identity events: MySQL GTID / ANONYMOUS_GTID, MySQL 8.3+ GTID_TAGGED (mysql::serialization
 * format), and MariaDB GTID (seq_no, domain, flags, optional commit id / XA xid).
 */
import { BufferReader } from '../buffer-reader.js';
import type { MariadbGtidBody, MysqlGtidBody } from '../events.js';

export function formatUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Commit timestamps are 7 bytes; the top bit of the immediate one says the original one follows. */
export function decodeMysqlGtid(buf: Buffer, bodyStart: number, bodyEnd: number, anonymous: boolean): MysqlGtidBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const flags = r.u8();
  const sid = formatUuid(r.bytes(16));
  const gno = r.i64();
  const out: { -readonly [K in keyof MysqlGtidBody]: MysqlGtidBody[K] } = {
    kind: 'gtid',
    anonymous,
    flags,
    sid,
    tag: undefined,
    gno,
    gtid: anonymous ? 'ANONYMOUS' : `${sid}:${gno}`,
  };
  // logical clock (5.7+)
  if (r.remaining >= 17 && r.buf[r.pos] === 2) {
    r.skip(1);
    out.lastCommitted = r.i64();
    out.sequenceNumber = r.i64();
  }
  if (r.remaining >= 7) {
    let ts = BigInt(r.uintLE(6)) | (BigInt(r.u8()) << 48n);
    const hasOriginal = (ts & (1n << 55n)) !== 0n;
    ts &= ~(1n << 55n);
    out.immediateCommitTimestamp = ts;
    out.originalCommitTimestamp = hasOriginal ? BigInt(r.uintLE(6)) | (BigInt(r.u8()) << 48n) : ts;
  }
  if (r.remaining >= 1) {
    const len = r.lenencInt();
    if (len !== null) out.transactionLength = BigInt(len);
  }
  if (r.remaining >= 4) {
    const v = r.u32();
    const hasOriginal = (v & 0x80000000) !== 0;
    out.immediateServerVersion = v & 0x7fffffff;
    out.originalServerVersion = hasOriginal && r.remaining >= 4 ? r.u32() : out.immediateServerVersion;
  }
  return out;
}

/**
 * mysql::serialization variable-length unsigned integer: the number of trailing one bits in the first
 * byte gives the number of extra bytes; the value is the little-endian whole shifted right past them.
 */
function varlenU(r: BufferReader): bigint {
  const first = r.buf[r.pos];
  if (first === undefined) r.need(1);
  let ones = 0;
  while (ones < 8 && (first! >> ones) & 1) ones++;
  if (ones === 8) {
    r.skip(1);
    return r.u64();
  }
  const n = ones + 1;
  r.need(n);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.buf[r.pos + i]!);
  r.pos += n;
  return v >> BigInt(n);
}

function varlenI(r: BufferReader): bigint {
  const u = varlenU(r);
  return (u >> 1n) ^ -(u & 1n);
}

/** GTID_TAGGED_LOG_EVENT (MySQL 8.3+): a serialized message of numbered fields. */
export function decodeTaggedGtid(buf: Buffer, bodyStart: number, bodyEnd: number): MysqlGtidBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  varlenU(r); // serialization format version
  const size = Number(varlenU(r));
  const end = Math.min(bodyEnd, bodyStart + size);
  varlenU(r); // last non-ignorable field id
  let flags = 0;
  let sid = '';
  let gno = 0n;
  let tag: string | undefined;
  const extra: Partial<Record<'lastCommitted' | 'sequenceNumber' | 'immediateCommitTimestamp' | 'originalCommitTimestamp' | 'transactionLength', bigint>> &
    Partial<Record<'immediateServerVersion' | 'originalServerVersion', number>> = {};
  while (r.pos < end) {
    const id = Number(varlenU(r));
    switch (id) {
      case 0:
        flags = Number(varlenU(r));
        break;
      case 1: {
        const u = Buffer.alloc(16);
        for (let i = 0; i < 16; i++) u[i] = Number(varlenU(r));
        sid = formatUuid(u);
        break;
      }
      case 2:
        gno = varlenI(r);
        break;
      case 3: {
        const len = Number(varlenU(r));
        tag = r.str(len);
        break;
      }
      case 4:
        extra.lastCommitted = varlenI(r);
        break;
      case 5:
        extra.sequenceNumber = varlenI(r);
        break;
      case 6:
        extra.immediateCommitTimestamp = varlenU(r);
        break;
      case 7:
        extra.originalCommitTimestamp = varlenU(r);
        break;
      case 8:
        extra.transactionLength = varlenU(r);
        break;
      case 9:
        extra.immediateServerVersion = Number(varlenU(r));
        break;
      case 10:
        extra.originalServerVersion = Number(varlenU(r));
        break;
      case 11: // commit_group_ticket
        varlenU(r);
        break;
      default:
        throw new Error(`unknown field ${id} in GTID_TAGGED event at offset ${r.pos}`);
    }
  }
  // omitted "original" fields equal the immediate ones
  extra.originalCommitTimestamp ??= extra.immediateCommitTimestamp;
  extra.originalServerVersion ??= extra.immediateServerVersion;
  return {
    kind: 'gtid',
    anonymous: false,
    flags,
    sid,
    tag: tag || undefined,
    gno,
    gtid: tag ? `${sid}:${tag}:${gno}` : `${sid}:${gno}`,
    ...extra,
  };
}

const FL_STANDALONE = 1;
const FL_GROUP_COMMIT_ID = 2;
const FL_PREPARED_XA = 64;
const FL_COMPLETED_XA = 128;

export function decodeMariadbGtid(buf: Buffer, bodyStart: number, bodyEnd: number, serverId: number): MariadbGtidBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const seqNo = r.u64();
  const domainId = r.u32();
  const flags2 = r.u8();
  const out: { -readonly [K in keyof MariadbGtidBody]: MariadbGtidBody[K] } = {
    kind: 'mariadb_gtid',
    domainId,
    serverId,
    seqNo,
    flags2,
    gtid: `${domainId}-${serverId}-${seqNo}`,
    standalone: (flags2 & FL_STANDALONE) !== 0,
  };
  if (flags2 & FL_GROUP_COMMIT_ID) out.commitId = r.u64();
  if (flags2 & (FL_PREPARED_XA | FL_COMPLETED_XA)) {
    const formatId = r.u32();
    const gl = r.u8();
    const bl = r.u8();
    out.xa = { formatId, gtrid: Buffer.from(r.bytes(gl)), bqual: Buffer.from(r.bytes(bl)) };
  }
  return out;
}
