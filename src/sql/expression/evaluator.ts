/**
 * Evaluates parsed MySQL expressions over a decoded row, with MySQL semantics (docs/expression-filter.md):
 * three-valued logic with NULL, string↔number coercion, exact integer (bigint) and DECIMAL (decimal.js)
 * arithmetic, DOUBLE only where MySQL uses it.
 *
 * Values while evaluating (`Value`): `null`; `bigint` (integers, booleans are 1/0); `Decimal` (DECIMAL);
 * `number` (DOUBLE); `string`; `Buffer` (binary strings).
 *
 * Collation: non-binary strings compare like MySQL 8's default `utf8mb4_0900_ai_ci` — case- and
 * accent-insensitive, NO PAD — approximated with the ICU root collator at base strength
 * (`Intl.Collator('und', { sensitivity: 'base' })`). Buffers compare bytewise (binary collation).
 */
import { Decimal } from 'decimal.js';
import type { Row, RowValue } from '../../binlog/row-value.js';
import { ExpressionError } from './lexer.js';
import type { Expr } from './parser.js';

/** decimal.js configured for DECIMAL(65,30) work: exact for every value MySQL can hold. */
const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
type Dec = Decimal;

export type Value = null | bigint | Dec | number | string | Buffer;

/** An expression whose column references are resolved to row indexes; build with {@link bindExpression}. */
export interface BoundExpression {
  /** The expression's value for `row` (a column missing from the row image counts as NULL). */
  evaluate(row: Row): Value;
  /** TRUE / FALSE / NULL (as `null`) of the expression as a condition. */
  test(row: Row): boolean | null;
}

const collator = new Intl.Collator('und', { sensitivity: 'base' });

/** MySQL's `div_precision_increment` default: `/` adds 4 decimal digits to the dividend's scale. */
const DIV_PRECISION_INCREMENT = 4;

type Fn = (args: readonly Value[]) => Value;
interface FnDef {
  readonly min: number;
  readonly max: number;
  readonly fn: Fn;
}

type Node = (row: Row) => Value;

/**
 * Resolves column names against `columns` (case-insensitively, as MySQL column names) and checks function
 * names and arities. Throws {@link ExpressionError} naming an unknown column or function.
 */
export function bindExpression(expr: Expr, columns: readonly string[]): BoundExpression {
  const lower = columns.map((c) => c.toLowerCase());
  const resolve = (name: string): number => {
    let i = columns.indexOf(name);
    if (i < 0) i = lower.indexOf(name.toLowerCase());
    if (i < 0) throw new ExpressionError(`unknown column \`${name}\``);
    return i;
  };
  const node = compile(expr, resolve);
  return { evaluate: node, test: (row) => truth(node(row)) };
}

