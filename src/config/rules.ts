/**
 * DM's named rule sets — table routes, binlog event filters, block-allow lists, column mappings, expression
 * filters — as they appear in task.yaml (and `filters` in source.yaml): their YAML schemas, their typed form,
 * and the checks DM runs when it builds a subtask's router/filters (`*NotValid`, duplicate patterns, regexes).
 *
 * Invariants: rule values are kept as written (patterns are not lower-cased here; matching engines apply
 * `case-sensitive`), except binlog event names, which DM lower-cases. Every check throws the DM-coded error DM
 * raises for it (20037 filters, 20044 block-allow list, 20045 routes, 20046 column mappings, 20039–20042
 * expression filters), naming the file and key.
 */
import { E } from '../observability/error-catalogue.js';
import { compileGoRegexp } from './go-compat.js';
import { parseWildcard } from '../filter/wildcard-pattern.js';
import { ConfigProblems, yEnum, yList, yObject, yString, yStringList, type KeyPath } from './yaml-file.js';

// ---------------------------------------------------------------------------------------------------------
// Schemas

const extractSchema = (regexpKey: string) => yObject({ [regexpKey]: yString(), 'target-column': yString() });

export const routeSchema = yObject({
  'schema-pattern': yString(),
  'table-pattern': yString(),
  'target-schema': yString(),
  'target-table': yString(),
  'extract-table': extractSchema('table-regexp'),
  'extract-schema': extractSchema('schema-regexp'),
  'extract-source': extractSchema('source-regexp'),
});

export const filterSchema = yObject({
  'schema-pattern': yString(),
  'table-pattern': yString(),
  events: yStringList(),
  'sql-pattern': yStringList(),
  action: yEnum(['Do', 'Ignore', 'Error']),
});

const tableRefSchema = yObject({ 'db-name': yString(), 'tbl-name': yString() });

export const baListSchema = yObject({
  'do-dbs': yStringList(),
  'ignore-dbs': yStringList(),
  'do-tables': yList(tableRefSchema, 'tables ({db-name, tbl-name})'),
  'ignore-tables': yList(tableRefSchema, 'tables ({db-name, tbl-name})'),
});

export const columnMappingSchema = yObject({
  'schema-pattern': yString(),
  'table-pattern': yString(),
  'source-column': yString(),
  'target-column': yString(),
  expression: yEnum(['add prefix', 'add suffix', 'partition id']),
  arguments: yStringList(),
  'create-table-query': yString(),
});

export const exprFilterSchema = yObject({
  schema: yString(),
  table: yString(),
  'insert-value-expr': yString(),
  'update-old-value-expr': yString(),
  'update-new-value-expr': yString(),
  'delete-value-expr': yString(),
});

type Out<S extends { parse: (v: unknown) => unknown }> = NonNullable<ReturnType<S['parse']>>;

// ---------------------------------------------------------------------------------------------------------
// Typed rules

export interface ExtractRule {
  /** Regular expression (Go RE2 syntax) whose first capture group is written to `targetColumn`. */
  readonly regexp: string;
  readonly targetColumn: string;
}

export interface RouteRule {
  readonly name: string;
  readonly schemaPattern: string;
  /** Empty: a schema-level rule. */
  readonly tablePattern: string;
  readonly targetSchema: string;
  /** Empty: keep the upstream table name. */
  readonly targetTable: string;
  readonly extractTable?: ExtractRule | undefined;
  readonly extractSchema?: ExtractRule | undefined;
  readonly extractSource?: ExtractRule | undefined;
}

export type FilterAction = 'Do' | 'Ignore' | 'Error';

export interface BinlogEventRule {
  /** Rule name in task.yaml `filters`; source.yaml filters are named `source-filter-<index>`. */
  readonly name: string;
  readonly schemaPattern: string;
  readonly tablePattern: string;
  /** Lower-cased event names (DM lower-cases them). */
  readonly events: readonly string[];
  /** Regexes (Go RE2) matched case-insensitively against DDL text; any one matching is a match. */
  readonly sqlPattern: readonly string[];
  readonly action: FilterAction;
}

export interface TableRef {
  readonly dbName: string;
  readonly tblName: string;
}

export interface BlockAllowListRule {
  readonly name: string;
  readonly doDbs: readonly string[];
  readonly ignoreDbs: readonly string[];
  readonly doTables: readonly TableRef[];
  readonly ignoreTables: readonly TableRef[];
}

export type ColumnMappingExpression = 'add prefix' | 'add suffix' | 'partition id';

export interface ColumnMappingRule {
  readonly name: string;
  readonly schemaPattern: string;
  readonly tablePattern: string;
  readonly sourceColumn: string;
  readonly targetColumn: string;
  readonly expression: ColumnMappingExpression;
  readonly arguments: readonly string[];
  readonly createTableQuery: string;
}

