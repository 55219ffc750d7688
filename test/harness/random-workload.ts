/**
 * A seeded, deterministic random workload for an upstream MariaDB, for the end-to-end tests of incremental
 * replication: tables covering every common column type (one with a composite primary key, one with an extra
 * UNIQUE key), then transactions mixing single- and multi-row INSERTs, UPDATEs of non-key columns, UPDATEs
 * that change the primary key, DELETEs, occasional large transactions, autocommit statements and rollbacks;
 * optionally DDL between transactions (ADD/DROP/MODIFY COLUMN, ADD/DROP INDEX, RENAME TABLE).
 *
 * The generator keeps an in-memory model of every table (current name, columns, the indexes it added, and the
 * live primary keys), so statements never fail: updates and deletes hit existing rows, inserts and key
 * changes use keys never used before, and DML always uses the current column set. Every table has a primary
 * key (a table without one cannot be replicated exactly in every case).
 *
 * Deterministic given the seed: the same seed produces the same statements and the same final rows. With
 * concurrency > 1, each connection works on its own disjoint set of keys (so they never wait on each other);
 * only the interleaving differs between runs. DDL runs only while no DML is in flight.
 */
import mysql, { type Connection } from 'mysql2/promise';
import type { ConnectionConfig } from './mariadb-server.js';

// ---------------------------------------------------------------------------------------------- public API

export interface RandomWorkloadOptions {
  /** The database the workload creates (setup fails when it exists) and works in. */
  schema: string;
  /** Number of tables (default 3: a wide one, one with a composite key, one with an extra UNIQUE key; more cycle). */
  tables?: number;
  seed: number;
  /** Mix DDL in between transactions. */
  ddl?: boolean;
  /** Mean number of transactions between two DDL statements (default 30; each gap is uniform in [mean/2, 3·mean/2]). */
  ddlEvery?: number;
  /** Rows inserted into each table by setup() (default 200). */
  initialRows?: number;
}

export interface RunOptions {
  /** Units of work: an explicit transaction, a large transaction, or a short run of autocommit statements. */
  transactions: number;
  /** Stops at the next transaction boundary; run() then resolves normally. */
  signal?: AbortSignal;
  /** Connections working at the same time on disjoint keys (default 1; needs a config or connector, not a Connection). */
  concurrency?: number;
}

export type DdlKind = 'addColumn' | 'dropColumn' | 'modifyColumn' | 'addIndex' | 'dropIndex' | 'renameTable';
export const DDL_KINDS: readonly DdlKind[] = ['addColumn', 'dropColumn', 'modifyColumn', 'addIndex', 'dropIndex', 'renameTable'];

/** Cumulative over setup() and every run(); only work that was committed counts (rollbacks apart). */
export interface WorkloadStats {
  /** Committed explicit transactions (big ones included). */
  transactions: number;
  /** Statements run in autocommit mode. */
  autocommitStatements: number;
  /** Explicit transactions ended with ROLLBACK on purpose. */
  rollbacks: number;
  /** DML statements executed (committed, autocommitted or rolled back). */
  statements: number;
  /** Rows inserted by setup(). */
  setupRows: number;
  /** Rows inserted. */
  inserts: number;
  singleRowInserts: number;
  /** INSERT statements with more than one row. */
  multiRowInserts: number;
  /** Rows whose non-key columns were updated. */
  updates: number;
  /** UPDATE statements (non-key columns) addressing more than one row. */
  multiRowUpdates: number;
  /** Rows whose primary key was changed (each by its own UPDATE). */
  pkChanges: number;
  /** Rows deleted. */
  deletes: number;
  /** DELETE statements addressing more than one row. */
  multiRowDeletes: number;
  /** Transactions inserting or updating 500–2000 rows. */
  bigTransactions: number;
  /** Transactions or statements retried after a deadlock or lock wait timeout (should stay 0). */
  retries: number;
  ddl: Record<DdlKind, number>;
}

/** The model's view of one table. */
export interface WorkloadTable {
  /** Current name (after renames). */
  name: string;
  /** Columns in table order. */
  columns: string[];
  keyColumns: string[];
  /** Live rows. */
  rows: number;
}

/** A statement that failed; the message contains the server's error and the statement (shortened). */
export class WorkloadStatementError extends Error {
  constructor(
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    const shown = statement.length > 2000 ? `${statement.slice(0, 2000)}… (${statement.length} chars)` : statement;
    super(`random workload: statement failed: ${msg}\n  statement: ${shown}`);
    this.name = 'WorkloadStatementError';
  }
}

/** Where the workload connects: a config (it opens its own connections), anything with connect() (e.g. MariaDbServer), or one Connection. */
export type WorkloadTarget = ConnectionConfig | { connect(): Promise<Connection> } | Connection;

// --------------------------------------------------------------------------------------------------- PRNG

/** mulberry32: a small, fast 32-bit PRNG. Returns uint32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

class Rng {
  private readonly gen: () => number;
  constructor(seed: number) {
    this.gen = mulberry32(seed);
  }
  u32(): number {
    return this.gen();
  }
  /** [0, 1) */
  next(): number {
    return this.gen() / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('random workload: pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** `n` distinct items (fewer when there are fewer), in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const a = items.slice();
    const k = Math.min(n, a.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (a.length - i));
      const tmp = a[i] as T;
      a[i] = a[j] as T;
      a[j] = tmp;
    }
    return a.slice(0, k);
  }
  /** Uniform 64-bit unsigned. */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

// ------------------------------------------------------------------------------------------ table model

type IntName = 'TINYINT' | 'SMALLINT' | 'MEDIUMINT' | 'INT' | 'BIGINT';
const INT_BITS: Record<IntName, number> = { TINYINT: 8, SMALLINT: 16, MEDIUMINT: 24, INT: 32, BIGINT: 64 };
const WIDER: Partial<Record<IntName, IntName>> = { TINYINT: 'SMALLINT', SMALLINT: 'MEDIUMINT', MEDIUMINT: 'INT', INT: 'BIGINT' };

type ColumnKind =
  | 'int' | 'decimal' | 'float' | 'double' | 'bit' | 'date' | 'time' | 'datetime' | 'timestamp' | 'year'
  | 'char' | 'varchar' | 'binary' | 'varbinary' | 'tinytext' | 'text' | 'blob' | 'longblob' | 'enum' | 'set' | 'json';

