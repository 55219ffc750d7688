/**
 * Turns the row operations of one executor batch into SQL text: `compact` folds several changes of the same
 * row into one (DM's compactor), `multiple-rows` merges consecutive INSERTs (and key DELETEs) of one table
 * into one statement, safe mode gives REPLACE / DELETE + REPLACE. Values are inlined by the driver's escaping
 * (`format`), so a whole batch can travel in one round trip.
 */
import type { Row } from '../../binlog/row-value.js';
import { buildDelete, buildDeleteMany, buildInsert, buildUpdate, buildUpsertMany, type DmlStatement } from './dml-builder.js';
import type { RowOp } from './sync-job.js';
import { keyPart, type SyncTable } from './sync-table.js';

export interface BatchSqlOptions {
  compact: boolean;
  multipleRows: boolean;
  /** The driver's escaping of one value (values are inlined: a batch travels as text). */
  escape: (v: unknown) => string;
}

/** Identity of a row for compaction: its table and identifying key values; undefined when it has no key. */
function identity(t: SyncTable, row: Row): string | undefined {
  const key = t.dml.key;
  if (key.length === 0) return undefined;
  let s = t.targetKey;
  for (const i of key) {
    const p = keyPart(row[i], t.foldCase[i] ?? false);
    if (p === undefined) return undefined;
    s += `|${p.length}:${p}`;
  }
  return s;
}

/**
 * DM's compaction of the changes of one row within a batch: INSERT+UPDATE → INSERT, UPDATE+UPDATE → UPDATE,
 * INSERT/UPDATE+DELETE → DELETE, DELETE+INSERT → REPLACE. An UPDATE that changes the key is not folded.
 * The folded change takes the place of the later one.
 */
export function compactOps(ops: readonly RowOp[]): RowOp[] {
  const out: (RowOp | undefined)[] = [];
  const last = new Map<string, number>();
  for (const op of ops) {
    const img = op.action === 'insert' ? op.after : op.before;
    const id = identity(op.table, img);
    if (op.action === 'update') {
      const idAfter = identity(op.table, op.after);
      if (id === undefined || idAfter !== id) {
        // key change: a barrier for both keys
        if (id !== undefined) last.delete(id);
        if (idAfter !== undefined) last.delete(idAfter);
        out.push(op);
        continue;
      }
    }
    if (id === undefined) {
      out.push(op);
      continue;
    }
    const pi = last.get(id);
    const prev = pi === undefined ? undefined : out[pi];
    let merged: RowOp | undefined;
    if (prev && prev.table === op.table) {
      const safe = prev.safe || op.safe;
      if (prev.action === 'insert' && op.action === 'update') merged = { action: 'insert', table: op.table, after: op.after, safe };
      else if (prev.action === 'update' && op.action === 'update') merged = { action: 'update', table: op.table, before: prev.before, after: op.after, safe };
      else if (prev.action === 'insert' && op.action === 'delete') merged = { action: 'delete', table: op.table, before: op.before, safe };
      else if (prev.action === 'update' && op.action === 'delete') merged = { action: 'delete', table: op.table, before: prev.before, safe };
      else if (prev.action === 'delete' && op.action === 'insert') merged = { action: 'insert', table: op.table, after: op.after, safe: true };
    }
    if (merged) out[pi!] = undefined;
    last.set(id, out.length);
    out.push(merged ?? op);
  }
  return out.filter((o): o is RowOp => o !== undefined);
}

/** An UPDATE whose identifying key is the same before and after (on a table that has one). */
function keepsKey(op: RowOp & { action: 'update' }): boolean {
  const id = identity(op.table, op.before);
  return id !== undefined && id === identity(op.table, op.after);
}

/**
 * In safe mode an UPDATE that keeps its key is one REPLACE of the new row: REPLACE removes the old row (same
 * key) and anything the new row collides with, exactly what DELETE old + REPLACE new does, in one statement.
 */
function safeUpdatesAsReplace(ops: readonly RowOp[]): RowOp[] {
  return ops.map((op) => (op.action === 'update' && op.safe && keepsKey(op) ? { action: 'insert', table: op.table, after: op.after, safe: true } : op));
}

/** SQL statements (text, values inlined) for the operations, in order. */
export function batchSql(ops: readonly RowOp[], o: BatchSqlOptions): string[] {
  const list = safeUpdatesAsReplace(o.compact ? compactOps(ops) : ops);
  const out: string[] = [];
  const emit = (s: DmlStatement): void => void out.push(s.sql);
  const esc = o.escape;
  let i = 0;
  while (i < list.length) {
    const op = list[i]!;
    if (op.action === 'insert') {
      const rows: Row[] = [op.after];
      let j = i + 1;
      if (o.multipleRows) {
        while (j < list.length) {
          const n = list[j]!;
          if (n.action !== 'insert' || n.table !== op.table || n.safe !== op.safe || rows.length >= 512) break;
          rows.push(n.after);
          j++;
        }
      }
      emit(buildInsert(op.table.dml, rows, op.safe, esc));
      i = j;
    } else if (op.action === 'delete') {
      const rows: Row[] = [op.before];
      let j = i + 1;
      if (o.multipleRows && op.table.dml.key.length > 0) {
        while (j < list.length) {
          const n = list[j]!;
          if (n.action !== 'delete' || n.table !== op.table || rows.length >= 512) break;
          rows.push(n.before);
          j++;
        }
      }
      emit(rows.length === 1 ? buildDelete(op.table.dml, rows[0]!, esc) : buildDeleteMany(op.table.dml, rows, esc));
      i = j;
    } else {
      // multiple-rows: consecutive key-keeping updates of one table → INSERT … ON DUPLICATE KEY UPDATE
      let j = i + 1;
      const rows: Row[] = [op.after];
      if (o.multipleRows && !op.safe && keepsKey(op)) {
        while (j < list.length) {
          const n = list[j]!;
          if (n.action !== 'update' || n.table !== op.table || n.safe || !keepsKey(n) || rows.length >= 512) break;
          rows.push(n.after);
          j++;
        }
      }
      if (rows.length > 1) emit(buildUpsertMany(op.table.dml, rows, esc));
      else for (const s of buildUpdate(op.table.dml, { before: op.before, after: op.after }, op.safe, esc)) emit(s);
      i = j;
    }
  }
  return out;
}
