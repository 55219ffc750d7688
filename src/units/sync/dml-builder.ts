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

function names(t: DmlTarget): string[] {
  return t.columns.map((c, i) => {
    if (c.name === undefined) throw DmError.of(E.SchemaTrackerCannotGetTable, [`column ${i + 1} of \`${t.schema}\`.\`${t.table}\` has no name`]);
    return c.name;
  });
}

function checkWidth(t: DmlTarget, row: Row): void {
  if (row.length !== t.columns.length) throw DmError.of(E.SyncerUnitDMLColumnNotMatch, [t.columns.length, row.length]);
}

/** `WHERE k1 = ? AND k2 = ?` (NULL-safe `<=>` when identifying by every column: those may be NULL). */
function where(t: DmlTarget, cols: string[], row: Row): { sql: string; params: unknown[] } {
  const idx = t.key.length > 0 ? t.key : cols.map((_c, i) => i);
  const op = t.key.length > 0 ? '=' : '<=>';
  return { sql: idx.map((i) => `${quoteId(cols[i]!)} ${op} ?`).join(' AND '), params: idx.map((i) => param(row[i])) };
}

/** INSERT (or REPLACE in safe mode) of one or more rows in one statement (`multiple-rows`). */
export function buildInsert(t: DmlTarget, rows: readonly Row[], safeMode: boolean): DmlStatement {
  const cols = names(t);
  const params: unknown[] = [];
  const tuple = `(${cols.map(() => '?').join(',')})`;
  for (const r of rows) {
    checkWidth(t, r);
    for (const v of r) params.push(param(v));
  }
  return {
    sql: `${safeMode ? 'REPLACE' : 'INSERT'} INTO ${quoteTable(t.schema, t.table)} (${cols.map(quoteId).join(',')}) VALUES ${rows.map(() => tuple).join(',')}`,
    params,
  };
}

export function buildDelete(t: DmlTarget, row: Row): DmlStatement {
  const cols = names(t);
  checkWidth(t, row);
  const w = where(t, cols, row);
  return { sql: `DELETE FROM ${quoteTable(t.schema, t.table)} WHERE ${w.sql} LIMIT 1`, params: w.params };
}

/** UPDATE by the old key; in safe mode DELETE by the old key then REPLACE the new row (idempotent). */
export function buildUpdate(t: DmlTarget, change: RowChange, safeMode: boolean): DmlStatement[] {
  const cols = names(t);
  checkWidth(t, change.before);
  checkWidth(t, change.after);
  if (safeMode) return [buildDelete(t, change.before), buildInsert(t, [change.after], true)];
  const w = where(t, cols, change.before);
  const set = cols.map((c) => `${quoteId(c)} = ?`).join(', ');
  return [{ sql: `UPDATE ${quoteTable(t.schema, t.table)} SET ${set} WHERE ${w.sql} LIMIT 1`, params: [...change.after.map(param), ...w.params] }];
}
