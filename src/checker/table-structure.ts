/**
 * Upstream table definitions for the structure checks, read in bulk from information_schema (columns, indexes,
 * foreign keys, default charset) rather than by parsing SHOW CREATE TABLE: one query per kind per source, so
 * thousands of tables check quickly (DM 1.0.2 #327). Also the small questions the checks ask of a definition.
 */
import type { TableName } from '../filter/table-filter.js';
import { tableKey } from '../mysql/identifier.js';
import { sqlText as str, type SqlRunner } from './checker.js';

export interface ColumnInfo {
  readonly name: string;
  /** COLUMN_TYPE, lower case: `int(11) unsigned`, `varchar(20)`, `enum('a','b')`. */
  readonly type: string;
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** Character set of a text column, null otherwise. */
  readonly charset: string | null;
}

export interface IndexInfo {
  /** `PRIMARY` for the primary key. */
  readonly name: string;
  readonly unique: boolean;
  /** Column names in key order (an expression part shows as its text). */
  readonly columns: readonly string[];
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly referencedTable: string;
}

export interface TableStructure {
  readonly schema: string;
  readonly table: string;
  /** The table's default character set. */
  readonly charset: string;
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
}

export function primaryKey(t: TableStructure): IndexInfo | undefined {
  return t.indexes.find((i) => i.name === 'PRIMARY');
}

export function hasPrimaryOrUniqueKey(t: TableStructure): boolean {
  return t.indexes.some((i) => i.unique);
}

/** The auto-increment column when it is (part of) the primary key or a unique key: what can clash across shards. */
export function autoIncrementKey(t: TableStructure): { column: ColumnInfo; key: IndexInfo } | undefined {
  const column = t.columns.find((c) => c.autoIncrement);
  if (!column) return undefined;
  const lower = column.name.toLowerCase();
  const keys = t.indexes.filter((i) => i.unique && i.columns.some((c) => c.toLowerCase() === lower));
  const key = keys.find((k) => k.name === 'PRIMARY') ?? keys[0];
  return key ? { column, key } : undefined;
}


/** Reads the definitions of these tables (missing ones — dropped meanwhile — are left out). */
export async function readTableStructures(sql: SqlRunner, tables: readonly TableName[]): Promise<Map<string, TableStructure>> {
  const out = new Map<string, TableStructure>();
  if (tables.length === 0) return out;
  const wanted = new Set(tables.map((t) => tableKey(t.schema, t.table)));
  const schemas = [...new Set(tables.map((t) => t.schema))];
  const ph = schemas.map(() => '?').join(', ');
  const [tableRows, columnRows, indexRows, fkRows] = await Promise.all([
    sql(`SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${ph})`, schemas),
    sql(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS n, COLUMN_TYPE AS ty, IS_NULLABLE AS nu, EXTRA AS x, CHARACTER_SET_NAME AS cs
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (${ph}) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
      schemas,
    ),
    sql(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, COLUMN_NAME AS n
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (${ph}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      schemas,
    ),
    sql(`SELECT CONSTRAINT_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_NAME AS n, REFERENCED_TABLE_NAME AS r FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN (${ph})`, schemas),
  ]);
  type Building = { schema: string; table: string; charset: string; columns: ColumnInfo[]; indexes: Map<string, { unique: boolean; columns: string[] }>; foreignKeys: ForeignKeyInfo[] };
  const building = new Map<string, Building>();
  for (const r of tableRows) {
    const key = tableKey(str(r.s), str(r.t));
    if (!wanted.has(key)) continue;
    const collation = str(r.c);
    building.set(key, { schema: str(r.s), table: str(r.t), charset: collation.split('_')[0] ?? '', columns: [], indexes: new Map(), foreignKeys: [] });
  }
  for (const r of columnRows) {
    building.get(tableKey(str(r.s), str(r.t)))?.columns.push({
      name: str(r.n),
      type: str(r.ty).toLowerCase(),
      nullable: str(r.nu) === 'YES',
      autoIncrement: /auto_increment/i.test(str(r.x)),
      charset: r.cs === null || r.cs === undefined ? null : str(r.cs),
    });
  }
  for (const r of indexRows) {
    const b = building.get(tableKey(str(r.s), str(r.t)));
    if (!b) continue;
    const name = str(r.i);
    const idx = b.indexes.get(name) ?? { unique: str(r.nu) === '0', columns: [] };
    idx.columns.push(str(r.n));
    b.indexes.set(name, idx);
  }
  for (const r of fkRows) building.get(tableKey(str(r.s), str(r.t)))?.foreignKeys.push({ name: str(r.n), referencedTable: str(r.r) });
  for (const [key, b] of building) {
    out.set(key, {
      schema: b.schema,
      table: b.table,
      charset: b.charset,
      columns: b.columns,
      indexes: [...b.indexes].map(([name, i]) => ({ name, unique: i.unique, columns: i.columns })),
      foreignKeys: b.foreignKeys,
    });
  }
  return out;
}
