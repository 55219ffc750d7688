/**
 * DM's name patterns, shared by the block-allow list and the table router.
 *
 * - Wildcard (DM's trie selector, tidb-tools `table-rule-selector`): `*` = zero or more characters and only
 *   as the LAST character (`t_*_x`, `a**` are rejected: `pattern t_*_x not valid`); `?` = exactly one
 *   character; `[abc]`, `[a-z]`, `[!...]` = one character in / not in the set, ended by the first `]`; a `[`
 *   with no `]` after it is a literal. There are no escapes. `[0-63]` is the set {0..6, 3}, one character.
 * - Regular expression (block-allow list values starting with `~`): Go RE2 syntax, translated to an
 *   equivalent JS RegExp by {@link compileGoRegexp}; what RE2 rejects (lookaround, backreferences) is rejected.
 *
 * Case folding is the caller's job, as in DM: when matching is case-insensitive the pattern is lowercased
 * here (`caseSensitive: false`) and the caller lowercases the name once, before testing it against every pattern.
 */

/** A pattern DM cannot compile; callers wrap it in their coded error (the code depends on the unit). */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** A compiled name pattern. `test` expects a name already folded the way the pattern was (see header). */
export interface NamePattern {
  /** The pattern as configured. */
  readonly source: string;
  test(name: string): boolean;
}

export interface WildcardPattern extends NamePattern {
  /**
   * Identity of the pattern in DM's trie: two patterns with the same key are the same trie path, so inserting
   * both as route rules is DM's "already exists" error. (`[ab]` and `[ba]` share a key, as in DM.)
   */
  readonly key: string;
  /** True when the pattern has no `?`, `[...]` or `*`: it matches exactly one name. */
  readonly isLiteral: boolean;
}

type Token =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'set'; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly kind: 'star' };

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const NOT = 0x21; // !
const DASH = 0x2d; // -

/**
 * Parses a DM wildcard. Works on code points where DM works on bytes: DM's trie walks UTF-8 bytes and
 * mis-matches non-ASCII names (`?` eats one byte), which no configuration can want; here `?` is one character.
 */
export function parseWildcard(pattern: string, caseSensitive = true): WildcardPattern {
  const text = caseSensitive ? pattern : pattern.toLowerCase();
  const cps = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  const tokens: Token[] = [];
  for (let i = 0; i < cps.length; i++) {
    if (tokens.length > 0 && tokens[tokens.length - 1]?.kind === 'star') {
      throw new PatternError(`pattern ${pattern} not valid`);
    }
    const c = cps[i] ?? 0;
    if (c === STAR) {
      tokens.push({ kind: 'star' });
    } else if (c === QUESTION) {
      tokens.push({ kind: 'any' });
    } else if (c === OPEN) {
      const close = cps.indexOf(CLOSE, i + 1);
      if (close === -1) {
        tokens.push({ kind: 'char', cp: c });
      } else {
        tokens.push(parseSet(cps, i, close));
        i = close;
      }
    } else {
      tokens.push({ kind: 'char', cp: c });
    }
  }
  return buildWildcard(pattern, tokens);
}

/** DM's `getRangeItem`: `cps[open]` is `[`, `cps[close]` the first `]` after it. */
function parseSet(cps: readonly number[], open: number, close: number): Token {
  let start = open + 1;
  let negated = false;
  if (cps[start] === NOT) {
    negated = true;
    start++;
  }
  const ranges: [number, number][] = [];
  for (let i = start; i < close; i++) {
    const lo = cps[i] ?? 0;
    // `a-z` only when something other than the closing `]` follows the dash; else `-` is literal
    if (cps[i + 1] === DASH && i + 2 < close) {
      ranges.push([lo, cps[i + 2] ?? 0]);
      i += 2;
    } else {
      ranges.push([lo, lo]);
    }
  }
  // DM turns the otherwise meaningless `[!]` into the literal `!`
  if (ranges.length === 0 && negated) return { kind: 'set', negated: false, ranges: [[NOT, NOT]] };
  return { kind: 'set', negated, ranges };
}

