/**
 * DM's binlog event filter (`filters.<rule>` in task.yaml / source.yaml; tiflow `pkg/binlog-filter`): decides
 * per event whether sync executes it (`do`), skips it (`ignore`) or stops with an error (`error`).
 *
 * Semantics (DM's `BinlogEvent.Filter`, see docs/filters.md "Binlog event filter"):
 * - Rules apply when their schema pattern matches the schema and, for table-level rules, their table pattern
 *   matches the table (schema-level rules — empty table pattern — apply to every table of the schema too).
 *   No rule applies → `do`.
 * - Applying rules are visited schema-level first, then table-level, each level in DM's trie order; the first
 *   rule that decides wins: (a) known event: listed (with the `all*`/`none*`/`incompatible ddl changes` classes)
 *   → an Ignore/Error rule returns ignore/error; not listed → a Do rule returns ignore. (b) non-empty SQL and
 *   the rule has sql-patterns: a match → Ignore/Error rule returns ignore/error; no match → Do rule returns
 *   ignore. Nothing decided → `do`. So a block always beats an allow.
 */
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { BINLOG_EVENTS, type BinlogEventRule, type FilterAction } from '../config/rules.js';
import { DecisionCache } from './block-allow-list.js';
import { compileGoRegexp, parseWildcard, PatternError, type WildcardPattern } from './wildcard-pattern.js';

export type FilterDecision = 'do' | 'ignore' | 'error';

export interface BinlogEventInput {
  readonly schema: string;
  /** Empty for statements about the schema itself (CREATE/DROP DATABASE) or unparsable statements. */
  readonly table: string;
  /** A DM event name (`insert`, `drop table`, …); empty when the statement's type is unknown (DM's NullEvent). */
  readonly event: string;
  /** The DDL text sql-patterns are tested against; empty/absent for row events. */
  readonly sql?: string | undefined;
}

type EventClass = 'dml' | 'ddl' | 'incompatible';

const DML_EVENTS = ['insert', 'update', 'delete'];
const DDL_EVENTS = ['create database', 'alter database', 'create table', 'create index', 'create view', 'drop view', 'alter table', 'add table partition'];
/** DM (tiflow) classifies destructive and fine-grained ALTER events as "incompatible DDL" — still DDL for `all ddl`. */
const INCOMPATIBLE_DDL_EVENTS = [
  'value range decrease', 'precision decrease', 'modify column', 'rename column', 'rename index', 'drop column',
  'drop primary key', 'drop unique key', 'modify default value', 'modify constraint', 'modify columns order',
  'modify charset', 'modify collation', 'remove auto increment', 'modify storage engine',
  'reorganize table partition', 'rebuild table partition', 'coalesce table partition', 'split table partition',
  'exchange table partition', 'add foreign key', 'drop foreign key',
  'drop database', 'drop table', 'drop index', 'rename table', 'truncate table', 'drop table partition',
  'truncate table partition', 'modify schema charset and collate', 'modify table charset and collate',
  'modify table comment', 'recover table', 'alter table partitioning', 'remove table partitioning', 'add column',
  'set default value', 'rebase auto id', 'add primary key', 'alter index visibility', 'alter ttl info',
  'alter ttl remove', 'multi schema change',
];

/** Event name → class, for events a statement can have (classes like `all ddl` are rule-only). */
export const EVENT_CLASSES: ReadonlyMap<string, EventClass> = new Map<string, EventClass>([
  ...DML_EVENTS.map((e) => [e, 'dml'] as const),
  ...DDL_EVENTS.map((e) => [e, 'ddl'] as const),
  ...INCOMPATIBLE_DDL_EVENTS.map((e) => [e, 'incompatible'] as const),
]);

/** DM's aliases, canonicalised on both sides (rule events and the event being filtered). */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['create schema', 'create database'],
  ['drop schema', 'drop database'],
  ['alter schema', 'alter database'],
]);

const canonical = (event: string): string => {
  const e = event.toLowerCase();
  return ALIASES.get(e) ?? e;
};

interface CompiledRule {
  readonly rule: BinlogEventRule;
  readonly index: number;
  readonly schema: WildcardPattern;
  /** Undefined: a schema-level rule. */
  readonly table: WildcardPattern | undefined;
  readonly events: readonly string[];
  readonly sql: RegExp | undefined;
  readonly action: FilterAction;
}

export interface BinlogEventFilterOptions {
  /** Most (schema, table) rule lists kept; default 16384. */
  readonly cacheLimit?: number;
}

export class BinlogEventFilter {
  private readonly rules: readonly CompiledRule[];
  private readonly cache: DecisionCache<readonly CompiledRule[]>;

