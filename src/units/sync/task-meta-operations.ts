/**
 * The maintenance operations on a task's metadata in the downstream, shared by `dm handle-error` /
 * `dm binlog-schema` (offline, for `dm run` tasks) and dm-master (`handle-error`, `binlog-schema` through
 * dmctl and the OpenAPI): error operators (`{task}_syncer_handle_error`) and the saved table definitions of
 * the sync checkpoint (`{task}_syncer_checkpoint`). Bad input is a coded DmError.
 */
import type mysql from 'mysql2/promise';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { ErrorOperatorStore } from './error-operator-store.js';
import { SchemaTracker } from './schema-tracker.js';
import { SyncerCheckpointStore } from './syncer-checkpoint.js';

export interface TaskMeta {
  readonly taskName: string;
  readonly metaSchema: string;
}

export type ErrorOperation = 'skip' | 'replace' | 'revert' | 'list';

export interface ErrorOperationResult {
  source: string;
  position: string;
  op: string;
  sqls?: readonly string[];
  message?: string;
}

/**
 * `skip` / `replace` the DDL each source stopped on (or the one at `binlogPos`), `revert` an operator, or
 * `list` errors and operators. 36058-style SyncerOperatorNotExist when nothing was there to act on.
 */
export async function handleErrorOperation(conn: mysql.Connection, t: TaskMeta, sourceIds: readonly string[], op: ErrorOperation, binlogPos: string | undefined, replace: readonly string[]): Promise<ErrorOperationResult[]> {
  if (op === 'replace' && replace.length === 0) throw DmError.of(E.SyncerOperatorNotExist, ['replace needs the statements to run instead']);
  if (binlogPos !== undefined && !/^[^:]+:\d+$/.test(binlogPos)) throw DmError.of(E.InvalidBinlogPosStr, [binlogPos]);
  const result: ErrorOperationResult[] = [];
  for (const id of sourceIds) {
    const store = new ErrorOperatorStore(t.metaSchema, t.taskName, id);
    const rows = await store.list(conn);
    if (op === 'list') {
      for (const r of rows) result.push({ source: id, position: r.position, op: r.op, ...(r.sqls.length ? { sqls: r.sqls } : {}), ...(r.message ? { message: r.message } : {}) });
      continue;
    }
    const targets = binlogPos !== undefined ? [binlogPos] : rows.filter((r) => r.op === 'error').map((r) => r.position);
    for (const pos of targets) {
      if (op === 'revert') await store.remove(conn, pos);
      else await store.put(conn, pos, op, op === 'replace' ? replace : [], rows.find((r) => r.position === pos)?.message ?? '');
      result.push({ source: id, position: pos, op: op === 'revert' ? 'reverted' : op, ...(op === 'replace' ? { sqls: replace } : {}) });
    }
  }
  if (op !== 'list' && result.length === 0) {
    throw DmError.of(E.SyncerOperatorNotExist, [binlogPos ?? `(no source of task ${t.taskName} is stopped on an error)`]);
  }
  return result;
}

export type SchemaOperation = 'list' | 'get' | 'update' | 'delete';

export interface SavedTable {
  db: string;
  table: string;
  schema: string;
}

/** Validates a CREATE TABLE the way the sync unit will read it (44009 when it is not one). */
export function checkCreateTable(db: string, create: string): string {
  const text = create.trim().replace(/;\s*$/, '');
  new SchemaTracker().setTable(db, text);
  return text;
}

/**
 * The table definitions saved with a source's sync checkpoint: `list` / `get` them, `update` one with a
 * CREATE TABLE, `delete` one. Returns the tables listed (list/get) or the one changed.
 */
export async function binlogSchemaOperation(conn: mysql.Connection, t: TaskMeta, sourceId: string, op: SchemaOperation, db: string | undefined, table: string | undefined, create: string | undefined): Promise<SavedTable[]> {
  const store = new SyncerCheckpointStore(t.metaSchema, t.taskName, sourceId);
  const name = `\`${db}\`.\`${table}\``;
  if (op === 'list' || op === 'get') {
    const tables = (await store.listTables(conn)).filter((x) => (!db || x.schema === db) && (!table || x.table === table));
    if (op === 'get' && tables.length === 0) throw DmError.of(E.SchemaTrackerCannotGetTable, [name]);
    return tables.map((x) => ({ db: x.schema, table: x.table, schema: x.create }));
  }
  if (!db || !table) throw DmError.of(E.SchemaTrackerCannotGetTable, [`${name} (binlog-schema ${op} needs a database and a table)`]);
  const text = op === 'update' ? checkCreateTable(db, create ?? '') : undefined;
  const ok = await store.setTable(conn, db, table, text);
  if (!ok) throw DmError.of(E.SchemaTrackerCannotGetTable, [op === 'delete' ? name : `${name} (task ${t.taskName} has no sync checkpoint for ${sourceId} yet)`]);
  return [{ db, table, schema: text ?? '' }];
}
