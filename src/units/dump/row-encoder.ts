/**
 * SQL literals from text-protocol bytes: the dump's hot path. A row arrives as the server sent it (session
 * `character_set_results = binary`, so every value is the stored bytes, unconverted) and is written as
 * `(v1,v2,...)` into an output buffer without creating a JS value per column (escaped bytes are found
 * with native searches and values moved with native copies: see the class).
 *
 * How each column is written (decided once per table from information_schema, see {@link columnEncoding}):
 * - numbers (integers, DECIMAL, FLOAT/DOUBLE, YEAR): the server's text as is (`-12.50`, `1e300`); the dump
 *   selects FLOAT as `col + 0e0` so the text has enough digits to round back to the same float;
 * - temporal (DATE, TIME, DATETIME, TIMESTAMP): quoted as is (`'2020-01-02 03:04:05.123456'`, zero dates
 *   too); TIMESTAMP text is UTC because the dump session has `time_zone = '+00:00'`;
 * - UTF-8 / ASCII text (CHAR, VARCHAR, TEXT, ENUM, SET; JSON on MariaDB): quoted, with MySQL backslash escapes for
 *   `\0 \n \r \x1a ' \` (the same set mysql_real_escape_string escapes, minus `"`), so no raw line break or
 *   NUL byte ever appears inside a value (myloader splits statements at lines ending in `;`);
 * - text in another charset: quoted like UTF-8 text when every byte is ASCII, else a hex literal with the
 *   charset introducer (`_latin1 0xE9`), exact whatever `SET NAMES` the loader uses;
 * - binary strings, BLOBs, BIT, GEOMETRY: hex literals (`0x00FF`), `''` when empty;
 * - text forms of other types (MySQL JSON, MariaDB INET4/INET6/UUID, unknown): `_utf8mb4'...'`.
 * NULL is `NULL`. Every literal is exact under `SET NAMES binary` (the dump files' header) and under
 * `SET NAMES utf8mb4`, with any sql_mode except NO_BACKSLASH_ESCAPES.
 *
 * Figures (2 cores, Node 20, sysbench rows): ≈ 180 ns per row; see dump-unit.ts and docs/dump.md.
 */

/** How a column's bytes become a literal. */
export const Enc = {
  /** Numbers: bytes as is. */
  Raw: 0,
  /** Temporal: quoted, bytes as is (never need escapes). */
  Quoted: 1,
  /** UTF-8/ASCII text: quoted and escaped. */
  Escaped: 2,
  /** Binary: 0x hex, `''` when empty. */
  Hex: 3,
  /** Text in an ASCII-compatible charset other than UTF-8: escaped when pure ASCII, else `_cs 0x..`. */
  AsciiOrHex: 4,
  /** Text in a charset that is not ASCII-compatible (ucs2, utf16, utf32, swe7): always `_cs 0x..`. */
  CharsetHex: 5,
  /**
   * Text forms of non-string types (MySQL JSON, MariaDB INET4/INET6/UUID, unknown types): escaped with a
   * `_utf8mb4` introducer, because under `SET NAMES binary` a plain literal is a binary string, which these
   * types read differently (INET6/UUID: as the 16-byte packed form; MySQL JSON: rejected).
   */
  Utf8Text: 6,
} as const;
export type Enc = (typeof Enc)[keyof typeof Enc];

export interface ColumnInfo {
  readonly name: string;
  /** information_schema.COLUMNS.DATA_TYPE, lower case. */
  readonly dataType: string;
  /** information_schema.COLUMNS.CHARACTER_SET_NAME (null for non-text). */
  readonly charset: string | null;
}

const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'year', 'dec', 'fixed', 'bool', 'boolean']);
const TEMPORAL = new Set(['date', 'time', 'datetime', 'timestamp']);
const BINARY = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);
const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'long', 'long varchar', 'nchar', 'nvarchar']);
const UTF8_CHARSETS = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'ascii']);
const NON_ASCII_CHARSETS = new Set(['ucs2', 'utf16', 'utf16le', 'utf32', 'swe7']);