function compile(e: Expr, resolve: (name: string) => number): Node {
  const c = (x: Expr): Node => compile(x, resolve);
  switch (e.t) {
    case 'lit': {
      const l = e.lit;
      const v: Value = l.kind === 'null' ? null : l.kind === 'decimal' ? new D(l.text) : l.value;
      return () => v;
    }
    case 'col': {
      const i = resolve(e.name);
      return (row) => fromRow(row[i]);
    }
    case 'neg': {
      const a = c(e.e);
      return (row) => negate(a(row));
    }
    case 'not': {
      const a = c(e.e);
      return (row) => boolValue(not3(truth(a(row))));
    }
    case 'bin': {
      const l = c(e.l);
      const r = c(e.r);
      const op = e.op;
      switch (op) {
        case 'AND':
          return (row) => {
            const a = truth(l(row));
            if (a === false) return 0n;
            const b = truth(r(row));
            return b === false ? 0n : a === null || b === null ? null : 1n;
          };
        case 'OR':
          return (row) => {
            const a = truth(l(row));
            if (a === true) return 1n;
            const b = truth(r(row));
            return b === true ? 1n : a === null || b === null ? null : 0n;
          };
        case 'XOR':
          return (row) => {
            const a = truth(l(row));
            const b = truth(r(row));
            return a === null || b === null ? null : boolValue(a !== b);
          };
        case '<=>':
          return (row) => {
            const a = l(row);
            const b = r(row);
            if (a === null || b === null) return boolValue(a === null && b === null);
            return boolValue(compare(a, b) === 0);
          };
        case '=':
        case '<>':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return (row) => {
            const k = compare(l(row), r(row));
            return k === null ? null : boolValue(cmpHolds(op, k));
          };
        default:
          return (row) => arith(op, l(row), r(row));
      }
    }
    case 'is': {
      const a = c(e.e);
      const { what, not } = e;
      return (row) => {
        const v = a(row);
        const t = what === 'NULL' || what === 'UNKNOWN' ? v === null : v !== null && truth(v) === (what === 'TRUE');
        return boolValue(t !== not);
      };
    }
    case 'between': {
      const a = c(e.e);
      const lo = c(e.lo);
      const hi = c(e.hi);
      const not = e.not;
      return (row) => {
        const v = a(row);
        const k1 = compare(v, lo(row));
        const k2 = compare(v, hi(row));
        const ge = k1 === null ? null : k1 >= 0;
        const le = k2 === null ? null : k2 <= 0;
        const r = ge === false || le === false ? false : ge === null || le === null ? null : true;
        return boolValue(not ? not3(r) : r);
      };
    }
    case 'in': {
      const a = c(e.e);
      const list = e.list.map(c);
      const not = e.not;
      return (row) => {
        const v = a(row);
        let r: boolean | null = false;
        if (v === null) r = null;
        else
          for (const item of list) {
            const k = compare(v, item(row));
            if (k === 0) {
              r = true;
              break;
            }
            if (k === null) r = null;
          }
        return boolValue(not ? not3(r) : r);
      };
    }
    case 'like': {
      const a = c(e.e);
      const p = c(e.pattern);
      const { escape, not } = e;
      const cache = new Map<string, RegExp>();
      return (row) => {
        const v = a(row);
        const pat = p(row);
        if (v === null || pat === null) return null;
        const binary = Buffer.isBuffer(v) || Buffer.isBuffer(pat);
        const ps = toStr(pat);
        const key = (binary ? 'b' : 'c') + ps;
        let re = cache.get(key);
        if (re === undefined) {
          re = likeRegExp(ps, escape, !binary);
          if (cache.size < 64) cache.set(key, re);
        }
        const r = re.test(toStr(v));
        return boolValue(r !== not);
      };
    }
    case 'case': {
      const operand = e.operand === undefined ? undefined : c(e.operand);
      const whens = e.whens.map(([w, t]) => [c(w), c(t)] as const);
      const otherwise = e.else === undefined ? undefined : c(e.else);
      return (row) => {
        const o = operand?.(row);
        for (const [w, t] of whens) {
          const hit = operand === undefined ? truth(w(row)) === true : compare(o ?? null, w(row)) === 0;
          if (hit) return t(row);
        }
        return otherwise === undefined ? null : otherwise(row);
      };
    }
    case 'call': {
      if (e.name === 'TIMESTAMPDIFF') {
        const unitArg = e.args[0];
        if (e.args.length !== 3 || unitArg?.t !== 'col') throw new ExpressionError('TIMESTAMPDIFF needs (unit, datetime, datetime)');
        const unit = unitArg.name.toUpperCase();
        if (!(unit in UNIT_MICROS) && !(unit in UNIT_MONTHS)) throw new ExpressionError(`unsupported TIMESTAMPDIFF unit ${unit}`);
        const a = c(e.args[1] as Expr);
        const b = c(e.args[2] as Expr);
        return (row) => timestampDiff(unit, a(row), b(row));
      }
      if (NONDETERMINISTIC.has(e.name)) throw new ExpressionError(`function ${e.name} is not deterministic and is not supported in expression filters`);
      const def = FUNCTIONS[e.name];
      if (def === undefined) throw new ExpressionError(`unknown function ${e.name}`);
      if (e.args.length < def.min || e.args.length > def.max) throw new ExpressionError(`incorrect parameter count in the call to ${e.name}`);
      const args = e.args.map(c);
      const fn = def.fn;
      if (LAZY.has(e.name)) return (row) => lazyCall(e.name, args, row);
      return (row) => fn(args.map((a) => a(row)));
    }
  }
}

