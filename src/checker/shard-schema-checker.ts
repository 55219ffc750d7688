/**
 * `schema_of_shard_tables`: the upstream tables merged into one downstream table (by routes, across sources)
 * have consistent structures for the task's shard mode (see shard-consistency.ts). One result per shard group,
 * named as DM names it; each table is compared with the group's first.
 */
import { quoteTable } from '../mysql/identifier.js';
import { ResultBuilder, type ItemResult } from './check-result.js';
import type { Checker, TaskTables } from './checker.js';
import { shardGroups } from './table-inventory.js';
import { compareShardTables, type ShardTable } from './shard-consistency.js';

export class ShardSchemaChecker implements Checker {
  readonly name = 'schema_of_shard_tables';

  constructor(private readonly tables: TaskTables) {}

  run(): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const group of shardGroups(this.tables.tables)) {
      const target = quoteTable(group.target.schema, group.target.table);
      const r = new ResultBuilder(`sharding table ${target} consistency checking`, 'check consistency of sharding table structures');
      const members: ShardTable[] = group.members.flatMap((m) => {
        const structure = this.tables.structureOf(m);
        return structure ? [{ sourceId: m.sourceId, structure }] : [];
      });
      const first = members[0];
      if (first) {
        r.setExtra(`sourceID ${first.sourceId} on sharding ${target}`);
        const mode = this.tables.subtasks.get(first.sourceId)?.shardMode ?? 'pessimistic';
        for (const other of members.slice(1)) {
          const diff = compareShardTables(first, other, mode);
          if (diff) {
            r.fail(diff.message, 'please set same table structure for sharding tables', { self: diff.self, other: diff.other });
            r.setExtra(`error on sharding ${target}`);
          }
        }
      }
      results.push(r.build());
    }
    return Promise.resolve(results);
  }
}
