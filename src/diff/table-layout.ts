/**
 * How one downstream table and its upstream shards are compared: which columns, which key, which method, and
 * the SQL text each side uses to turn a row into the bytes that get hashed.
 *
 * Invariants the checksums rely on:
 * - The compared columns are the downstream's columns that exist in every shard (matched case-insensitively,
 *   as MySQL does), in the downstream's order, so the row text has the same shape on every side.
 * - Each side normalises its own columns to the same text for the same value: text in utf8mb4 (CONVERT when
 *   the column's charset differs), FLOAT widened to DOUBLE (MariaDB prints FLOAT with 6 digits only), BIT as
 *   a number, everything else as the server prints it in the diff session (time_zone '+00:00').
 * - A NULL flag is appended for every column that is nullable on any side, so NULL and '' never hash alike.
 * - Range chunking is used only when every side can evaluate `key > a AND key <= b` identically and cheaply
 *   (same collation and type family, key NOT NULL everywhere, an index starting with the key on every shard);
 *   otherwise rows are partitioned by a hash of the key, which every side evaluates on bytes alone.
 */
import { quoteId, quoteTable } from '../mysql/identifier.js';
import type { DiffSide } from './diff-side.js';

export interface ColumnInfo {
  readonly name: string;
  /** information_schema DATA_TYPE, lower case (`int`, `varchar`, `float`, …). */
  readonly dataType: string;
  readonly columnType: string;
  readonly charset: string | null;
  readonly collation: string | null;
  readonly nullable: boolean;
}

export interface IndexInfo {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
  /** Some column is indexed by a prefix only (cannot order or bound the full value). */
  readonly prefix: boolean;
}

export interface TableInfo {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  /** information_schema's estimate; only used to size hash buckets. */
  readonly estimatedRows: number;
}

/** The SQL fragments one side uses (its own column spellings and types). */
export interface SideSql {
  /** `schema`.`table`. */
  readonly from: string;
  /** Normalised value expression per compared column. */
  readonly values: readonly string[];
  /** Quoted key columns (range method), in key order. */
  readonly keyColumns: readonly string[];
  /** Text that identifies a row: the key's values, or the whole row for a table without a key. */
  readonly keyText: string;
  /** Text of the whole row (values + NULL flags). */
  readonly rowText: string;
}

export type DiffMethod = 'range' | 'bucket';

export interface TableLayout {
  /** Downstream names of the compared columns. */
  readonly columns: readonly string[];
  /** Per compared column: shown as hex in reports (binary strings, BLOB, geometry). */
  readonly binary: readonly boolean[];
  /** Downstream names of the key columns, or undefined for a table compared as a multiset of rows. */
  readonly key: readonly string[] | undefined;
  /** Positions of the key columns in `columns`. */
  readonly keyPositions: readonly number[];
  readonly method: DiffMethod;
  /** Why the method or column list is what it is; schema differences. */
  readonly notes: readonly string[];
  /** An upstream column is missing downstream (data cannot be equal), or nothing is comparable. */
  readonly schemaDifferent: boolean;
  readonly downstream: SideSql;
  /** Same order as the shards of the DiffTarget. */
  readonly shards: readonly SideSql[];
}

export type HashAlgorithm = 'crc32' | 'md5';

const FLOAT_TYPES = new Set(['float']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);
const BINARY_TYPES = new Set([
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob',
  'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection',
]);
const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
/**
 * Key types never used for range chunking: their boundary values do not round-trip exactly as parameters
 * (floats, BIT), or `ORDER BY` and a comparison with a parameter disagree (ENUM/SET sort by member number but
 * compare with a string as text), which would make chunks overlap or leave gaps.
 */
const UNORDERED_KEY_TYPES = new Set(['float', 'double', 'real', 'bit', 'json', 'enum', 'set', ...BINARY_TYPES].filter((t) => t !== 'binary' && t !== 'varbinary'));

/** The normalised text expression of one column on one side. */
export function valueExpr(col: ColumnInfo): string {
  const q = quoteId(col.name);
  if (FLOAT_TYPES.has(col.dataType)) return `(${q} + 0e0)`;
  if (col.dataType === 'bit') return `(${q} + 0)`;
  if (TEXT_TYPES.has(col.dataType) && col.charset && col.charset.toLowerCase() !== 'utf8mb4' && col.charset.toLowerCase() !== 'binary') {
    return `CONVERT(${q} USING utf8mb4)`;
  }
  return q;
}

