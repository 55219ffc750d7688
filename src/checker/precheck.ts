/**
 * The precheck of a task (DM's `check-task`, also run before a task starts): connect to every source and to
 * the downstream, find the migrated tables, run the items the task-mode and shard-mode call for (check-plan.ts)
 * minus `ignore-checking-items`, and report in DM's shape.
 *
 * Problems found on the databases are results, never exceptions; what stops the check itself is a coded
 * error: a database it cannot connect to (26002, no password in it), route rules that cannot route a table
 * (26003), same target names differing only in case (26001), `enable-gtid` on a MySQL source without GTIDs
 * (26007). Every connection opened here is closed before returning.
 */
import type { Connection } from 'mysql2/promise';
import type { SubtaskConfig } from '../config/subtask-config.js';
import { openConnection, type DbConfig } from '../mysql/db-config.js';
import { dialectFromVersion } from '../mysql/downstream-dialect.js';
import { tableKey } from '../mysql/identifier.js';
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { consistencyOf } from '../worker/subtask-runner.js';
import { AutoIncrementIdChecker } from './auto-increment-id-checker.js';
import { BinlogDbChecker } from './binlog-db-checker.js';
import { BinlogEnableChecker } from './binlog-enable-checker.js';
import { BinlogFormatChecker } from './binlog-format-checker.js';
import { BinlogRowImageChecker } from './binlog-row-image-checker.js';
import { summarise, type CheckResults, type SummariseOptions } from './check-result.js';
import { planChecks, type SourceItem, type TaskItem } from './check-plan.js';
import type { Checker, CheckContext, SourceUnderCheck, SqlRunner, TaskTables } from './checker.js';
import { DumpPrivilegeChecker } from './dump-privilege-checker.js';
import { ReplicationPrivilegeChecker } from './replication-privilege-checker.js';
import { parseServerVersion } from './server-version.js';
import { ServerIdChecker } from './server-id-checker.js';
import { ShardSchemaChecker } from './shard-schema-checker.js';
import { listMigratedTables, type MigratedTable } from './table-inventory.js';
import { TableSchemaChecker, type DownstreamFacts } from './table-schema-checker.js';
import { readTableStructures, type TableStructure } from './table-structure.js';
import { VersionChecker } from './version-checker.js';

/** What `check-task` prints. */
export interface PrecheckReport {
  /** True when no item failed (warnings allowed). */
  readonly result: boolean;
  readonly msg: string;
  readonly checkResult: CheckResults;
}

export interface PrecheckOptions extends SummariseOptions {
  readonly signal?: AbortSignal | undefined;
}

const MSG_HEADER = 'fail to check synchronization configuration with type';
export const MSG_PASSED = 'pre-check is passed. ';

/** DM's message for a finished check. */
export function reportOf(checkResult: CheckResults): PrecheckReport {
  const s = checkResult.summary;
  if (s.failed > 0) {
    return { result: false, msg: DmError.of(E.TaskCheckSyncConfigError, [MSG_HEADER, 'check was failed, please see detail', 'see checkResult']).message, checkResult };
  }
  return { result: true, msg: s.warning > 0 ? `${MSG_HEADER}: no errors but some warnings, see checkResult` : MSG_PASSED, checkResult };
}

/** A report for a check that could not run (a coded error). */
export function errorReport(e: DmError): PrecheckReport {
  return { result: false, msg: e.message, checkResult: summarise([]) };
}

function runnerOf(conn: Connection): SqlRunner {
  return async (sql, params) => {
    const [rows] = await conn.query(sql, params as unknown[] | undefined);
    return rows as Array<Record<string, unknown>>;
  };
}

async function connect(db: DbConfig): Promise<Connection> {
  try {
    return await openConnection(db, { connectTimeoutMs: 10_000 });
  } catch (e) {
    // the driver error is already scrubbed of the password (openConnection)
    throw DmError.of(E.TaskCheckFailedOpenDB, [db.user, db.host, db.port, isDmError(e) ? e.detail : String(e)], { cause: e });
  }
}

async function downstreamFacts(sql: SqlRunner): Promise<DownstreamFacts> {
  const version = String((await sql('SELECT VERSION() AS v'))[0]?.v);
  const charsets = new Set((await sql('SHOW CHARACTER SET')).map((r) => String(r.Charset as string).toLowerCase()));
  return { kind: dialectFromVersion(version).kind, charsets: charsets.size > 0 ? charsets : undefined };
}

/** DM's 26007: a MySQL source with `enable-gtid: true` must have gtid_mode ON (MariaDB always has GTIDs). */
async function checkGtidMode(source: SourceUnderCheck): Promise<void> {
  if (!source.cfg.enableGtid) return;
  const version = parseServerVersion(String((await source.sql('SELECT VERSION() AS v'))[0]?.v));
  if (!version || version.flavor !== 'mysql') return;
  const mode = String((await source.sql('SELECT @@GLOBAL.gtid_mode AS m'))[0]?.m);
  if (mode.toUpperCase() !== 'ON') throw DmError.of(E.SourceCheckGTID, [source.address, mode]);
}

