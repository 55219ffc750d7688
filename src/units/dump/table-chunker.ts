/**
 * Splitting a table into chunks of about `rows` rows that workers dump in parallel (Dumpling's `--rows`).
 *
 * The split column is the first column of the PRIMARY KEY when it is an integer, else the first column of a
 * UNIQUE index whose columns are all NOT NULL and whose first column is an integer (DM: "PK > UK, must be
 * integer"). Ranges come from MIN/MAX of that column split evenly into ceil(estimated rows / rows) parts.
 * Tables without such a column, or with fewer estimated rows than `rows`, are one chunk, streamed.
 *
 * Invariant: the chunks of a table partition it whatever rows are inserted or deleted after MIN/MAX were
 * read: the first range is open below (`c < b1`), the last open above (`c >= bn`), the ranges are disjoint
 * and adjacent, and the split column is NOT NULL. A wrong estimate only makes chunks bigger or smaller.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { quoteId, quoteTable } from '../../mysql/identifier.js';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);

export interface KeyColumnInfo {
  readonly name: string;
  readonly dataType: string;
  readonly nullable: boolean;
}

export interface IndexInfo {
  readonly name: string;
  readonly unique: boolean;
  /** Column names in index order. */
  readonly columns: readonly string[];
}

/** The column to split a table on, or undefined (one chunk). */
export function pickSplitColumn(columns: readonly KeyColumnInfo[], indexes: readonly IndexInfo[]): string | undefined {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const isInt = (n: string | undefined): boolean => n !== undefined && INTEGER_TYPES.has(byName.get(n)?.dataType.toLowerCase() ?? '');
  const pk = indexes.find((i) => i.name === 'PRIMARY');
  if (pk && isInt(pk.columns[0])) return pk.columns[0];
  for (const idx of indexes) {
    if (!idx.unique || idx.name === 'PRIMARY') continue;
    if (!idx.columns.every((c) => byName.get(c)?.nullable === false)) continue;
    if (isInt(idx.columns[0])) return idx.columns[0];
  }
  return undefined;
}

/**
 * Number of chunks for a table of about `estimatedRows` rows whose split column spans `[min, max]`: at
 * most `rows` rows each, rounded up to a multiple of `threads` so that the workers finish together (5
 * chunks on 2 workers leave one worker alone for the last fifth; 6 smaller ones do not).
 */
export function chunkCount(estimatedRows: number, rows: number, min: bigint, max: bigint, threads = 1): number {
  if (rows <= 0 || max < min) return 1;
  const span = max - min + 1n;
  let n = Math.ceil(Math.max(0, estimatedRows) / rows);
  if (n > 1 && threads > 1) n = Math.ceil(n / threads) * threads;
  if (BigInt(n) > span) n = Number(span);
  return Math.max(1, Math.min(n, 1_000_000));
}

/** The n-1 inner boundaries splitting `[min, max]` into n ranges of (nearly) equal width. */
export function splitBoundaries(min: bigint, max: bigint, n: number): bigint[] {
  if (n <= 1 || max <= min) return [];
  const span = max - min + 1n;
  const out: bigint[] = [];
  let last = min;
  for (let i = 1; i < n; i++) {
    const b = min + (span * BigInt(i)) / BigInt(n);
    if (b > last && b <= max) {
      out.push(b);
      last = b;
    }
  }
  return out;
}

/** WHERE conditions (without `WHERE`) of the ranges the boundaries define; `[undefined]` for no split. */
export function rangeConditions(column: string, boundaries: readonly bigint[]): Array<string | undefined> {
  if (boundaries.length === 0) return [undefined];
  const c = quoteId(column);
  const out: string[] = [`${c} < ${boundaries[0]!}`];
  for (let i = 1; i < boundaries.length; i++) out.push(`${c} >= ${boundaries[i - 1]!} AND ${c} < ${boundaries[i]!}`);
  out.push(`${c} >= ${boundaries[boundaries.length - 1]!}`);
  return out;
}

export interface ChunkPlanInput {
  readonly schema: string;
  readonly table: string;
  readonly splitColumn: string | undefined;
  readonly estimatedRows: number;
  /** Rows per chunk; 0 = do not split. */
  readonly rows: number;
  /** The user's `where`, ANDed into the MIN/MAX query. */
  readonly where?: string | undefined;
  /** Worker count: the chunk count is rounded up to a multiple of it. */
  readonly threads?: number;
}

/** The range conditions of a table's chunks (reads MIN/MAX of the split column when splitting pays). */
export async function planChunks(conn: Connection, p: ChunkPlanInput): Promise<Array<string | undefined>> {
  if (!p.splitColumn || p.rows <= 0 || p.estimatedRows <= p.rows) return [undefined];
  const c = quoteId(p.splitColumn);
  const [res] = await conn.query<RowDataPacket[]>({
    sql: `SELECT MIN(${c}) AS lo, MAX(${c}) AS hi FROM ${quoteTable(p.schema, p.table)}${p.where ? ` WHERE ${p.where}` : ''}`,
    rowsAsArray: true,
  });
  const row = res[0] as unknown as [unknown, unknown] | undefined;
  if (!row || row[0] === null || row[1] === null) return [undefined];
  const big = (v: unknown): bigint => {
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return BigInt(v);
    if (Buffer.isBuffer(v)) return BigInt(v.toString('latin1'));
    throw new TypeError(`unexpected MIN/MAX value ${typeof v}`);
  };
  const lo = big(row[0]);
  const hi = big(row[1]);
  return rangeConditions(p.splitColumn, splitBoundaries(lo, hi, chunkCount(p.estimatedRows, p.rows, lo, hi, p.threads)));
}