function buildWildcard(source: string, tokens: readonly Token[]): WildcardPattern {
  const key = tokens.map(tokenKey).join('\u0001');
  const star = tokens[tokens.length - 1]?.kind === 'star';
  const fixed = star ? tokens.slice(0, -1) : tokens;
  if (fixed.every((t) => t.kind === 'char')) {
    // most configured names are plain or `prefix*`: compare strings, no RegExp
    const literal = String.fromCodePoint(...fixed.map((t) => (t.kind === 'char' ? t.cp : 0)));
    if (!star) return { source, key, isLiteral: true, test: (name) => name === literal };
    return { source, key, isLiteral: false, test: (name) => name.startsWith(literal) };
  }
  const body = fixed.map(tokenRegex).join('');
  const re = new RegExp(star ? `^${body}` : `^${body}$`, 'u');
  return { source, key, isLiteral: false, test: (name) => re.test(name) };
}

function tokenRegex(t: Token): string {
  switch (t.kind) {
    case 'char':
      return regexLiteral(t.cp);
    case 'any':
      return '[^]';
    case 'star':
      return '[^]*';
    case 'set': {
      // a range written backwards (`[z-a]`) matches nothing in DM; JS would reject it, so it is dropped
      const body = t.ranges
        .filter(([lo, hi]) => lo <= hi)
        .map(([lo, hi]) => (lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`))
        .join('');
      return t.negated ? `[^${body}]` : `[${body}]`;
    }
  }
}

function tokenKey(t: Token): string {
  switch (t.kind) {
    case 'char':
      return `c${t.cp}`;
    case 'any':
      return '?';
    case 'star':
      return '*';
    case 'set': {
      // DM dedupes range items by mutual containment (each range inside one range of the other): that is
      // "same set of maximal ranges", which gives a canonical key
      const uniq = [...new Map(t.ranges.map((r) => [`${r[0]}-${r[1]}`, r] as const)).values()];
      const maximal = uniq.filter((r) => !uniq.some((o) => o !== r && o[0] <= r[0] && r[1] <= o[1]));
      return `[${t.negated ? '!' : ''}${maximal.map(([lo, hi]) => `${lo}-${hi}`).sort().join(',')}]`;
    }
  }
}

function isWordCp(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
}

/** A code point as a JS `u`-mode literal: word characters as is, everything else as `\u{…}` (always valid). */
function regexLiteral(cp: number): string {
  return isWordCp(cp) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

function classChar(cp: number): string {
  return regexLiteral(cp);
}

// ---------------------------------------------------------------------------------------------------------
// Go RE2 → JS RegExp
// ---------------------------------------------------------------------------------------------------------

interface ReFlags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** Go's `unicode.Categories`: `\p{X}` with one of these is a general category, anything else a script. */
const GO_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

type Ranges = (readonly [number, number])[];

/** Go's POSIX classes (`[[:alpha:]]`), ASCII only as in Go. */
const POSIX_CLASSES: ReadonlyMap<string, Ranges> = new Map<string, Ranges>([
  ['alnum', [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]]],
  ['alpha', [[0x41, 0x5a], [0x61, 0x7a]]],
  ['ascii', [[0x00, 0x7f]]],
  ['blank', [[0x09, 0x09], [0x20, 0x20]]],
  ['cntrl', [[0x00, 0x1f], [0x7f, 0x7f]]],
  ['digit', [[0x30, 0x39]]],
  ['graph', [[0x21, 0x7e]]],
  ['lower', [[0x61, 0x7a]]],
  ['print', [[0x20, 0x7e]]],
  ['punct', [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]],
  ['space', [[0x09, 0x0d], [0x20, 0x20]]],
  ['upper', [[0x41, 0x5a]]],
  ['word', [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]]],
  ['xdigit', [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]]],
]);

/** Go's `\s` is `[\t\n\f\r ]` (no `\v`, no Unicode spaces), narrower than JS's `\s`. */
const GO_SPACE: Ranges = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];

function complement(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

function rangesBody(ranges: Ranges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`)).join('');
}

function isHex(cp: number | undefined): boolean {
  return cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x46) || (cp >= 0x61 && cp <= 0x66));
}

