/**
 * Row-level detail for a partition whose checksums differ: which rows are missing downstream, extra
 * downstream, different (and in which columns), or present in more than one shard.
 *
 * Memory stays bounded by the chunk size, not the table size:
 * - a partition with more than 2 × chunk-size rows on some side is first split (by that side's key index, or
 *   into finer hash buckets) and only differing pieces are examined;
 * - the first pass fetches only MD5(key text) and MD5(row text) per row (for a table without a key,
 *   `MD5(row), COUNT(*)` grouped, so duplicates collapse on the server);
 * - full rows are fetched only for the differences that will be shown (the per-table budget).
 * Identities are MD5s of the normalised text, so matching is byte-exact and collation-free.
 */
import { bucketChecksums, innerBoundaries, sameChecksum, type Checksum } from './chunk-checksum.js';
import { checksumAll, upstreamChecksum, type CompareContext, type PartitionChecksums } from './compare-context.js';
import type { ShardRef } from './diff-plan.js';
import type { DiffSide, RawValue } from './diff-side.js';
import { partitionPredicate, splitBucket, splitRange, type Partition } from './partition.js';
import type { SideSql } from './table-layout.js';

/** A value as shown in reports: text, `0x…` for binary data, null for SQL NULL. */
export type ShownValue = string | null;

export type RowDiffKind = 'missing-downstream' | 'extra-downstream' | 'different' | 'duplicate-upstream';

export interface ColumnDiff {
  readonly column: string;
  readonly upstream: ShownValue;
  readonly downstream: ShownValue;
}

export interface RowDiff {
  readonly kind: RowDiffKind;
  /** Key column values; undefined for a table without a key. */
  readonly key: Readonly<Record<string, ShownValue>> | undefined;
  /** The upstream table holding the row (missing, different). */
  readonly shard?: ShardRef;
  /** Every upstream table holding the key (duplicate-upstream), or holding the row (keyless). */
  readonly shards?: readonly ShardRef[];
  /** Different: the columns whose values differ. */
  readonly columns?: readonly ColumnDiff[];
  /** Missing / extra / duplicate: the whole row. */
  readonly row?: Readonly<Record<string, ShownValue>>;
  /** Keyless tables: how many copies of this row are missing or extra. */
  readonly count?: number;
}

/** A row difference with what is needed to sort it (chunk order, then key). */
export interface FoundDiff {
  readonly diff: RowDiff;
  readonly sortKey: readonly RawValue[];
}

const MAX_SHOWN_CHARS = 256;
const MAX_DEPTH = 8;
const DETAIL_BATCH = 200;

/** Renders a raw value for reports. */
export function showValue(v: RawValue, binary: boolean): ShownValue {
  if (v === null) return null;
  if (binary) {
    const hex = v.subarray(0, MAX_SHOWN_CHARS / 2).toString('hex');
    return v.length > MAX_SHOWN_CHARS / 2 ? `0x${hex}…(${v.length} bytes)` : `0x${hex}`;
  }
  const s = v.toString('utf8');
  return s.length > MAX_SHOWN_CHARS ? `${s.slice(0, MAX_SHOWN_CHARS)}…(${v.length} bytes)` : s;
}

/**
 * Explains a differing partition: splits it while it is too large, then lists its row differences into
 * `out`, within the table's budget.
 */
