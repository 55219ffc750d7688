/**
 * Incremental SQL statement splitter over raw bytes: feed it a dump file chunk by chunk and it reports the
 * absolute byte offset just after every statement-ending `;`. It knows what the server knows about where a
 * statement ends: '…' and "…" strings with backslash escapes (unless NO_BACKSLASH_ESCAPES) and doubled quotes,
 * `…` identifiers, `-- `, `#` and block comments (including `/*!40101 … *\/` version comments). A `;` in any of
 * those does not end a statement. State survives chunk boundaries, so statements may span any number of chunks.
 *
 * Bytes ≥ 0x80 never match an ASCII delimiter, so UTF-8 (and SET NAMES binary) dumps split correctly.
 */

const enum S {
  Normal,
  /** saw `-` */
  Dash1,
  /** saw `--` */
  Dash2,
  /** saw `/` */
  Slash,
  Single,
  SingleEsc,
  Double,
  DoubleEsc,
  Back,
  LineComment,
  Block,
  /** saw `*` inside a block comment */
  BlockStar,
}

const SQ = 0x27; // '
const DQ = 0x22; // "
const BQ = 0x60; // `
const BS = 0x5c; // \
const SEMI = 0x3b;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const HASH = 0x23;
const LF = 0x0a;

/** Bytes that matter outside strings and comments, and the state each one leads to (`;` is handled inline). */
const INTERESTING = new Uint8Array(256);
const NORMAL_NEXT = new Uint8Array(256);
for (const [c, next] of [
  [SQ, S.Single],
  [DQ, S.Double],
  [BQ, S.Back],
  [DASH, S.Dash1],
  [SLASH, S.Slash],
  [HASH, S.LineComment],
  [SEMI, S.Normal],
] as const) {
  INTERESTING[c] = 1;
  NORMAL_NEXT[c] = next;
}

export interface SplitterOptions {
  /** NO_BACKSLASH_ESCAPES: a backslash is an ordinary character inside strings. */
  noBackslashEscapes?: boolean;
}

export class SqlSplitter {
  private state: S = S.Normal;
  private readonly escapes: boolean;

  constructor(opts: SplitterOptions = {}) {
    this.escapes = !opts.noBackslashEscapes;
  }

  /** True when the bytes fed so far end outside any string, identifier or comment (a clean end of input). */
  get atTopLevel(): boolean {
    return this.state === S.Normal || this.state === S.Dash1 || this.state === S.Slash || this.state === S.LineComment || this.state === S.Dash2;
  }

  /** What the input ends inside of, for error messages; undefined at top level. */
  get openConstruct(): string | undefined {
    switch (this.state) {
      case S.Single:
      case S.SingleEsc:
        return "a '…' string";
      case S.Double:
      case S.DoubleEsc:
        return 'a "…" string';
      case S.Back:
        return 'a `…` identifier';
      case S.Block:
      case S.BlockStar:
        return 'a /* … */ comment';
      default:
        return undefined;
    }
  }

  /**
   * Scans `buf`, whose first byte is at absolute offset `base`, and appends to `ends` the absolute offset just
   * past each statement-ending `;`.
   */
  feed(buf: Uint8Array, base: number, ends: number[]): void {
    const n = buf.length;
    const escapes = this.escapes;
    let st = this.state;
    let i = 0;
    let nextBs = -1;
    while (i < n) {
      switch (st) {
        case S.Normal:
          for (; i < n; i++) {
            const c = buf[i]!;
            if (INTERESTING[c] === 0) continue;
            if (c === SEMI) ends.push(base + i + 1);
            else {
              st = NORMAL_NEXT[c] as S;
              i++;
              break;
            }
          }
          break;
        case S.Single:
        case S.Double: {
          // native searches for the closing quote and the next backslash: strings are most of a dump's bytes
          const q = st === S.Single ? SQ : DQ;
          for (;;) {
            const j = buf.indexOf(q, i);
            if (escapes && nextBs < i) nextBs = indexOrEnd(buf, BS, i);
            if (escapes && nextBs < (j < 0 ? n : j)) {
              // an escape before the closing quote: skip the backslash and the byte it escapes
              i = nextBs + 2;
              if (i > n) {
                st = st === S.Single ? S.SingleEsc : S.DoubleEsc;
                i = n;
                break;
              }
              continue;
            }
            if (j < 0) i = n;
            else {
              st = S.Normal; // a doubled quote re-enters the string at once
              i = j + 1;
            }
            break;
          }
          break;
        }
        case S.SingleEsc:
          st = S.Single;
          i++;
          break;
        case S.DoubleEsc:
          st = S.Double;
          i++;
          break;
        case S.Back: {
          const j = indexOfByte(buf, BQ, i);
          if (j < 0) i = n;
          else {
            st = S.Normal;
            i = j + 1;
          }
          break;
        }
        case S.Dash1:
          if (buf[i] === DASH) {
            st = S.Dash2;
            i++;
          } else st = S.Normal; // re-examine this byte in Normal
          break;
        case S.Dash2: {
          const c = buf[i]!;
          // `--` starts a comment only when followed by whitespace or a control character
          if (c <= 0x20) {
            st = c === LF ? S.Normal : S.LineComment;
            i++;
          } else st = S.Normal;
          break;
        }
        case S.Slash:
          if (buf[i] === STAR) {
            st = S.Block;
            i++;
          } else st = S.Normal;
          break;
        case S.LineComment: {
          const j = indexOfByte(buf, LF, i);
          if (j < 0) i = n;
          else {
            st = S.Normal;
            i = j + 1;
          }
          break;
        }
        case S.Block:
          for (; i < n; i++) {
            if (buf[i] === STAR) {
              st = S.BlockStar;
              i++;
              break;
            }
          }
          break;
        case S.BlockStar: {
          const c = buf[i]!;
          if (c === SLASH) {
            st = S.Normal;
            i++;
          } else if (c === STAR) i++;
          else {
            st = S.Block;
            i++;
          }
          break;
        }
      }
    }
    this.state = st;
  }
}

function indexOrEnd(buf: Uint8Array, b: number, from: number): number {
  const j = buf.indexOf(b, from);
  return j < 0 ? buf.length : j;
}

function indexOfByte(buf: Uint8Array, b: number, from: number): number {
  return buf.indexOf(b, from);
}

/**
 * Splits a complete in-memory text into statements (tests, small schema files), decoded as UTF-8 or as latin1
 * (byte-exact). Trailing text without `;` is returned too.
 */
export function splitStatements(text: string | Uint8Array, opts: SplitterOptions = {}, encoding: 'utf8' | 'latin1' = 'utf8'): string[] {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const sp = new SqlSplitter(opts);
  const ends: number[] = [];
  sp.feed(buf, 0, ends);
  const out: string[] = [];
  let prev = 0;
  for (const e of ends) {
    out.push(buf.toString(encoding, prev, e));
    prev = e;
  }
  if (prev < buf.length && buf.subarray(prev).toString('latin1').trim() !== '') out.push(buf.toString(encoding, prev));
  return out;
}
