/**
 * What `dm diff` compares: every upstream table the sources' filters accept, grouped by the downstream table
 * its route leads to. A downstream table fed by several upstream tables (shard merge, on one or several
 * sources) is one DiffTarget with several shards; its rows must equal the union of theirs.
 *
 * The plan is data (names and connection configs), built once from live information_schema and then run by
 * runDiff; the CLI options and, later, a task file both build it through buildDiffPlan. Downstream tables no
 * upstream table routes to are not compared (a downstream may hold other data). A routed table missing
 * downstream stays in the plan with `downstreamExists: false` and is reported as a difference.
 */
import type { DbConfig } from '../mysql/db-config.js';
import { quoteTable } from '../mysql/identifier.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { SYSTEM_SCHEMAS, type TableFilter, type TableName, type TableRouter } from '../filter/table-filter.js';
import { DiffSide } from './diff-side.js';

/** One upstream source as a task sees it. */
export interface DiffSource {
  readonly sourceId: string;
  readonly db: DbConfig;
  readonly filter: TableFilter;
  readonly router: TableRouter;
}

/** One upstream table feeding a downstream table. */
export interface ShardRef {
  readonly sourceId: string;
  readonly schema: string;
  readonly table: string;
}

export interface DiffTarget {
  readonly target: TableName;
  readonly shards: readonly ShardRef[];
  readonly downstreamExists: boolean;
}

export interface DiffPlan {
  readonly sources: ReadonlyArray<{ readonly sourceId: string; readonly db: DbConfig }>;
  readonly target: DbConfig;
  /** Sorted by downstream schema, table. */
  readonly tables: readonly DiffTarget[];
}

export interface BuildPlanOptions {
  /** Extra selection on top of the filters (the CLI's `--tables` tries upstream and downstream names). */
  readonly only?: (upstream: TableName, downstream: TableName) => boolean;
  /** How the selection is described when nothing matches (for the error message). */
  readonly selectionText?: string;
}

/** `source s1 `db`.`t`` for notes and reports. */
export function shardLabel(s: ShardRef): string {
  return `${s.sourceId} ${quoteTable(s.schema, s.table)}`;
}

/** Discovers upstream tables, routes them, groups them by downstream table and checks the downstream ones exist. */
export async function buildDiffPlan(sources: readonly DiffSource[], target: DbConfig, opts: BuildPlanOptions = {}): Promise<DiffPlan> {
  const seen = new Set<string>();
  for (const s of sources) {
    if (!s.sourceId) throw DmError.of(E.DiffInvalidOption, ['source', '""', 'a source needs an id']);
    if (seen.has(s.sourceId)) throw DmError.of(E.DiffInvalidOption, ['source', JSON.stringify(s.sourceId), 'the same source id is given twice']);
    seen.add(s.sourceId);
  }
  if (sources.length === 0) throw DmError.of(E.DiffInvalidOption, ['source', '(none)', 'at least one upstream source is needed']);

  const perSource = await Promise.all(sources.map((s) => listTables(DiffSide.describe('source', s.db, s.sourceId), s.db)));
  const groups = new Map<string, { target: TableName; shards: ShardRef[] }>();
  for (const [i, s] of sources.entries()) {
    for (const t of perSource[i]!) {
      if (!s.filter.matchSchema(t.schema) || !s.filter.matchTable(t.schema, t.table)) continue;
      const routed = s.router.route(t.schema, t.table);
      if (opts.only && !opts.only(t, routed)) continue;
      const k = quoteTable(routed.schema, routed.table);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { target: { schema: routed.schema, table: routed.table }, shards: [] }));
      g.shards.push({ sourceId: s.sourceId, schema: t.schema, table: t.table });
    }
  }
  if (groups.size === 0) throw DmError.of(E.DiffNoTableMatched, [opts.selectionText ?? 'all tables']);

  const downstream = await listTables(DiffSide.describe('downstream', target), target, [...new Set([...groups.values()].map((g) => g.target.schema))]);
  const exact = new Set(downstream.map((t) => quoteTable(t.schema, t.table)));
  const folded = new Map<string, TableName[]>();
  for (const t of downstream) {
    const k = quoteTable(t.schema, t.table).toLowerCase();
    folded.set(k, [...(folded.get(k) ?? []), t]);
  }

  const tables: DiffTarget[] = [...groups.values()].map((g) => {
    const k = quoteTable(g.target.schema, g.target.table);
    let name = g.target;
    let exists = exact.has(k);
    if (!exists) {
      // a downstream with case-insensitive names (lower_case_table_names, TiDB) stores `Db`.`T` as `db`.`t`
      const alt = folded.get(k.toLowerCase());
      if (alt?.length === 1) {
        name = alt[0]!;
        exists = true;
      }
    }
    const order = new Map(sources.map((s, i) => [s.sourceId, i]));
    const shards = [...g.shards].sort((a, b) => order.get(a.sourceId)! - order.get(b.sourceId)! || cmp(a.schema, b.schema) || cmp(a.table, b.table));
    return { target: name, shards, downstreamExists: exists };
  });
  tables.sort((a, b) => cmp(a.target.schema, b.target.schema) || cmp(a.target.table, b.target.table));
  return { sources: sources.map((s) => ({ sourceId: s.sourceId, db: s.db })), target, tables };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Base tables of a server (optionally only in some schemas), system schemas excluded. */
async function listTables(label: string, db: DbConfig, schemas?: readonly string[]): Promise<TableName[]> {
  const side = new DiffSide(label, db, 1);
  try {
    if (schemas && schemas.length === 0) return [];
    const where = schemas ? `AND TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')})` : '';
    const rows = await side.rows(`SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ${where}`, schemas ?? []);
    return rows
      .map((r) => ({ schema: String(r[0]), table: String(r[1]) }))
      .filter((t) => !SYSTEM_SCHEMAS.has(t.schema.toLowerCase()));
  } finally {
    await side.close();
  }
}