/** Whether values of this column are shown as hex. */
export function isBinaryColumn(col: ColumnInfo): boolean {
  return BINARY_TYPES.has(col.dataType) || (TEXT_TYPES.has(col.dataType) && col.charset?.toLowerCase() === 'binary');
}

/**
 * `CONCAT_WS('#', v1, …, vn, CONCAT(ISNULL(a), …))`: the flags make NULL differ from '' (CONCAT_WS skips
 * NULLs) and say which column was NULL.
 */
export function rowTextExpr(values: readonly string[], nullFlags: readonly string[]): string {
  const parts = [...values];
  if (nullFlags.length > 0) parts.push(`CONCAT(${nullFlags.map((c) => `ISNULL(${c})`).join(', ')})`);
  return `CONCAT_WS('#', ${parts.join(', ')})`;
}

/** The per-row hash whose SUM is the chunk checksum (an unsigned integer ≤ 2^64). */
export function hashExpr(text: string, algorithm: HashAlgorithm): string {
  return algorithm === 'md5' ? `CAST(CONV(LEFT(MD5(${text}), 16), 16, 10) AS UNSIGNED)` : `CRC32(${text})`;
}

const lower = (s: string): string => s.toLowerCase();

function typeFamily(t: string): string {
  if (INT_TYPES.has(t)) return 'int';
  if (t === 'char' || t === 'varchar') return 'string';
  if (t === 'binary' || t === 'varbinary') return 'bytes';
  if (t === 'datetime' || t === 'timestamp') return 'datetime';
  return t;
}

export interface ShardTable {
  /** `s1 `db`.`t`` for notes. */
  readonly label: string;
  readonly info: TableInfo;
}

/** Chooses columns, key and method, and builds every side's SQL (pure: no I/O). */
export function planLayout(down: TableInfo, shards: readonly ShardTable[]): TableLayout {
  const notes: string[] = [];
  let schemaDifferent = false;
  const shardCols = shards.map((s) => new Map(s.info.columns.map((c) => [lower(c.name), c])));
  const downNames = new Set(down.columns.map((c) => lower(c.name)));

  for (const s of shards) {
    for (const c of s.info.columns) {
      if (!downNames.has(lower(c.name))) {
        schemaDifferent = true;
        notes.push(`column ${quoteId(c.name)} of ${s.label} does not exist downstream`);
      }
    }
  }
  const compared = down.columns.filter((c) => shardCols.every((m) => m.has(lower(c.name))));
  for (const c of down.columns) {
    if (!compared.includes(c)) notes.push(`downstream column ${quoteId(c.name)} is not in every upstream table: not compared`);
  }
  if (compared.length === 0) {
    schemaDifferent = true;
    notes.push('no column is common to the downstream table and every upstream table');
  }
  const sideCol = (side: number, name: string): ColumnInfo => (side < 0 ? down.columns.find((c) => c.name === name)! : shardCols[side]!.get(lower(name))!);
  const nullable = compared.map((c) => c.nullable || shards.some((_s, si) => sideCol(si, c.name).nullable));

  // key: the downstream's primary key, else its narrowest unique key on NOT NULL columns without prefixes
  const comparedNames = new Set(compared.map((c) => lower(c.name)));
  const candidates = down.indexes
    .filter((ix) => ix.unique && !ix.prefix && ix.columns.every((n) => comparedNames.has(lower(n))))
    .filter((ix) => ix.name === 'PRIMARY' || ix.columns.every((n) => !down.columns.find((c) => lower(c.name) === lower(n))?.nullable))
    .sort((a, b) => (a.name === 'PRIMARY' ? -1 : b.name === 'PRIMARY' ? 1 : a.columns.length - b.columns.length || a.name.localeCompare(b.name)));
  const keyIndex = candidates[0];
  const key = keyIndex ? keyIndex.columns.map((n) => compared.find((c) => lower(c.name) === lower(n))!.name) : undefined;
  const keyPositions = key ? key.map((n) => compared.findIndex((c) => c.name === n)) : [];
  if (!key) notes.push('no primary key or unique NOT NULL key downstream: rows are compared as a multiset, by hash buckets');

  let method: DiffMethod = key ? 'range' : 'bucket';
  if (key) {
    const why = rangeObstacle(key, shards, sideCol);
    if (why) {
      method = 'bucket';
      notes.push(`${why}: compared by hash buckets of the key`);
    }
  }

  const sideSql = (side: number, info: TableInfo): SideSql => {
    const cols = compared.map((c) => sideCol(side, c.name));
    const values = cols.map(valueExpr);
    const flags = cols.filter((_c, i) => nullable[i]).map((c) => quoteId(c.name));
    const rowText = rowTextExpr(values, flags);
    const keyText = key ? `CONCAT_WS('#', ${keyPositions.map((p) => values[p]!).join(', ')})` : rowText;
    return {
      from: quoteTable(info.schema, info.table),
      values,
      keyColumns: key ? key.map((n) => quoteId(sideCol(side, n).name)) : [],
      keyText,
      rowText,
    };
  };

  return {
    columns: compared.map((c) => c.name),
    binary: compared.map(isBinaryColumn),
    key,
    keyPositions,
    method,
    notes,
    schemaDifferent,
    downstream: sideSql(-1, down),
    shards: shards.map((s, i) => sideSql(i, s.info)),
  };
}

