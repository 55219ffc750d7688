/**
 * What to dump: the schemas, tables and views the block-allow list selects, with the columns the data files
 * carry (generated columns are left out: they can't be inserted) and the split column for chunking, read
 * from information_schema in four queries whatever the number of tables. Also the CREATE statements.
 *
 * Invariant: system schemas are never listed (TableFilter contract); names are returned exactly as the
 * server stores them (case kept).
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { TableFilter } from '../../filter/table-filter.js';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import type { ColumnInfo } from './row-encoder.js';
import { pickSplitColumn, type IndexInfo, type KeyColumnInfo } from './table-chunker.js';
import { cellText, type ResultRow } from './result-text.js';

export interface TableEntry {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'view' | 'sequence';
  readonly engine: string | null;
  /** information_schema.TABLES.TABLE_ROWS (an estimate for InnoDB). */
  readonly estimatedRows: number;
  /** The columns written to data files, in ordinal order (generated columns excluded). */
  readonly columns: readonly ColumnInfo[];
  readonly splitColumn: string | undefined;
}

export interface Catalog {
  /** Schemas that get a `-schema-create.sql`. */
  readonly schemas: readonly string[];
  readonly tables: readonly TableEntry[];
}

const GENERATED = /(^|\s)(VIRTUAL|STORED|PERSISTENT)(\s+GENERATED)?(\s|$)/i;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}


/** Lists what `filter` selects. `conn` must return text (not `character_set_results = binary`). */
export async function readCatalog(conn: Connection, filter: TableFilter, opts: { views: boolean }): Promise<Catalog> {
  const [schemaRows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
  const candidates = schemaRows.map((r) => cellText((r as ResultRow).s)).filter((s) => filter.matchSchema(s));
  if (candidates.length === 0) return { schemas: [], tables: [] };
  const ph = placeholders(candidates.length);
  const [tableRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS ty, ENGINE AS e, TABLE_ROWS AS r FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${ph}) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    candidates,
  );
  const [colRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS dt, CHARACTER_SET_NAME AS cs, IS_NULLABLE AS n, EXTRA AS x FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (${ph}) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    candidates,
  );
  const [idxRows] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (${ph}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    candidates,
  );

  const key = (s: string, t: string): string => `${s}\u0000${t}`;
  const cols = new Map<string, { dump: ColumnInfo[]; all: KeyColumnInfo[] }>();
  for (const r of colRows as ResultRow[]) {
    const k = key(cellText(r.s), cellText(r.t));
    let e = cols.get(k);
    if (!e) cols.set(k, (e = { dump: [], all: [] }));
    const name = cellText(r.c);
    const dataType = cellText(r.dt).toLowerCase();
    e.all.push({ name, dataType, nullable: cellText(r.n) === 'YES' });
    if (!GENERATED.test(cellText(r.x))) e.dump.push({ name, dataType, charset: r.cs === null || r.cs === undefined ? null : cellText(r.cs) });
  }
  const idx = new Map<string, IndexInfo[]>();
  for (const r of idxRows as ResultRow[]) {
    const k = key(cellText(r.s), cellText(r.t));
    let list = idx.get(k);
    if (!list) idx.set(k, (list = []));
    const name = cellText(r.i);
    let ix = list.find((i) => i.name === name) as { name: string; unique: boolean; columns: string[] } | undefined;
    if (!ix) list.push((ix = { name, unique: Number(r.nu) === 0, columns: [] }));
    ix.columns.push(cellText(r.c));
  }

  const tables: TableEntry[] = [];
  const withTables = new Set<string>();
  const hasAnyTable = new Set<string>();
  for (const r of tableRows as ResultRow[]) {
    const schema = cellText(r.s);
    const name = cellText(r.t);
    const type = cellText(r.ty).toUpperCase();
    hasAnyTable.add(schema);
    if (!filter.matchTable(schema, name)) continue;
    const kind = type === 'VIEW' || type === 'SYSTEM VIEW' ? 'view' : type === 'SEQUENCE' ? 'sequence' : 'table';
    if (kind === 'view' && !opts.views) continue;
    const c = cols.get(key(schema, name));
    withTables.add(schema);
    tables.push({
      schema,
      name,
      kind,
      engine: r.e === null || r.e === undefined ? null : cellText(r.e),
      estimatedRows: Number(r.r ?? 0) || 0,
      columns: c?.dump ?? [],
      splitColumn: kind === 'table' && c ? pickSplitColumn(c.all, idx.get(key(schema, name)) ?? []) : undefined,
    });
  }
  // a schema is created when something in it is dumped, or when it is empty (do-dbs of an empty database)
  const schemas = candidates.filter((s) => withTables.has(s) || !hasAnyTable.has(s));
  return { schemas, tables };
}

function firstRow(rows: unknown): ResultRow {
  const r = (rows as ResultRow[])[0];
  if (!r) throw new Error('empty result');
  return r;
}

export async function showCreateDatabase(conn: Connection, schema: string): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE DATABASE ${quoteId(schema)}`);
  return cellText(firstRow(rows)['Create Database']);
}

export async function showCreateTable(conn: Connection, schema: string, table: string): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE TABLE ${quoteTable(schema, table)}`);
  const r = firstRow(rows);
  return cellText(r['Create Table'] ?? r['Create View'] ?? r['Create Sequence']);
}

export interface ViewDefinition {
  readonly createView: string;
  readonly characterSetClient: string;
  readonly collationConnection: string;
}

export async function showCreateView(conn: Connection, schema: string, view: string): Promise<ViewDefinition> {
  const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE VIEW ${quoteTable(schema, view)}`);
  const r = firstRow(rows);
  return {
    createView: cellText(r['Create View']),
    characterSetClient: cellText(r.character_set_client) || 'utf8mb4',
    collationConnection: cellText(r.collation_connection) || 'utf8mb4_general_ci',
  };
}