// ---- value conversions ----

function fromRow(v: RowValue | undefined): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return JSON.stringify(v);
  return v;
}

export function isDecimal(v: unknown): v is Dec {
  return Decimal.isDecimal(v);
}

function boolValue(b: boolean | null): Value {
  return b === null ? null : b ? 1n : 0n;
}

function not3(b: boolean | null): boolean | null {
  return b === null ? null : !b;
}

/** The value as a condition: NULL → null, else whether it is non-zero in numeric context. */
export function truth(v: Value): boolean | null {
  if (v === null) return null;
  const n = toNum(v);
  if (typeof n === 'bigint') return n !== 0n;
  if (typeof n === 'number') return n !== 0;
  return !n.isZero();
}

type Num = bigint | Dec | number;

const EXACT_NUM = /^\s*[+-]?(?:\d+(\.\d*)?|\.\d+)\s*$/;
const PREFIX_NUM = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * Numeric context. Strings that are exactly a plain number convert exactly (integer → bigint, with a
 * point → DECIMAL, so DECIMAL columns, decoded as strings, stay exact); otherwise MySQL's DOUBLE
 * conversion of the longest numeric prefix (`'12abc'` → 12, `'abc'` → 0).
 */
function toNum(v: Exclude<Value, null>): Num {
  if (typeof v === 'bigint' || typeof v === 'number' || isDecimal(v)) return v;
  const s = typeof v === 'string' ? v : v.toString('latin1');
  const exact = EXACT_NUM.exec(s);
  if (exact) return exact[1] === undefined ? BigInt(s.trim().replace(/^\+/, '')) : new D(s.trim());
  const m = PREFIX_NUM.exec(s);
  return m ? Number(m[0]) : 0;
}

function toDec(n: bigint | Dec): Dec {
  return typeof n === 'bigint' ? new D(n.toString()) : n;
}

function toDouble(n: Num): number {
  return typeof n === 'number' ? n : Number(n.toString());
}

/** String context. */
export function toStr(v: Exclude<Value, null>): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (isDecimal(v)) return v.toFixed();
  return v.toString('utf8');
}

function toInt(v: Exclude<Value, null>): bigint {
  const n = toNum(v);
  if (typeof n === 'bigint') return n;
  if (typeof n === 'number') return BigInt(Math.round(n));
  return BigInt(n.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed());
}

// ---- comparison ----

/** MySQL comparison: -1/0/1, or null when either side is NULL. */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  const aText = typeof a === 'string' || Buffer.isBuffer(a);
  const bText = typeof b === 'string' || Buffer.isBuffer(b);
  if (aText && bText) {
    if (typeof a === 'string' && typeof b === 'string') return Math.sign(collator.compare(a, b));
    const ab = typeof a === 'string' ? Buffer.from(a) : a;
    const bb = typeof b === 'string' ? Buffer.from(b) : b;
    return Math.sign(Buffer.compare(ab, bb));
  }
  return compareNum(toNum(a), toNum(b));
}

function compareNum(a: Num, b: Num): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toDouble(a);
    const y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return toDec(a).cmp(toDec(b));
}

function cmpHolds(op: '=' | '<>' | '<' | '<=' | '>' | '>=', k: number): boolean {
  switch (op) {
    case '=':
      return k === 0;
    case '<>':
      return k !== 0;
    case '<':
      return k < 0;
    case '<=':
      return k <= 0;
    case '>':
      return k > 0;
    case '>=':
      return k >= 0;
  }
}

// ---- arithmetic ----

function negate(v: Value): Value {
  if (v === null) return null;
  const n = toNum(v);
  if (typeof n === 'bigint') return -n;
  if (typeof n === 'number') return -n;
  return n.neg();
}