interface Column {
  name: string;
  kind: ColumnKind;
  int?: IntName;
  unsigned?: boolean;
  /** char/varchar/binary/varbinary/bit length, decimal precision */
  len?: number;
  /** decimal scale, fractional seconds precision */
  scale?: number;
  charset?: 'utf8mb4' | 'latin1';
  members?: readonly string[];
  notNull?: boolean;
  /** SQL literal */
  default?: string;
  /** added by the generator's DDL (the only columns it drops) */
  added?: boolean;
}

type Template = 'wide' | 'composite' | 'unique';

interface KeyRec {
  /** identity in the pools */
  id: string;
  /** SQL literals, one per key column */
  lits: string[];
  /** values as strings (String() of what SELECT returns), one per key column */
  vals: string[];
}

/** The live keys one worker owns in one table: O(1) add, remove and random pick. */
class KeyPool {
  private readonly arr: KeyRec[] = [];
  private readonly pos = new Map<string, number>();
  get size(): number {
    return this.arr.length;
  }
  all(): readonly KeyRec[] {
    return this.arr;
  }
  add(k: KeyRec): void {
    if (this.pos.has(k.id)) throw new Error(`random workload: key ${k.id} added twice`);
    this.pos.set(k.id, this.arr.length);
    this.arr.push(k);
  }
  remove(k: KeyRec): void {
    const i = this.pos.get(k.id);
    if (i === undefined) throw new Error(`random workload: key ${k.id} is not live`);
    const last = this.arr.pop() as KeyRec;
    if (last !== k) {
      this.arr[i] = last;
      this.pos.set(last.id, i);
    }
    this.pos.delete(k.id);
  }
  pick(rng: Rng): KeyRec {
    return rng.pick(this.arr);
  }
  sample(rng: Rng, n: number): KeyRec[] {
    return rng.sample(this.arr, n);
  }
}

/**
 * Fresh numbers never handed out before: during a run with c workers, worker w gets base + w + c·k for
 * k = 0, 1, …, so workers never collide and each one's sequence does not depend on the interleaving.
 */
class Allocator {
  private stride = 1;
  private counters: number[] = [0];
  constructor(private base: number) {}
  begin(workers: number): void {
    this.stride = workers;
    this.counters = new Array<number>(workers).fill(0);
  }
  next(w: number): number {
    const k = this.counters[w] ?? 0;
    this.counters[w] = k + 1;
    return this.base + w + this.stride * k;
  }
  end(): void {
    this.base += this.stride * Math.max(0, ...this.counters);
    this.begin(1);
  }
}

interface TableModel {
  readonly template: Template;
  readonly baseName: string;
  name: string;
  columns: Column[];
  readonly keyColumns: readonly string[];
  readonly uniqueColumn: string | undefined;
  /** indexes the generator added (single column) */
  indexes: Array<{ name: string; column: string }>;
  /** live keys, one pool per worker */
  pools: KeyPool[];
  readonly alloc: Allocator;
}

const U8 = 'utf8mb4';
const L1 = 'latin1';
// no 4-byte characters here: MariaDB keeps ENUM/SET members in utf8mb3 metadata (they would read back as '?')
const ENUM_MEMBERS = ['alpha', 'beta', 'gamma', 'délta', 'naïve ✓'];
const SET_MEMBERS = ['red', 'green', 'blue', 'ünï', 'x y'];

function templateColumns(t: Template): Column[] {
  switch (t) {
    case 'wide':
      return [
        { name: 'id', kind: 'int', int: 'BIGINT', notNull: true },
        { name: 'c_tiny', kind: 'int', int: 'TINYINT' },
        { name: 'c_tiny_u', kind: 'int', int: 'TINYINT', unsigned: true },
        { name: 'c_small', kind: 'int', int: 'SMALLINT' },
        { name: 'c_small_u', kind: 'int', int: 'SMALLINT', unsigned: true },
        { name: 'c_medium', kind: 'int', int: 'MEDIUMINT' },
        { name: 'c_medium_u', kind: 'int', int: 'MEDIUMINT', unsigned: true },
        { name: 'c_int', kind: 'int', int: 'INT', notNull: true, default: '0' },
        { name: 'c_int_u', kind: 'int', int: 'INT', unsigned: true },
        { name: 'c_big', kind: 'int', int: 'BIGINT' },
        { name: 'c_big_u', kind: 'int', int: 'BIGINT', unsigned: true },
        { name: 'c_dec', kind: 'decimal', len: 20, scale: 6 },
        { name: 'c_float', kind: 'float' },
        { name: 'c_double', kind: 'double' },
        { name: 'c_bit1', kind: 'bit', len: 1 },
        { name: 'c_bit64', kind: 'bit', len: 64 },
        { name: 'c_date', kind: 'date' },
        { name: 'c_time', kind: 'time', scale: 3 },
        { name: 'c_dt', kind: 'datetime', scale: 6 },
        { name: 'c_ts', kind: 'timestamp', scale: 6 },
        { name: 'c_year', kind: 'year' },
        { name: 'c_vc', kind: 'varchar', len: 64, charset: U8, notNull: true, default: "''" },
        { name: 'c_ch_latin', kind: 'char', len: 12, charset: L1 },
        { name: 'c_enum', kind: 'enum', members: ENUM_MEMBERS },
        { name: 'c_set', kind: 'set', members: SET_MEMBERS },
        { name: 'c_json', kind: 'json' },
      ];
    case 'composite':
      return [
        { name: 'k1', kind: 'int', int: 'INT', unsigned: true, notNull: true },
        { name: 'k2', kind: 'varchar', len: 40, charset: U8, notNull: true },
        { name: 'c_bin', kind: 'binary', len: 16 },
        { name: 'c_varbin', kind: 'varbinary', len: 300 },
        { name: 'c_tinytext', kind: 'tinytext', charset: U8 },
        { name: 'c_text', kind: 'text', charset: U8 },
        { name: 'c_blob', kind: 'blob' },
        { name: 'c_longblob', kind: 'longblob' },
        { name: 'c_ch', kind: 'char', len: 10, charset: U8 },
        { name: 'c_vc_latin', kind: 'varchar', len: 100, charset: L1 },
        { name: 'c_int', kind: 'int', int: 'INT' },
        { name: 'c_dec', kind: 'decimal', len: 20, scale: 6 },
        { name: 'c_dt', kind: 'datetime', scale: 6 },
        { name: 'c_bit', kind: 'bit', len: 13 },
        { name: 'c_enum', kind: 'enum', members: ENUM_MEMBERS, notNull: true, default: "'alpha'" },
        { name: 'c_json', kind: 'json' },
      ];
    case 'unique':
      return [
        { name: 'id', kind: 'int', int: 'INT', notNull: true },
        { name: 'code', kind: 'varchar', len: 40, charset: U8, notNull: true },
        { name: 'c_medium', kind: 'int', int: 'MEDIUMINT' },
        { name: 'c_small_u', kind: 'int', int: 'SMALLINT', unsigned: true },
        { name: 'c_dec', kind: 'decimal', len: 20, scale: 6 },
        { name: 'c_double', kind: 'double' },
        { name: 'c_date', kind: 'date' },
        { name: 'c_time', kind: 'time', scale: 3 },
        { name: 'c_ts', kind: 'timestamp', scale: 6 },
        { name: 'c_year', kind: 'year' },
        { name: 'c_set', kind: 'set', members: SET_MEMBERS },
        { name: 'c_text', kind: 'text', charset: U8 },
        { name: 'c_vc', kind: 'varchar', len: 30, charset: U8 },
        { name: 'c_varbin', kind: 'varbinary', len: 64 },
        { name: 'c_bit', kind: 'bit', len: 5 },
        { name: 'c_json', kind: 'json' },
      ];
  }
}

