/**
 * Everything needed to compare one downstream table with its shards: the layout, the sides, the options, and
 * the per-table budget of detailed row differences (shared by concurrent chunk jobs of the table; Node runs
 * them on one thread, so reserving from it is synchronous and race-free).
 */
import { checksumPartition, combineShards, type Checksum } from './chunk-checksum.js';
import type { DiffSide } from './diff-side.js';
import type { ShardRef } from './diff-plan.js';
import type { Partition } from './partition.js';
import type { HashAlgorithm, SideSql, TableLayout } from './table-layout.js';

export interface ShardSide {
  readonly ref: ShardRef;
  readonly side: DiffSide;
  readonly sql: SideSql;
}

export interface RowDiffBudget {
  /** Detailed row differences still allowed for this table. */
  remaining: number;
  /** Differing rows found (also beyond the detailed ones). */
  found: number;
  /** Some differing rows were not examined or not detailed. */
  truncated: boolean;
}

export interface CompareContext {
  readonly layout: TableLayout;
  readonly down: DiffSide;
  readonly downSql: SideSql;
  readonly shards: readonly ShardSide[];
  readonly algorithm: HashAlgorithm;
  readonly chunkSize: number;
  readonly budget: RowDiffBudget;
}

export interface PartitionChecksums {
  readonly down: Checksum;
  readonly shards: readonly Checksum[];
}

/** Checksums of one partition on the downstream and every shard, concurrently. */
export async function checksumAll(ctx: CompareContext, p: Partition): Promise<PartitionChecksums> {
  const [down, ...shards] = await Promise.all([
    checksumPartition(ctx.down, ctx.downSql, p, ctx.algorithm),
    ...ctx.shards.map((s) => checksumPartition(s.side, s.sql, p, ctx.algorithm)),
  ]);
  return { down: down, shards };
}

export function upstreamChecksum(c: PartitionChecksums): Checksum {
  return combineShards(c.shards);
}
