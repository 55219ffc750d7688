/**
 * Turns decoded row changes into SQL on the (routed) downstream table, identified by the primary key — or,
 * for a table without one, by every column compared NULL-safely. Safe mode makes every statement idempotent
 * (DM's behaviour): INSERT → REPLACE, UPDATE → DELETE by the old key + REPLACE, so replaying events after a
 * crash converges to the same rows.
 *
 * Values are passed as parameters, never spliced: BIGINT as decimal text, DECIMAL/temporal as the decoder's
 * exact strings (the session's time zone is UTC, as decoded TIMESTAMPs are), bytes as Buffers.
 */
import type { Row, RowChange, RowValue } from '../../binlog/row-value.js';
import type { TableSchema } from '../../binlog/table-schema.js';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';

export interface DmlStatement {
  readonly sql: string;
  readonly params: unknown[];
}

export interface DmlTarget {
  readonly schema: string;
  readonly table: string;
  /** Upstream columns (names) in row order; the rows being applied must have exactly these. */
  readonly columns: TableSchema['columns'];
  /** Indexes of the identifying key columns (primary key, else a NOT NULL unique key); empty: all columns. */
  readonly key: readonly number[];
  /** Columns written by INSERT/UPDATE and compared by a keyless WHERE (default all; generated ones are left out). */
  readonly writable?: readonly number[] | undefined;
}

function param(v: RowValue | undefined): unknown {
  if (v === undefined) throw DmError.of(E.BinlogNotLogColumn);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) {
    // VECTOR: MySQL's binary form, float32 little-endian
    const b = Buffer.alloc(v.length * 4);
    v.forEach((x, i) => b.writeFloatLE(x, i * 4));
    return b;
  }
  return v;
}

/** Column names by position (every column; only `writable` ones are used in SQL). */
function names(t: DmlTarget): string[] {
  return t.columns.map((c, i) => {
    if (c.name === undefined) throw DmError.of(E.SchemaTrackerCannotGetTable, [`column ${i + 1} of \`${t.schema}\`.\`${t.table}\` has no name`]);
    return c.name;
  });
}

function writable(t: DmlTarget): readonly number[] {
  return t.writable ?? t.columns.map((_c, i) => i);
}

function checkWidth(t: DmlTarget, row: Row): void {
  if (row.length !== t.columns.length) throw DmError.of(E.SyncerUnitDMLColumnNotMatch, [t.columns.length, row.length]);
}

/**
 * How values reach the SQL: as `?` placeholders with a params array (default), or inlined by an escaping
 * function (the executors send whole batches as text: one pass, no placeholder scan afterwards).
 */
export type InlineValue = (v: unknown) => string;

class Values {
  readonly params: unknown[] = [];
  constructor(private readonly inline: InlineValue | undefined) {}
  v(x: RowValue | undefined): string {
    const p = param(x);
    if (this.inline) return this.inline(p);
    this.params.push(p);
    return '?';
  }
}

function sameValue(a: RowValue | undefined, b: RowValue | undefined): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

/** `WHERE k1 = ? AND k2 = ?` (NULL-safe `<=>` when identifying by every column: those may be NULL). */
function where(t: DmlTarget, cols: string[], row: Row, vals: Values): string {
  const idx = t.key.length > 0 ? t.key : writable(t);
  const op = t.key.length > 0 ? '=' : '<=>';
  let out = '';
  for (const i of idx) out += `${out ? ' AND ' : ''}${quoteId(cols[i]!)} ${op} ${vals.v(row[i])}`;
  return out;
}

/** INSERT (or REPLACE in safe mode) of one or more rows in one statement (`multiple-rows`). */
export function buildInsert(t: DmlTarget, rows: readonly Row[], safeMode: boolean, inline?: InlineValue): DmlStatement {
  const cols = names(t);
  const w = writable(t);
  const vals = new Values(inline);
  let sql = `${safeMode ? 'REPLACE' : 'INSERT'} INTO ${quoteTable(t.schema, t.table)} (${w.map((i) => quoteId(cols[i]!)).join(',')}) VALUES `;
  rows.forEach((r, n) => {
    checkWidth(t, r);
    sql += n === 0 ? '(' : ',(';
    w.forEach((i, k) => (sql += k === 0 ? vals.v(r[i]) : `,${vals.v(r[i])}`));
    sql += ')';
  });
  return { sql, params: vals.params };
}