function arith(op: '+' | '-' | '*' | '/' | 'DIV' | '%', av: Value, bv: Value): Value {
  if (av === null || bv === null) return null;
  const a = toNum(av);
  const b = toNum(bv);
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toDouble(a);
    const y = toDouble(b);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0 ? null : x / y;
      case 'DIV':
        return y === 0 ? null : BigInt(Math.trunc(x / y));
      case '%':
        return y === 0 ? null : x % y;
    }
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case 'DIV':
        return b === 0n ? null : a / b;
      case '%':
        return b === 0n ? null : a % b;
      case '/':
        break;
    }
  }
  const x = toDec(a);
  const y = toDec(b);
  switch (op) {
    case '+':
      return x.plus(y);
    case '-':
      return x.minus(y);
    case '*':
      return x.times(y);
    case '/':
      return y.isZero() ? null : x.div(y).toDecimalPlaces(x.decimalPlaces() + DIV_PRECISION_INCREMENT, Decimal.ROUND_HALF_UP);
    case 'DIV':
      return y.isZero() ? null : BigInt(x.div(y).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed());
    case '%':
      return y.isZero() ? null : x.mod(y);
  }
}

// ---- LIKE ----

function likeRegExp(pattern: string, escape: string, ci: boolean): RegExp {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === escape && i + 1 < chars.length) {
      re += escapeRe(chars[++i] as string);
    } else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`, ci ? 'isu' : 'su');
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

// ---- functions ----

const NONDETERMINISTIC = new Set(['NOW', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP', 'SYSDATE', 'CURDATE', 'CURRENT_DATE', 'CURTIME', 'CURRENT_TIME', 'UTC_TIMESTAMP', 'UTC_DATE', 'UTC_TIME', 'UNIX_TIMESTAMP', 'RAND', 'UUID', 'UUID_SHORT', 'CONNECTION_ID', 'USER', 'CURRENT_USER', 'DATABASE']);

/** Functions whose arguments are evaluated lazily (only what is needed). */
const LAZY = new Set(['IF', 'IFNULL', 'COALESCE']);

function lazyCall(name: string, args: readonly Node[], row: Row): Value {
  if (name === 'IF') return truth((args[0] as Node)(row)) === true ? (args[1] as Node)(row) : (args[2] as Node)(row);
  for (const a of args) {
    const v = a(row);
    if (v !== null) return v;
  }
  return null;
}

/** Wraps a function that returns NULL when any argument is NULL. */
function strict(fn: (args: readonly Exclude<Value, null>[]) => Value): Fn {
  return (args) => (args.some((a) => a === null) ? null : fn(args as readonly Exclude<Value, null>[]));
}

function codePoints(s: string): string[] {
  return [...s];
}

function roundTo(v: Exclude<Value, null>, d: bigint, mode: Decimal.Rounding): Value {
  const n = toNum(v);
  const places = Number(d);
  const scaled = (x: Dec): Dec => {
    if (places >= 0) return x.toDecimalPlaces(Math.min(places, 30), mode);
    const f = new D(10).pow(-places);
    return x.div(f).toDecimalPlaces(0, mode).times(f);
  };
  if (typeof n === 'bigint') return BigInt(scaled(toDec(n)).toFixed());
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) return n;
    return Number(scaled(new D(n)).toString());
  }
  return scaled(n);
}

function ceilFloor(v: Exclude<Value, null>, ceil: boolean): Value {
  const n = toNum(v);
  if (typeof n === 'bigint') return n;
  if (typeof n === 'number') return ceil ? Math.ceil(n) : Math.floor(n);
  return BigInt((ceil ? n.ceil() : n.floor()).toFixed());
}

const FUNCTIONS: Readonly<Record<string, FnDef>> = (() => {
  const f: Record<string, FnDef> = {};
  const add = (names: string[], min: number, max: number, fn: Fn): void => {
    for (const n of names) f[n] = { min, max, fn };
  };
  const s = (i: number, a: readonly Exclude<Value, null>[]): string => toStr(a[i] as Exclude<Value, null>);
  const int = (i: number, a: readonly Exclude<Value, null>[]): bigint => toInt(a[i] as Exclude<Value, null>);
  add(['ABS'], 1, 1, strict(([a]) => {
    const n = toNum(a as Exclude<Value, null>);
    return typeof n === 'bigint' ? (n < 0n ? -n : n) : typeof n === 'number' ? Math.abs(n) : n.abs();
  }));
  add(['CEIL', 'CEILING'], 1, 1, strict(([a]) => ceilFloor(a as Exclude<Value, null>, true)));
  add(['FLOOR'], 1, 1, strict(([a]) => ceilFloor(a as Exclude<Value, null>, false)));
  add(['ROUND'], 1, 2, strict((a) => roundTo(a[0] as Exclude<Value, null>, a.length > 1 ? int(1, a) : 0n, Decimal.ROUND_HALF_UP)));
  add(['TRUNCATE'], 2, 2, strict((a) => roundTo(a[0] as Exclude<Value, null>, int(1, a), Decimal.ROUND_DOWN)));
  add(['MOD'], 2, 2, ([a, b]) => arith('%', a ?? null, b ?? null));
  add(['SIGN'], 1, 1, strict(([a]) => BigInt(compareNum(toNum(a as Exclude<Value, null>), 0n))));
  add(['LENGTH', 'OCTET_LENGTH'], 1, 1, strict(([a]) => BigInt(Buffer.isBuffer(a) ? a.length : Buffer.byteLength(toStr(a as Exclude<Value, null>)))));
  add(['CHAR_LENGTH', 'CHARACTER_LENGTH'], 1, 1, strict(([a]) => BigInt(Buffer.isBuffer(a) ? a.length : codePoints(toStr(a as Exclude<Value, null>)).length)));
  add(['LOWER', 'LCASE'], 1, 1, strict((a) => s(0, a).toLowerCase()));
  add(['UPPER', 'UCASE'], 1, 1, strict((a) => s(0, a).toUpperCase()));
  add(['CONCAT'], 1, Infinity, strict((a) => a.map((_, i) => s(i, a)).join('')));
  add(['CONCAT_WS'], 2, Infinity, (a) => {
    const sep = a[0];
    if (sep === null || sep === undefined) return null;
    return a
      .slice(1)
      .filter((x): x is Exclude<Value, null> => x !== null)
      .map(toStr)
      .join(toStr(sep));
  });
  add(['SUBSTRING', 'SUBSTR', 'MID'], 2, 3, strict((a) => {
    const cp = codePoints(s(0, a));
    let pos = Number(int(1, a));
    const len = a.length > 2 ? Number(int(2, a)) : Infinity;
    if (pos === 0 || len <= 0) return '';
    if (pos < 0) pos = cp.length + pos + 1;
    if (pos < 1 || pos > cp.length) return '';
    return cp.slice(pos - 1, len === Infinity ? undefined : pos - 1 + len).join('');
  }));
  add(['TRIM'], 1, 1, strict((a) => s(0, a).replace(/^ +| +$/g, '')));
  add(['LTRIM'], 1, 1, strict((a) => s(0, a).replace(/^ +/, '')));
  add(['RTRIM'], 1, 1, strict((a) => s(0, a).replace(/ +$/, '')));
  add(['LEFT'], 2, 2, strict((a) => {
    const n = Number(int(1, a));
    return n <= 0 ? '' : codePoints(s(0, a)).slice(0, n).join('');
  }));
  add(['RIGHT'], 2, 2, strict((a) => {
    const n = Number(int(1, a));
    return n <= 0 ? '' : codePoints(s(0, a)).slice(-n).join('');
  }));
  add(['REPLACE'], 3, 3, strict((a) => (s(1, a) === '' ? s(0, a) : s(0, a).split(s(1, a)).join(s(2, a)))));
  add(['COALESCE'], 1, Infinity, () => null);
  add(['IFNULL'], 2, 2, () => null);
  add(['IF'], 3, 3, () => null);
  add(['NULLIF'], 2, 2, ([a, b]) => (compare(a ?? null, b ?? null) === 0 ? null : (a ?? null)));
  f['GREATEST'] = { min: 2, max: Infinity, fn: strict((a) => a.reduce((m, x) => ((compare(x, m) ?? 0) > 0 ? x : m))) };
  f['LEAST'] = { min: 2, max: Infinity, fn: strict((a) => a.reduce((m, x) => ((compare(x, m) ?? 0) < 0 ? x : m))) };
  const part = (k: keyof DateTimeParts): Fn =>
    strict(([a]) => {
      const d = parseDateTime(a as Exclude<Value, null>);
      return d === null ? null : BigInt(d[k]);
    });
  add(['YEAR'], 1, 1, part('year'));
  add(['MONTH'], 1, 1, part('month'));
  add(['DAY', 'DAYOFMONTH'], 1, 1, part('day'));
  add(['HOUR'], 1, 1, part('hour'));
  add(['MINUTE'], 1, 1, part('minute'));
  add(['SECOND'], 1, 1, part('second'));
  add(['DATE'], 1, 1, strict(([a]) => {
    const d = parseDateTime(a as Exclude<Value, null>);
    return d === null ? null : `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  }));
  add(['DATEDIFF'], 2, 2, strict(([a, b]) => {
    const x = parseDateTime(a as Exclude<Value, null>);
    const y = parseDateTime(b as Exclude<Value, null>);
    if (x === null || y === null || x.month === 0 || y.month === 0 || x.day === 0 || y.day === 0) return null;
    return BigInt((epochDay(x) - epochDay(y)) / 86_400_000);
  }));
  return f;
})();

