/**
 * MariaDB GTID positions (`@@gtid_slave_pos`, `@slave_connect_state`, GTID_LIST_EVENT).
 *
 * A MariaDB GTID is `domain-server-seq`. A *position* holds at most one GTID per replication domain:
 * the last transaction replicated in that domain, since sequence numbers grow monotonically within a
 * domain whatever server wrote them. Invariant: `byDomain` holds exactly one GTID per domain present,
 * and the text form lists them sorted by domain id, so `toString()` is canonical.
 *
 * Decisions:
 * - Text with several GTIDs for one domain (the shape of `@@gtid_binlog_state` and of a
 *   GTID_LIST_EVENT, which keep the last GTID of every (domain, server) pair) is accepted and
 *   reduced to the position it implies: per domain, the GTID with the highest seq_no. MariaDB itself
 *   rejects duplicate domains in `gtid_slave_pos`, so we never *print* such text.
 * - `add()` keeps the entry with the higher seq_no whatever its server_id: after a failover the new
 *   primary continues the domain's sequence, so a higher seq_no from another server is later in the
 *   domain's history; a lower or equal seq_no (from any server) is already covered and ignored.
 *   `replace()` is there for callers that must record "the last GTID applied" unconditionally.
 * - `contains`/`union` compare seq_no only (server_id is provenance, not position); `equals` compares
 *   whole GTIDs so that it agrees with `toString()`.
 */
import { BufferReader, TruncatedError } from '../buffer-reader.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import type { GtidSet } from './gtid-set.js';

export interface MariadbGtid {
  readonly domainId: number;
  readonly serverId: number;
  readonly seqNo: bigint;
}

const U32_MAX = 0xffff_ffffn;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** GTID_LIST_EVENT: the low 28 bits of the first word are the count, the top 4 are flags. */
const GTID_LIST_COUNT_MASK = 0x0fff_ffff;

export function formatMariadbGtid(g: MariadbGtid): string {
  return `${g.domainId}-${g.serverId}-${g.seqNo}`;
}

/** Parses one `domain-server-seq` (decimal, surrounding whitespace allowed); undefined when malformed. */
function tryParseGtid(text: string): MariadbGtid | undefined {
  const m = /^\s*([0-9]+)-([0-9]+)-([0-9]+)\s*$/.exec(text);
  if (!m) return undefined;
  const domain = BigInt(m[1]!);
  const server = BigInt(m[2]!);
  const seq = BigInt(m[3]!);
  if (domain > U32_MAX || server > U32_MAX || seq > U64_MAX) return undefined;
  return { domainId: Number(domain), serverId: Number(server), seqNo: seq };
}

/** Parses one `domain-server-seq`; throws ParseGTID when malformed or out of range. */
export function parseMariadbGtid(text: string): MariadbGtid {
  const g = tryParseGtid(text);
  if (!g) throw DmError.of(E.ParseGTID, [text]);
  return g;
}

export class MariadbGtidSet implements GtidSet {
  readonly flavor = 'mariadb' as const;
  private readonly byDomain = new Map<number, MariadbGtid>();

  /**
   * Parses comma-separated GTIDs (`0-1-100,1-2-5`); whitespace around each is allowed, an empty or
   * all-whitespace string is the empty set, empty elements (`a,,b`, trailing comma) are errors.
   */
  static parse(text: string): MariadbGtidSet {
    const set = new MariadbGtidSet();
    if (text.trim() === '') return set;
    for (const part of text.split(',')) {
      const g = tryParseGtid(part);
      if (!g) throw DmError.of(E.BinlogGTIDMariaDBNotValid, [text]);
      set.addGtid(g);
    }
    return set;
  }

  /** The position implied by a list of GTIDs (highest seq_no per domain), e.g. a GTID_LIST_EVENT's. */
  static fromGtids(gtids: Iterable<MariadbGtid>): MariadbGtidSet {
    const set = new MariadbGtidSet();
    for (const g of gtids) set.addGtid(g);
    return set;
  }

