/**
 * What the sync unit needs to know about one upstream table to apply its row changes: where they go (the
 * routed target), how to decode them (the tracked definition), which columns are written (not generated
 * ones), which key identifies a row downstream (the downstream's primary/unique key when it has one, else the
 * upstream's), and which keys order transactions (causality: every primary/unique key, case-folded where the
 * collation is case-insensitive).
 */
import type mysql from 'mysql2/promise';
import type { Row, RowValue } from '../../binlog/row-value.js';
import type { TableSchema } from '../../binlog/table-schema.js';
import { quoteTable } from '../../mysql/identifier.js';
import type { TableModel } from '../../sql/ddl/table-model.js';
import type { DmlTarget } from './dml-builder.js';

export interface SyncTable {
  readonly upstream: { readonly schema: string; readonly table: string };
  readonly target: { readonly schema: string; readonly table: string };
  /** `schema`.`table` of the target, quoted (also the causality key prefix). */
  readonly targetKey: string;
  readonly decode: TableSchema;
  readonly dml: DmlTarget;
  /** Unique keys (column positions) for conflict detection; empty: the table has none (whole-table key). */
  readonly uniqueKeys: readonly (readonly number[])[];
  /** Per column: compare case-insensitively. */
  readonly foldCase: readonly boolean[];
}

/** The downstream's identifying key of a table as column names (PRIMARY, else a NOT NULL UNIQUE), or undefined. */
export async function downstreamKey(conn: Pick<mysql.Connection, 'query'>, schema: string, table: string): Promise<string[] | undefined> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT s.INDEX_NAME AS name, s.COLUMN_NAME AS col, s.SUB_PART AS sub, c.IS_NULLABLE AS nullable
       FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c
         ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
      WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0
      ORDER BY s.INDEX_NAME = 'PRIMARY' DESC, s.INDEX_NAME, s.SEQ_IN_INDEX`,
    [schema, table],
  );
  const byIndex = new Map<string, { cols: string[]; ok: boolean }>();
  for (const r of rows) {
    const name = String(r.name);
    let ix = byIndex.get(name);
    if (!ix) byIndex.set(name, (ix = { cols: [], ok: true }));
    ix.cols.push(String(r.col));
    if (r.sub !== null || String(r.nullable) === 'YES') ix.ok = false;
  }
  for (const ix of byIndex.values()) if (ix.ok) return ix.cols;
  return undefined;
}

/** Upstream identifying key: the primary key, else a unique key of NOT NULL whole columns; [] when none. */
function upstreamIdentity(model: Readonly<TableModel>): number[] {
  for (const k of model.uniqueKeys()) if (k.every((i) => model.columns[i]?.notNull === true || model.primaryKey().includes(i))) return k;
  return [];
}

export function buildSyncTable(
  model: Readonly<TableModel>,
  decode: TableSchema,
  target: { schema: string; table: string },
  downstreamKeyColumns: readonly string[] | undefined,
): SyncTable {
  const names = model.columns.map((c) => c.name);
  let key = upstreamIdentity(model);
  if (downstreamKeyColumns && downstreamKeyColumns.length > 0) {
    const idx = downstreamKeyColumns.map((n) => names.findIndex((u) => u.toLowerCase() === n.toLowerCase()));
    if (idx.every((i) => i >= 0)) key = idx;
  }
  const writable = names.flatMap((_n, i) => (model.isGenerated(i) ? [] : [i]));
  const uniqueKeys = model.uniqueKeys().filter((k) => k.every((i) => !model.isGenerated(i)));
  if (key.length > 0 && !uniqueKeys.some((k) => k.length === key.length && k.every((v, j) => v === key[j]))) uniqueKeys.unshift(key);
  return {
    upstream: { schema: model.schema, table: model.name },
    target,
    targetKey: quoteTable(target.schema, target.table),
    decode,
    dml: { schema: target.schema, table: target.table, columns: decode.columns, key, writable: writable.length === names.length ? undefined : writable },
    uniqueKeys,
    foldCase: names.map((_n, i) => model.foldsCase(i)),
  };
}

/**
 * A case-insensitive collation compares more than case: `utf8mb4_general_ci` also equates accents (ü = u),
 * ß = s, every supplementary character (emoji) with every other, and ignores trailing spaces. Two upstream
 * keys equal under the collation are the same downstream row, so they must give the same causality key;
 * folding coarser than the collation only adds conflicts (safe), never misses one.
 */
export function foldCollation(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 's')
    .replace(/[\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/ +$/, '');
}

/** One key column's value as key text (case-folded for case-insensitive collations); undefined for NULL. */
export function keyPart(v: RowValue | undefined, fold: boolean): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'string') return fold ? foldCollation(v) : v;
  return String(v);
}

/**
 * The causality keys of one row image: `target|k<n>|values` for each unique key without NULLs; the whole
 * table (`target|*`) when the table has no usable unique key.
 */
export function rowKeys(t: SyncTable, row: Row, out: string[]): void {
  if (t.uniqueKeys.length === 0) {
    out.push(`${t.targetKey}|*`);
    return;
  }
  let any = false;
  t.uniqueKeys.forEach((k, n) => {
    let s = `${t.targetKey}|${n}`;
    for (const i of k) {
      const p = keyPart(row[i], t.foldCase[i] ?? false);
      if (p === undefined) return;
      s += `|${p.length}:${p}`;
    }
    out.push(s);
    any = true;
  });
  // every unique key had a NULL part: such rows cannot collide on a key, but order them by table to be safe
  if (!any) out.push(`${t.targetKey}|*`);
}