function isOctal(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x37;
}

function isDigit(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x39;
}

/**
 * Translates a Go RE2 expression (as `regexp.Compile` takes it) into a JS RegExp with the same matches, or
 * throws {@link PatternError} where Go would fail to compile it, with Go's message (`error parsing regexp: …`).
 *
 * Exact where the two engines differ: `.` excludes only `\n` (JS also excludes `\r`, U+2028/9); `\s` is Go's
 * ASCII set; `(?m)` lines end at `\n` only; `\A`, `\z`, `\Q…\E`, octal and `\x{…}` escapes, POSIX classes,
 * `\pL`/`\p{Greek}`, `(?P<name>…)`, `(?U)`, `{n,m}` limits (≤ 1000) and literal `{` / `]` follow Go.
 * Case-insensitivity (DM's `(?i)` prefix when `case-sensitive: false`, or a leading `(?i)`) becomes the JS `i`
 * flag; a case flag switched in the middle of the pattern (`a(?i)b`, `(?i:…)`) cannot be expressed in Node 20
 * RegExps and is rejected rather than silently widened.
 */
export function compileGoRegexp(source: string, caseInsensitive: boolean): RegExp {
  return new GoRegexpTranslator(source, caseInsensitive).compile();
}

class GoRegexpTranslator {
  private readonly cps: number[];
  private pos = 0;
  private out = '';
  private flags: ReFlags;
  private readonly caseFlag: boolean;
  private readonly stack: ReFlags[] = [];
  private readonly names = new Set<string>();

  constructor(
    private readonly source: string,
    caseInsensitive: boolean,
  ) {
    this.cps = Array.from(source, (c) => c.codePointAt(0) ?? 0);
    this.flags = { i: caseInsensitive, m: false, s: false, U: false };
    this.leadingFlags();
    this.caseFlag = this.flags.i;
  }

  compile(): RegExp {
    while (this.pos < this.cps.length) this.atom();
    try {
      return new RegExp(this.out, this.caseFlag ? 'iu' : 'u');
    } catch (e) {
      // unbalanced parentheses, nothing to repeat, …: Go rejects these too
      const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(e);
      throw this.fail(why.toLowerCase(), this.source);
    }
  }

  private fail(what: string, part: string): PatternError {
    return new PatternError(`error parsing regexp: ${what}: \`${part}\``);
  }

  private peek(offset = 0): number | undefined {
    return this.cps[this.pos + offset];
  }

  private text(from: number, to: number): string {
    return String.fromCodePoint(...this.cps.slice(from, to));
  }

  /** A flag group at the very start (`(?i)`, `(?s)`) sets the flags of the whole expression. */
  private leadingFlags(): void {
    if (this.peek() !== 0x28 || this.peek(1) !== QUESTION) return;
    const save = this.pos;
    this.pos += 2;
    const parsed = this.parseFlags();
    if (parsed && this.peek() === 0x29) {
      this.pos++;
      this.flags = parsed;
      return;
    }
    this.pos = save;
  }

