/**
 * Runs a DiffPlan: for every downstream table, checksum its partitions on the downstream and on every shard,
 * then ask for row-level detail where they differ.
 *
 * Concurrency and memory: at most `threads` partition jobs run at once across all tables (each issues one
 * query per side, so no server sees more than `threads` of our queries per pool); range chunks are produced
 * lazily, one boundary ahead per table; row detail is bounded by the chunk size and the per-table budget
 * (see row-diff.ts). Nothing is proportional to the table size except the counters.
 *
 * Ownership: runDiff opens one pool per server (downstream + each source) and closes all of them before it
 * returns or throws. A table that fails (a query error) is reported with its error and the others go on; a
 * server that cannot be reached at all fails the whole run up front.
 */
import type { TableName } from '../filter/table-filter.js';
import { quoteId, quoteTable } from '../mysql/identifier.js';
import { DmError } from '../observability/dm-error.js';
import { bucketChecksums, rangeChunks, sameChecksum, type Checksum } from './chunk-checksum.js';
import { checksumAll, upstreamChecksum, type CompareContext, type PartitionChecksums, type ShardSide } from './compare-context.js';
import { shardLabel, type DiffPlan, type DiffTarget, type ShardRef } from './diff-plan.js';
import { DiffSide } from './diff-side.js';
import { describePartition, type Partition } from './partition.js';
import { compareKeys, explainPartition, type FoundDiff, type RowDiff } from './row-diff.js';
import { planLayout, readTableInfo, type DiffMethod, type HashAlgorithm, type TableInfo } from './table-layout.js';

export interface DiffOptions {
  /** Rows per chunk (and the memory bound of row detail). Default 10000. */
  readonly chunkSize?: number;
  /** Partition jobs running at once. Default 4. */
  readonly threads?: number;
  /** Row differences shown per table. Default 100. */
  readonly maxRowDiffs?: number;
  /** Per-row hash summed by the checksums. Default crc32; md5 is ≈2.5× slower and not affine. */
  readonly checksum?: HashAlgorithm;
  /** Called when a table is done (progress output). */
  readonly onTable?: (t: TableDiffResult) => void;
  readonly signal?: AbortSignal;
}

export type TableStatus = 'equal' | 'different' | 'missing-downstream' | 'error';

export interface TableDiffResult {
  readonly target: TableName;
  readonly shards: readonly ShardRef[];
  readonly status: TableStatus;
  readonly method?: DiffMethod;
  /** Downstream key columns used to chunk and match rows (undefined: compared as a multiset). */
  readonly key?: readonly string[];
  readonly columns?: readonly string[];
  readonly notes: readonly string[];
  readonly chunks: number;
  readonly chunksDifferent: number;
  /** The first differing chunks, described (`id in (100, 200]`, `bucket 3 of 16`). */
  readonly differentChunks: readonly string[];
  readonly rowsDownstream: number;
  readonly rowsUpstream: number;
  /** Differing rows found in the examined chunks (can exceed rowDiffs.length). */
  readonly rowDiffsFound: number;
  readonly rowDiffs: readonly RowDiff[];
  /** Some differing chunks or rows were not examined in detail (budget reached). */
  readonly rowDiffsTruncated: boolean;
  readonly error?: { readonly code: number; readonly message: string };
  readonly durationMs: number;
}

export interface DiffResult {
  /** True when every table is equal (no difference, no error). */
  readonly equal: boolean;
  readonly tables: readonly TableDiffResult[];
  readonly summary: { readonly tables: number; readonly equal: number; readonly different: number; readonly errors: number };
  readonly options: { readonly chunkSize: number; readonly threads: number; readonly checksum: HashAlgorithm };
  readonly durationMs: number;
}

const MAX_CHUNKS_LISTED = 20;

