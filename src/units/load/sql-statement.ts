/**
 * Just enough SQL lexing for the load unit: classify a dump statement (SET, INSERT, CREATE …) and find the
 * span of the object name in `INSERT INTO <t>`, `CREATE TABLE <t>` and `CREATE DATABASE <d>` so routing can
 * rewrite it, leaving every other byte of the statement untouched.
 *
 * Statements are handled as latin1 strings (one char per byte), so what is sent back to the server is the
 * dump's exact bytes; names found here are decoded from UTF-8 before they are routed.
 */
import { quoteId } from '../../mysql/identifier.js';

export type StatementKind =
  /** only whitespace and comments */
  | 'empty'
  /** SET NAMES / SET SESSION … / SET FOREIGN_KEY_CHECKS … (session state) */
  | 'set'
  | 'insert'
  | 'create-table'
  | 'create-database'
  | 'drop'
  /** statements dumps carry that the loader does on its own terms: USE, LOCK/UNLOCK TABLES, BEGIN/COMMIT, ALTER TABLE … DISABLE/ENABLE KEYS */
  | 'ignorable'
  | 'other';

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
const isIdentChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c >= 0x80;

/**
 * Index of the next token at or after `i`: skips whitespace and comments. The opener of a version comment
 * (`/*!40101`, `/*M!100100`) is skipped but its content is code, so it is not; a stray `*\/` closing one is
 * skipped too.
 */
export function skipSpace(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x2f && s.charCodeAt(i + 1) === 0x2a) {
      // /* … */, /*! version comment */, /*M! … */
      const c2 = s.charCodeAt(i + 2);
      if (c2 === 0x21 || (c2 === 0x4d && s.charCodeAt(i + 3) === 0x21)) {
        i += c2 === 0x21 ? 3 : 4;
        while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
      } else {
        const e = s.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
      }
    } else if (c === 0x2a && s.charCodeAt(i + 1) === 0x2f) {
      i += 2;
    } else if (c === 0x23 || (c === 0x2d && s.charCodeAt(i + 1) === 0x2d && (i + 2 >= n || s.charCodeAt(i + 2) <= 0x20))) {
      const e = s.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === 0x3b) {
      i++; // the statement's own terminator
    } else break;
  }
  return i;
}

/** The bare word at `i` (letters, digits, _ and $), upper-cased, and where it ends. */
export function readWord(s: string, i: number): { word: string; end: number } {
  let j = i;
  while (j < s.length && isIdentChar(s.charCodeAt(j)) && s.charCodeAt(j) < 0x80) j++;
  return { word: s.slice(i, j).toUpperCase(), end: j };
}

/** Reads the words at `i` while they equal `words` (case-insensitive); returns the index after the last, or -1. */
function expectWords(s: string, i: number, ...words: string[]): number {
  for (const w of words) {
    i = skipSpace(s, i);
    const r = readWord(s, i);
    if (r.word !== w) return -1;
    i = r.end;
  }
  return i;
}

export function classifyStatement(s: string): StatementKind {
  const i = skipSpace(s, 0);
  if (i >= s.length) return 'empty';
  const { word, end } = readWord(s, i);
  switch (word) {
    case 'SET':
      return 'set';
    case 'INSERT':
    case 'REPLACE':
      return 'insert';
    case 'USE':
    case 'LOCK':
    case 'UNLOCK':
    case 'BEGIN':
    case 'COMMIT':
    case 'START':
      return 'ignorable';
    case 'DROP':
      return 'drop';
    case 'ALTER':
      return /\b(DISABLE|ENABLE)\s+KEYS\b/i.test(s.slice(end, end + 2000)) ? 'ignorable' : 'other';
    case 'CREATE': {
      let j = skipSpace(s, end);
      let w = readWord(s, j);
      if (w.word === 'OR') {
        j = expectWords(s, w.end, 'REPLACE');
        if (j < 0) return 'other';
        w = readWord(s, skipSpace(s, j));
      }
      if (w.word === 'TEMPORARY') w = readWord(s, skipSpace(s, w.end));
      if (w.word === 'TABLE') return 'create-table';
      if (w.word === 'DATABASE' || w.word === 'SCHEMA') return 'create-database';
      return 'other';
    }
    default:
      return 'other';
  }
}

export interface Identifier {
  /** The name, decoded (UTF-8 bytes of the latin1 statement string turned into characters). */
  readonly name: string;
  readonly end: number;
}

/** Reads a quoted (`…`, or "…" when ANSI_QUOTES) or bare identifier at `i`. */
export function readIdentifier(s: string, i: number, ansiQuotes = false): Identifier | undefined {
  const c = s.charCodeAt(i);
  if (c === 0x60 || (ansiQuotes && c === 0x22)) {
    const q = String.fromCharCode(c);
    let out = '';
    let j = i + 1;
    for (;;) {
      const e = s.indexOf(q, j);
      if (e < 0) return undefined;
      out += s.slice(j, e);
      if (s.charCodeAt(e + 1) === c) {
        out += q;
        j = e + 2;
      } else {
        return { name: latin1ToUtf8(out), end: e + 1 };
      }
    }
  }
  let j = i;
  while (j < s.length && isIdentChar(s.charCodeAt(j))) j++;
  if (j === i) return undefined;
  return { name: latin1ToUtf8(s.slice(i, j)), end: j };
}