  /** Parses `[imsU]*(-[imsU]*)?` at pos into new flags (from the current ones), or null when it is not that. */
  private parseFlags(): ReFlags | null {
    const f = { ...this.flags };
    let negate = false;
    let any = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined) return null;
      const ch = String.fromCodePoint(c);
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        f[ch] = !negate;
        any = true;
      } else if (ch === '-' && !negate) {
        negate = true;
        any = false; // Go: `(?i-)` has nothing after the dash → invalid
      } else if ((ch === ')' || ch === ':') && any) {
        return f;
      } else {
        return null;
      }
      this.pos++;
    }
  }

  private atom(): void {
    const c = this.peek() ?? 0;
    this.pos++;
    switch (c) {
      case 0x5c: // backslash
        this.escapeOutsideClass();
        return;
      case OPEN:
        this.charClass();
        return;
      case 0x28: // (
        this.group();
        return;
      case 0x29: // )
        this.out += ')';
        this.flags = this.stack.pop() ?? this.flags;
        return;
      case 0x2e: // .
        this.out += this.flags.s ? '[^]' : '[^\\n]';
        return;
      case 0x5e: // ^
        this.assertion(this.flags.m ? '(?<![^\\n])' : '^');
        return;
      case 0x24: // $
        this.assertion(this.flags.m ? '(?![^\\n])' : '$');
        return;
      case STAR:
      case 0x2b: // +
      case QUESTION:
        this.quantifier(String.fromCodePoint(c));
        return;
      case 0x7b: // {
        this.brace();
        return;
      case 0x7c: // |
        this.out += '|';
        return;
      default:
        this.out += regexLiteral(c);
    }
  }

  /** Go may repeat an assertion (`^*`); JS `u` mode cannot unless it is wrapped in a group. */
  private assertion(js: string): void {
    const n = this.peek();
    const quantified = n === STAR || n === 0x2b || n === QUESTION || (n === 0x7b && this.repeatAt(this.pos) !== null);
    this.out += quantified ? `(?:${js})` : js;
  }

  /** `*`, `+`, `?`, `{…}` with Go's `?` (lazy) suffix, inverted under `(?U)`. */
  private quantifier(op: string): void {
    let lazy = false;
    if (this.peek() === QUESTION) {
      lazy = true;
      this.pos++;
    }
    if (this.flags.U) lazy = !lazy;
    this.out += lazy ? `${op}?` : op;
  }

  /** Go's parseRepeat: `{n}`, `{n,}`, `{n,m}` with n, m ≤ 1000; anything else is a literal `{`. */
  private repeatAt(at: number): { min: number; max: number | null; end: number } | null {
    let p = at;
    const num = (): number | null => {
      const s = p;
      while (isDigit(this.cps[p])) p++;
      // Go's parseInt refuses leading zeros, so `x{01}` is the literal text `x{01}`
      if (p === s || (p - s > 1 && this.cps[s] === 0x30)) return null;
      return Number(this.text(s, p));
    };
    const min = num();
    if (min === null) return null;
    let max: number | null = min;
    if (this.cps[p] === 0x2c) {
      p++;
      max = this.cps[p] === 0x7d ? null : num();
      if (max === null && this.cps[p] !== 0x7d) return null;
    }
    if (this.cps[p] !== 0x7d) return null;
    return { min, max, end: p + 1 };
  }

  private brace(): void {
    const start = this.pos - 1;
    const r = this.repeatAt(this.pos);
    if (r === null) {
      this.out += regexLiteral(0x7b);
      return;
    }
    if (r.min > 1000 || (r.max !== null && (r.max > 1000 || r.max < r.min))) {
      throw this.fail('invalid repeat count', this.text(start, r.end));
    }
    this.pos = r.end;
    this.quantifier(r.max === null ? `{${r.min},}` : r.max === r.min ? `{${r.min}}` : `{${r.min},${r.max}}`);
  }

  private group(): void {
    if (this.peek() !== QUESTION) {
      this.stack.push({ ...this.flags });
      this.out += '(';
      return;
    }
    const start = this.pos - 1;
    this.pos++; // past `?`
    const c = this.peek();
    if (c === 0x50 && this.peek(1) === 0x3c) {
      // (?P<name>…): a capture; the name only matters for Go's validity rules
      const nameStart = this.pos + 2;
      const close = this.cps.indexOf(0x3e, nameStart);
      if (close === -1) throw this.fail('invalid named capture', this.text(start, this.cps.length));
      const name = this.text(nameStart, close);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw this.fail('invalid named capture', this.text(start, close + 1));
      if (this.names.has(name)) throw this.fail('duplicate capture group name', this.text(start, close + 1));
      this.names.add(name);
      this.pos = close + 1;
      this.stack.push({ ...this.flags });
      this.out += '(';
      return;
    }
    const parsed = this.parseFlags();
    if (parsed === null) {
      // lookahead `(?=` `(?!`, lookbehind and `(?<name>` (Go < 1.22), `(?P=…)`, …: RE2 has none of them
      throw this.fail('invalid or unsupported Perl syntax', this.text(start, Math.min(this.pos + 1, this.cps.length)));
    }
    if (parsed.i !== this.caseFlag) {
      throw new PatternError(
        `error parsing regexp: dm-ts cannot switch case sensitivity inside a regular expression: \`${this.text(start, this.pos + 1)}\` (use the flag at the start of the pattern, or \`case-sensitive\`)`,
      );
    }
    if (this.peek() === 0x29) {
      // (?flags): for the rest of the enclosing group
      this.pos++;
      this.flags = parsed;
      return;
    }
    this.pos++; // past `:`
    this.stack.push(this.flags);
    this.flags = parsed;
    this.out += '(?:';
  }

  private escapeOutsideClass(): void {
    const start = this.pos - 1;
    const c = this.peek();
    if (c === undefined) throw this.fail('trailing backslash at end of expression', '');
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case 'A':
        this.pos++;
        this.assertion('^');
        return;
      case 'z':
        this.pos++;
        this.assertion('$');
        return;
      case 'b':
      case 'B':
        this.pos++;
        this.assertion(`\\${ch}`);
        return;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        this.pos++;
        this.out += `\\${ch}`;
        return;
      case 's':
        this.pos++;
        this.out += `[${rangesBody(GO_SPACE)}]`;
        return;
      case 'S':
        this.pos++;
        this.out += `[^${rangesBody(GO_SPACE)}]`;
        return;
      case 'p':
      case 'P':
        this.out += this.unicodeClass(start);
        return;
      case 'Q': {
        // \Q…\E: literal text up to \E or the end
        this.pos++;
        while (this.pos < this.cps.length) {
          if (this.peek() === 0x5c && this.peek(1) === 0x45) {
            this.pos += 2;
            return;
          }
          this.out += regexLiteral(this.peek() ?? 0);
          this.pos++;
        }
        return;
      }
      default:
        this.out += regexLiteral(this.escapedChar(start));
    }
  }

  /** Go's parseEscape (after the backslash, pos on the escaped character): one code point. */
  private escapedChar(start: number): number {
    const c = this.peek() ?? 0;
    this.pos++;
    const bad = (): PatternError => this.fail('invalid escape sequence', this.text(start, this.pos));
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.peek())) throw bad(); // \1: a backreference, not in RE2
    if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      for (let k = 1; k < 3 && isOctal(this.peek()); k++) v = v * 8 + ((this.cps[this.pos++] ?? 0x30) - 0x30);
      return v;
    }
    switch (String.fromCodePoint(c)) {
      case 'x': {
        if (this.peek() === 0x7b) {
          this.pos++;
          const s = this.pos;
          while (isHex(this.peek())) this.pos++;
          const digits = this.text(s, this.pos);
          if (digits === '' || this.peek() !== 0x7d) throw bad();
          this.pos++;
          const v = parseInt(digits, 16);
          if (v > 0x10ffff) throw bad();
          return v;
        }
        if (!isHex(this.peek()) || !isHex(this.peek(1))) throw bad();
        this.pos += 2;
        return parseInt(this.text(this.pos - 2, this.pos), 16);
      }
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 't':
        return 0x09;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 'v':
        return 0x0b;
      default:
        // any ASCII punctuation (including `_`) may be escaped; letters, digits and non-ASCII may not
        if (c < 0x80 && (c === 0x5f || !isWordCp(c))) return c;
        throw bad();
    }
  }

  /** `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL` (pos on `p`/`P`) → JS `\p{…}` / `\P{…}`. */
  private unicodeClass(start: number): string {
    let negated = this.peek() === 0x50;
    this.pos++;
    let name: string;
    if (this.peek() === 0x7b) {
      const close = this.cps.indexOf(0x7d, this.pos);
      if (close === -1) throw this.fail('invalid character class range', this.text(start, this.cps.length));
      name = this.text(this.pos + 1, close);
      this.pos = close + 1;
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
    } else {
      const c = this.peek();
      if (c === undefined) throw this.fail('invalid character class range', this.text(start, this.pos));
      name = String.fromCodePoint(c);
      this.pos++;
    }
    if (!/^[A-Za-z_]+$/.test(name)) throw this.fail('invalid character class range', this.text(start, this.pos));
    const prop = name === 'Any' || GO_CATEGORIES.has(name) ? name : `Script=${name}`;
    const js = `\\${negated ? 'P' : 'p'}{${prop}}`;
    try {
      new RegExp(js, 'u');
    } catch {
      throw this.fail('invalid character class range', this.text(start, this.pos));
    }
    return js;
  }

  /** Go's parseClass (pos just past `[`). */
  private charClass(): void {
    const start = this.pos - 1;
    let negated = false;
    if (this.peek() === 0x5e) {
      negated = true;
      this.pos++;
    }
    let body = '';
    let first = true; // a `]` right after `[` or `[^` is a literal
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw this.fail('missing closing ]', this.text(start, this.cps.length));
      if (c === CLOSE && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === OPEN && this.peek(1) === 0x3a) {
        const named = this.posixClass();
        if (named !== null) {
          body += named;
          continue;
        }
      }
      if (c === 0x5c) {
        const e = this.peek(1);
        const ch = e === undefined ? '' : String.fromCodePoint(e);
        if ('dDwW'.includes(ch) && ch !== '') {
          this.pos += 2;
          body += `\\${ch}`;
          continue;
        }
        if (ch === 's' || ch === 'S') {
          this.pos += 2;
          body += rangesBody(ch === 's' ? GO_SPACE : complement(GO_SPACE));
          continue;
        }
        if (ch === 'p' || ch === 'P') {
          this.pos++;
          body += this.unicodeClass(this.pos - 1);
          continue;
        }
      }
      const loStart = this.pos;
      const lo = this.classAtom();
      if (this.peek() === DASH && this.peek(1) !== undefined && this.peek(1) !== CLOSE) {
        this.pos++;
        const hi = this.classAtom();
        if (hi < lo) throw this.fail('invalid character class range', this.text(loStart, this.pos));
        body += `${classChar(lo)}-${classChar(hi)}`;
      } else {
        body += classChar(lo);
      }
    }
    this.out += negated ? `[^${body}]` : `[${body}]`;
  }

  private classAtom(): number {
    const c = this.peek() ?? 0;
    if (c !== 0x5c) {
      this.pos++;
      return c;
    }
    const start = this.pos;
    this.pos++;
    if (this.peek() === undefined) throw this.fail('missing closing ]', this.text(start, this.cps.length));
    return this.escapedChar(start);
  }

  /** `[:alpha:]` / `[:^alpha:]` inside a class (pos on `[`), or null when there is no `:]` (then `[` is literal). */
  private posixClass(): string | null {
    let end = -1;
    for (let k = this.pos + 2; k + 1 < this.cps.length; k++) {
      if (this.cps[k] === 0x3a && this.cps[k + 1] === CLOSE) {
        end = k;
        break;
      }
    }
    if (end === -1) return null;
    const whole = this.text(this.pos, end + 2);
    let name = this.text(this.pos + 2, end);
    let negated = false;
    if (name.startsWith('^')) {
      negated = true;
      name = name.slice(1);
    }
    const ranges = POSIX_CLASSES.get(name);
    if (ranges === undefined) throw this.fail('invalid character class range', whole);
    this.pos = end + 2;
    return rangesBody(negated ? complement(ranges) : ranges);
  }
}

/**
 * A block-allow-list value: `~regex` (Go RE2, unanchored as Go's MatchString) or a wildcard.
 * With `caseSensitive: false` the wildcard is lowercased and the regex gets the `i` flag (DM prepends `(?i)`);
 * the name passed to `test` must be lowercased by the caller.
 *
 * DM also lowercases the regex *text*, which turns `\D`, `\S`, `\W`, `\A`, `\PL` into different escapes; that
 * is a bug nobody configures for, so the regex text is kept as written.
 */
export function compileNamePattern(value: string, caseSensitive: boolean): NamePattern {
  if (value.startsWith('~')) {
    const re = compileGoRegexp(value.slice(1), !caseSensitive);
    return { source: value, test: (name) => re.test(name) };
  }
  return parseWildcard(value, caseSensitive);
}
