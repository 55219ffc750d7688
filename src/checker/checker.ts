/**
 * The contract every precheck item implements, and what it is given. A checker is named by its DM item name
 * (the value `ignore-checking-items` takes, e.g. `binlog_format`); running it yields one result per source it
 * looked at (or per shard group), each named as DM names it (`mysql_binlog_format`).
 *
 * Invariant: `run` never throws for a problem on the checked database — a query that fails becomes a `fail`
 * result carrying the error (without any password), so one broken source never hides the other results.
 */
import type { SubtaskConfig } from '../config/subtask-config.js';
import type { ItemResult } from './check-result.js';
import type { CheckItem } from './check-plan.js';
import type { MigratedTable } from './table-inventory.js';
import type { TableStructure } from './table-structure.js';

/** Runs one SQL statement and returns its rows (a mysql2 connection in production, a fake in unit tests). */
export type SqlRunner = (sql: string, params?: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

/** One upstream under check: its subtask, a connection, and the address shown in results. */
export interface SourceUnderCheck {
  readonly sourceId: string;
  readonly cfg: SubtaskConfig;
  readonly sql: SqlRunner;
  /** `host:port` (never the user or password). */
  readonly address: string;
}

export interface CheckContext {
  /** Aborts a long check (many tables) when the command is interrupted. */
  readonly signal?: AbortSignal | undefined;
}

export interface Checker {
  /** DM's item name: what `ignore-checking-items` lists to skip it. */
  readonly name: CheckItem;
  run(ctx: CheckContext): Promise<ItemResult[]>;
}

/** DM's `extra` for per-instance checks. */
export function instanceExtra(source: SourceUnderCheck): string {
  return `address of db instance - ${source.address}`;
}

/** A single-row `SHOW GLOBAL VARIABLES LIKE ...` value, or undefined when the server has no such variable. */
export async function globalVariable(sql: SqlRunner, name: string): Promise<string | undefined> {
  const rows = await sql('SHOW GLOBAL VARIABLES LIKE ?', [name]);
  const row = rows[0];
  if (!row) return undefined;
  return sqlText(row.Value ?? row.VALUE ?? row.value);
}

/** A value from a result row as text ('' for NULL; binary strings decoded as UTF-8). */
export function sqlText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return JSON.stringify(v);
}

/** What the task-level checks (table_schema, shard checks) look at: every source's migrated tables. */
export interface TaskTables {
  readonly tables: readonly MigratedTable[];
  /** The upstream definition of a migrated table; undefined when it vanished while checking. */
  structureOf(t: MigratedTable): TableStructure | undefined;
  /** Subtask of each source (shard mode, column mappings, case sensitivity). */
  readonly subtasks: ReadonlyMap<string, SubtaskConfig>;
}
