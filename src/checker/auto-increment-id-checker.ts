/**
 * `auto_increment_ID`: merged shard tables whose auto-increment column is a primary/unique key will produce
 * the same key values on different shards, which collide in the one downstream table (spec §5.15, §6.1). As
 * the spec says, such a group fails when the column is not BIGINT, or is BIGINT but no `column-mappings` rule
 * (`partition id`) rewrites it; otherwise it passes. Ignore the item when the ranges cannot overlap (e.g.
 * `auto_increment_increment`/`auto_increment_offset` per shard) or the downstream key is handled otherwise.
 */
import type { ColumnMappingRule } from '../config/rules.js';
import { parseWildcard } from '../filter/wildcard-pattern.js';
import { quoteTable } from '../mysql/identifier.js';
import { ResultBuilder, type ItemResult } from './check-result.js';
import type { Checker, TaskTables } from './checker.js';
import { shardGroups, type MigratedTable } from './table-inventory.js';
import { autoIncrementKey, type ColumnInfo } from './table-structure.js';

const INSTRUCTION =
  'Auto-increment keys of sharded tables collide in the merged table. Make them globally unique (BIGINT with a column-mappings `partition id` rule, ' +
  'distinct auto_increment_increment/auto_increment_offset per shard, or a downstream table whose key includes a shard column), ' +
  'then add `auto_increment_ID` to ignore-checking-items. See https://docs.pingcap.com/tidb/stable/shard-merge-best-practices#handle-conflicts-between-primary-keys-or-unique-indexes-across-multiple-sharded-tables';

/** Whether a column-mappings rule rewrites this column of this table. */
export function hasColumnMapping(rules: readonly ColumnMappingRule[], t: MigratedTable, column: string, caseSensitive: boolean): boolean {
  const fold = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  return rules.some(
    (r) =>
      parseWildcard(r.schemaPattern, caseSensitive).test(fold(t.upstream.schema)) &&
      (r.tablePattern === '' || parseWildcard(r.tablePattern, caseSensitive).test(fold(t.upstream.table))) &&
      r.sourceColumn.toLowerCase() === column.toLowerCase(),
  );
}

function isBigint(c: ColumnInfo): boolean {
  return /^bigint\b/.test(c.type);
}

export class AutoIncrementIdChecker implements Checker {
  readonly name = 'auto_increment_ID';

  constructor(private readonly tables: TaskTables) {}

  run(): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const group of shardGroups(this.tables.tables)) {
      const target = quoteTable(group.target.schema, group.target.table);
      const r = new ResultBuilder(`sharding table ${target} auto-increment key checking`, 'check whether auto-increment keys of sharding tables can conflict', `sharding ${target}`);
      for (const m of group.members) {
        const s = this.tables.structureOf(m);
        const key = s && autoIncrementKey(s);
        if (!key) continue;
        const where = `sourceID ${m.sourceId} table ${quoteTable(m.upstream.schema, m.upstream.table)} of sharding ${target}`;
        const keyText = `${key.key.name === 'PRIMARY' ? 'primary key' : `unique key ${key.key.name}`} ${key.column.name} ${key.column.type}`;
        const cfg = this.tables.subtasks.get(m.sourceId);
        if (!isBigint(key.column)) r.fail(`${where} has auto-increment ${keyText}, which is not bigint, so values from different shards conflict`, INSTRUCTION);
        else if (!cfg || !hasColumnMapping(cfg.columnMappingRules, m, key.column.name, cfg.caseSensitive)) {
          r.fail(`${where} has auto-increment ${keyText} without a column mapping, so values from different shards conflict`, INSTRUCTION);
        }
      }
      results.push(r.build());
    }
    return Promise.resolve(results);
  }
}