  /** Throws 20037 `ConfigBinlogEventFilter` for an invalid rule or two rules with the same patterns. */
  constructor(
    rules: readonly BinlogEventRule[],
    readonly caseSensitive: boolean,
    options: BinlogEventFilterOptions = {},
  ) {
    const seen = new Map<string, string>();
    this.rules = rules.map((r, index) => {
      const fail = (why: string, cause?: unknown): never => {
        throw DmError.of(E.ConfigBinlogEventFilter, [`rule ${r.name}: ${why}`], { cause });
      };
      if (!r.schemaPattern) fail('schema pattern of a binlog event rule should not be empty');
      if (r.action !== 'Do' && r.action !== 'Ignore' && r.action !== 'Error') {
        fail(`action ${JSON.stringify(r.action)} not valid; allowed: Do, Ignore, Error`);
      }
      const wildcard = (p: string): WildcardPattern => {
        try {
          return parseWildcard(p, caseSensitive);
        } catch (e) {
          return e instanceof PatternError ? fail(e.message, e) : fail(String(e), e);
        }
      };
      const schema = wildcard(r.schemaPattern);
      const table = r.tablePattern ? wildcard(r.tablePattern) : undefined;
      const key = `${schema.key}\u0000${table?.key ?? ''}`;
      const prev = seen.get(key);
      if (prev !== undefined) fail(`schema pattern ${r.schemaPattern} / table pattern ${r.tablePattern} already used by rule ${prev}`);
      seen.set(key, r.name);
      const events = r.events.map((e) => {
        const c = canonical(e);
        if (!BINLOG_EVENTS.has(c)) fail(`event type ${JSON.stringify(e)} not valid`);
        return c;
      });
      let sql: RegExp | undefined;
      if (r.sqlPattern.length > 0) {
        // DM: regexp.Compile("(?i)" + strings.Join(SQLPattern, "|")), searched unanchored
        try {
          sql = compileGoRegexp(r.sqlPattern.join('|'), true);
        } catch (e) {
          fail(`compile regular expression ${JSON.stringify(r.sqlPattern)}: ${e instanceof Error ? e.message : String(e)}`, e);
        }
      }
      return { rule: r, index, schema, table, events, sql, action: r.action };
    });
    this.cache = new DecisionCache(Math.max(1, options.cacheLimit ?? 16384));
  }

  /**
   * The decision for one event. Throws 11072 `BinlogEventTypeNotValid` for an event name that is not a
   * statement's event (unknown, or a class such as `all ddl`).
   */
  filter(input: BinlogEventInput): FilterDecision {
    return this.explain(input).decision;
  }

  /** The decision and the rule that made it (undefined: no rule decided), for logs and tests. */
  explain(input: BinlogEventInput): { decision: FilterDecision; rule: BinlogEventRule | undefined } {
    const event = canonical(input.event);
    let cls: EventClass | undefined;
    if (event !== '') {
      cls = EVENT_CLASSES.get(event);
      if (cls === undefined) throw DmError.of(E.BinlogEventTypeNotValid, [JSON.stringify(input.event)]);
    }
    const sql = input.sql ?? '';
    for (const r of this.applying(input.schema, input.table)) {
      const blocks = r.action === 'Ignore' || r.action === 'Error';
      const hit: FilterDecision = r.action === 'Error' ? 'error' : 'ignore';
      if (cls !== undefined) {
        const matched = matchEvent(cls, event, r.events);
        if (matched && blocks) return { decision: hit, rule: r.rule };
        if (!matched && r.action === 'Do') return { decision: 'ignore', rule: r.rule };
      }
      if (sql.length > 0 && r.sql !== undefined) {
        const matched = r.sql.test(sql);
        if (matched && blocks) return { decision: hit, rule: r.rule };
        if (!matched && r.action === 'Do') return { decision: 'ignore', rule: r.rule };
      }
    }
    return { decision: 'do', rule: undefined };
  }

  /** Rules whose patterns match, in DM's order (schema level, then table level; trie order within). */
  private applying(schema: string, table: string): readonly CompiledRule[] {
    const hit = this.cache.get(schema, table);
    if (hit !== undefined) return hit;
    const db = this.caseSensitive ? schema : schema.toLowerCase();
    const tbl = this.caseSensitive ? table : table.toLowerCase();
    const matched = this.rules.filter((r) => r.schema.test(db) && (r.table === undefined || r.table.test(tbl)));
    matched.sort(trieOrder);
    this.cache.set(schema, table, matched);
    return matched;
  }
}

/** DM's `matchEvent`: the first class entry that speaks for the event decides; `none*` stop the scan. */
function matchEvent(cls: EventClass, event: string, ruleEvents: readonly string[]): boolean {
  const isDdl = cls === 'ddl' || cls === 'incompatible';
  for (const e of ruleEvents) {
    if (e === 'all') return true;
    if (e === 'none') return false;
    if (isDdl && e === 'all ddl') return true;
    if (isDdl && e === 'none ddl') return false;
    if (cls === 'dml' && e === 'all dml') return true;
    if (cls === 'dml' && e === 'none dml') return false;
    if (cls === 'incompatible' && e === 'incompatible ddl changes') return true;
    if (e === event) return true;
  }
  return false;
}

/**
 * The order DM's trie `Match` returns rules in: schema-level rules, then table-level rules grouped by schema
 * pattern; within a level, patterns compare token by token where, at the first difference, a pattern that
 * ends sorts before `*`, `*` before `?`, `?` before a `[set]`, and a set before a literal character (two
 * different sets: configuration order, as the trie keeps them in insertion order).
 */
function trieOrder(a: CompiledRule, b: CompiledRule): number {
  const level = (a.table === undefined ? 0 : 1) - (b.table === undefined ? 0 : 1);
  if (level !== 0) return level;
  const bySchema = comparePatterns(a.schema, b.schema);
  if (bySchema !== 0) return bySchema;
  if (a.table !== undefined && b.table !== undefined) {
    const byTable = comparePatterns(a.table, b.table);
    if (byTable !== 0) return byTable;
  }
  return a.index - b.index;
}

function tokens(p: WildcardPattern): string[] {
  return p.key === '' ? [] : p.key.split('\u0001');
}

function tokenRank(t: string | undefined): number {
  if (t === undefined) return 0;
  if (t === '*') return 1;
  if (t === '?') return 2;
  if (t.startsWith('[')) return 3;
  return 4;
}

function comparePatterns(a: WildcardPattern, b: WildcardPattern): number {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    // different sets at the same node, or different literals (cannot both match): leave to config order
    return tokenRank(ta[i]) - tokenRank(tb[i]);
  }
  return 0;
}
