/**
 * DM's block-allow list (`block-allow-list.<rule>` in task.yaml; tidb-tools `pkg/filter`, MySQL
 * replication-rule style): schema level first (`do-dbs`, else `ignore-dbs`), then table level (`do-tables`,
 * else `ignore-tables`). System schemas are never migrated, whatever the rules say.
 *
 * Sync asks once per row event, so decisions are cached per (schema, table) as the upstream spells them; the
 * cache is bounded because a long-lived task can see an unbounded number of names (DDL creating tables).
 */
import { DmError, type ErrorDef } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { SYSTEM_SCHEMAS, type TableFilter } from './table-filter.js';
import { compileNamePattern, PatternError, type NamePattern } from './wildcard-pattern.js';

/** One `do-tables` / `ignore-tables` item: `db-name` and `tbl-name`, both required. */
export interface BlockAllowTable {
  readonly dbName: string;
  readonly tblName: string;
}

/** `block-allow-list.<rule>` as configured. Values are wildcards, or Go regexes when they start with `~`. */
export interface BlockAllowListRules {
  readonly doDbs?: readonly string[] | null;
  readonly ignoreDbs?: readonly string[] | null;
  readonly doTables?: readonly BlockAllowTable[] | null;
  readonly ignoreTables?: readonly BlockAllowTable[] | null;
}

export interface BlockAllowListOptions {
  /**
   * The coded error for an invalid rule; DM's code depends on who builds the list: config check 20044
   * (default, where DM v5.3 validates first), check-task 26006, sync 36060.
   */
  readonly errorDef?: ErrorDef;
  /** Most (schema, table) decisions kept; default 16384. */
  readonly cacheLimit?: number;
}

/** Why a name is (not) migrated: for check-task output, logs and tests. */
export interface BlockAllowDecision {
  readonly migrate: boolean;
  /** The level that decided: `system` (system schema), `schema` (do-dbs/ignore-dbs) or `table`. */
  readonly level: 'system' | 'schema' | 'table';
  readonly reason: string;
}

/**
 * Schemas DM's `filter.IsSystemSchema` excludes besides {@link SYSTEM_SCHEMAS}: `dm_heartbeat` is where DM's
 * (deprecated) heartbeat writes on the upstream, so its events must never reach the downstream.
 */
const DM_SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['dm_heartbeat']);

/** Whether DM treats this schema as a system schema (case-insensitive, as DM). */
export function isSystemSchema(schema: string): boolean {
  const s = schema.toLowerCase();
  return SYSTEM_SCHEMAS.has(s) || DM_SYSTEM_SCHEMAS.has(s);
}

interface TablePattern {
  readonly db: NamePattern;
  readonly tbl: NamePattern;
}

const DEFAULT_CACHE_LIMIT = 16384;

export class BlockAllowList implements TableFilter {
  private readonly doDbs: readonly NamePattern[];
  private readonly ignoreDbs: readonly NamePattern[];
  private readonly doTables: readonly TablePattern[];
  private readonly ignoreTables: readonly TablePattern[];
  private readonly tableCache: DecisionCache<boolean>;
  private readonly schemaCache = new Map<string, boolean>();
  private readonly cacheLimit: number;

  /** Throws a coded error ({@link BlockAllowListOptions.errorDef}) for an empty value or an invalid pattern. */
  constructor(
    rules: BlockAllowListRules | null | undefined,
    readonly caseSensitive: boolean,
    options: BlockAllowListOptions = {},
  ) {
    const errorDef = options.errorDef ?? E.ConfigGenBAList;
    const compile = (value: string, where: string): NamePattern => {
      if (value.length === 0) throw DmError.of(errorDef, [`${where} cannot be empty`]);
      try {
        return compileNamePattern(value, caseSensitive);
      } catch (e) {
        if (e instanceof PatternError) throw DmError.of(errorDef, [`${where} ${JSON.stringify(value)}: ${e.message}`], { cause: e });
        throw e;
      }
    };
    const tables = (list: readonly BlockAllowTable[] | null | undefined, key: string): TablePattern[] =>
      (list ?? []).map((t, i) => ({ db: compile(t.dbName ?? '', `${key}[${i}].db-name`), tbl: compile(t.tblName ?? '', `${key}[${i}].tbl-name`) }));
    this.doDbs = (rules?.doDbs ?? []).map((v, i) => compile(v ?? '', `do-dbs[${i}]`));
    this.ignoreDbs = (rules?.ignoreDbs ?? []).map((v, i) => compile(v ?? '', `ignore-dbs[${i}]`));
    this.doTables = tables(rules?.doTables, 'do-tables');
    this.ignoreTables = tables(rules?.ignoreTables, 'ignore-tables');
    this.cacheLimit = Math.max(1, options.cacheLimit ?? DEFAULT_CACHE_LIMIT);
    this.tableCache = new DecisionCache(this.cacheLimit);
  }

