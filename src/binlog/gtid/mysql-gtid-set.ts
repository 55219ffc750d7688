/**
 * MySQL GTID sets (`@@gtid_executed`, PREVIOUS_GTIDS_LOG_EVENT, COM_BINLOG_DUMP_GTID), including the
 * tagged GTIDs of MySQL 8.3+ (`uuid:tag:gno`).
 *
 * A set maps a TSID (a source UUID plus an optional tag) to the GNOs executed for it. GNOs are kept as
 * half-open intervals [start, end) — the form of MySQL's binary encoding — and for every TSID the list
 * is sorted, disjoint and never has two touching intervals (touching ones are merged), and is never
 * empty (a TSID with no GNOs is dropped). That normal form is what makes `toString()` canonical.
 *
 * Text form, as MySQL prints it (Gtid_set::to_string): TSIDs ordered by UUID then tag (untagged
 * first, tags in byte order), a UUID written once followed by its untagged intervals and then
 * `:tag:intervals` for each tag, intervals joined by ':' and written `a-b`, or `a` alone when a==b.
 * The server separates UUIDs with ",\n"; we print ',' (what DM stores and shows) unless asked.
 *
 * Binary form (Gtid_set::encode / add_gtid_encoding in sql/rpl_gtid_set.cc):
 *   untagged: n_sids u64 LE (top byte 0), then per TSID: 16-byte UUID, n_intervals u64,
 *             n_intervals × (start u64, end u64 exclusive).
 *   tagged (8.3+): the first 8 bytes are [format=1][n_sids: 6 bytes LE][format=1]; every TSID's UUID
 *             is followed by its tag as a length-prefixed string whose length is a MySQL
 *             serialization varlen integer (one byte, length<<1, for tags up to 32 characters; 0 for
 *             untagged TSIDs); the rest is as above.
 * We encode untagged unless the set holds tagged GTIDs, like the server.
 */
import { BufferReader, TruncatedError } from '../buffer-reader.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import type { GtidSet } from './gtid-set.js';

/** Largest GNO MySQL accepts (GNO_END - 1, GNO_END being INT64_MAX). */
export const MYSQL_MAX_GNO = (1n << 63n) - 2n;
const GNO_END = MYSQL_MAX_GNO + 1n;
const TAG_MAX_LENGTH = 32;
const UUID_TEXT_LENGTH = 36;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TAG_RE = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
/** Binary format markers (mysql::gtid::Gtid_format). */
const FORMAT_UNTAGGED = 0;
const FORMAT_TAGGED = 1;

/** One run of consecutive GNOs, inclusive at both ends (what the text form shows). */
export interface GnoRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** The GNOs of one TSID. `tag` is '' for untagged GTIDs. */
export interface MysqlGtidSetEntry {
  readonly uuid: string;
  readonly tag: string;
  readonly ranges: readonly GnoRange[];
}

/** Half-open [start, end): mutable only inside this module. */
type Interval = [start: bigint, end: bigint];

export class MysqlGtidSet implements GtidSet {
  readonly flavor = 'mysql' as const;
  /** TSID key (`uuid` or `uuid:tag`, lower case) → normalised intervals. */
  private readonly sets = new Map<string, Interval[]>();

  /**
   * Parses MySQL's text form. Accepted as the server accepts it: whitespace around every token
   * (so `@@gtid_executed`'s ",\n" works), empty elements between commas, upper-case UUIDs and tags,
   * overlapping or unsorted intervals (merged), a UUID or tag with no interval (adds nothing).
   * Stricter than the server, on purpose: GNOs must be plain decimal without leading zeros (the
   * server's strtoll would read `010` as octal 8 and `0x10` as hex — never what a user meant), and an
   * inverted interval `5-3` is an error (the server silently ignores it, hiding a typo).
   */
  static parse(text: string): MysqlGtidSet {
    const set = new MysqlGtidSet();
    new TextParser(text, (key, start, end) => set.insert(key, start, end)).run();
    return set;
  }