/** A possibly qualified name `a`.`b` at `i`. */
export interface QualifiedName {
  readonly start: number;
  readonly end: number;
  readonly schema?: string | undefined;
  readonly name: string;
}

export function readQualifiedName(s: string, i: number, ansiQuotes = false): QualifiedName | undefined {
  const start = skipSpace(s, i);
  const a = readIdentifier(s, start, ansiQuotes);
  if (!a) return undefined;
  const dot = skipSpace(s, a.end);
  if (s.charCodeAt(dot) === 0x2e) {
    const b = readIdentifier(s, skipSpace(s, dot + 1), ansiQuotes);
    if (!b) return undefined;
    return { start, end: b.end, schema: a.name, name: b.name };
  }
  return { start, end: a.end, name: a.name };
}

/** Where the table name of `INSERT [modifiers] [INTO] <t>` / `REPLACE … <t>` is, or undefined if this is not one. */
export function findInsertTarget(s: string, ansiQuotes = false): QualifiedName | undefined {
  let i = skipSpace(s, 0);
  const verb = readWord(s, i);
  if (verb.word !== 'INSERT' && verb.word !== 'REPLACE') return undefined;
  i = verb.end;
  for (;;) {
    const j = skipSpace(s, i);
    const w = readWord(s, j);
    if (w.word === 'LOW_PRIORITY' || w.word === 'DELAYED' || w.word === 'HIGH_PRIORITY' || w.word === 'IGNORE') {
      i = w.end;
      continue;
    }
    if (w.word === 'INTO') i = w.end;
    break;
  }
  return readQualifiedName(s, i, ansiQuotes);
}

export interface CreateHead {
  /** Index of the first character of the statement's text after `CREATE … TABLE [IF NOT EXISTS] <name>`. */
  readonly restStart: number;
  readonly name: QualifiedName;
  readonly kind: 'table' | 'database';
}

/** Parses `CREATE [OR REPLACE] [TEMPORARY] TABLE|DATABASE|SCHEMA [IF NOT EXISTS] <name>`. */
export function parseCreateHead(s: string, ansiQuotes = false): CreateHead | undefined {
  let i = expectWords(s, 0, 'CREATE');
  if (i < 0) return undefined;
  let w = readWord(s, skipSpace(s, i));
  if (w.word === 'OR') {
    i = expectWords(s, w.end, 'REPLACE');
    if (i < 0) return undefined;
    w = readWord(s, skipSpace(s, i));
  }
  if (w.word === 'TEMPORARY') w = readWord(s, skipSpace(s, w.end));
  let kind: CreateHead['kind'];
  if (w.word === 'TABLE') kind = 'table';
  else if (w.word === 'DATABASE' || w.word === 'SCHEMA') kind = 'database';
  else return undefined;
  i = w.end;
  const ifn = expectWords(s, i, 'IF', 'NOT', 'EXISTS');
  if (ifn >= 0) i = ifn;
  const name = readQualifiedName(s, i, ansiQuotes);
  if (!name) return undefined;
  return { restStart: name.end, name, kind };
}

/** `CREATE TABLE <target> <rest>` with the dump's definition and the routed, fully qualified name. */
export function rewriteCreateTable(s: string, head: CreateHead, schema: string, table: string): string {
  return `CREATE TABLE ${utf8ToLatin1(`${quoteId(schema)}.${quoteId(table)}`)}${s.slice(head.restStart)}`;
}

/** `CREATE DATABASE IF NOT EXISTS <target> <rest>` (options such as the default charset kept). */
export function rewriteCreateDatabase(s: string, head: CreateHead, schema: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${utf8ToLatin1(quoteId(schema))}${s.slice(head.restStart)}`;
}

/** Text of a latin1 (byte) string read as UTF-8. */
export function latin1ToUtf8(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** A string's UTF-8 bytes as a latin1 (byte) string, for sending through a binary connection. */
export function utf8ToLatin1(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** The character set a `SET NAMES x` / `SET CHARACTER SET x` statement selects, lower-cased. */
export function setNamesCharset(s: string): string | undefined {
  const m = /^\s*(?:\/\*!\d*\s*)?SET\s+(?:NAMES|CHARACTER\s+SET|CHARSET)\s+'?"?([A-Za-z0-9_]+)/i.exec(s);
  return m?.[1]?.toLowerCase();
}

/** A short printable excerpt of a statement for error messages. */
export function excerpt(s: string, max = 200): string {
  const t = latin1ToUtf8(s.length > max * 2 ? s.slice(0, max * 2) : s).trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