  matchSchema(schema: string): boolean {
    const hit = this.schemaCache.get(schema);
    if (hit !== undefined) return hit;
    const migrate = this.decide(schema, '').migrate;
    if (this.schemaCache.size >= this.cacheLimit) {
      const oldest = this.schemaCache.keys().next();
      if (oldest.done !== true) this.schemaCache.delete(oldest.value);
    }
    this.schemaCache.set(schema, migrate);
    return migrate;
  }

  /** An empty `table` asks about the schema itself (schema-level rules only), as DM does for schema DDL. */
  matchTable(schema: string, table: string): boolean {
    const hit = this.tableCache.get(schema, table);
    if (hit !== undefined) return hit;
    const migrate = this.decide(schema, table).migrate;
    this.tableCache.set(schema, table, migrate);
    return migrate;
  }

  /** The decision with its reason, uncached (diagnostics; the hot path is {@link matchTable}). */
  explain(schema: string, table = ''): BlockAllowDecision {
    return this.decide(schema, table);
  }

  private decide(schema: string, table: string): BlockAllowDecision {
    if (isSystemSchema(schema)) return { migrate: false, level: 'system', reason: `${schema} is a system schema` };
    const db = this.caseSensitive ? schema : schema.toLowerCase();
    const tbl = this.caseSensitive ? table : table.toLowerCase();

    // 1. schema level: do-dbs wins over ignore-dbs when both are set
    if (this.doDbs.length > 0) {
      const hit = this.doDbs.find((p) => p.test(db));
      if (hit === undefined) return { migrate: false, level: 'schema', reason: `schema ${schema} matches no do-dbs` };
    } else if (this.ignoreDbs.length > 0) {
      const hit = this.ignoreDbs.find((p) => p.test(db));
      if (hit !== undefined) return { migrate: false, level: 'schema', reason: `schema ${schema} matches ignore-dbs ${JSON.stringify(hit.source)}` };
    }
    // statements about the schema itself (CREATE/DROP DATABASE) are decided at the schema level only
    if (table.length === 0) return { migrate: true, level: 'schema', reason: `schema ${schema} passes the schema level` };

    // 2. table level: an item matches when both its db-name and tbl-name match
    const matches = (t: TablePattern): boolean => t.db.test(db) && t.tbl.test(tbl);
    const name = `${schema}.${table}`;
    if (this.doTables.length > 0) {
      const hit = this.doTables.find(matches);
      if (hit === undefined) return { migrate: false, level: 'table', reason: `${name} matches no do-tables` };
      return { migrate: true, level: 'table', reason: `${name} matches do-tables {${hit.db.source}, ${hit.tbl.source}}` };
    }
    if (this.ignoreTables.length > 0) {
      const hit = this.ignoreTables.find(matches);
      if (hit !== undefined) return { migrate: false, level: 'table', reason: `${name} matches ignore-tables {${hit.db.source}, ${hit.tbl.source}}` };
    }
    return { migrate: true, level: 'table', reason: `${name} is not filtered` };
  }
}

/**
 * A bounded two-level (schema → table → value) map: lookups need no key concatenation. When full, the oldest
 * entry of the oldest schema goes (insertion order), which keeps a steady working set cached.
 */
export class DecisionCache<V> {
  private readonly bySchema = new Map<string, Map<string, V>>();
  private count = 0;

  constructor(private readonly limit: number) {}

  get(schema: string, table: string): V | undefined {
    return this.bySchema.get(schema)?.get(table);
  }

  set(schema: string, table: string, value: V): void {
    let tables = this.bySchema.get(schema);
    if (tables?.has(table) === true) {
      tables.set(table, value);
      return;
    }
    if (this.count >= this.limit) this.evictOne();
    if (tables === undefined) {
      tables = new Map();
      this.bySchema.set(schema, tables);
    }
    tables.set(table, value);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  private evictOne(): void {
    const first = this.bySchema.entries().next();
    if (first.done === true) return;
    const [schema, tables] = first.value;
    const oldest = tables.keys().next();
    if (oldest.done !== true) {
      tables.delete(oldest.value);
      this.count--;
    }
    if (tables.size === 0) this.bySchema.delete(schema);
  }
}