export async function explainPartition(ctx: CompareContext, p: Partition, sums: PartitionChecksums, out: FoundDiff[], depth = 0): Promise<void> {
  if (ctx.budget.remaining <= 0) {
    ctx.budget.truncated = true;
    return;
  }
  const counts = [sums.down.count, ...sums.shards.map((s) => s.count)];
  const max = counts.reduce((a, b) => (b > a ? b : a), 0n);
  if (max > BigInt(ctx.chunkSize) * 2n && depth < MAX_DEPTH) {
    if (p.kind === 'range') {
      // cut by the key index of the side that has the most rows here; pieces are checked one by one so that
      // work stops as soon as the budget is spent (an empty downstream must not cost a full second pass)
      const biggest = counts.indexOf(max);
      const side = biggest === 0 ? ctx.down : ctx.shards[biggest - 1]!.side;
      const sql = biggest === 0 ? ctx.downSql : ctx.shards[biggest - 1]!.sql;
      const bounds = await innerBoundaries(side, sql, p, ctx.chunkSize);
      if (bounds.length > 0) {
        for (const piece of splitRange(p, bounds)) {
          if (ctx.budget.remaining <= 0) {
            ctx.budget.truncated = true;
            return;
          }
          const pieceSums = await checksumAll(ctx, piece);
          if (!sameChecksum(pieceSums.down, upstreamChecksum(pieceSums))) await explainPartition(ctx, piece, pieceSums, out, depth + 1);
        }
        return;
      }
    } else {
      const pieces = await splitBucketSums(ctx, p, max);
      // a piece as large as the whole means the rows cannot be spread (identical rows): examine it as it is
      if (pieces.length > 1 && pieces.every((x) => maxCount(x.sums) < max)) {
        for (const piece of pieces) {
          if (ctx.budget.remaining <= 0) {
            ctx.budget.truncated = true;
            return;
          }
          if (!sameChecksum(piece.sums.down, upstreamChecksum(piece.sums))) await explainPartition(ctx, piece.p, piece.sums, out, depth + 1);
        }
        return;
      }
    }
  }
  if (ctx.layout.key) await keyedRowDiff(ctx, p, out);
  else await multisetRowDiff(ctx, p, out);
}

function maxCount(s: PartitionChecksums): bigint {
  return [s.down.count, ...s.shards.map((x) => x.count)].reduce((a, b) => (b > a ? b : a), 0n);
}

/** Splits a bucket into finer ones (one grouped scan per side gives all their checksums). */
async function splitBucketSums(ctx: CompareContext, p: Extract<Partition, { kind: 'bucket' }>, max: bigint): Promise<Array<{ p: Partition; sums: PartitionChecksums }>> {
  const k = Number((max + BigInt(ctx.chunkSize) - 1n) / BigInt(ctx.chunkSize));
  const pieces = splitBucket(p, k);
  const modulus = pieces[0]!.modulus;
  if (modulus > 2 ** 32) return [];
  const [down, ...shards] = await Promise.all([
    bucketChecksums(ctx.down, ctx.downSql, modulus, ctx.algorithm, p),
    ...ctx.shards.map((s) => bucketChecksums(s.side, s.sql, modulus, ctx.algorithm, p)),
  ]);
  const at = (m: Map<number, Checksum>, r: number): Checksum => m.get(r) ?? { count: 0n, sum: 0n };
  return pieces.map((piece) => ({ p: piece, sums: { down: at(down, piece.residue), shards: shards.map((m) => at(m, piece.residue)) } }));
}

interface UpEntry {
  shard: number;
  rowHash: string;
  key: RawValue[];
}

/** First pass for a keyed table: key identity → row hash (+ raw key values for display and ordering). */
async function identities(ctx: CompareContext, side: DiffSide, sql: SideSql, p: Partition): Promise<Array<{ id: string; rowHash: string; key: RawValue[] }>> {
  const where = partitionPredicate(p, sql);
  const keyValues = ctx.layout.keyPositions.map((i) => sql.values[i]!);
  const rows = await side.raw(`SELECT MD5(${sql.keyText}), MD5(${sql.rowText}), ${keyValues.join(', ')} FROM ${sql.from} WHERE ${where.sql}`, where.params);
  return rows.map((r) => ({ id: r[0]!.toString('latin1'), rowHash: r[1]!.toString('latin1'), key: r.slice(2) }));
}

