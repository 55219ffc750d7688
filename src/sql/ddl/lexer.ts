/**
 * MySQL/MariaDB lexer for DDL. Comments are skipped, except executable comments (`/*!40101 … *\/`,
 * `/*M!100100 … *\/`) whose content is lexed as ordinary SQL, as the server does.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'hex' | 'bit' | 'var' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token exactly as written in the source (for raw re-printing). */
  readonly text: string;
  /** word: as written; quoted: unescaped identifier; string: unescaped value; others: as written. */
  readonly value: string;
  /** Charset introducer of a string (`_utf8mb4'x'` → `utf8mb4`; `N'x'` → `utf8`). */
  readonly charset?: string;
  readonly pos: number;
  readonly end: number;
  /** Whitespace or a comment separates this token from the previous one. */
  readonly spaceBefore: boolean;
}

/** Invalid SQL: carries the 0-based offset and 1-based line/column of the problem. */
export class DdlParseError extends Error {
  readonly pos: number;
  readonly line: number;
  readonly column: number;
  constructor(message: string, sql: string, pos: number) {
    const before = sql.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - (before.lastIndexOf('\n') + 1) + 1;
    const near = sql.slice(pos, pos + 30);
    super(`${message} at line ${line} column ${column}${near ? ` near '${near}'` : ''}`);
    this.name = 'DdlParseError';
    this.pos = pos;
    this.line = line;
    this.column = column;
  }
}

const OPS3 = ['<=>', '->>'];
const OPS2 = ['<=', '>=', '<>', '!=', '||', '&&', ':=', '<<', '>>', '->'];

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let inExec = false;
  let space = false;
  const n = sql.length;
  const push = (kind: TokenKind, start: number, value: string, charset?: string): void => {
    const t: Token = { kind, text: sql.slice(start, i), value, pos: start, end: i, spaceBefore: space };
    out.push(charset === undefined ? t : { ...t, charset });
    space = false;
  };
  const readQuoted = (q: string, start: number): string => {
    // i points at the opening quote
    i++;
    let v = '';
    for (;;) {
      if (i >= n) throw new DdlParseError(`unterminated ${q === '`' ? 'quoted identifier' : 'string'}`, sql, start);
      const c = sql[i]!;
      if (c === q) {
        if (sql[i + 1] === q) {
          v += q;
          i += 2;
          continue;
        }
        i++;
        return v;
      }
      if (c === '\\' && q !== '`') {
        const d = sql[i + 1];
        if (d === undefined) throw new DdlParseError('unterminated string', sql, start);
        v += d === '%' || d === '_' ? `\\${d}` : (ESCAPES[d] ?? d);
        i += 2;
        continue;
      }
      v += c;
      i++;
    }
  };
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      space = true;
      continue;
    }
    if (c === '#' || (c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]!)))) {
      while (i < n && sql[i] !== '\n') i++;
      space = true;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const m = /^\/\*(M?)!(\d{5,6})?/.exec(sql.slice(i, i + 10));
      if (m && !inExec) {
        inExec = true;
        i += m[0].length;
        space = true;
        continue;
      }
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new DdlParseError('unterminated comment', sql, start);
      i = close + 2;
      space = true;
      continue;
    }
    if (inExec && c === '*' && sql[i + 1] === '/') {
      inExec = false;
      i += 2;
      space = true;
      continue;
    }
    if (c === '`') {
      const v = readQuoted('`', start);
      push('quoted', start, v);
      continue;
    }
    if (c === "'" || c === '"') {
      const v = readQuoted(c, start);
      push('string', start, v);
      continue;
    }
    // hex / bit literals
    if ((c === 'x' || c === 'X' || c === 'b' || c === 'B') && sql[i + 1] === "'") {
      const close = sql.indexOf("'", i + 2);
      if (close < 0) throw new DdlParseError('unterminated literal', sql, start);
      i = close + 1;
      push(c === 'x' || c === 'X' ? 'hex' : 'bit', start, sql.slice(start, i));
      continue;
    }
    if ((c === 'n' || c === 'N') && sql[i + 1] === "'") {
      i++;
      const v = readQuoted("'", start);
      push('string', start, v, 'utf8');
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'b')) {
      const m = /^0(x[0-9A-Fa-f]+|b[01]+)/.exec(sql.slice(i));
      if (m && !isIdentChar(sql[i + m[0].length])) {
        i += m[0].length;
        push(sql[start + 1] === 'x' ? 'hex' : 'bit', start, m[0]);
        continue;
      }
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      if (!(/^\d+$/.test(m[0]) && isIdentChar(sql[i + m[0].length]))) {
        i += m[0].length;
        push('number', start, m[0]);
        continue;
      }
    }
    if (c === '@') {
      i++;
      if (sql[i] === '@') i++;
      if (sql[i] === '`' || sql[i] === "'" || sql[i] === '"') readQuoted(sql[i]!, start);
      else while (i < n && (isIdentChar(sql[i]) || sql[i] === '.')) i++;
      push('var', start, sql.slice(start, i));
      continue;
    }
    if (isIdentChar(c)) {
      while (i < n && isIdentChar(sql[i])) i++;
      const word = sql.slice(start, i);
      if (word.startsWith('_') && (sql[i] === "'" || sql[i] === '"')) {
        const v = readQuoted(sql[i]!, start);
        push('string', start, v, word.slice(1).toLowerCase());
        continue;
      }
      push('word', start, word);
      continue;
    }
    const three = sql.slice(i, i + 3);
    const two = sql.slice(i, i + 2);
    const op = OPS3.includes(three) ? three : OPS2.includes(two) ? two : c;
    i += op.length;
    push('op', start, op);
  }
  if (inExec) throw new DdlParseError('unterminated executable comment', sql, n);
  out.push({ kind: 'eof', text: '', value: '', pos: n, end: n, spaceBefore: space });
  return out;
}

/** Raw SQL from tokens, separated as in the source (comments collapse to one space). */
export function joinTokens(tokens: readonly Token[]): string {
  let s = '';
  tokens.forEach((t, k) => {
    s += (k > 0 && t.spaceBefore ? ' ' : '') + t.text;
  });
  return s;
}