/** A counting semaphore: at most `n` holders. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly n: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.n) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

interface ResolvedOptions {
  chunkSize: number;
  threads: number;
  maxRowDiffs: number;
  checksum: HashAlgorithm;
}

function resolveOptions(o: DiffOptions): ResolvedOptions {
  const int = (v: number | undefined, d: number, min: number): number => (v === undefined || !Number.isFinite(v) ? d : Math.max(min, Math.floor(v)));
  return { chunkSize: int(o.chunkSize, 10_000, 1), threads: int(o.threads, 4, 1), maxRowDiffs: int(o.maxRowDiffs, 100, 0), checksum: o.checksum ?? 'crc32' };
}

/** Compares every table of the plan. Throws only when a server cannot be reached. */
export async function runDiff(plan: DiffPlan, opts: DiffOptions = {}): Promise<DiffResult> {
  const started = Date.now();
  const o = resolveOptions(opts);
  const down = new DiffSide(DiffSide.describe('downstream', plan.target), plan.target, o.threads);
  const sources = new Map<string, DiffSide>();
  try {
    for (const s of plan.sources) sources.set(s.sourceId, new DiffSide(DiffSide.describe('source', s.db, s.sourceId), s.db, o.threads));
    // unreachable servers fail the run before any table is reported
    await Promise.all([down, ...sources.values()].map((s) => s.rows('SELECT 1')));

    const limiter = new Limiter(o.threads);
    const results: TableDiffResult[] = new Array<TableDiffResult>(plan.tables.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.tables.length) {
        const i = next++;
        const r = await diffTable(plan.tables[i]!, down, sources, limiter, o, opts.signal);
        results[i] = r;
        opts.onTable?.(r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.threads, plan.tables.length) }, worker));

    const count = (s: TableStatus): number => results.filter((r) => r.status === s).length;
    const summary = { tables: results.length, equal: count('equal'), different: count('different') + count('missing-downstream'), errors: count('error') };
    return {
      equal: summary.equal === summary.tables,
      tables: results,
      summary,
      options: { chunkSize: o.chunkSize, threads: o.threads, checksum: o.checksum },
      durationMs: Date.now() - started,
    };
  } finally {
    await Promise.all([down.close(), ...[...sources.values()].map((s) => s.close())]);
  }
}

interface TableState {
  chunks: number;
  chunksDifferent: number;
  differentChunks: string[];
  rowsDownstream: bigint;
  rowsUpstream: bigint;
  /** Row differences per chunk, by chunk number (so the report lists them in chunk order). */
  diffsByChunk: Map<number, FoundDiff[]>;
  unexplained: number;
  error: Error | undefined;
}

async function diffTable(
  t: DiffTarget,
  down: DiffSide,
  sources: ReadonlyMap<string, DiffSide>,
  limiter: Limiter,
  o: ResolvedOptions,
  signal: AbortSignal | undefined,
): Promise<TableDiffResult> {
  const started = Date.now();
  const base = { target: t.target, shards: t.shards };
  const empty = { chunks: 0, chunksDifferent: 0, differentChunks: [], rowsDownstream: 0, rowsUpstream: 0, rowDiffsFound: 0, rowDiffs: [], rowDiffsTruncated: false };
  if (!t.downstreamExists) {
    return { ...base, ...empty, status: 'missing-downstream', notes: [`downstream table ${quoteTable(t.target.schema, t.target.table)} does not exist`], durationMs: Date.now() - started };
  }
  const st: TableState = { chunks: 0, chunksDifferent: 0, differentChunks: [], rowsDownstream: 0n, rowsUpstream: 0n, diffsByChunk: new Map(), unexplained: 0, error: undefined };
  let ctx: CompareContext | undefined;
  try {
    const shardSides = t.shards.map((s) => sources.get(s.sourceId)!);
    const [downInfo, ...shardInfos] = await Promise.all([
      readTableInfo(down, t.target.schema, t.target.table),
      ...t.shards.map((s, i) => readTableInfo(shardSides[i]!, s.schema, s.table)),
    ]);
    if (!downInfo) {
      return { ...base, ...empty, status: 'missing-downstream', notes: [`downstream table ${quoteTable(t.target.schema, t.target.table)} does not exist`], durationMs: Date.now() - started };
    }
    const gone = t.shards.filter((_s, i) => !shardInfos[i]);
    if (gone.length > 0) throw new Error(`upstream table ${gone.map(shardLabel).join(', ')} no longer exists`);
    const layout = planLayout(
      downInfo,
      t.shards.map((s, i) => ({ label: shardLabel(s), info: shardInfos[i]! })),
    );
    const shards: ShardSide[] = t.shards.map((ref, i) => ({ ref, side: shardSides[i]!, sql: layout.shards[i]! }));
    ctx = { layout, down, downSql: layout.downstream, shards, algorithm: o.checksum, chunkSize: o.chunkSize, budget: { remaining: o.maxRowDiffs, found: 0, truncated: false } };
    if (layout.columns.length > 0) {
      if (layout.method === 'range') await diffByRanges(ctx, st, limiter, signal);
      else await diffByBuckets(ctx, st, limiter, downInfo, shardInfos as TableInfo[], signal);
    }
  } catch (e) {
    st.error = toError(e);
  }

  const layout = ctx?.layout;
  const notes = [...(layout?.notes ?? [])];
  if (st.unexplained > 0) notes.push(`${st.unexplained} chunk(s) have different checksums but no row difference was found: rows may have changed during the compare`);
  const found = [...st.diffsByChunk.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, d]) => d);
  const status: TableStatus = st.error !== undefined ? 'error' : st.chunksDifferent > 0 || layout?.schemaDifferent ? 'different' : 'equal';
  return {
    ...base,
    status,
    ...(layout ? { method: layout.method, ...(layout.key ? { key: layout.key } : {}), columns: layout.columns } : {}),
    notes,
    chunks: st.chunks,
    chunksDifferent: st.chunksDifferent,
    differentChunks: st.differentChunks,
    rowsDownstream: Number(st.rowsDownstream),
    rowsUpstream: Number(st.rowsUpstream),
    rowDiffsFound: ctx?.budget.found ?? 0,
    rowDiffs: found.map((f) => f.diff),
    rowDiffsTruncated: ctx?.budget.truncated ?? false,
    ...(st.error !== undefined ? { error: errorInfo(st.error) } : {}),
    durationMs: Date.now() - started,
  };
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function errorInfo(e: unknown): { code: number; message: string } {
  if (e instanceof DmError) return { code: e.code, message: e.message };
  return { code: 0, message: e instanceof Error ? e.message : String(e) };
}

