/**
 * DM's table router (`routes.<rule>` in task.yaml; tidb-tools `pkg/table-router`): upstream schema/table →
 * downstream schema/table by wildcard rules. Table-level rules (with a `table-pattern`) take priority over
 * schema-level ones; a name matching two rules of the deciding level is an error, never a silent choice, because
 * picking one would send rows to the wrong table.
 *
 * Patterns are DM wildcards only (a `~` is a literal here, unlike the block-allow list). With
 * `case-sensitive: false` patterns and names are compared lowercased, but the names that come out are the
 * configured targets as written, or the upstream names as the upstream spelled them.
 *
 * `route` runs per row event, so results (and conflicts) are cached per (schema, table) in a bounded cache.
 */
import { DmError, type ErrorDef } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { DecisionCache } from './block-allow-list.js';
import type { TableName, TableRouter } from './table-filter.js';
import { parseWildcard, PatternError, type WildcardPattern } from './wildcard-pattern.js';

/** `routes.<rule>` as configured. */
export interface RouteRule {
  readonly schemaPattern: string;
  /** Empty or absent: a schema-level rule (also what routes `CREATE/DROP DATABASE`). */
  readonly tablePattern?: string | null;
  readonly targetSchema: string;
  /** Empty or absent: keep the upstream table name. */
  readonly targetTable?: string | null;
}

export interface TableRouterOptions {
  /**
   * The coded error for an invalid rule set; DM's code depends on who builds the router: config check 20045
   * (default, where DM v5.3 validates first), check-task 26003, sync 36031.
   */
  readonly errorDef?: ErrorDef;
  /** Most (schema, table) results kept; default 16384. */
  readonly cacheLimit?: number;
}

interface CompiledRule {
  readonly rule: RouteRule;
  readonly schema: WildcardPattern;
  /** null for a schema-level rule. */
  readonly table: WildcardPattern | null;
}

/** A cached outcome: the routed name, or the conflict error to throw again. */
type Routed = TableName | DmError;

const DEFAULT_CACHE_LIMIT = 16384;

export class TableRouterImpl implements TableRouter {
  private readonly schemaRules: readonly CompiledRule[];
  private readonly tableRules: readonly CompiledRule[];
  private readonly cache: DecisionCache<Routed>;
  private readonly schemaCache: DecisionCache<string | DmError>;

  /**
   * Throws a coded error ({@link TableRouterOptions.errorDef}) for an empty schema pattern or target schema,
   * an invalid wildcard (`*` not last), or the same (schema, table) pattern pair configured twice.
   */
  constructor(
    rules: readonly RouteRule[] | null | undefined,
    readonly caseSensitive: boolean,
    options: TableRouterOptions = {},
  ) {
    const errorDef = options.errorDef ?? E.ConfigGenTableRouter;
    const schemaRules: CompiledRule[] = [];
    const tableRules: CompiledRule[] = [];
    const seen = new Map<string, RouteRule>();
    for (const rule of rules ?? []) {
      const fail = (why: string, cause?: unknown): DmError => DmError.of(errorDef, [`rule ${formatRule(rule)}: ${why}`], { cause });
      if (!rule.schemaPattern) throw fail('schema pattern of table route rule should not be empty');
      if (!rule.targetSchema) throw fail('target schema of table route rule should not be empty');
      let compiled: CompiledRule;
      try {
        const schema = parseWildcard(rule.schemaPattern, caseSensitive);
        const table = rule.tablePattern ? parseWildcard(rule.tablePattern, caseSensitive) : null;
        compiled = { rule, schema, table };
      } catch (e) {
        if (e instanceof PatternError) throw fail(e.message, e);
        throw e;
      }
      // DM's trie refuses a second rule on the same path (after lowercasing when case-insensitive)
      const key = compiled.table === null ? compiled.schema.key : `${compiled.schema.key}\u0000${compiled.table.key}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) throw fail(`pattern already exists (same patterns as rule ${formatRule(earlier)})`);
      seen.set(key, rule);
      (compiled.table === null ? schemaRules : tableRules).push(compiled);
    }
    this.schemaRules = schemaRules;
    this.tableRules = tableRules;
    const limit = Math.max(1, options.cacheLimit ?? DEFAULT_CACHE_LIMIT);
    this.cache = new DecisionCache(limit);
    this.schemaCache = new DecisionCache(Math.min(limit, 4096));
  }

  /** Throws {@link E.GenTableRouter} (11043) when the name matches more than one rule of the deciding level. */
  route(schema: string, table: string): TableName {
    let r = this.cache.get(schema, table);
    if (r === undefined) {
      r = this.resolve(schema, table);
      this.cache.set(schema, table, r);
    }
    if (r instanceof DmError) throw r;
    return r;
  }

  /** Schema-level rules only: table-level rules never route a schema, even when their table pattern is `*`. */
  routeSchema(schema: string): string {
    let r = this.schemaCache.get(schema, '');
    if (r === undefined) {
      const routed = this.resolve(schema, '');
      r = routed instanceof DmError ? routed : routed.schema;
      this.schemaCache.set(schema, '', r);
    }
    if (r instanceof DmError) throw r;
    return r;
  }

  /** The configured rules that match, by level (diagnostics: which rules conflict for a name). */
  matchingRules(schema: string, table: string): { schemaRules: RouteRule[]; tableRules: RouteRule[] } {
    const db = this.caseSensitive ? schema : schema.toLowerCase();
    const tbl = this.caseSensitive ? table : table.toLowerCase();
    return {
      schemaRules: this.schemaRules.filter((c) => c.schema.test(db)).map((c) => c.rule),
      tableRules: table.length === 0 ? [] : this.tableRules.filter((c) => c.schema.test(db) && c.table?.test(tbl) === true).map((c) => c.rule),
    };
  }

  private resolve(schema: string, table: string): Routed {
    // DM's syncer leaves names without a schema alone (statements with no schema to route)
    if (schema.length === 0) return { schema, table };
    const { schemaRules, tableRules } = this.matchingRules(schema, table);
    let chosen: RouteRule | undefined;
    if (tableRules.length === 0) {
      if (schemaRules.length > 1) return conflict(schema, table, 'schema', schemaRules);
      chosen = schemaRules[0];
    } else {
      if (tableRules.length > 1) return conflict(schema, table, 'table', tableRules);
      chosen = tableRules[0];
    }
    if (chosen === undefined) return { schema, table };
    // a schema-level rule's target-table applies too when set (DM does not forbid it)
    return { schema: chosen.targetSchema || schema, table: chosen.targetTable || table };
  }
}

function conflict(schema: string, table: string, level: 'schema' | 'table', rules: readonly RouteRule[]): DmError {
  const [a, b] = rules;
  return DmError.of(E.GenTableRouter, [
    `\`${schema}\`.\`${table}\` matches ${rules.length} ${level} route rules which is more than one. ` +
      `The first two rules are ${a ? formatRule(a) : ''}, ${b ? formatRule(b) : ''}. It's not supported`,
  ]);
}

function formatRule(r: RouteRule): string {
  const parts = [`schema-pattern: ${JSON.stringify(r.schemaPattern)}`];
  if (r.tablePattern) parts.push(`table-pattern: ${JSON.stringify(r.tablePattern)}`);
  parts.push(`target-schema: ${JSON.stringify(r.targetSchema)}`);
  if (r.targetTable) parts.push(`target-table: ${JSON.stringify(r.targetTable)}`);
  return `{${parts.join(', ')}}`;
}