  /** Decodes a whole buffer holding one encoded set (the body of PREVIOUS_GTIDS_LOG_EVENT, without checksum). */
  static decode(buf: Buffer): MysqlGtidSet {
    const r = new BufferReader(buf);
    const set = MysqlGtidSet.read(r);
    if (r.remaining !== 0) throw decodeError(`${r.remaining} unexpected trailing byte(s) at offset ${r.pos}`);
    return set;
  }

  /** Reads one encoded set at the reader's position, leaving it just after. */
  static read(r: BufferReader): MysqlGtidSet {
    const set = new MysqlGtidSet();
    try {
      readEncoded(r, (key, start, end) => set.insert(key, start, end));
      return set;
    } catch (e) {
      if (e instanceof TruncatedError) throw decodeError(e.message, e);
      throw e;
    }
  }

  toString(separator = ','): string {
    const parts: string[] = [];
    let prevUuid = '';
    let cur = '';
    for (const key of this.sortedKeys()) {
      const uuid = key.slice(0, UUID_TEXT_LENGTH);
      if (uuid !== prevUuid) {
        if (prevUuid !== '') parts.push(cur);
        cur = uuid;
        prevUuid = uuid;
      }
      if (key.length > UUID_TEXT_LENGTH) cur += key.slice(UUID_TEXT_LENGTH); // ':tag'
      for (const [start, end] of this.sets.get(key)!) cur += end - start > 1n ? `:${start}-${end - 1n}` : `:${start}`;
    }
    if (prevUuid !== '') parts.push(cur);
    return parts.join(separator);
  }

  clone(): MysqlGtidSet {
    const c = new MysqlGtidSet();
    for (const [k, ivs] of this.sets) c.sets.set(k, ivs.map(([s, e]): Interval => [s, e]));
    return c;
  }

  isEmpty(): boolean {
    return this.sets.size === 0;
  }

  /** Whether any GTID of the set is tagged (then `encode()` uses the 8.3+ tagged format). */
  hasTags(): boolean {
    for (const k of this.sets.keys()) if (k.length > UUID_TEXT_LENGTH) return true;
    return false;
  }

  /** Adds one GTID written `uuid:gno` or `uuid:tag:gno`; throws ParseGTID when malformed. */
  add(gtid: string): void {
    const parts = gtid.split(':').map((p) => p.trim());
    if (parts.length !== 2 && parts.length !== 3) throw DmError.of(E.ParseGTID, [gtid]);
    const uuid = parts[0]!;
    const tag = parts.length === 3 ? parts[1]! : '';
    const gnoText = parts[parts.length - 1]!;
    if (!UUID_RE.test(uuid) || (parts.length === 3 && !TAG_RE.test(tag)) || !/^[1-9][0-9]*$/.test(gnoText)) {
      throw DmError.of(E.ParseGTID, [gtid]);
    }
    const gno = BigInt(gnoText);
    if (gno > MYSQL_MAX_GNO) throw DmError.of(E.ParseGTID, [gtid]);
    this.insert(tsidKey(uuid, tag), gno, gno + 1n);
  }

  /** Adds one GTID given as parts; `gno` must be in 1..MYSQL_MAX_GNO. */
  addGtid(uuid: string, gno: bigint | number, tag = ''): void {
    const key = checkedKey(uuid, tag);
    const g = checkedGno(gno, `${uuid}:${tag ? `${tag}:` : ''}${gno}`);
    this.insert(key, g, g + 1n);
  }

  /** Adds every GTID of `other` to this set, in place. */
  addSet(other: GtidSet): void {
    for (const [k, ivs] of asMysql(other).sets) {
      const mine = this.sets.get(k);
      this.sets.set(k, mine ? unionIntervals(mine, ivs) : ivs.map(([s, e]): Interval => [s, e]));
    }
  }

  union(other: GtidSet): MysqlGtidSet {
    const u = this.clone();
    u.addSet(other);
    return u;
  }

  /** A new set: the GTIDs of this set that are not in `other`. */
  subtract(other: GtidSet): MysqlGtidSet {
    const o = asMysql(other);
    const d = new MysqlGtidSet();
    for (const [k, ivs] of this.sets) {
      const theirs = o.sets.get(k);
      const rest = theirs ? subtractIntervals(ivs, theirs) : ivs.map(([s, e]): Interval => [s, e]);
      if (rest.length > 0) d.sets.set(k, rest);
    }
    return d;
  }