const TEMPLATES: readonly Template[] = ['wide', 'composite', 'unique'];
const TEMPLATE_PREFIX: Record<Template, string> = { wide: 'wide', composite: 'comp', unique: 'uniq' };

/** Columns ADD COLUMN picks from (each with a DEFAULT, or nullable with DEFAULT NULL). */
const ADDABLE: ReadonlyArray<Omit<Column, 'name' | 'added'>> = [
  { kind: 'int', int: 'INT', notNull: true, default: '7' },
  { kind: 'varchar', len: 20, charset: U8, default: "'défaut ✓'" },
  { kind: 'decimal', len: 20, scale: 6, notNull: true, default: "'1.500000'" },
  { kind: 'datetime', scale: 6, default: "'2020-02-02 02:02:02.020202'" },
  { kind: 'int', int: 'BIGINT', unsigned: true, default: '18446744073709551615' },
  { kind: 'enum', members: ['on', 'off'], notNull: true, default: "'off'" },
  { kind: 'int', int: 'TINYINT', default: '-3' },
  { kind: 'varchar', len: 10, charset: L1, default: "'àé€'" },
  { kind: 'timestamp', scale: 3, default: 'NULL' },
  { kind: 'bit', len: 8, default: "b'1010'" },
  { kind: 'date', notNull: true, default: "'2001-01-01'" },
];

function columnType(c: Column): string {
  const cs = c.charset ? ` CHARACTER SET ${c.charset}` : '';
  switch (c.kind) {
    case 'int':
      return `${c.int ?? 'INT'}${c.unsigned ? ' UNSIGNED' : ''}`;
    case 'decimal':
      return `DECIMAL(${c.len ?? 10},${c.scale ?? 0})`;
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'bit':
      return `BIT(${c.len ?? 1})`;
    case 'date':
      return 'DATE';
    case 'time':
      return `TIME(${c.scale ?? 0})`;
    case 'datetime':
      return `DATETIME(${c.scale ?? 0})`;
    case 'timestamp':
      return `TIMESTAMP(${c.scale ?? 0})`;
    case 'year':
      return 'YEAR';
    case 'char':
      return `CHAR(${c.len ?? 1})${cs}`;
    case 'varchar':
      return `VARCHAR(${c.len ?? 1})${cs}`;
    case 'binary':
      return `BINARY(${c.len ?? 1})`;
    case 'varbinary':
      return `VARBINARY(${c.len ?? 1})`;
    case 'tinytext':
      return `TINYTEXT${cs}`;
    case 'text':
      return `TEXT${cs}`;
    case 'blob':
      return 'BLOB';
    case 'longblob':
      return 'LONGBLOB';
    case 'enum':
      return `ENUM(${(c.members ?? []).map(strLit).join(',')})`;
    case 'set':
      return `SET(${(c.members ?? []).map(strLit).join(',')})`;
    case 'json':
      return 'JSON';
  }
}

/** The full column definition, as in CREATE TABLE and MODIFY COLUMN. */
function columnDef(c: Column): string {
  const dflt = c.default !== undefined ? ` DEFAULT ${c.default}` : '';
  return `${ident(c.name)} ${columnType(c)}${c.notNull ? ' NOT NULL' : ' NULL'}${dflt}`;
}

function ident(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function strLit(s: string): string {
  return (
    "'" +
    s.replace(/[\0\n\r\x1a\\'"]/g, (ch) => {
      switch (ch) {
        case '\0':
          return '\\0';
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\x1a':
          return '\\Z';
        default:
          return '\\' + ch;
      }
    }) +
    "'"
  );
}

function bytesLit(b: Buffer): string {
  return `X'${b.toString('hex')}'`;
}

// -------------------------------------------------------------------------------------- value generation

type Size = 'normal' | 'small';

const ASCII = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789      .,;:-_!?()/');
const SPECIAL_UTF8 = Array.from('\'"\\%éèêàçüöñÅøßÆœЖжλπ中文字日本語😀🚀🎉👍🏽💡𝄞\t\n');
const SPECIAL_LATIN1 = Array.from('\'"\\éèàçüöÿ£©±ÆØß¿€');
const KEY_TAGS = ['', '-é', '-ü', '-😀', '-中文', " o'k", '-\\', '-ß'];
const CODE_TAGS = ['x', 'é', '😀', 'ß', "q'", 'Ж'];

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function randString(rng: Rng, charset: 'utf8mb4' | 'latin1', maxChars: number, maxBytes = Infinity): string {
  const n = rng.int(0, maxChars);
  const special = charset === U8 ? SPECIAL_UTF8 : SPECIAL_LATIN1;
  let s = '';
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const ch = rng.chance(0.8) ? rng.pick(ASCII) : rng.pick(special);
    const b = charset === U8 ? Buffer.byteLength(ch) : 1;
    if (bytes + b > maxBytes) break;
    s += ch;
    bytes += b;
  }
  return s;
}

function randBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) {
    const v = rng.u32();
    for (let j = 0; j < 4 && i + j < n; j++) b[i + j] = (v >>> (8 * j)) & 0xff;
  }
  return b;
}

function intLit(rng: Rng, name: IntName, unsigned: boolean): string {
  const bits = INT_BITS[name];
  const max = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = unsigned ? 0n : -(1n << BigInt(bits - 1));
  if (rng.chance(0.1)) return String(rng.pick([min, max, 0n, 1n, unsigned ? max - 1n : -1n]));
  const magBits = rng.int(1, unsigned ? bits : bits - 1);
  const mag = rng.u64() >> BigInt(64 - magBits);
  return String(!unsigned && rng.chance(0.4) ? -mag : mag);
}

function decimalLit(rng: Rng, precision: number, scale: number): string {
  const intDigits = rng.int(0, precision - scale);
  let ip = '';
  for (let i = 0; i < intDigits; i++) ip += String(i === 0 ? rng.int(1, 9) : rng.int(0, 9));
  let fp = '';
  for (let i = 0; i < scale; i++) fp += String(rng.int(0, 9));
  return `${rng.chance(0.3) ? '-' : ''}${ip || '0'}${scale > 0 ? '.' + fp : ''}`;
}

function floatLit(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(['0', '-1.5', '1e-30', '3.0e30']);
  return String(Math.fround((rng.next() * 2 - 1) * 10 ** rng.int(-10, 30)));
}

function doubleLit(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(['0', '-2.5', '1.7976931348623157e308', '2.2250738585072014e-308', '0.1']);
  return String((rng.next() * 2 - 1) * 10 ** rng.int(-290, 290));
}

