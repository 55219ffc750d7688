/**
 * The tables a task migrates, as the checks see them: every base table of each source that passes the
 * subtask's block-allow list, with the downstream table its routes send it to (DM's `getTablePairInfo`).
 * Shard groups are the downstream tables more than one upstream table (from any source) is routed to.
 *
 * Invariants: lists are sorted (schema, table) so results are stable; a table matching several route rules is
 * DM's 26003, and two downstream tables of one source whose names differ only in letter case are DM's 26001.
 */
import { SYSTEM_SCHEMAS, type TableName } from '../filter/table-filter.js';
import { tableKey } from '../mysql/identifier.js';
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { tableFilterOf, tableRouterOf } from '../worker/subtask-runner.js';
import type { SourceUnderCheck } from './checker.js';

export interface MigratedTable {
  readonly sourceId: string;
  readonly upstream: TableName;
  readonly target: TableName;
}

export interface ShardGroup {
  readonly target: TableName;
  /** Upstream tables routed to `target`, from every source, sorted by source then name. */
  readonly members: readonly MigratedTable[];
}

const byName = (a: TableName, b: TableName): number => (a.schema === b.schema ? (a.table < b.table ? -1 : a.table > b.table ? 1 : 0) : a.schema < b.schema ? -1 : 1);

/** Filters and routes one source's base tables (pure; the rows come from information_schema.TABLES). */
export function migratedTablesOf(source: Pick<SourceUnderCheck, 'sourceId' | 'cfg'>, all: readonly TableName[]): MigratedTable[] {
  const filter = tableFilterOf(source.cfg);
  const router = tableRouterOf(source.cfg);
  const out: MigratedTable[] = [];
  for (const t of [...all].sort(byName)) {
    if (SYSTEM_SCHEMAS.has(t.schema.toLowerCase()) || !filter.matchTable(t.schema, t.table)) continue;
    let target: TableName;
    try {
      target = router.route(t.schema, t.table);
    } catch (e) {
      throw DmError.of(E.TaskCheckGenTableRouter, [isDmError(e) ? e.detail : e instanceof Error ? e.message : String(e)], { cause: e });
    }
    out.push({ sourceId: source.sourceId, upstream: t, target });
  }
  const seen = new Map<string, string>();
  for (const m of out) {
    const exact = tableKey(m.target.schema, m.target.table);
    const folded = exact.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined && other !== exact) throw DmError.of(E.TaskCheckSameTableName, [`${other} and ${exact} (source ${source.sourceId})`]);
    seen.set(folded, exact);
  }
  return out;
}

/** Reads one source's base tables and applies its block-allow list and routes. */
export async function listMigratedTables(source: SourceUnderCheck): Promise<MigratedTable[]> {
  const rows = await source.sql("SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'");
  return migratedTablesOf(
    source,
    rows.map((r) => ({ schema: String(r.s as string), table: String(r.t as string) })),
  );
}

/** Downstream tables with more than one upstream table, sorted by downstream name. */
export function shardGroups(tables: readonly MigratedTable[]): ShardGroup[] {
  const groups = new Map<string, { target: TableName; members: MigratedTable[] }>();
  for (const t of tables) {
    const key = tableKey(t.target.schema, t.target.table);
    const g = groups.get(key) ?? { target: t.target, members: [] };
    g.members.push(t);
    groups.set(key, g);
  }
  return [...groups.values()]
    .filter((g) => g.members.length > 1)
    .map((g) => ({ target: g.target, members: [...g.members].sort((a, b) => (a.sourceId === b.sourceId ? byName(a.upstream, b.upstream) : a.sourceId < b.sourceId ? -1 : 1)) }))
    .sort((a, b) => byName(a.target, b.target));
}