async function keyedRowDiff(ctx: CompareContext, p: Partition, out: FoundDiff[]): Promise<void> {
  const [downRows, ...shardRows] = await Promise.all([identities(ctx, ctx.down, ctx.downSql, p), ...ctx.shards.map((s) => identities(ctx, s.side, s.sql, p))]);
  const up = new Map<string, UpEntry[]>();
  for (const [shard, rows] of shardRows.entries()) {
    for (const r of rows) {
      const list = up.get(r.id);
      if (list) list.push({ shard, rowHash: r.rowHash, key: r.key });
      else up.set(r.id, [{ shard, rowHash: r.rowHash, key: r.key }]);
    }
  }
  const down = new Map(downRows.map((r) => [r.id, r]));

  interface Candidate {
    kind: RowDiffKind;
    id: string;
    key: RawValue[];
    shards: number[];
  }
  const found: Candidate[] = [];
  for (const [id, list] of up) {
    const d = down.get(id);
    if (list.length > 1) found.push({ kind: 'duplicate-upstream', id, key: list[0]!.key, shards: list.map((e) => e.shard) });
    else if (!d) found.push({ kind: 'missing-downstream', id, key: list[0]!.key, shards: [list[0]!.shard] });
    else if (d.rowHash !== list[0]!.rowHash) found.push({ kind: 'different', id, key: d.key, shards: [list[0]!.shard] });
  }
  for (const [id, d] of down) if (!up.has(id)) found.push({ kind: 'extra-downstream', id, key: d.key, shards: [] });
  if (found.length === 0) return;

  ctx.budget.found += found.length;
  found.sort((a, b) => compareKeys(a.key, b.key));
  const shown = found.slice(0, Math.max(0, ctx.budget.remaining));
  ctx.budget.remaining -= shown.length;
  if (shown.length < found.length) ctx.budget.truncated = true;

  // full rows for the shown differences only: downstream rows by id, upstream rows by (shard, id)
  const downIds = shown.filter((c) => c.kind !== 'missing-downstream').map((c) => c.id);
  const shardIds = ctx.shards.map((_s, i) => shown.filter((c) => c.kind !== 'extra-downstream' && c.shards.includes(i)).map((c) => c.id));
  const [downFull, ...shardFull] = await Promise.all([
    fullRows(ctx, ctx.down, ctx.downSql, p, downIds),
    ...ctx.shards.map((s, i) => fullRows(ctx, s.side, s.sql, p, shardIds[i]!)),
  ]);
  const L = ctx.layout;
  const record = (row: RawValue[]): Record<string, ShownValue> => Object.fromEntries(L.columns.map((c, i) => [c, showValue(row[i] ?? null, L.binary[i]!)]));
  const keyRecord = (key: RawValue[]): Record<string, ShownValue> => Object.fromEntries(L.key!.map((c, i) => [c, showValue(key[i] ?? null, L.binary[L.keyPositions[i]!]!)]));
  for (const c of shown) {
    const key = keyRecord(c.key);
    const shardRef = c.shards[0] === undefined ? undefined : ctx.shards[c.shards[0]]!.ref;
    if (c.kind === 'extra-downstream') {
      const row = downFull.get(c.id);
      out.push({ diff: { kind: c.kind, key, ...(row ? { row: record(row) } : {}) }, sortKey: c.key });
    } else if (c.kind === 'missing-downstream') {
      const row = shardFull[c.shards[0]!]!.get(c.id);
      out.push({ diff: { kind: c.kind, key, shard: shardRef!, ...(row ? { row: record(row) } : {}) }, sortKey: c.key });
    } else if (c.kind === 'duplicate-upstream') {
      out.push({ diff: { kind: c.kind, key, shards: c.shards.map((i) => ctx.shards[i]!.ref) }, sortKey: c.key });
    } else {
      const u = shardFull[c.shards[0]!]!.get(c.id);
      const d = downFull.get(c.id);
      const columns: ColumnDiff[] = [];
      if (u && d) {
        for (const [i, name] of L.columns.entries()) {
          const a = u[i] ?? null;
          const b = d[i] ?? null;
          if (a === null ? b !== null : b === null || !a.equals(b)) columns.push({ column: name, upstream: showValue(a, L.binary[i]!), downstream: showValue(b, L.binary[i]!) });
        }
      }
      out.push({ diff: { kind: c.kind, key, shard: shardRef!, columns }, sortKey: c.key });
    }
  }
}

/** Full normalised rows for the given identities, restricted to the partition (so the scan stays a chunk). */
async function fullRows(
  ctx: CompareContext,
  side: DiffSide,
  sql: SideSql,
  p: Partition,
  ids: readonly string[],
): Promise<Map<string, RawValue[]>> {
  const out = new Map<string, RawValue[]>();
  const idText = ctx.layout.key ? sql.keyText : sql.rowText;
  for (let i = 0; i < ids.length; i += DETAIL_BATCH) {
    const batch = ids.slice(i, i + DETAIL_BATCH);
    const where = partitionPredicate(p, sql);
    // streamed: a keyless row can exist a million times; only its first copy is kept
    await side.each(
      `SELECT MD5(${idText}), ${sql.values.join(', ')} FROM ${sql.from} WHERE ${where.sql} AND MD5(${idText}) IN (${batch.map(() => '?').join(', ')})`,
      [...where.params, ...batch],
      (r) => {
        const id = r[0]!.toString('latin1');
        if (!out.has(id)) out.set(id, r.slice(1));
      },
    );
  }
  return out;
}