  contains(other: GtidSet): boolean {
    for (const [k, ivs] of asMysql(other).sets) {
      const mine = this.sets.get(k);
      if (!mine || !coversAll(mine, ivs)) return false;
    }
    return true;
  }

  equals(other: GtidSet): boolean {
    const o = asMysql(other);
    if (o.sets.size !== this.sets.size) return false;
    for (const [k, ivs] of this.sets) {
      const theirs = o.sets.get(k);
      if (!theirs || theirs.length !== ivs.length) return false;
      for (let i = 0; i < ivs.length; i++) {
        if (ivs[i]![0] !== theirs[i]![0] || ivs[i]![1] !== theirs[i]![1]) return false;
      }
    }
    return true;
  }

  /** Whether the single GTID `uuid[:tag]:gno` is in the set. */
  containsGtid(uuid: string, gno: bigint | number, tag = ''): boolean {
    const ivs = this.sets.get(checkedKey(uuid, tag));
    if (!ivs || (typeof gno === 'number' && !Number.isSafeInteger(gno))) return false;
    const g = BigInt(gno);
    const i = firstEndingAfter(ivs, g);
    const iv = ivs[i];
    return iv !== undefined && iv[0] <= g;
  }

  /** The TSIDs in output order, each with its GNO ranges (inclusive). */
  entries(): MysqlGtidSetEntry[] {
    return this.sortedKeys().map((k) => ({
      uuid: k.slice(0, UUID_TEXT_LENGTH),
      tag: k.slice(UUID_TEXT_LENGTH + 1),
      ranges: this.sets.get(k)!.map(([s, e]) => ({ first: s, last: e - 1n })),
    }));
  }

  /** Binary form for COM_BINLOG_DUMP_GTID (untagged format unless the set holds tagged GTIDs). */
  encode(): Buffer {
    const keys = this.sortedKeys();
    const tagged = this.hasTags();
    let size = 8;
    for (const k of keys) {
      size += 16 + 8 + 16 * this.sets.get(k)!.length;
      if (tagged) size += 1 + tagOf(k).length;
    }
    const buf = Buffer.alloc(size);
    const n = BigInt(keys.length);
    const header = tagged ? (BigInt(FORMAT_TAGGED) << 56n) | (n << 8n) | BigInt(FORMAT_TAGGED) : n;
    buf.writeBigUInt64LE(header, 0);
    let p = 8;
    for (const k of keys) {
      p += Buffer.from(k.slice(0, UUID_TEXT_LENGTH).replace(/-/g, ''), 'hex').copy(buf, p);
      if (tagged) {
        const tag = tagOf(k);
        // Varlen integer: a length below 128 is one byte, shifted left so its low bit (0) says "1 byte".
        buf[p++] = tag.length << 1;
        p += buf.write(tag, p, 'latin1');
      }
      const ivs = this.sets.get(k)!;
      buf.writeBigUInt64LE(BigInt(ivs.length), p);
      p += 8;
      for (const [s, e] of ivs) {
        buf.writeBigUInt64LE(s, p);
        buf.writeBigUInt64LE(e, p + 8);
        p += 16;
      }
    }
    return buf;
  }

  /** Adds [start, end) to one TSID (key already normalised), keeping the normal form. */
  private insert(key: string, start: bigint, end: bigint): void {
    const ivs = this.sets.get(key);
    if (!ivs) {
      this.sets.set(key, [[start, end]]);
      return;
    }
    // Fast path: a replication stream adds GTIDs in increasing order, at or after the last interval.
    const last = ivs[ivs.length - 1]!;
    if (start > last[1]) {
      ivs.push([start, end]);
      return;
    }
    if (start >= last[0]) {
      if (end > last[1]) last[1] = end;
      return;
    }
    const i = firstEndingAtOrAfter(ivs, start);
    let j = i;
    let s = start;
    let e = end;
    while (j < ivs.length && ivs[j]![0] <= e) {
      if (ivs[j]![0] < s) s = ivs[j]![0];
      if (ivs[j]![1] > e) e = ivs[j]![1];
      j++;
    }
    ivs.splice(i, j - i, [s, e]);
  }