export function buildDelete(t: DmlTarget, row: Row, inline?: InlineValue): DmlStatement {
  const cols = names(t);
  checkWidth(t, row);
  const vals = new Values(inline);
  const w = where(t, cols, row, vals);
  return { sql: `DELETE FROM ${quoteTable(t.schema, t.table)} WHERE ${w} LIMIT 1`, params: vals.params };
}

/** UPDATE of the changed columns by the old key; in safe mode DELETE by the old key then REPLACE the new row (idempotent). */
export function buildUpdate(t: DmlTarget, change: RowChange, safeMode: boolean, inline?: InlineValue): DmlStatement[] {
  const cols = names(t);
  checkWidth(t, change.before);
  checkWidth(t, change.after);
  if (safeMode) return [buildDelete(t, change.before, inline), buildInsert(t, [change.after], true, inline)];
  const vals = new Values(inline);
  // only the columns the update changed (less to send and parse); every column when none differs
  const wr = writable(t);
  let changed = wr.filter((i) => !sameValue(change.before[i], change.after[i]));
  if (changed.length === 0) changed = [...wr];
  let set = '';
  for (const i of changed) set += `${set ? ', ' : ''}${quoteId(cols[i]!)} = ${vals.v(change.after[i])}`;
  const w = where(t, cols, change.before, vals);
  return [{ sql: `UPDATE ${quoteTable(t.schema, t.table)} SET ${set} WHERE ${w} LIMIT 1`, params: vals.params }];
}

/**
 * DELETE of several rows by key in one statement (`multiple-rows`): `WHERE (k1, k2) IN ((?, ?), …)`. Only for
 * tables with an identifying key; a keyless table deletes row by row (LIMIT 1 each, duplicates may exist).
 */
export function buildDeleteMany(t: DmlTarget, rows: readonly Row[], inline?: InlineValue): DmlStatement {
  if (t.key.length === 0 || rows.length === 1) {
    if (rows.length !== 1) throw new Error('buildDeleteMany: a keyless table deletes one row per statement');
    return buildDelete(t, rows[0]!, inline);
  }
  const cols = names(t);
  const vals = new Values(inline);
  let sql = `DELETE FROM ${quoteTable(t.schema, t.table)} WHERE (${t.key.map((i) => quoteId(cols[i]!)).join(',')}) IN (`;
  rows.forEach((r, n) => {
    checkWidth(t, r);
    sql += n === 0 ? '(' : ',(';
    t.key.forEach((i, k) => (sql += k === 0 ? vals.v(r[i]) : `,${vals.v(r[i])}`));
    sql += ')';
  });
  return { sql: `${sql})`, params: vals.params };
}

/**
 * Several UPDATEs of one table that keep their keys, as one `INSERT … ON DUPLICATE KEY UPDATE` of the new
 * rows (`multiple-rows`, DM's form). Only for tables with an identifying key.
 */
export function buildUpsertMany(t: DmlTarget, rows: readonly Row[], inline?: InlineValue): DmlStatement {
  if (t.key.length === 0) throw new Error('buildUpsertMany: needs a table with a key');
  const cols = names(t);
  const w = writable(t);
  const vals = new Values(inline);
  let sql = `INSERT INTO ${quoteTable(t.schema, t.table)} (${w.map((i) => quoteId(cols[i]!)).join(',')}) VALUES `;
  rows.forEach((r, n) => {
    checkWidth(t, r);
    sql += n === 0 ? '(' : ',(';
    w.forEach((i, k) => (sql += k === 0 ? vals.v(r[i]) : `,${vals.v(r[i])}`));
    sql += ')';
  });
  const set = w.filter((i) => !t.key.includes(i)).map((i) => `${quoteId(cols[i]!)} = VALUES(${quoteId(cols[i]!)})`);
  sql += ` ON DUPLICATE KEY UPDATE ${set.length > 0 ? set.join(', ') : `${quoteId(cols[t.key[0]!]!)} = VALUES(${quoteId(cols[t.key[0]!]!)})`}`;
  return { sql, params: vals.params };
}