/** The encoding of a column from its information_schema description. */
export function columnEncoding(col: Pick<ColumnInfo, 'dataType' | 'charset'>): Enc {
  const t = col.dataType.toLowerCase();
  if (NUMERIC.has(t)) return Enc.Raw;
  if (TEMPORAL.has(t)) return Enc.Quoted;
  if (BINARY.has(t)) return Enc.Hex;
  const cs = col.charset?.toLowerCase();
  if (cs === 'binary') return Enc.Hex;
  // JSON (MySQL), inet6/uuid (MariaDB) and unknown types: their text form
  if (!STRING_TYPES.has(t)) return Enc.Utf8Text;
  if (!cs || UTF8_CHARSETS.has(cs)) return Enc.Escaped;
  return NON_ASCII_CHARSETS.has(cs) ? Enc.CharsetHex : Enc.AsciiOrHex;
}

/** Byte after the backslash for bytes that need an escape, 0 for the others. */
const ESCAPED_BYTES = [0x00, 0x0a, 0x0d, 0x1a, 0x27, 0x5c];
const ESC = new Uint8Array(256);
ESC[0x00] = 0x30; // \0
ESC[0x0a] = 0x6e; // \n
ESC[0x0d] = 0x72; // \r
ESC[0x1a] = 0x5a; // \Z
ESC[0x27] = 0x27; // \'
ESC[0x5c] = 0x5c; // \\

const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).toUpperCase().padStart(2, '0');
  HEX_HI[i] = h.charCodeAt(0);
  HEX_LO[i] = h.charCodeAt(1);
}

const UTF8_INTRO = Buffer.from('_utf8mb4', 'latin1');
const NULL_0 = 0x4e; // N
const NULL_1 = 0x55; // U
const NULL_2 = 0x4c; // L
const QUOTE = 0x27;
const COMMA = 0x2c;

/**
 * Encodes text-protocol rows of one column list. Not thread-safe state: one per chunk writer.
 */
export class RowEncoder {
  readonly encs: Uint8Array;
  /** `_charset ` introducers (with the trailing space) for the *Hex encodings. */
  private readonly intro: Array<Buffer | undefined>;
  private readonly maxIntro: number;

  /**
   * @param workspace when given, outputs that are this buffer get the staged copy path; its first
   *   `stageSize` bytes are the encoder's (the caller writes output only after them).
   */
  constructor(
    columns: readonly Pick<ColumnInfo, 'dataType' | 'charset'>[],
    private readonly workspace?: Buffer,
    private readonly stageSize = 0,
  ) {
    this.encs = Uint8Array.from(columns.map((c) => columnEncoding(c)));
    this.intro = columns.map((c, i) => {
      const e = this.encs[i];
      return e === Enc.AsciiOrHex || e === Enc.CharsetHex ? Buffer.from(`_${c.charset!.toLowerCase()} `, 'latin1') : undefined;
    });
    this.maxIntro = Math.max(0, ...this.intro.map((b) => b?.length ?? 0));
  }

  /*
   * Where the next byte needing an escape is. Scanning text byte by byte in JS costs ≈ 1 ns/byte; instead
   * the positions of the six escaped bytes in the whole packet buffer (mysql2 hands rows as views into the
   * socket chunk) are found with Buffer.indexOf (native memchr), lazily and monotonically, so a value with
   * no escape (the usual case) is one native copy. Positions found in length prefixes or numbers only cost
   * a re-check.
   */
  private scanned: Buffer | undefined;
  private scannedFrom = 0;
  private readonly next = new Float64Array(ESCAPED_BYTES.length);
  private nextSpecial = -1;

  private srcAb: ArrayBufferLike | undefined;
  private srcOff = 0;

  /*
   * Staging: copying a value into the output costs a native call plus, for TypedArray#set, a view object
   * per value (≈ 45 ns + GC); Buffer#copy is slower still. `copyWithin` inside one buffer allocates nothing
   * (≈ 25 ns). So when the output is the workspace given to the constructor, the rest of each packet
   * buffer is first copied once into the workspace's staging area `[0, stageSize)` and every value is then
   * moved with copyWithin. Sources bigger than the staging area (reassembled > 16 MiB packets) and other
   * outputs use TypedArray#set from a view.
   */
  private staged = false;
  /** Staging offset of source position 0 (source position p is at p + stageDelta). */
  private stageDelta = 0;