  private sortedKeys(): string[] {
    // Byte order of the lower-case text equals MySQL's order (UUID bytes, then tag; '' sorts first).
    return [...this.sets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

// ---------------------------------------------------------------------------------------------------
// Text parsing

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** Receives [start, end) for a normalised TSID key. */
type IntervalSink = (key: string, start: bigint, end: bigint) => void;

/** A cursor over the text, following the grammar of Gtid_set::add_gtid_text. */
class TextParser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly sink: IntervalSink,
  ) {}

  run(): void {
    const t = this.text;
    this.ws();
    for (;;) {
      while (t[this.i] === ',') {
        this.i++;
        this.ws();
      }
      if (this.i >= t.length) return;
      const uuid = t.slice(this.i, this.i + UUID_TEXT_LENGTH);
      if (!UUID_RE.test(uuid)) this.fail();
      this.i += UUID_TEXT_LENGTH;
      let key = tsidKey(uuid, '');
      this.ws();
      while (t[this.i] === ':') {
        this.i++;
        this.ws();
        const tag = this.tryTag();
        if (tag !== undefined) {
          key = tsidKey(uuid, tag);
          continue;
        }
        const start = this.gno();
        let end = start;
        this.ws();
        if (t[this.i] === '-') {
          this.i++;
          this.ws();
          end = this.gno();
          this.ws();
        }
        if (end < start) this.fail();
        this.sink(key, start, end + 1n);
      }
      if (this.i < t.length && t[this.i] !== ',') this.fail();
    }
  }

  private ws(): void {
    while (isSpace(this.text[this.i])) this.i++;
  }

  /** A tag is a name followed (after optional spaces) by ':' ',' or the end; otherwise not a tag. */
  private tryTag(): string | undefined {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i, this.i + TAG_MAX_LENGTH + 2));
    if (!m) return undefined;
    const name = m[0];
    if (name.length > TAG_MAX_LENGTH) this.fail();
    let j = this.i + name.length;
    while (isSpace(this.text[j])) j++;
    const c = this.text[j];
    if (c !== undefined && c !== ':' && c !== ',') this.fail();
    this.i = j;
    return name.toLowerCase();
  }

  private gno(): bigint {
    const m = /^[0-9]+/.exec(this.text.slice(this.i, this.i + 24));
    if (!m || m[0].startsWith('0')) this.fail();
    const v = BigInt(m[0]);
    if (v >= GNO_END) this.fail();
    this.i += m[0].length;
    return v;
  }

  private fail(): never {
    throw DmError.of(E.BinlogGTIDMySQLNotValid, [this.text]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Binary decoding

function readEncoded(r: BufferReader, sink: IntervalSink): void {
  const head = r.u64();
  const format = Number(head >> 56n);
  let nSids: bigint;
  if (format === FORMAT_UNTAGGED) nSids = head & 0x00ff_ffff_ffff_ffffn;
  else if (format === FORMAT_TAGGED) nSids = (head >> 8n) & 0xffff_ffff_ffffn;
  else throw decodeError(`unknown GTID set encoding format ${format}`);
  // Each TSID takes at least 24 bytes: reject absurd counts before looping over them.
  if (nSids * 24n > BigInt(r.remaining)) throw decodeError(`${nSids} TSID(s) cannot fit in ${r.remaining} byte(s)`);
  for (let n = 0; n < Number(nSids); n++) {
    const uuid = uuidToText(r.bytes(16));
    const tag = format === FORMAT_TAGGED ? readTag(r) : '';
    const key = tsidKey(uuid, tag);
    const nIntervals = r.u64();
    if (nIntervals * 16n > BigInt(r.remaining)) throw decodeError(`${nIntervals} interval(s) cannot fit in ${r.remaining} byte(s)`);
    // Like the server: intervals strictly increasing, non-empty, not touching, GNOs within 1..MAX.
    let last = 0n;
    for (let i = 0; i < Number(nIntervals); i++) {
      const start = r.u64();
      const end = r.u64();
      if (start <= last || end <= start || end > GNO_END) {
        throw decodeError(`bad interval [${start}, ${end}) after ${last} for ${key}`);
      }
      last = end;
      sink(key, start, end);
    }
  }
}

function readTag(r: BufferReader): string {
  const at = r.pos;
  const len = readVarlenUnsigned(r);
  if (len > BigInt(TAG_MAX_LENGTH)) throw decodeError(`tag length ${len} at offset ${at} exceeds ${TAG_MAX_LENGTH}`);
  const tag = r.str(Number(len), 'latin1');
  if (tag !== '' && !TAG_RE.test(tag)) throw decodeError(`invalid tag ${JSON.stringify(tag)} at offset ${at}`);
  return tag.toLowerCase();
}

/**
 * MySQL serialization varlen unsigned integer: the count of trailing 1 bits of the first byte, plus
 * one, is the total byte count; the value's low bits follow those marker bits, the rest come LE.
 */
function readVarlenUnsigned(r: BufferReader): bigint {
  const first = r.u8();
  let n = 1;
  while (n <= 8 && (first >> (n - 1)) & 1) n++;
  if (n === 1) return BigInt(first >> 1);
  let rest = 0n;
  const bytes = r.bytes(n - 1);
  for (let i = bytes.length - 1; i >= 0; i--) rest = (rest << 8n) | BigInt(bytes[i]!);
  const low = n <= 8 ? BigInt(first >> n) : 0n;
  const shift = n <= 8 ? BigInt(8 - n) : 0n;
  return low | (rest << shift);
}

function decodeError(detail: string, cause?: unknown): DmError {
  return DmError.of(E.BinlogEventDecode, [`MySQL GTID set: ${detail}`], cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function tsidKey(uuid: string, tag: string): string {
  const u = uuid.toLowerCase();
  return tag === '' ? u : `${u}:${tag.toLowerCase()}`;
}

function tagOf(key: string): string {
  return key.slice(UUID_TEXT_LENGTH + 1);
}

function checkedKey(uuid: string, tag: string): string {
  if (!UUID_RE.test(uuid)) throw DmError.of(E.NotUUIDString, [uuid]);
  if (tag !== '' && !TAG_RE.test(tag)) throw DmError.of(E.ParseGTID, [`${uuid}:${tag}`]);
  return tsidKey(uuid, tag);
}

function checkedGno(gno: bigint | number, shown: string): bigint {
  if (typeof gno === 'number' && !Number.isSafeInteger(gno)) throw DmError.of(E.ParseGTID, [shown]);
  const g = BigInt(gno);
  if (g < 1n || g > MYSQL_MAX_GNO) throw DmError.of(E.ParseGTID, [shown]);
  return g;
}

function uuidToText(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function asMysql(other: GtidSet): MysqlGtidSet {
  if (other instanceof MysqlGtidSet) return other;
  throw DmError.of(E.NotSupportedFlavor, [`${other.flavor} (mixed with a mysql GTID set)`]);
}

/** Index of the first interval whose end is ≥ start (i.e. that touches or follows `start`). */
function firstEndingAtOrAfter(ivs: readonly Interval[], start: bigint): number {
  let lo = 0;
  let hi = ivs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[mid]![1] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first interval whose end is > gno (the only one that can contain it). */
function firstEndingAfter(ivs: readonly Interval[], gno: bigint): number {
  return firstEndingAtOrAfter(ivs, gno + 1n);
}

function unionIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [s0, e] of a) {
    let s = s0;
    while (j < b.length && b[j]![1] <= s) j++;
    // b[j] can reach past `e` and still matter for the next interval of a, so walk with k.
    for (let k = j; k < b.length && b[k]![0] < e && s < e; k++) {
      if (b[k]![0] > s) out.push([s, b[k]![0]]);
      if (b[k]![1] > s) s = b[k]![1];
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** Whether every interval of `sub` lies inside one interval of `sup` (both normalised). */
function coversAll(sup: readonly Interval[], sub: readonly Interval[]): boolean {
  let j = 0;
  for (const [s, e] of sub) {
    while (j < sup.length && sup[j]![1] <= s) j++;
    const iv = sup[j];
    if (!iv || iv[0] > s || iv[1] < e) return false;
  }
  return true;
}
