/**
 * The table filter and router `dm diff` builds from its command-line options (`--tables`, `--route`), with
 * DM's wildcard syntax (`*`, `?`, `[a-z]`) and DM's default case-insensitive matching. When `dm diff` takes a
 * task file, the task's block-allow list and routes replace these: the engine only sees the TableFilter and
 * TableRouter interfaces.
 *
 * Route resolution follows DM: table-level rules win over schema-level rules; two matching rules of the same
 * level are an error (DiffRouteConflict), never a silent first-match.
 */
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { SYSTEM_SCHEMAS, type TableFilter, type TableName, type TableRouter } from '../filter/table-filter.js';

/** One DM wildcard pattern compiled to an anchored, case-insensitive regular expression. */
export function wildcardRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 'isu');
  } catch (e) {
    throw DmError.of(E.DiffInvalidOption, ['pattern', JSON.stringify(pattern), e instanceof Error ? e.message : String(e)]);
  }
}

/**
 * Splits `schema.table` where either part may be backquoted (`` `my.db`.`t 1` ``, doubled backquotes inside).
 * The table part is undefined for a bare `schema`.
 */
export function splitQualified(text: string, what: string): { schema: string; table: string | undefined } {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i <= s.length) {
    let part = '';
    if (s[i] === '`') {
      i++;
      for (;;) {
        if (i >= s.length) throw DmError.of(E.DiffInvalidOption, [what, JSON.stringify(text), 'unterminated backquote']);
        if (s[i] === '`' && s[i + 1] === '`') {
          part += '`';
          i += 2;
        } else if (s[i] === '`') {
          i++;
          break;
        } else part += s[i++];
      }
    } else {
      while (i < s.length && s[i] !== '.') part += s[i++];
    }
    parts.push(part);
    if (i >= s.length) break;
    if (s[i] !== '.') throw DmError.of(E.DiffInvalidOption, [what, JSON.stringify(text), `unexpected ${JSON.stringify(s[i])} after a quoted name`]);
    i++;
    if (i === s.length) parts.push('');
  }
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p === '')) {
    throw DmError.of(E.DiffInvalidOption, [what, JSON.stringify(text), 'expected schema or schema.table (quote names containing dots with backquotes)']);
  }
  return { schema: parts[0]!, table: parts[1] };
}

interface CompiledPattern {
  schema: RegExp;
  table: RegExp | undefined;
}

function compile(text: string, what: string): CompiledPattern {
  const { schema, table } = splitQualified(text, what);
  return { schema: wildcardRegExp(schema), table: table === undefined ? undefined : wildcardRegExp(table) };
}

/**
 * `--tables` as a filter: a table is compared when it matches one of the patterns (`db.*`, `db.t?`, `db`). An
 * empty list accepts every non-system table. Patterns are matched against the upstream name here; the plan
 * builder also tries the routed downstream name (see buildDiffPlan's `only`).
 */
export class PatternFilter implements TableFilter {
  private readonly patterns: CompiledPattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => compile(p, '--tables pattern'));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  matchSchema(schema: string): boolean {
    if (SYSTEM_SCHEMAS.has(schema.toLowerCase())) return false;
    return this.patterns.length === 0 || this.patterns.some((p) => p.schema.test(schema));
  }

  matchTable(schema: string, table: string): boolean {
    if (SYSTEM_SCHEMAS.has(schema.toLowerCase())) return false;
    return this.patterns.length === 0 || this.matchesPattern({ schema, table });
  }

  /** Whether a name matches one of the patterns (no system-schema rule: used for downstream names too). */
  matchesPattern(name: TableName): boolean {
    return this.patterns.some((p) => p.schema.test(name.schema) && (p.table === undefined || p.table.test(name.table)));
  }
}

export interface RouteRule {
  readonly schemaPattern: string;
  readonly tablePattern: string | undefined;
  readonly targetSchema: string;
  readonly targetTable: string | undefined;
}

/** Parses `schema-pattern[.table-pattern]=target_schema[.target_table]`. */
export function parseRouteRule(text: string): RouteRule {
  const eq = findUnquoted(text, '=');
  if (eq < 0) throw DmError.of(E.DiffInvalidOption, ['--route', JSON.stringify(text), "expected 'schema-pattern.table-pattern=target_schema.target_table'"]);
  const from = splitQualified(text.slice(0, eq), '--route');
  const to = splitQualified(text.slice(eq + 1), '--route');
  if (/[*?[]/.test(to.schema) || (to.table !== undefined && /[*?[]/.test(to.table))) {
    throw DmError.of(E.DiffInvalidOption, ['--route', JSON.stringify(text), 'the target must be a plain name, not a pattern']);
  }
  return { schemaPattern: from.schema, tablePattern: from.table, targetSchema: to.schema, targetTable: to.table };
}

function findUnquoted(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '`') quoted = !quoted;
    else if (!quoted && s[i] === ch) return i;
  }
  return -1;
}

/** DM-style table routing from a list of rules. */
export class PatternRouter implements TableRouter {
  private readonly rules: Array<RouteRule & CompiledPattern>;

  constructor(rules: readonly RouteRule[]) {
    this.rules = rules.map((r) => ({
      ...r,
      schema: wildcardRegExp(r.schemaPattern),
      table: r.tablePattern === undefined ? undefined : wildcardRegExp(r.tablePattern),
    }));
  }

  route(schema: string, table: string): TableName {
    const tableRules = this.rules.filter((r) => r.table !== undefined && r.schema.test(schema) && r.table.test(table));
    const rule = this.pick(tableRules, schema, table) ?? this.pick(this.schemaRules(schema), schema, table);
    if (!rule) return { schema, table };
    return { schema: rule.targetSchema, table: rule.targetTable ?? table };
  }

  routeSchema(schema: string): string {
    return this.pick(this.schemaRules(schema), schema, undefined)?.targetSchema ?? schema;
  }

  private schemaRules(schema: string): Array<RouteRule & CompiledPattern> {
    return this.rules.filter((r) => r.table === undefined && r.schema.test(schema));
  }

  private pick(matched: Array<RouteRule & CompiledPattern>, schema: string, table: string | undefined): (RouteRule & CompiledPattern) | undefined {
    if (matched.length > 1) {
      const name = table === undefined ? schema : `${schema}.${table}`;
      const list = matched.map((r) => (r.tablePattern === undefined ? r.schemaPattern : `${r.schemaPattern}.${r.tablePattern}`)).join(', ');
      throw DmError.of(E.DiffRouteConflict, [name, matched.length, list]);
    }
    return matched[0];
  }
}