  /** The staged bytes (a view of the staging area), searched instead of the source. */
  private stageView: Buffer | undefined;

  private resetScan(src: Buffer, from: number, end: number, out: Buffer): void {
    this.scanned = src;
    this.srcAb = src.buffer;
    this.srcOff = src.byteOffset;
    this.scannedFrom = from;
    this.next.fill(-1);
    this.nextSpecial = -1;
    const ws = this.workspace;
    this.staged = ws !== undefined && out === ws && src.length - from <= this.stageSize;
    this.stagedFor = out;
    if (!this.staged) {
      this.stageView = undefined;
      return;
    }
    const n = src.length - from;
    ws!.set(from === 0 ? src : src.subarray(from), 0);
    this.stageDelta = -from;
    this.stageView = ws!.subarray(0, n);
    // The packet headers after this row (3-byte length, sequence id) hold 0x00 bytes for every row under
    // 64 KiB, so searching the copy for NUL would stop at each header. mysql2 hands rows as views into the
    // received bytes, packets back to back; when the row's own header confirms that layout, the headers
    // in the copy are overwritten with spaces (never escaped, never read as data: values come from `src`
    // positions the lengths describe, headers are skipped by the parser).
    if (from >= 4 && (src[from - 4]! | (src[from - 3]! << 8) | (src[from - 2]! << 16)) === end - from) {
      for (let h = end; h + 4 <= src.length; ) {
        const len = src[h]! | (src[h + 1]! << 8) | (src[h + 2]! << 16);
        const q = h - from;
        ws![q] = 0x20;
        ws![q + 1] = 0x20;
        ws![q + 2] = 0x20;
        ws![q + 3] = 0x20;
        h += 4 + len;
      }
    }
  }

  /** The output the staging decision was made for. */
  private stagedFor: Buffer | undefined;

  /** Moves every known position below `p` to the next occurrence at or after `p`. */
  private advance(src: Buffer, p: number): void {
    let min = Infinity;
    const next = this.next;
    const view = this.stageView;
    const d = this.stageDelta;
    for (let i = 0; i < ESCAPED_BYTES.length; i++) {
      let at = next[i]!;
      if (at < p) {
        if (view) {
          at = view.indexOf(ESCAPED_BYTES[i]!, p + d);
          at = at < 0 ? Infinity : at - d;
        } else {
          at = src.indexOf(ESCAPED_BYTES[i]!, p);
          if (at < 0) at = Infinity;
        }
        next[i] = at;
      }
      if (at < min) min = at;
    }
    this.nextSpecial = min;
  }

  get columnCount(): number {
    return this.encs.length;
  }

  /** An upper bound of the bytes {@link encode} writes for a row payload of `payloadLen` bytes. */
  maxEncodedSize(payloadLen: number): number {
    // each value at most doubles (escapes, hex), plus quotes/0x/introducer/comma per column, plus ( )
    return 2 * payloadLen + this.encs.length * (Math.max(this.maxIntro, UTF8_INTRO.length) + 6) + 2;
  }