  /**
   * Decodes the body (after the common header, without checksum) of GTID_LIST_EVENT: count u32 (low
   * 28 bits; `flags` is the top 4 bits shifted down: 1 = FLAG_UNTIL_REACHED, 2 = FLAG_IGN_GTIDS), then
   * per entry domain_id u32, server_id u32, seq_no u64. Bytes after the entries are ignored: MariaDB
   * reads them the same way, and a MariaDB 10.5.15 binlog in our fixtures has two extra bytes after an
   * empty list.
   */
  static decodeGtidList(buf: Buffer): { flags: number; gtids: MariadbGtid[] } {
    const r = new BufferReader(buf);
    try {
      const word = r.u32();
      const count = word & GTID_LIST_COUNT_MASK;
      if (count * 16 > r.remaining) throw listError(`${count} GTID(s) cannot fit in ${r.remaining} byte(s)`);
      const gtids: MariadbGtid[] = [];
      for (let i = 0; i < count; i++) {
        const domainId = r.u32();
        const serverId = r.u32();
        const seqNo = r.u64();
        gtids.push({ domainId, serverId, seqNo });
      }
      return { flags: word >>> 28, gtids };
    } catch (e) {
      if (e instanceof TruncatedError) throw listError(e.message, e);
      throw e;
    }
  }

  toString(): string {
    return this.gtids().map(formatMariadbGtid).join(',');
  }

  clone(): MariadbGtidSet {
    const c = new MariadbGtidSet();
    for (const [d, g] of this.byDomain) c.byDomain.set(d, g);
    return c;
  }

  isEmpty(): boolean {
    return this.byDomain.size === 0;
  }

  /** Adds `domain-server-seq`: it replaces the domain's GTID only if its seq_no is higher. */
  add(gtid: string): void {
    this.addGtid(parseMariadbGtid(gtid));
  }

  /** Like {@link add}, for a parsed GTID. Returns whether the position moved. */
  addGtid(gtid: MariadbGtid): boolean {
    const g = checked(gtid);
    const cur = this.byDomain.get(g.domainId);
    if (cur && cur.seqNo >= g.seqNo) return false;
    this.byDomain.set(g.domainId, g);
    return true;
  }

  /** Sets the domain's GTID unconditionally (the last GTID applied, even if its seq_no is lower). */
  replace(gtid: string | MariadbGtid): void {
    const g = typeof gtid === 'string' ? parseMariadbGtid(gtid) : checked(gtid);
    this.byDomain.set(g.domainId, g);
  }

  /** The GTID recorded for a domain, if any. */
  get(domainId: number): MariadbGtid | undefined {
    return this.byDomain.get(domainId);
  }

  /** The GTIDs sorted by domain id. */
  gtids(): MariadbGtid[] {
    return [...this.byDomain.values()].sort((a, b) => a.domainId - b.domainId);
  }

  /** Per domain, the GTID with the higher seq_no (this set's on a tie). */
  union(other: GtidSet): MariadbGtidSet {
    const u = this.clone();
    for (const g of asMariadb(other).byDomain.values()) u.addGtid(g);
    return u;
  }

  /** Whether, for every domain of `other`, this set has that domain with a seq_no at least as high. */
  contains(other: GtidSet): boolean {
    for (const g of asMariadb(other).byDomain.values()) {
      const mine = this.byDomain.get(g.domainId);
      if (!mine || mine.seqNo < g.seqNo) return false;
    }
    return true;
  }

  /** Same domains with identical GTIDs (server_id included). */
  equals(other: GtidSet): boolean {
    const o = asMariadb(other);
    if (o.byDomain.size !== this.byDomain.size) return false;
    for (const g of this.byDomain.values()) {
      const h = o.byDomain.get(g.domainId);
      if (!h || h.serverId !== g.serverId || h.seqNo !== g.seqNo) return false;
    }
    return true;
  }
}

/** Validates a GTID built in code (ranges of the wire format) and returns a frozen copy. */
function checked(g: MariadbGtid): MariadbGtid {
  const ok =
    Number.isInteger(g.domainId) && g.domainId >= 0 && g.domainId <= 0xffff_ffff &&
    Number.isInteger(g.serverId) && g.serverId >= 0 && g.serverId <= 0xffff_ffff &&
    typeof g.seqNo === 'bigint' && g.seqNo >= 0n && g.seqNo <= U64_MAX;
  if (!ok) throw DmError.of(E.ParseGTID, [`${g.domainId}-${g.serverId}-${String(g.seqNo)}`]);
  return Object.freeze({ domainId: g.domainId, serverId: g.serverId, seqNo: g.seqNo });
}

function asMariadb(other: GtidSet): MariadbGtidSet {
  if (other instanceof MariadbGtidSet) return other;
  throw DmError.of(E.NotSupportedFlavor, [`${other.flavor} (mixed with a mariadb GTID set)`]);
}

function listError(detail: string, cause?: unknown): DmError {
  return DmError.of(E.BinlogEventDecode, [`MariaDB GTID_LIST_EVENT: ${detail}`], cause === undefined ? undefined : { cause });
}