/** A table without a key: rows are compared as multisets (identity = the whole row). */
async function multisetRowDiff(ctx: CompareContext, p: Partition, out: FoundDiff[]): Promise<void> {
  const counts = async (side: DiffSide, sql: SideSql): Promise<Map<string, number>> => {
    const where = partitionPredicate(p, sql);
    const rows = await side.rows(`SELECT MD5(${sql.rowText}), COUNT(*) FROM ${sql.from} WHERE ${where.sql} GROUP BY 1`, where.params);
    return new Map(rows.map((r) => [String(r[0]), Number(r[1])]));
  };
  const [down, ...shards] = await Promise.all([counts(ctx.down, ctx.downSql), ...ctx.shards.map((s) => counts(s.side, s.sql))]);
  const ids = new Set<string>([...down.keys(), ...shards.flatMap((m) => [...m.keys()])]);
  interface Candidate {
    kind: RowDiffKind;
    id: string;
    count: number;
    shards: number[];
  }
  const found: Candidate[] = [];
  for (const id of ids) {
    const d = down.get(id) ?? 0;
    const holders = shards.flatMap((m, i) => (m.has(id) ? [i] : []));
    const u = shards.reduce((a, m) => a + (m.get(id) ?? 0), 0);
    if (u > d) found.push({ kind: 'missing-downstream', id, count: u - d, shards: holders });
    else if (d > u) found.push({ kind: 'extra-downstream', id, count: d - u, shards: holders });
  }
  if (found.length === 0) return;
  ctx.budget.found += found.reduce((a, c) => a + c.count, 0);
  found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = found.slice(0, Math.max(0, ctx.budget.remaining));
  ctx.budget.remaining -= shown.length;
  if (shown.length < found.length) ctx.budget.truncated = true;

  const downIds = shown.filter((c) => c.kind === 'extra-downstream').map((c) => c.id);
  const shardIds = ctx.shards.map((_s, i) => shown.filter((c) => c.kind === 'missing-downstream' && c.shards[0] === i).map((c) => c.id));
  const [downFull, ...shardFull] = await Promise.all([
    fullRows(ctx, ctx.down, ctx.downSql, p, downIds),
    ...ctx.shards.map((s, i) => fullRows(ctx, s.side, s.sql, p, shardIds[i]!)),
  ]);
  const L = ctx.layout;
  for (const c of shown) {
    const row = c.kind === 'extra-downstream' ? downFull.get(c.id) : shardFull[c.shards[0]!]!.get(c.id);
    const shown = row ? Object.fromEntries(L.columns.map((name, i) => [name, showValue(row[i] ?? null, L.binary[i]!)])) : undefined;
    const refs = c.shards.map((i) => ctx.shards[i]!.ref);
    out.push({
      diff: {
        kind: c.kind,
        key: undefined,
        ...(c.kind === 'missing-downstream' && refs[0] ? { shard: refs[0] } : {}),
        ...(refs.length > 0 ? { shards: refs } : {}),
        ...(shown ? { row: shown } : {}),
        count: c.count,
      },
      sortKey: row ?? [],
    });
  }
}

/**
 * Orders raw key tuples for reports: numerically when both values are numbers, else by bytes. Only used to
 * make the listing readable and deterministic, never to decide equality.
 */
export function compareKeys(a: readonly RawValue[], b: readonly RawValue[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? -1 : 1;
    }
    const c = compareValue(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

function compareValue(x: Buffer, y: Buffer): number {
  const xs = x.toString('latin1');
  const ys = y.toString('latin1');
  if (NUMBER.test(xs) && NUMBER.test(ys)) {
    if (/^-?\d+$/.test(xs) && /^-?\d+$/.test(ys)) {
      const a = BigInt(xs);
      const b = BigInt(ys);
      return a < b ? -1 : a > b ? 1 : 0;
    }
    return Number(xs) - Number(ys) || Buffer.compare(x, y);
  }
  return Buffer.compare(x, y);
}