  /**
   * Writes `(v1,...,vn)` for the row payload `src[start, end)` at `out[o]`; returns the new offset.
   * The caller guarantees `out` has {@link maxEncodedSize} bytes free.
   */
  encode(src: Buffer, start: number, end: number, out: Buffer, o: number): number {
    if (src !== this.scanned || start < this.scannedFrom || (out === this.workspace && out !== this.stagedFor)) this.resetScan(src, start, end, out);
    const fast = this.staged && out === this.workspace;
    const encs = this.encs;
    const n = encs.length;
    let p = start;
    out[o++] = 0x28; // (
    for (let i = 0; i < n; i++) {
      if (i > 0) out[o++] = COMMA;
      let len = src[p]!;
      if (len === 0xfb) {
        p++;
        out[o++] = NULL_0;
        out[o++] = NULL_1;
        out[o++] = NULL_2;
        out[o++] = NULL_2;
        continue;
      }
      if (len < 0xfb) {
        p++;
      } else if (len === 0xfc) {
        len = src[p + 1]! | (src[p + 2]! << 8);
        p += 3;
      } else if (len === 0xfd) {
        len = src[p + 1]! | (src[p + 2]! << 8) | (src[p + 3]! << 16);
        p += 4;
      } else {
        // 0xfe: 8-byte length (values ≥ 16 MiB); the upper half is always 0 for a single packet
        len = src.readUInt32LE(p + 1) + src.readUInt32LE(p + 5) * 0x100000000;
        p += 9;
      }
      const e = p + len;
      if (e > end) throw new RangeError(`row payload truncated: column ${i} needs ${e - end} more bytes`);
      switch (encs[i]) {
        case Enc.Raw:
          if (len > 32) {
            if (fast) out.copyWithin(o, p + this.stageDelta, e + this.stageDelta);
            else out.set(new Uint8Array(this.srcAb!, this.srcOff + p, len), o);
            o += len;
          } else {
            for (let k = p; k < e; k++) out[o++] = src[k]!;
          }
          break;
        case Enc.Quoted:
          out[o++] = QUOTE;
          for (let k = p; k < e; k++) out[o++] = src[k]!;
          out[o++] = QUOTE;
          break;
        case Enc.Escaped:
          if (this.nextSpecial < p) this.advance(src, p);
          if (this.nextSpecial >= e) {
            // no byte needing an escape: one native copy
            out[o++] = QUOTE;
            if (len > 16) {
              if (fast) out.copyWithin(o, p + this.stageDelta, e + this.stageDelta);
              else out.set(new Uint8Array(this.srcAb!, this.srcOff + p, len), o);
              o += len;
            } else {
              for (let k = p; k < e; k++) out[o++] = src[k]!;
            }
            out[o++] = QUOTE;
          } else {
            o = escapeInto(src, p, e, out, o);
          }
          break;
        case Enc.Hex:
          o = hexInto(src, p, e, out, o, undefined);
          break;
        case Enc.Utf8Text:
          for (let k = 0; k < UTF8_INTRO.length; k++) out[o++] = UTF8_INTRO[k]!;
          o = escapeInto(src, p, e, out, o);
          break;
        case Enc.AsciiOrHex: {
          let ascii = true;
          for (let k = p; k < e; k++) {
            if (src[k]! >= 0x80) {
              ascii = false;
              break;
            }
          }
          o = ascii ? escapeInto(src, p, e, out, o) : hexInto(src, p, e, out, o, this.intro[i]);
          break;
        }
        default:
          o = hexInto(src, p, e, out, o, this.intro[i]);
      }
      p = e;
    }
    if (p !== end) throw new RangeError(`row payload has ${end - p} bytes after ${n} columns`);
    out[o++] = 0x29; // )
    return o;
  }
}

/** `'...'` with backslash escapes. */
export function escapeInto(src: Buffer, p: number, e: number, out: Buffer, o: number): number {
  out[o++] = QUOTE;
  for (let k = p; k < e; k++) {
    const c = src[k]!;
    const x = ESC[c]!;
    if (x === 0) {
      out[o++] = c;
    } else {
      out[o++] = 0x5c;
      out[o++] = x;
    }
  }
  out[o++] = QUOTE;
  return o;
}

/** `0x..` (with an optional `_charset ` introducer), or `''` / `_charset ''` when empty. */
function hexInto(src: Buffer, p: number, e: number, out: Buffer, o: number, intro: Buffer | undefined): number {
  if (intro) {
    for (let k = 0; k < intro.length; k++) out[o++] = intro[k]!;
  }
  if (p === e) {
    out[o++] = QUOTE;
    out[o++] = QUOTE;
    return o;
  }
  out[o++] = 0x30; // 0
  out[o++] = 0x78; // x
  for (let k = p; k < e; k++) {
    const c = src[k]!;
    out[o++] = HEX_HI[c]!;
    out[o++] = HEX_LO[c]!;
  }
  return o;
}