export interface ExpressionFilterRule {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly insertValueExpr: string;
  readonly updateOldValueExpr: string;
  readonly updateNewValueExpr: string;
  readonly deleteValueExpr: string;
}

/**
 * Binlog event names a filter may list: DM v5.3's set plus the ones later DM versions added, so a filter written
 * for either works. An unknown name is an error here (DM v5.3 silently never matches it, which hides typos).
 */
export const BINLOG_EVENTS: ReadonlySet<string> = new Set([
  'all', 'all dml', 'all ddl', 'none', 'none ddl', 'none dml',
  'insert', 'update', 'delete',
  'create database', 'drop database', 'alter database', 'create schema', 'drop schema', 'alter schema',
  'create table', 'drop table', 'truncate table', 'rename table', 'alter table',
  'create index', 'drop index', 'create view', 'drop view',
  'add table partition', 'drop table partition', 'truncate table partition',
  'incompatible ddl changes', 'value range decrease', 'precision decrease', 'modify column', 'rename column',
  'rename index', 'drop column', 'drop primary key', 'drop unique key', 'modify default value', 'modify constraint',
  'modify columns order', 'modify charset', 'modify collation', 'remove auto increment', 'modify storage engine',
  'reorganize table partition', 'rebuild table partition', 'coalesce table partition', 'split table partition',
  'exchange table partition', 'modify schema charset and collate', 'modify table charset and collate',
  'modify table comment', 'recover table', 'alter table partitioning', 'remove table partitioning', 'add column',
  'set default value', 'rebase auto id', 'add primary key', 'alter index visibility', 'alter ttl info',
  'alter ttl remove', 'multi schema change',
]);

function ex(raw: { readonly [k: string]: string | undefined } | undefined, key: string): ExtractRule | undefined {
  if (!raw) return undefined;
  return { regexp: raw[key] ?? '', targetColumn: raw['target-column'] ?? '' };
}

export function toRouteRule(name: string, r: Out<typeof routeSchema> | undefined): RouteRule {
  return {
    name,
    schemaPattern: r?.['schema-pattern'] ?? '',
    tablePattern: r?.['table-pattern'] ?? '',
    targetSchema: r?.['target-schema'] ?? '',
    targetTable: r?.['target-table'] ?? '',
    extractTable: ex(r?.['extract-table'], 'table-regexp'),
    extractSchema: ex(r?.['extract-schema'], 'schema-regexp'),
    extractSource: ex(r?.['extract-source'], 'source-regexp'),
  };
}

export function toFilterRule(name: string, r: Out<typeof filterSchema> | undefined): BinlogEventRule {
  return {
    name,
    schemaPattern: r?.['schema-pattern'] ?? '',
    tablePattern: r?.['table-pattern'] ?? '',
    events: (r?.events ?? []).map((e) => e.toLowerCase()),
    sqlPattern: [...(r?.['sql-pattern'] ?? [])],
    // no action: DM rejects the rule when it builds the filter; '' keeps that error to validateFilterRule
    action: (r?.action ?? '') as FilterAction,
  };
}

export function toBlockAllowList(name: string, r: Out<typeof baListSchema> | undefined): BlockAllowListRule {
  const tables = (ts: readonly ({ 'db-name'?: string | undefined; 'tbl-name'?: string | undefined } | undefined)[] | undefined): TableRef[] =>
    (ts ?? []).map((t) => ({ dbName: t?.['db-name'] ?? '', tblName: t?.['tbl-name'] ?? '' }));
  return {
    name,
    doDbs: [...(r?.['do-dbs'] ?? [])],
    ignoreDbs: [...(r?.['ignore-dbs'] ?? [])],
    doTables: tables(r?.['do-tables']),
    ignoreTables: tables(r?.['ignore-tables']),
  };
}

export function toColumnMapping(name: string, r: Out<typeof columnMappingSchema> | undefined): ColumnMappingRule {
  return {
    name,
    schemaPattern: r?.['schema-pattern'] ?? '',
    tablePattern: r?.['table-pattern'] ?? '',
    sourceColumn: r?.['source-column'] ?? '',
    targetColumn: r?.['target-column'] ?? '',
    expression: (r?.expression ?? '') as ColumnMappingExpression,
    arguments: [...(r?.arguments ?? [])],
    createTableQuery: r?.['create-table-query'] ?? '',
  };
}