function sourceChecker(item: SourceItem, source: SourceUnderCheck, tables: readonly MigratedTable[]): Checker {
  switch (item) {
    case 'version':
      return new VersionChecker(source);
    case 'server_id':
      return new ServerIdChecker(source);
    case 'binlog_enable':
      return new BinlogEnableChecker(source);
    case 'binlog_format':
      return new BinlogFormatChecker(source);
    case 'binlog_row_image':
      return new BinlogRowImageChecker(source);
    case 'binlog_db':
      return new BinlogDbChecker(source, [...new Set(tables.map((t) => t.upstream.schema))]);
    case 'dump_privilege':
      return new DumpPrivilegeChecker(
        source,
        tables.map((t) => t.upstream),
        consistencyOf(source.cfg.mydumper.extraArgs),
      );
    case 'replication_privilege':
      return new ReplicationPrivilegeChecker(source);
  }
}

function taskChecker(item: TaskItem, tables: TaskTables, downstream: DownstreamFacts): Checker {
  switch (item) {
    case 'table_schema':
      return new TableSchemaChecker(tables, downstream);
    case 'schema_of_shard_tables':
      return new ShardSchemaChecker(tables);
    case 'auto_increment_ID':
      return new AutoIncrementIdChecker(tables);
  }
}

/**
 * Runs the precheck of a task's subtasks. Throws a DmError when the check cannot run (see the header);
 * {@link checkTask} turns that into a report.
 */
export async function runPrecheck(subtasks: readonly SubtaskConfig[], opts: PrecheckOptions = {}): Promise<PrecheckReport> {
  const first = subtasks[0];
  if (!first) return reportOf(summarise([], opts));
  const plan = planChecks(first);
  const ctx: CheckContext = { signal: opts.signal };
  const conns: Connection[] = [];
  try {
    // the downstream must be reachable even when every item is ignored (DM RC #769)
    const down = await connect(first.to);
    conns.push(down);
    const sources: SourceUnderCheck[] = [];
    for (const cfg of subtasks) {
      const conn = await connect(cfg.from);
      conns.push(conn);
      sources.push({ sourceId: cfg.sourceId, cfg, sql: runnerOf(conn), address: `${cfg.from.host}:${cfg.from.port}` });
    }
    for (const s of sources) await checkGtidMode(s);
    if (plan.sourceItems.length === 0 && plan.taskItems.length === 0) return reportOf(summarise([], opts));
    opts.signal?.throwIfAborted();

    const needTables = plan.taskItems.length > 0 || plan.sourceItems.some((i) => i === 'dump_privilege' || i === 'binlog_db');
    const tablesBySource = new Map<string, MigratedTable[]>();
    if (needTables) for (const s of sources) tablesBySource.set(s.sourceId, await listMigratedTables(s));
    opts.signal?.throwIfAborted();

    const checkers: Checker[] = [];
    for (const s of sources) for (const item of plan.sourceItems) checkers.push(sourceChecker(item, s, tablesBySource.get(s.sourceId) ?? []));
    if (plan.taskItems.length > 0) {
      const structures = new Map<string, Map<string, TableStructure>>();
      for (const s of sources) {
        structures.set(
          s.sourceId,
          await readTableStructures(
            s.sql,
            (tablesBySource.get(s.sourceId) ?? []).map((t) => t.upstream),
          ),
        );
      }
      const taskTables: TaskTables = {
        tables: [...tablesBySource.values()].flat(),
        structureOf: (t) => structures.get(t.sourceId)?.get(tableKey(t.upstream.schema, t.upstream.table)),
        subtasks: new Map(subtasks.map((c) => [c.sourceId, c])),
      };
      const downstream = await downstreamFacts(runnerOf(down));
      for (const item of plan.taskItems) checkers.push(taskChecker(item, taskTables, downstream));
    }
    opts.signal?.throwIfAborted();
    const results = await Promise.all(checkers.map((c) => c.run(ctx)));
    return reportOf(summarise(results.flat(), opts));
  } finally {
    await Promise.all(conns.map((c) => c.end().catch(() => undefined)));
  }
}

/** The precheck as `check-task` reports it: a coded error that stops the check becomes a failed report. */
export async function checkTask(subtasks: readonly SubtaskConfig[], opts: PrecheckOptions = {}): Promise<PrecheckReport> {
  try {
    return await runPrecheck(subtasks, opts);
  } catch (e) {
    if (isDmError(e)) return errorReport(e);
    throw e;
  }
}