function fraction(rng: Rng, fsp: number): string {
  if (fsp === 0) return '';
  let f = '';
  for (let i = 0; i < fsp; i++) f += String(rng.int(0, 9));
  return '.' + f;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function randDate(rng: Rng): string {
  const r = rng.next();
  if (r < 0.03) return '1000-01-01';
  if (r < 0.06) return '9999-12-31';
  const y = rng.chance(0.8) ? rng.int(1970, 2040) : rng.int(1000, 9999);
  const m = rng.int(1, 12);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(rng.int(1, daysIn(y, m)), 2)}`;
}

function randClock(rng: Rng): string {
  return `${pad(rng.int(0, 23), 2)}:${pad(rng.int(0, 59), 2)}:${pad(rng.int(0, 59), 2)}`;
}

function timeLit(rng: Rng, fsp: number): string {
  if (rng.chance(0.05)) return strLit(`${rng.chance(0.5) ? '-' : ''}838:59:59`);
  const h = rng.chance(0.7) ? rng.int(0, 23) : rng.int(0, 837);
  return strLit(`${rng.chance(0.2) ? '-' : ''}${pad(h, 2)}:${pad(rng.int(0, 59), 2)}:${pad(rng.int(0, 59), 2)}${fraction(rng, fsp)}`);
}

function datetimeLit(rng: Rng, fsp: number): string {
  if (rng.chance(0.03)) return strLit(`9999-12-31 23:59:59${fsp ? '.' + '9'.repeat(fsp) : ''}`);
  return strLit(`${randDate(rng)} ${randClock(rng)}${fraction(rng, fsp)}`);
}

function timestampLit(rng: Rng, fsp: number): string {
  const r = rng.next();
  const sec = r < 0.03 ? 1 : r < 0.06 ? 2147483647 : rng.int(1, 2147483647);
  const iso = new Date(sec * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z, UTC (the session time zone)
  return strLit(`${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(rng, fsp)}`);
}

function jsonValue(rng: Rng, depth: number): unknown {
  const r = rng.next();
  if (depth > 0 && r < 0.25) {
    const o: Record<string, unknown> = {};
    for (let i = rng.int(0, 4); i > 0; i--) o[rng.pick(['a', 'b', 'n', 'ключ', 'emoji😀', 'quote"', 'x y'])] = jsonValue(rng, depth - 1);
    return o;
  }
  if (depth > 0 && r < 0.4) return Array.from({ length: rng.int(0, 4) }, () => jsonValue(rng, depth - 1));
  if (r < 0.55) return rng.int(-1_000_000_000, 1_000_000_000);
  if (r < 0.65) return rng.int(-1_000_000, 1_000_000) / 100;
  if (r < 0.85) return randString(rng, U8, 20);
  if (r < 0.95) return rng.chance(0.5);
  return null;
}

/** A random value for the column, as an SQL literal. */
function valueLit(rng: Rng, c: Column, size: Size): string {
  if (!c.notNull && rng.chance(0.1)) return 'NULL';
  const small = size === 'small';
  switch (c.kind) {
    case 'int':
      return intLit(rng, c.int ?? 'INT', !!c.unsigned);
    case 'decimal':
      return decimalLit(rng, c.len ?? 10, c.scale ?? 0);
    case 'float':
      return floatLit(rng);
    case 'double':
      return doubleLit(rng);
    case 'bit': {
      const bits = c.len ?? 1;
      const v = rng.chance(0.1) ? rng.pick([0n, (1n << BigInt(bits)) - 1n]) : rng.u64() >> BigInt(64 - bits);
      return `b'${v.toString(2)}'`;
    }
    case 'date':
      return strLit(randDate(rng));
    case 'time':
      return timeLit(rng, c.scale ?? 0);
    case 'datetime':
      return datetimeLit(rng, c.scale ?? 0);
    case 'timestamp':
      return timestampLit(rng, c.scale ?? 0);
    case 'year':
      return String(rng.int(1901, 2155));
    case 'char':
      return strLit(randString(rng, c.charset ?? U8, c.len ?? 1).trimEnd());
    case 'varchar':
      return strLit(randString(rng, c.charset ?? U8, c.len ?? 1));
    case 'binary':
      return bytesLit(randBytes(rng, rng.int(0, c.len ?? 1)));
    case 'varbinary':
      return bytesLit(randBytes(rng, rng.int(0, c.len ?? 1)));
    case 'tinytext':
      return strLit(randString(rng, c.charset ?? U8, 100, 255));
    case 'text':
      return strLit(randString(rng, c.charset ?? U8, !small && rng.chance(0.05) ? 15_000 : small ? 40 : 300, 65_535));
    case 'blob':
      return bytesLit(randBytes(rng, rng.int(0, !small && rng.chance(0.05) ? 60_000 : small ? 50 : 2_000)));
    case 'longblob':
      return bytesLit(randBytes(rng, !small && rng.chance(0.05) ? rng.int(90_000, 110_000) : rng.int(0, small ? 50 : 1_000)));
    case 'enum':
      return strLit(rng.pick(c.members ?? ['']));
    case 'set':
      return strLit(rng.sample(c.members ?? [], rng.int(0, 3)).join(','));
    case 'json':
      return strLit(JSON.stringify(rng.chance(0.8) ? { id: rng.int(0, 1e6), v: jsonValue(rng, small ? 1 : 3) } : jsonValue(rng, 2)));
  }
}

function isOptional(c: Column): boolean {
  return !c.notNull || c.default !== undefined;
}

function emptyStats(): WorkloadStats {
  return {
    transactions: 0, autocommitStatements: 0, rollbacks: 0, statements: 0, setupRows: 0,
    inserts: 0, singleRowInserts: 0, multiRowInserts: 0, updates: 0, multiRowUpdates: 0, pkChanges: 0,
    deletes: 0, multiRowDeletes: 0, bigTransactions: 0, retries: 0,
    ddl: { addColumn: 0, dropColumn: 0, modifyColumn: 0, addIndex: 0, dropIndex: 0, renameTable: 0 },
  };
}

function addStats(into: WorkloadStats, d: WorkloadStats): void {
  for (const k of Object.keys(d) as Array<keyof WorkloadStats>) {
    if (k === 'ddl') for (const dk of DDL_KINDS) into.ddl[dk] += d.ddl[dk];
    else into[k] += d[k];
  }
}

// ------------------------------------------------------------------------------------------ the workload

const SESSION_SETUP = [
  'SET NAMES utf8mb4',
  "SET SESSION time_zone = '+00:00'",
  "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
  // no gap locks: workers on disjoint keys never wait on each other
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
];

const RETRYABLE_ERRNOS = new Set([1213 /* deadlock */, 1205 /* lock wait timeout */]);

interface Worker {
  readonly w: number;
  readonly rng: Rng;
  readonly conn: Connection;
}

/** One unit of work being planned: its statements, the model changes to undo on rollback, its stats. */
interface Plan {
  readonly w: number;
  readonly rng: Rng;
  readonly statements: string[];
  readonly undo: Array<() => void>;
  readonly delta: WorkloadStats;
  explicit: boolean;
  rollback: boolean;
}

function isConnection(t: WorkloadTarget): t is Connection {
  return typeof (t as { query?: unknown }).query === 'function';
}

function hasConnect(t: WorkloadTarget): t is { connect(): Promise<Connection> } {
  return typeof (t as { connect?: unknown }).connect === 'function';
}

export class RandomWorkload {
  private readonly opts: Required<RandomWorkloadOptions>;
  private readonly rng: Rng;
  private readonly models: TableModel[] = [];
  private readonly totals = emptyStats();
  private isSetUp = false;
  private running = false;
  private runNo = 0;
  private ddlCountdown: number;
  private columnCounter = 0;
  private indexCounter = 0;
  private renameCounter = 0;

  /**
   * `target`: a ConnectionConfig or a connector (e.g. a MariaDbServer) lets the workload open and close its
   * own connections; a Connection is used as is (session variables set on it; not closed) and allows
   * concurrency 1 only.
   */
  constructor(
    private readonly target: WorkloadTarget,
    opts: RandomWorkloadOptions,
  ) {
    this.opts = { tables: 3, ddl: false, ddlEvery: 30, initialRows: 200, ...opts };
    if (!/^[A-Za-z0-9_]+$/.test(this.opts.schema)) throw new Error(`random workload: schema name ${this.opts.schema} is not a plain identifier`);
    if (this.opts.tables < 1) throw new Error('random workload: tables must be at least 1');
    this.rng = new Rng(mixSeed(this.opts.seed, 0x5eed));
    this.ddlCountdown = this.nextDdlGap();
    for (let i = 0; i < this.opts.tables; i++) {
      const template = TEMPLATES[i % TEMPLATES.length] as Template;
      const name = `${TEMPLATE_PREFIX[template]}_${i}`;
      this.models.push({
        template,
        baseName: name,
        name,
        columns: templateColumns(template),
        keyColumns: template === 'composite' ? ['k1', 'k2'] : ['id'],
        uniqueColumn: template === 'unique' ? 'code' : undefined,
        indexes: [],
        pools: [new KeyPool()],
        alloc: new Allocator(1),
      });
    }
  }

  /** CREATE DATABASE (fails when it exists), the tables, and `initialRows` rows in each. */
  async setup(): Promise<void> {
    if (this.isSetUp) throw new Error('random workload: setup() already ran');
    const conn = await this.open();
    try {
      const s = ident(this.opts.schema);
      await this.exec(conn, `CREATE DATABASE ${s} DEFAULT CHARACTER SET utf8mb4`);
      for (const t of this.models) {
        const defs = t.columns.map(columnDef);
        defs.push(`PRIMARY KEY (${t.keyColumns.map(ident).join(', ')})`);
        if (t.uniqueColumn) defs.push(`UNIQUE KEY ${ident('uk_' + t.uniqueColumn)} (${ident(t.uniqueColumn)})`);
        await this.exec(conn, `CREATE TABLE ${this.qname(t)} (\n  ${defs.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
      }
      for (const t of this.models) {
        for (let done = 0; done < this.opts.initialRows; ) {
          const n = Math.min(25, this.opts.initialRows - done);
          const plan = this.newPlan(0, this.rng);
          this.planInsert(plan, t, n, 'normal', false);
          for (const stmt of plan.statements) await this.exec(conn, stmt);
          this.totals.setupRows += n;
          done += n;
        }
        t.alloc.end();
      }
      this.isSetUp = true;
    } finally {
      await this.close(conn);
    }
  }

  /**
   * Runs `transactions` units of work (DDL, when enabled, comes in between them and does not count) and
   * resolves with the cumulative stats; rejects with a WorkloadStatementError when a statement fails.
   */
  async run(opts: RunOptions): Promise<WorkloadStats> {
    if (!this.isSetUp) throw new Error('random workload: run() before setup()');
    if (this.running) throw new Error('random workload: run() is already running');
    const c = opts.concurrency ?? 1;
    if (!Number.isInteger(c) || c < 1 || c > 64) throw new Error(`random workload: bad concurrency ${c}`);
    if (c > 1 && isConnection(this.target)) throw new Error('random workload: concurrency > 1 needs a config or a connector, not a single Connection');
    this.running = true;
    this.runNo++;
    this.partition(c);
    const conns: Connection[] = [];
    try {
      for (let w = 0; w < c; w++) conns.push(await this.open());
      const control = conns[0] as Connection;
      for (const conn of conns) await conn.query(`USE ${ident(this.opts.schema)}`);
      const workers: Worker[] = conns.map((conn, w) => ({ w, conn, rng: new Rng(mixSeed(this.opts.seed, this.runNo, w)) }));
      let remaining = opts.transactions;
      while (remaining > 0 && !opts.signal?.aborted) {
        const epoch = this.opts.ddl ? Math.min(remaining, this.ddlCountdown) : remaining;
        await this.runEpoch(workers, epoch, opts.signal);
        remaining -= epoch;
        if (this.opts.ddl) {
          this.ddlCountdown -= epoch;
          if (this.ddlCountdown <= 0 && !opts.signal?.aborted) {
            await this.runDdl(control);
            this.ddlCountdown = this.nextDdlGap();
          }
        }
      }
    } finally {
      for (const t of this.models) t.alloc.end();
      for (const conn of conns) await this.close(conn);
      this.running = false;
    }
    return this.stats();
  }

  /** Cumulative counts (a copy). */
  stats(): WorkloadStats {
    return { ...this.totals, ddl: { ...this.totals.ddl } };
  }

  /** The model: every table with its current name, columns and number of live rows. */
  tables(): WorkloadTable[] {
    return this.models.map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => c.name),
      keyColumns: [...t.keyColumns],
      rows: t.pools.reduce((n, p) => n + p.size, 0),
    }));
  }

  /** The live primary keys of a table (current name), each as String() of its column values, in no particular order. */
  liveKeys(table: string): string[][] {
    const t = this.models.find((m) => m.name === table);
    if (!t) throw new Error(`random workload: no table ${table}`);
    return t.pools.flatMap((p) => p.all().map((k) => [...k.vals]));
  }

  get schema(): string {
    return this.opts.schema;
  }

  // ------------------------------------------------------------------------------------- connections

  private async open(): Promise<Connection> {
    let conn: Connection;
    if (isConnection(this.target)) conn = this.target;
    else if (hasConnect(this.target)) conn = await this.target.connect();
    else {
      const { host, port, user, password } = this.target;
      conn = await mysql.createConnection({ host, port, user, password, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: 'Z' });
    }
    for (const s of SESSION_SETUP) await this.exec(conn, s);
    return conn;
  }

  private async close(conn: Connection): Promise<void> {
    if (conn !== this.target) await conn.end().catch(() => undefined);
  }

  private async exec(conn: Connection, sql: string): Promise<void> {
    try {
      await conn.query(sql);
    } catch (e) {
      throw new WorkloadStatementError(sql, e);
    }
  }

  // ------------------------------------------------------------------------------------------ running

  /** Gives each of `c` workers a disjoint share of every table's live keys (deterministic). */
  private partition(c: number): void {
    for (const t of this.models) {
      const all = t.pools.flatMap((p) => p.all());
      t.pools = Array.from({ length: c }, () => new KeyPool());
      all.forEach((k, i) => (t.pools[i % c] as KeyPool).add(k));
      t.alloc.begin(c);
    }
  }

  private nextDdlGap(): number {
    const mean = Math.max(1, this.opts.ddlEvery);
    return this.rng.int(Math.max(1, Math.floor(mean / 2)), Math.max(1, Math.ceil((mean * 3) / 2)));
  }

  /** `units` units of work spread over the workers, which run at the same time; returns when all are done. */
  private async runEpoch(workers: Worker[], units: number, signal: AbortSignal | undefined): Promise<void> {
    let failure: Error | undefined;
    const c = workers.length;
    await Promise.all(
      workers.map(async (wk) => {
        const mine = Math.floor(units / c) + (wk.w < units % c ? 1 : 0);
        try {
          for (let i = 0; i < mine && !failure && !signal?.aborted; i++) await this.execute(wk, this.planUnit(wk));
        } catch (e) {
          failure ??= e instanceof Error ? e : new Error(String(e));
        }
      }),
    );
    if (failure) throw failure;
  }

  private async execute(wk: Worker, plan: Plan): Promise<void> {
    const { conn } = wk;
    if (plan.explicit) {
      for (let attempt = 1; ; attempt++) {
        let current = 'START TRANSACTION';
        try {
          await conn.query(current);
          for (const s of plan.statements) {
            current = s;
            await conn.query(s);
          }
          current = plan.rollback ? 'ROLLBACK' : 'COMMIT';
          await conn.query(current);
          break;
        } catch (e) {
          await conn.query('ROLLBACK').catch(() => undefined);
          if (attempt < 4 && RETRYABLE_ERRNOS.has((e as { errno?: number }).errno ?? 0)) {
            plan.delta.retries++;
            continue;
          }
          throw new WorkloadStatementError(current, e);
        }
      }
      if (plan.rollback) {
        for (const u of plan.undo.reverse()) u();
        const d = emptyStats();
        d.rollbacks = 1;
        d.statements = plan.statements.length;
        d.retries = plan.delta.retries;
        addStats(this.totals, d);
        return;
      }
      plan.delta.transactions++;
    } else {
      for (const s of plan.statements) {
        for (let attempt = 1; ; attempt++) {
          try {
            await conn.query(s);
            break;
          } catch (e) {
            if (attempt < 4 && RETRYABLE_ERRNOS.has((e as { errno?: number }).errno ?? 0)) {
              plan.delta.retries++;
              continue;
            }
            throw new WorkloadStatementError(s, e);
          }
        }
      }
      plan.delta.autocommitStatements += plan.statements.length;
    }
    plan.delta.statements += plan.statements.length;
    addStats(this.totals, plan.delta);
  }

  private newPlan(w: number, rng: Rng): Plan {
    return { w, rng, statements: [], undo: [], delta: emptyStats(), explicit: true, rollback: false };
  }

  /** Plans one unit of work; the model already reflects it (undone if it is rolled back). */
  private planUnit(wk: Worker): Plan {
    const plan = this.newPlan(wk.w, wk.rng);
    const r = wk.rng.next();
    if (r < 1 / 60) {
      this.planBig(plan);
    } else if (r < 0.17) {
      plan.explicit = false;
      for (let i = wk.rng.int(1, 3); i > 0; i--) this.planOp(plan);
    } else {
      for (let i = wk.rng.int(2, 8); i > 0; i--) this.planOp(plan);
      plan.rollback = wk.rng.chance(0.04);
    }
    return plan;
  }

  private qname(t: TableModel): string {
    return `${ident(this.opts.schema)}.${ident(t.name)}`;
  }

  private pool(plan: Plan, t: TableModel): KeyPool {
    return t.pools[plan.w] as KeyPool;
  }

  private addKey(plan: Plan, t: TableModel, k: KeyRec): void {
    const p = this.pool(plan, t);
    p.add(k);
    plan.undo.push(() => p.remove(k));
  }

  private removeKey(plan: Plan, t: TableModel, k: KeyRec): void {
    const p = this.pool(plan, t);
    p.remove(k);
    plan.undo.push(() => p.add(k));
  }

  private freshKey(plan: Plan, t: TableModel): KeyRec {
    const n = t.alloc.next(plan.w);
    switch (t.template) {
      case 'wide': {
        const v = String(1e15 + n);
        return { id: v, lits: [v], vals: [v] };
      }
      case 'unique': {
        const v = String(n);
        return { id: v, lits: [v], vals: [v] };
      }
      case 'composite': {
        const k1 = String(plan.rng.int(0, 999));
        const k2 = n.toString(36).padStart(7, '0') + plan.rng.pick(KEY_TAGS);
        return { id: `${k1}\u0001${k2}`, lits: [k1, strLit(k2)], vals: [k1, k2] };
      }
    }
  }

  private freshCode(plan: Plan, t: TableModel): string {
    return strLit(`c${t.alloc.next(plan.w)}-${plan.rng.pick(CODE_TAGS)}`);
  }

  /** The SQL literal for a non-key column: fresh for the UNIQUE column, random otherwise. */
  private columnValue(plan: Plan, t: TableModel, c: Column, size: Size): string {
    return c.name === t.uniqueColumn ? this.freshCode(plan, t) : valueLit(plan.rng, c, size);
  }

  private where(t: TableModel, keys: KeyRec[]): string {
    if (t.keyColumns.length === 1) {
      const col = ident(t.keyColumns[0] as string);
      if (keys.length === 1) return `${col} = ${(keys[0] as KeyRec).lits[0]}`;
      return `${col} IN (${keys.map((k) => k.lits[0]).join(', ')})`;
    }
    return keys.map((k) => `(${t.keyColumns.map((col, i) => `${ident(col)} = ${k.lits[i]}`).join(' AND ')})`).join(' OR ');
  }

  private nonKeyColumns(t: TableModel): Column[] {
    return t.columns.filter((c) => !t.keyColumns.includes(c.name));
  }

  /** One INSERT of `n` rows with fresh keys; sometimes leaves optional columns to their defaults. */
  private planInsert(plan: Plan, t: TableModel, n: number, size: Size, mayOmit = true): void {
    const { rng } = plan;
    const omit = mayOmit && rng.chance(0.25);
    const cols = t.columns.filter((c) => t.keyColumns.includes(c.name) || c.name === t.uniqueColumn || !omit || !isOptional(c) || rng.chance(0.6));
    const rows: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = this.freshKey(plan, t);
      this.addKey(plan, t, key);
      const lits = cols.map((c) => {
        const ki = t.keyColumns.indexOf(c.name);
        return ki >= 0 ? (key.lits[ki] as string) : this.columnValue(plan, t, c, size);
      });
      rows.push(`(${lits.join(', ')})`);
    }
    plan.statements.push(`INSERT INTO ${this.qname(t)} (${cols.map((c) => ident(c.name)).join(', ')}) VALUES ${rows.join(', ')}`);
    plan.delta.inserts += n;
    if (n === 1) plan.delta.singleRowInserts++;
    else plan.delta.multiRowInserts++;
  }

  /** UPDATE of 1–4 non-key columns of the given rows (the UNIQUE column only when there is one row). */
  private planUpdate(plan: Plan, t: TableModel, keys: KeyRec[], size: Size, maxCols = 4): void {
    const { rng } = plan;
    const candidates = this.nonKeyColumns(t).filter((c) => keys.length === 1 || c.name !== t.uniqueColumn);
    const set = rng.sample(candidates, rng.int(1, maxCols));
    const assigns = set.map((c) => `${ident(c.name)} = ${this.columnValue(plan, t, c, size)}`);
    plan.statements.push(`UPDATE ${this.qname(t)} SET ${assigns.join(', ')} WHERE ${this.where(t, keys)}`);
    plan.delta.updates += keys.length;
    if (keys.length > 1) plan.delta.multiRowUpdates++;
  }

  /** One random DML statement on a random table. */
  private planOp(plan: Plan): void {
    const { rng } = plan;
    const t = rng.pick(this.models);
    const pool = this.pool(plan, t);
    const r = rng.next();
    if (r < 0.3 || pool.size === 0) {
      this.planInsert(plan, t, rng.chance(0.55) ? 1 : rng.int(2, 20), 'normal');
    } else if (r < 0.6) {
      this.planUpdate(plan, t, rng.chance(0.7) ? [pool.pick(rng)] : pool.sample(rng, rng.int(2, 10)), 'normal');
    } else if (r < 0.72) {
      const old = pool.pick(rng);
      const fresh = this.freshKey(plan, t);
      const assigns = t.keyColumns.map((col, i) => `${ident(col)} = ${fresh.lits[i]}`);
      if (rng.chance(0.4)) for (const c of rng.sample(this.nonKeyColumns(t), rng.int(1, 2))) assigns.push(`${ident(c.name)} = ${this.columnValue(plan, t, c, 'normal')}`);
      plan.statements.push(`UPDATE ${this.qname(t)} SET ${assigns.join(', ')} WHERE ${this.where(t, [old])}`);
      this.removeKey(plan, t, old);
      this.addKey(plan, t, fresh);
      plan.delta.pkChanges++;
    } else {
      const keys = rng.chance(0.7) ? [pool.pick(rng)] : pool.sample(rng, rng.int(2, 8));
      plan.statements.push(`DELETE FROM ${this.qname(t)} WHERE ${this.where(t, keys)}`);
      for (const k of keys) this.removeKey(plan, t, k);
      plan.delta.deletes += keys.length;
      if (keys.length > 1) plan.delta.multiRowDeletes++;
    }
  }

  /** A large transaction: 500–2000 rows inserted, or updated, in statements of 50–300 rows. */
  private planBig(plan: Plan): void {
    const { rng } = plan;
    const t = rng.pick(this.models);
    const n = rng.int(500, 2000);
    const pool = this.pool(plan, t);
    if (pool.size >= n && rng.chance(0.5)) {
      const keys = pool.sample(rng, n);
      for (let i = 0; i < keys.length; ) {
        const chunk = keys.slice(i, i + rng.int(100, 300));
        this.planUpdate(plan, t, chunk, 'small', 2);
        i += chunk.length;
      }
    } else {
      for (let done = 0; done < n; ) {
        const chunk = Math.min(n - done, rng.int(50, 250));
        this.planInsert(plan, t, chunk, 'small');
        done += chunk;
      }
    }
    plan.delta.bigTransactions++;
  }

  // ---------------------------------------------------------------------------------------------- DDL

  private isIndexable(t: TableModel, c: Column): boolean {
    return (
      !t.keyColumns.includes(c.name) &&
      c.name !== t.uniqueColumn &&
      !t.indexes.some((ix) => ix.column === c.name) &&
      ['int', 'decimal', 'double', 'date', 'time', 'datetime', 'timestamp', 'year', 'char', 'varchar', 'enum'].includes(c.kind)
    );
  }

  private isWidenable(t: TableModel, c: Column): boolean {
    if (t.keyColumns.includes(c.name)) return false;
    // VARCHAR grows by 10 up to 255 characters (row size and index key limits stay far away in long runs)
    return (c.kind === 'varchar' && (c.len ?? 0) + 10 <= 255) || (c.kind === 'int' && WIDER[c.int ?? 'INT'] !== undefined);
  }

  private ddlTables(kind: DdlKind): TableModel[] {
    return this.models.filter((t) => {
      switch (kind) {
        case 'addColumn':
          return t.columns.filter((c) => c.added).length < 8;
        case 'dropColumn':
          return t.columns.some((c) => c.added);
        case 'modifyColumn':
          return t.columns.some((c) => this.isWidenable(t, c));
        case 'addIndex':
          return t.indexes.length < 6 && t.columns.some((c) => this.isIndexable(t, c));
        case 'dropIndex':
          return t.indexes.length > 0;
        case 'renameTable':
          return true;
      }
    });
  }

  /** One DDL statement; the kind is the least used one so far that applies (every kind shows up early). */
  private async runDdl(conn: Connection): Promise<void> {
    const { rng } = this;
    const applicable = DDL_KINDS.filter((k) => this.ddlTables(k).length > 0);
    const least = Math.min(...applicable.map((k) => this.totals.ddl[k]));
    const kind = rng.pick(applicable.filter((k) => this.totals.ddl[k] === least));
    const t = rng.pick(this.ddlTables(kind));
    const q = this.qname(t);
    let sql: string;
    let apply: () => void;
    switch (kind) {
      case 'addColumn': {
        const col: Column = { ...rng.pick(ADDABLE), name: `x${++this.columnCounter}`, added: true };
        const r = rng.next();
        let at = t.columns.length;
        let pos = '';
        if (r < 0.1) {
          at = 0;
          pos = ' FIRST';
        } else if (r < 0.4) {
          const after = rng.pick(t.columns);
          at = t.columns.indexOf(after) + 1;
          pos = ` AFTER ${ident(after.name)}`;
        }
        sql = `ALTER TABLE ${q} ADD COLUMN ${columnDef(col)}${pos}`;
        apply = () => t.columns.splice(at, 0, col);
        break;
      }
      case 'dropColumn': {
        const col = rng.pick(t.columns.filter((c) => c.added));
        sql = `ALTER TABLE ${q} DROP COLUMN ${ident(col.name)}`;
        apply = () => {
          t.columns = t.columns.filter((c) => c !== col);
          // the server drops a single-column index with its column
          t.indexes = t.indexes.filter((ix) => ix.column !== col.name);
        };
        break;
      }
      case 'modifyColumn': {
        const col = rng.pick(t.columns.filter((c) => this.isWidenable(t, c)));
        const widened: Column = col.kind === 'varchar' ? { ...col, len: (col.len ?? 1) + 10 } : { ...col, int: WIDER[col.int ?? 'INT'] };
        sql = `ALTER TABLE ${q} MODIFY COLUMN ${columnDef(widened)}`;
        apply = () => (t.columns[t.columns.indexOf(col)] = widened);
        break;
      }
      case 'addIndex': {
        const col = rng.pick(t.columns.filter((c) => this.isIndexable(t, c)));
        const name = `ix_${++this.indexCounter}`;
        sql = rng.chance(0.5) ? `CREATE INDEX ${ident(name)} ON ${q} (${ident(col.name)})` : `ALTER TABLE ${q} ADD INDEX ${ident(name)} (${ident(col.name)})`;
        apply = () => t.indexes.push({ name, column: col.name });
        break;
      }
      case 'dropIndex': {
        const ix = rng.pick(t.indexes);
        sql = rng.chance(0.5) ? `DROP INDEX ${ident(ix.name)} ON ${q}` : `ALTER TABLE ${q} DROP INDEX ${ident(ix.name)}`;
        apply = () => (t.indexes = t.indexes.filter((i) => i !== ix));
        break;
      }
      case 'renameTable': {
        const name = `${t.baseName}_r${++this.renameCounter}`;
        sql = `RENAME TABLE ${q} TO ${ident(this.opts.schema)}.${ident(name)}`;
        apply = () => (t.name = name);
        break;
      }
    }
    await this.exec(conn, sql);
    apply();
    this.totals.ddl[kind]++;
  }
}