/** Why `key > a AND key <= b` cannot be used on every side, or undefined when it can. */
function rangeObstacle(
  key: readonly string[],
  shards: readonly ShardTable[],
  sideCol: (side: number, name: string) => ColumnInfo,
): string | undefined {
  for (const name of key) {
    const d = sideCol(-1, name);
    if (UNORDERED_KEY_TYPES.has(d.dataType)) return `key column ${quoteId(name)} is ${d.dataType}`;
    for (const [i, s] of shards.entries()) {
      const u = sideCol(i, name);
      if (u.nullable) return `key column ${quoteId(name)} is nullable in ${s.label}`;
      if (typeFamily(u.dataType) !== typeFamily(d.dataType)) return `key column ${quoteId(name)} is ${u.dataType} in ${s.label} but ${d.dataType} downstream`;
      if ((u.collation ?? '') !== (d.collation ?? '')) {
        return `key column ${quoteId(name)} has collation ${u.collation ?? 'none'} in ${s.label} but ${d.collation ?? 'none'} downstream`;
      }
    }
  }
  for (const [i, s] of shards.entries()) {
    const want = key.map((n) => lower(sideCol(i, n).name));
    const indexed = s.info.indexes.some((ix) => !ix.prefix && ix.columns.length >= want.length && want.every((n, j) => lower(ix.columns[j]!) === n));
    if (!indexed) return `${s.label} has no index starting with (${key.map(quoteId).join(', ')})`;
  }
  return undefined;
}

interface ColumnRow {
  0: string; // COLUMN_NAME
  1: string; // DATA_TYPE
  2: string; // COLUMN_TYPE
  3: string | null; // CHARACTER_SET_NAME
  4: string | null; // COLLATION_NAME
  5: string; // IS_NULLABLE
}

/** Reads a table's columns, indexes and row estimate; undefined when the table does not exist. */
export async function readTableInfo(side: DiffSide, schema: string, table: string): Promise<TableInfo | undefined> {
  const cols = (await side.rows(
    `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, IS_NULLABLE
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [schema, table],
  )) as unknown as ColumnRow[];
  if (cols.length === 0) return undefined;
  const stats = (await side.rows(
    `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [schema, table],
  )) as unknown as Array<[string, number | string, string | null, number | string | null]>;
  const est = (await side.rows('SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [schema, table])) as unknown as Array<
    [number | string | null]
  >;
  const byIndex = new Map<string, { unique: boolean; columns: string[]; prefix: boolean }>();
  for (const [name, nonUnique, column, subPart] of stats) {
    let ix = byIndex.get(name);
    if (!ix) byIndex.set(name, (ix = { unique: Number(nonUnique) === 0, columns: [], prefix: false }));
    // an expression part (MySQL 8 functional index) has no column: the index cannot bound the key
    if (column === null) ix.prefix = true;
    else ix.columns.push(column);
    if (subPart !== null) ix.prefix = true;
  }
  return {
    schema,
    table,
    columns: cols.map((r) => ({
      name: r[0],
      dataType: r[1].toLowerCase(),
      columnType: r[2],
      charset: r[3],
      collation: r[4],
      nullable: r[5] === 'YES',
    })),
    indexes: [...byIndex].map(([name, ix]) => ({ name, ...ix })),
    estimatedRows: Number(est[0]?.[0] ?? 0),
  };
}
