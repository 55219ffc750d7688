/**
 * The few Go value syntaxes DM's config files inherit from DM being written in Go: durations
 * (`time.ParseDuration`: `5m`, `1h30m`, `300ms`), Dumpling's file sizes (`64` = 64 MiB, `1.5GiB`), RE2 regular
 * expressions, and binlog file names. A DM user's values must mean here what they mean in DM, so each parser
 * accepts exactly DM's syntax and says precisely what is wrong otherwise.
 *
 * Invariant: every function here is pure and throws a plain `Error` whose message describes the problem; the
 * config modules wrap it in the DM-coded error that names the file and key.
 */

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu; Go accepts both
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration (`time.ParseDuration`) into milliseconds. `"0"` is the only unit-less value Go accepts. */
export function parseGoDuration(text: string): number {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) {
    throw new Error(`"${text}" is not a duration; write a number with a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m`);
  }
  let total = 0;
  for (const part of (m[2] ?? '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (DURATION_UNITS_MS[part[2] ?? ''] ?? Number.NaN);
  }
  return m[1] === '-' ? -total : total;
}

/** Formats milliseconds like Go's `Duration.String()` (`5m0s`, `1s`, `500ms`), for messages that quote DM's. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1) return `${sign}${trimNum(rest * 1000)}µs`;
  if (rest < 1000) return `${sign}${trimNum(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = `${trimNum(rest / 1000)}s`;
  if (h > 0) return `${sign}${h}h${min}m${sec}`;
  if (min > 0) return `${sign}${min}m${sec}`;
  return `${sign}${sec}`;
}

function trimNum(n: number): string {
  return String(Number(n.toFixed(9)));
}

const MIB = 1024 * 1024;
const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: MIB, g: 1024 * MIB, t: 1024 * 1024 * MIB, p: 1024 * 1024 * 1024 * MIB };

/**
 * Parses a Dumpling/DM file size (`chunk-filesize`): a bare unsigned integer is MiB (DM's historical unit);
 * otherwise a number with an optional binary unit (`k`, `m`, `g`, `t`, `p`, optionally followed by `i` and/or
 * `b`, any case: `512KiB`, `1.5g`, `100 MB`). A number without a unit and with a fraction is bytes, as in Go.
 * Returns bytes.
 */
export function parseFileSize(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * MIB;
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a size; write MiB as a plain integer (64) or a number with a unit (512KiB, 1.5GiB)`);
  return Math.trunc(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
}

/** Whether a binlog file name has MySQL's `base.sequence` form with a positive sequence number (DM's rule). */
export function isValidBinlogFilename(name: string): boolean {
  const parts = name.split('.');
  if (parts.length !== 2 || !parts[0]) return false;
  const seq = parts[1] ?? '';
  return /^[+-]?\d+$/.test(seq) && Number(seq) > 0;
}

/** A Go (RE2) regular expression translated to JavaScript, with the number of capture groups it has. */
export interface CompiledGoRegexp {
  readonly regexp: RegExp;
  readonly captureGroups: number;
}

/**
 * Compiles a Go RE2 pattern as a JavaScript RegExp with the same meaning for the syntax DM users write:
 * leading inline flags `(?i)`, `(?s)`, `(?m)`, `(?is)` become RegExp flags, `(?P<name>` becomes `(?<name>`,
 * `\A` / `\z` become `^` / `$`. Constructs RE2 rejects (look-around, back-references, possessive or atomic
 * groups) are rejected here too, so a rule accepted by dm-ts is also valid for DM.
 */
export function compileGoRegexp(pattern: string, extraFlags = ''): CompiledGoRegexp {
  let src = pattern;
  let flags = extraFlags;
  for (;;) {
    const lead = /^\(\?([a-zA-Z]+)\)/.exec(src);
    if (!lead) break;
    for (const f of lead[1] ?? '') {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else {
        throw new Error(`flag "${f}" in "(?${lead[1]})" is not supported (use i, s or m)`);
      }
    }
    src = src.slice(lead[0].length);
  }
  // an unescaped "(" starts a group; "\\(" is a literal parenthesis
  const group = (tail: string): RegExp => new RegExp(`(^|[^\\\\])(\\\\\\\\)*\\(\\?${tail}`);
  if (group('<?[=!]').test(src)) throw new Error('look-ahead/look-behind groups are not supported by Go (RE2) regular expressions');
  if (group('>').test(src)) throw new Error('atomic groups are not supported by Go (RE2) regular expressions');
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(src)) throw new Error('back-references are not supported by Go (RE2) regular expressions');
  const js = src
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^')
    .replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2$');
  let regexp: RegExp;
  try {
    regexp = new RegExp(js, flags);
  } catch (e) {
    throw new Error(e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e));
  }
  // An alternation with the empty pattern always matches '', so exec tells the capture-group count.
  const probe = new RegExp(`${js}|`, flags.replace(/[gy]/g, '')).exec('');
  return { regexp, captureGroups: probe ? probe.length - 1 : 0 };
}

/** Edit distance counting an adjacent transposition as one edit (typos like "nmae"), for suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      row[j] = v;
    }
  }
  return at(a.length, b.length);
}

/** The closest candidate to `word` when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD < word.length && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