// ---- temporal ----

interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micro: number;
}

const DATETIME_RE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6})\d*)?)?\s*$/;

/** Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` (the decoder's DATE/DATETIME/TIMESTAMP strings); null if not one. */
export function parseDateTime(v: Exclude<Value, null>): DateTimeParts | null {
  const m = DATETIME_RE.exec(toStr(v));
  if (!m) return null;
  const p = (i: number): number => Number(m[i] ?? '0');
  const d = { year: p(1), month: p(2), day: p(3), hour: p(4), minute: p(5), second: p(6), micro: Number((m[7] ?? '').padEnd(6, '0')) };
  if (d.month > 12 || d.day > 31 || d.hour > 23 || d.minute > 59 || d.second > 59) return null;
  return d;
}

function epochDay(d: DateTimeParts): number {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  t.setUTCHours(0, 0, 0, 0);
  return t.getTime();
}

function epochMicros(d: DateTimeParts): bigint {
  return (BigInt(epochDay(d)) + BigInt(((d.hour * 60 + d.minute) * 60 + d.second) * 1000)) * 1000n + BigInt(d.micro);
}

const UNIT_MICROS: Readonly<Record<string, bigint>> = { MICROSECOND: 1n, SECOND: 1_000_000n, MINUTE: 60_000_000n, HOUR: 3_600_000_000n, DAY: 86_400_000_000n, WEEK: 604_800_000_000n };
const UNIT_MONTHS: Readonly<Record<string, bigint>> = { MONTH: 1n, QUARTER: 3n, YEAR: 12n };

function timestampDiff(unit: string, av: Value, bv: Value): Value {
  if (av === null || bv === null) return null;
  const a = parseDateTime(av);
  const b = parseDateTime(bv);
  if (a === null || b === null || a.month === 0 || b.month === 0 || a.day === 0 || b.day === 0) return null;
  const perUnit = UNIT_MICROS[unit];
  if (perUnit !== undefined) return (epochMicros(b) - epochMicros(a)) / perUnit;
  let months = BigInt((b.year - a.year) * 12 + (b.month - a.month));
  // a month is complete only when the later day-and-time has reached the earlier one's
  const rest = (d: DateTimeParts): bigint => epochMicros({ ...d, year: 2000, month: 1 });
  if (months > 0n && rest(b) < rest(a)) months--;
  else if (months < 0n && rest(b) > rest(a)) months++;
  return months / (UNIT_MONTHS[unit] ?? 1n);
}