/** Records one compared partition; returns whether it differs. */
function account(ctx: CompareContext, st: TableState, p: Partition, sums: PartitionChecksums): boolean {
  const up = upstreamChecksum(sums);
  st.rowsDownstream += sums.down.count;
  st.rowsUpstream += up.count;
  if (sameChecksum(sums.down, up)) return false;
  st.chunksDifferent++;
  if (st.differentChunks.length < MAX_CHUNKS_LISTED) st.differentChunks.push(describePartition(p, ctx.layout.key?.map(quoteId)));
  return true;
}

async function explain(ctx: CompareContext, st: TableState, chunk: number, p: Partition, sums: PartitionChecksums): Promise<void> {
  if (ctx.budget.remaining <= 0) {
    ctx.budget.truncated = true;
    return;
  }
  const out: FoundDiff[] = [];
  const before = ctx.budget.found;
  await explainPartition(ctx, p, sums, out);
  if (ctx.budget.found === before && ctx.budget.remaining > 0) st.unexplained++;
  if (out.length > 0) st.diffsByChunk.set(chunk, out.sort((a, b) => compareKeys(a.sortKey, b.sortKey)));
}

async function diffByRanges(ctx: CompareContext, st: TableState, limiter: Limiter, signal: AbortSignal | undefined): Promise<void> {
  const jobs = new Set<Promise<void>>();
  let chunk = 0;
  try {
    for await (const p of rangeChunks(ctx.down, ctx.downSql, ctx.chunkSize)) {
      signal?.throwIfAborted();
      if (st.error !== undefined) break;
      await limiter.acquire();
      const n = chunk++;
      st.chunks++;
      const job = (async () => {
        try {
          const sums = await checksumAll(ctx, p);
          if (account(ctx, st, p, sums)) await explain(ctx, st, n, p, sums);
        } catch (e) {
          st.error ??= toError(e);
        } finally {
          limiter.release();
        }
      })();
      jobs.add(job);
      void job.then(() => jobs.delete(job));
    }
  } finally {
    // never leave a job running past its table: the runner closes the pools after the last table
    await Promise.all(jobs);
  }
  if (st.error !== undefined) throw st.error;
}

async function diffByBuckets(
  ctx: CompareContext,
  st: TableState,
  limiter: Limiter,
  downInfo: TableInfo,
  shardInfos: readonly TableInfo[],
  signal: AbortSignal | undefined,
): Promise<void> {
  // the bucket count only sizes the work: an estimate is enough, and row detail splits buckets that are too big
  const estimate = Math.max(downInfo.estimatedRows, shardInfos.reduce((a, s) => a + s.estimatedRows, 0));
  const modulus = Math.max(1, Math.ceil(estimate / ctx.chunkSize));
  await limiter.acquire();
  let down: Map<number, Checksum>;
  let shards: Array<Map<number, Checksum>>;
  try {
    [down, ...shards] = await Promise.all([
      bucketChecksums(ctx.down, ctx.downSql, modulus, ctx.algorithm),
      ...ctx.shards.map((s) => bucketChecksums(s.side, s.sql, modulus, ctx.algorithm)),
    ]);
  } finally {
    limiter.release();
  }
  st.chunks = modulus;
  const zero: Checksum = { count: 0n, sum: 0n };
  const jobs: Array<Promise<void>> = [];
  try {
    for (let r = 0; r < modulus; r++) {
      signal?.throwIfAborted();
      if (st.error !== undefined) break;
      const p: Partition = { kind: 'bucket', modulus, residue: r };
      const sums = { down: down!.get(r) ?? zero, shards: shards.map((m) => m.get(r) ?? zero) };
      if (!account(ctx, st, p, sums)) continue;
      await limiter.acquire();
      jobs.push(
        explain(ctx, st, r, p, sums)
          .catch((e: unknown) => {
            st.error ??= toError(e);
          })
          .finally(() => limiter.release()),
      );
    }
  } finally {
    await Promise.all(jobs);
  }
  if (st.error !== undefined) throw st.error;
}
