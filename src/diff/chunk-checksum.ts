/**
 * Chunk checksums: the cheap first pass of `dm diff`. For a partition, every side returns
 * `COUNT(*)` and `SUM(hash(row text))`, computed by the server (no row leaves it).
 *
 * Why this combines across shards: the downstream partition should hold the multiset union of the shards'
 * rows in that partition; COUNT and SUM are additive over a disjoint union, so the shards' (count, sum) added
 * up must equal the downstream's, whatever the row order and however the rows are spread over shards.
 * SUM (not the usual BIT_XOR) because XOR of an affine hash like CRC32 cancels out when an even number of
 * rows suffers the same change at the same offset (a lost multi-row UPDATE); a sum almost never does.
 *
 * Key boundaries for range chunks come from the downstream's key index: each boundary is the N-th key after
 * the previous one (`ORDER BY key LIMIT 1 OFFSET N-1`), so one pass over the index yields all chunks, lazily.
 */
import type { DiffSide } from './diff-side.js';
import { bucketExpr, partitionPredicate, type KeyTuple, type Partition } from './partition.js';
import { hashExpr, type HashAlgorithm, type SideSql } from './table-layout.js';

export interface Checksum {
  readonly count: bigint;
  readonly sum: bigint;
}

export const EMPTY_CHECKSUM: Checksum = Object.freeze({ count: 0n, sum: 0n });

export function addChecksums(a: Checksum, b: Checksum): Checksum {
  return { count: a.count + b.count, sum: a.sum + b.sum };
}

export function sameChecksum(a: Checksum, b: Checksum): boolean {
  return a.count === b.count && a.sum === b.sum;
}

/** The shards' checksums combined: what the downstream's must equal. */
export function combineShards(shards: readonly Checksum[]): Checksum {
  return shards.reduce(addChecksums, EMPTY_CHECKSUM);
}

function toBig(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  // DECIMAL sums arrive as exact strings ("123" — never with a fraction, the hashes are integers)
  if (typeof v === 'string') return BigInt(v.split('.')[0]!);
  throw new Error(`unexpected checksum value ${JSON.stringify(v)}`);
}

/** COUNT and SUM(hash) of one partition on one side. */
export async function checksumPartition(side: DiffSide, sql: SideSql, p: Partition, algorithm: HashAlgorithm): Promise<Checksum> {
  const where = partitionPredicate(p, sql);
  const rows = await side.rows(`SELECT COUNT(*), SUM(${hashExpr(sql.rowText, algorithm)}) FROM ${sql.from} WHERE ${where.sql}`, where.params);
  const r = rows[0] ?? [];
  return { count: toBig(r[0]), sum: toBig(r[1]) };
}

/**
 * Checksums of every bucket modulo `modulus` in one scan (GROUP BY the bucket); `within` restricts the scan to
 * one coarser bucket when splitting. Buckets without rows are absent from the map.
 */
export async function bucketChecksums(
  side: DiffSide,
  sql: SideSql,
  modulus: number,
  algorithm: HashAlgorithm,
  within?: Extract<Partition, { kind: 'bucket' }>,
): Promise<Map<number, Checksum>> {
  const where = within ? partitionPredicate(within, sql) : { sql: '1=1', params: [] };
  // GROUP BY 1, not an alias: an alias loses to a table column of the same name
  const rows = await side.rows(
    `SELECT ${bucketExpr(sql, modulus)}, COUNT(*), SUM(${hashExpr(sql.rowText, algorithm)}) FROM ${sql.from} WHERE ${where.sql} GROUP BY 1`,
    where.params,
  );
  const out = new Map<number, Checksum>();
  for (const r of rows) out.set(Number(r[0]), { count: toBig(r[1]), sum: toBig(r[2]) });
  return out;
}

/**
 * The key of the `n`-th row after `lower` (and not after `upper`) in key order, or undefined when fewer rows
 * remain. Values come back driver-typed so they can be bound as parameters again (strings compare with the
 * column's collation; binary keys come back as Buffers and compare as bytes).
 */
export async function nthKeyAfter(
  side: DiffSide,
  sql: SideSql,
  lower: KeyTuple | undefined,
  upper: KeyTuple | undefined,
  n: number,
): Promise<KeyTuple | undefined> {
  const where = partitionPredicate({ kind: 'range', lower, upper }, sql);
  const cols = sql.keyColumns.join(', ');
  const rows = await side.rows(`SELECT ${cols} FROM ${sql.from} WHERE ${where.sql} ORDER BY ${cols} LIMIT 1 OFFSET ${Math.max(0, n - 1)}`, where.params);
  return rows[0];
}

/** Range chunks of about `chunkSize` rows of one side's key index, in key order, computed lazily. */
export async function* rangeChunks(side: DiffSide, sql: SideSql, chunkSize: number): AsyncGenerator<Extract<Partition, { kind: 'range' }>> {
  let lower: KeyTuple | undefined;
  for (;;) {
    const upper = await nthKeyAfter(side, sql, lower, undefined, chunkSize);
    yield { kind: 'range', lower, upper };
    if (!upper) return;
    lower = upper;
  }
}

/**
 * Boundaries that cut range (lower, upper] into pieces of about `chunkSize` rows of this side. The last piece
 * may be empty (when the last boundary is the range's last row); empty pieces checksum equal and cost little.
 */
export async function innerBoundaries(side: DiffSide, sql: SideSql, p: Extract<Partition, { kind: 'range' }>, chunkSize: number): Promise<KeyTuple[]> {
  const out: KeyTuple[] = [];
  let lower = p.lower;
  for (;;) {
    const b = await nthKeyAfter(side, sql, lower, p.upper, chunkSize);
    if (!b) return out;
    out.push(b);
    lower = b;
  }
}