export function toExprFilter(name: string, r: Out<typeof exprFilterSchema> | undefined): ExpressionFilterRule {
  return {
    name,
    schema: r?.schema ?? '',
    table: r?.table ?? '',
    insertValueExpr: r?.['insert-value-expr'] ?? '',
    updateOldValueExpr: r?.['update-old-value-expr'] ?? '',
    updateNewValueExpr: r?.['update-new-value-expr'] ?? '',
    deleteValueExpr: r?.['delete-value-expr'] ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Checks (DM's NewTableRouter / NewBinlogEvent / filter.New / column.NewMapping / expression checks)

function regexOk(pattern: string, flags: string): string | undefined {
  try {
    compileGoRegexp(pattern, flags);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Checks one route rule (DM's TableRule.Valid plus the pattern syntax). */
export function validateRouteRule(rule: RouteRule, path: KeyPath, p: ConfigProblems): void {
  const fail = (key: string, why: string): never => {
    throw p.error(E.ConfigGenTableRouter, [`route rule ${rule.name}: ${why}`], [...path, key], { value: true });
  };
  if (!rule.schemaPattern) fail('schema-pattern', 'schema pattern of table route rule should not be empty');
  if (!rule.targetSchema) fail('target-schema', 'target schema of table route rule should not be empty');
  for (const key of ['schema-pattern', 'table-pattern'] as const) {
    try {
      parseWildcard(key === 'schema-pattern' ? rule.schemaPattern : rule.tablePattern);
    } catch (e) {
      fail(key, (e as Error).message);
    }
  }
  const extracts = [
    ['extract-table', 'table-regexp', rule.extractTable],
    ['extract-schema', 'schema-regexp', rule.extractSchema],
    ['extract-source', 'source-regexp', rule.extractSource],
  ] as const;
  for (const [key, reKey, x] of extracts) {
    if (!x) continue;
    if (!x.targetColumn) fail(key, `${key}.target-column should not be empty`);
    const why = regexOk(x.regexp, '');
    if (why !== undefined) throw p.error(E.ConfigGenTableRouter, [`route rule ${rule.name}: ${key}.${reKey}: ${why}`], [...path, key, reKey], { value: true });
  }
}

/** Checks one binlog event filter rule (DM's BinlogEventRule.Valid, pattern syntax, event names). */
export function validateFilterRule(rule: BinlogEventRule, path: KeyPath, p: ConfigProblems): void {
  const fail = (key: string | number | undefined, why: string, sub?: number): never => {
    const at = key === undefined ? path : sub === undefined ? [...path, key] : [...path, key, sub];
    throw p.error(E.ConfigBinlogEventFilter, [`rule ${rule.name}: ${why}`], at, { value: key !== undefined });
  };
  if (!rule.schemaPattern) fail('schema-pattern', 'schema pattern of a binlog event rule should not be empty');
  if (!rule.action) fail(undefined, 'action of binlog event rule should not be empty; allowed: Do, Ignore');
  for (const key of ['schema-pattern', 'table-pattern'] as const) {
    try {
      parseWildcard(key === 'schema-pattern' ? rule.schemaPattern : rule.tablePattern);
    } catch (e) {
      fail(key, (e as Error).message);
    }
  }
  rule.events.forEach((ev, i) => {
    if (!BINLOG_EVENTS.has(ev)) fail('events', `event type "${ev}" not valid; allowed: e.g. all, all dml, all ddl, insert, update, delete, create table, drop table, truncate table (see docs/config.md)`, i);
  });
  rule.sqlPattern.forEach((re, i) => {
    const why = regexOk(re, 'i');
    if (why !== undefined) fail('sql-pattern', `compile regular expression: ${why}`, i);
  });
}

/** Checks one block-allow list (DM's filter.New: non-empty names, valid wildcards and `~` regexes). */
export function validateBlockAllowList(rule: BlockAllowListRule, path: KeyPath, p: ConfigProblems, caseSensitive: boolean): void {
  const fail = (at: KeyPath, why: string): never => {
    throw p.error(E.ConfigGenBAList, [`block-allow-list ${rule.name}: ${why}`], at, { value: true });
  };
  const checkName = (name: string, at: KeyPath, what: string): void => {
    if (name.startsWith('~')) {
      const why = regexOk(name.slice(1), caseSensitive ? '' : 'i');
      if (why !== undefined) fail(at, `${what} regular expression: ${why}`);
    } else {
      try {
        parseWildcard(name);
      } catch (e) {
        fail(at, (e as Error).message);
      }
    }
  };
  for (const key of ['do-dbs', 'ignore-dbs'] as const) {
    const list = key === 'do-dbs' ? rule.doDbs : rule.ignoreDbs;
    list.forEach((db, i) => {
      if (!db) fail([...path, key, i], `${key === 'do-dbs' ? 'DoDB' : 'IgnoreDB'} rule's DB string cannot be empty`);
      checkName(db, [...path, key, i], 'schema');
    });
  }
  for (const key of ['do-tables', 'ignore-tables'] as const) {
    const list = key === 'do-tables' ? rule.doTables : rule.ignoreTables;
    list.forEach((t, i) => {
      if (!t.dbName || !t.tblName) {
        fail([...path, key, i, t.dbName ? 'tbl-name' : 'db-name'], `${key === 'do-tables' ? 'DoTables' : 'IgnoreTables'} rule's DB string or Table string cannot be empty`);
      }
      checkName(t.dbName, [...path, key, i, 'db-name'], 'schema');
      checkName(t.tblName, [...path, key, i, 'tbl-name'], 'table');
    });
  }
}

/** Checks one column mapping rule (DM's column.Rule.Valid). */
export function validateColumnMapping(rule: ColumnMappingRule, path: KeyPath, p: ConfigProblems): void {
  const fail = (key: string, why: string): never => {
    throw p.error(E.ConfigGenColumnMapping, [`rule ${rule.name}: ${why}`], [...path, key], { value: true });
  };
  if (!rule.expression) fail('expression', 'expression should be one of: add prefix, add suffix, partition id');
  if (!rule.targetColumn) fail('target-column', 'rule need to be applied a target column');
  if (!rule.schemaPattern) fail('schema-pattern', 'schema pattern should not be empty');
  if ((rule.expression === 'add prefix' || rule.expression === 'add suffix') && rule.arguments.length !== 1) {
    fail('arguments', `${rule.expression} needs exactly 1 argument, got ${rule.arguments.length}`);
  }
  if (rule.expression === 'partition id' && (rule.arguments.length < 3 || rule.arguments.length > 4)) {
    fail('arguments', `partition id needs 3 or 4 arguments, got ${rule.arguments.length}`);
  }
  for (const key of ['schema-pattern', 'table-pattern'] as const) {
    try {
      parseWildcard(key === 'schema-pattern' ? rule.schemaPattern : rule.tablePattern);
    } catch (e) {
      fail(key, (e as Error).message);
    }
  }
}

/**
 * A light grammar check of an expression filter's SQL expression: quotes closed and parentheses balanced. DM
 * parses `SELECT <expr>` with TiDB's parser; the expression-filter engine does the full parse when it compiles.
 */
function exprGrammarProblem(expr: string): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) {
        if (expr[i + 1] === quote) i++;
        else quote = undefined;
      }
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return `unexpected ")" at offset ${i}`;
  }
  if (quote) return `unterminated ${quote} quote`;
  if (depth > 0) return 'missing ")"';
  if (/^\s*$/.test(expr)) return 'empty expression';
  return undefined;
}

/** Checks one expression filter (DM's TaskConfig.adjust checks: names, grammar, one kind of expression). */
export function validateExprFilter(rule: ExpressionFilterRule, path: KeyPath, p: ConfigProblems): void {
  if (!rule.schema) throw p.error(E.ConfigExprFilterEmptyName, [rule.name, 'schema'], [...path, 'schema']);
  if (!rule.table) throw p.error(E.ConfigExprFilterEmptyName, [rule.name, 'table'], [...path, 'table']);
  const kinds: string[] = [];
  const check = (key: string, expr: string): void => {
    const why = exprGrammarProblem(expr);
    if (why !== undefined) throw p.error(E.ConfigExprFilterWrongGrammar, [rule.name, expr, why], [...path, key]);
  };
  if (rule.insertValueExpr) {
    check('insert-value-expr', rule.insertValueExpr);
    kinds.push(`insert: [${rule.insertValueExpr}]`);
  }
  if (rule.updateOldValueExpr || rule.updateNewValueExpr) {
    if (rule.updateOldValueExpr) check('update-old-value-expr', rule.updateOldValueExpr);
    if (rule.updateNewValueExpr) check('update-new-value-expr', rule.updateNewValueExpr);
    kinds.push(`update (old value): [${rule.updateOldValueExpr}] update (new value): [${rule.updateNewValueExpr}]`);
  }
  if (rule.deleteValueExpr) {
    check('delete-value-expr', rule.deleteValueExpr);
    kinds.push(`delete: [${rule.deleteValueExpr}]`);
  }
  if (kinds.length > 1) throw p.error(E.ConfigExprFilterManyExpr, [rule.name, `[${kinds.join(' ')}]`], path);
}

/**
 * DM builds one trie per subtask for routes and one for filters, and a second rule with the same
 * (schema-pattern, table-pattern) is "already exists". Returns the first duplicate pair, if any.
 */
export function findDuplicatePattern<R extends { readonly schemaPattern: string; readonly tablePattern: string; readonly name: string }>(
  rules: readonly R[],
  caseSensitive: boolean,
): [R, R] | undefined {
  const seen = new Map<string, R>();
  for (const r of rules) {
    const key = JSON.stringify(caseSensitive ? [r.schemaPattern, r.tablePattern] : [r.schemaPattern.toLowerCase(), r.tablePattern.toLowerCase()]);
    const prev = seen.get(key);
    if (prev) return [prev, r];
    seen.set(key, r);
  }
  return undefined;
}
