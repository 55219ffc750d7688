/**
 * What the offline maintenance commands (`dm handle-error`, `dm binlog-schema`) need from a task file: the
 * downstream (where the checkpoints and operators live), the meta schema, the task name and its source ids.
 * They work on a task run by `dm run` while it is stopped, or while it runs (handle-error) — the sync unit
 * reads operators when it reaches a DDL and saved table definitions when it starts.
 */
import type mysql from 'mysql2/promise';
import { loadTaskConfig } from '../../config/task-config.js';
import { openConnection } from '../../mysql/db-config.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';

export interface TaskMetaTarget {
  readonly taskName: string;
  readonly metaSchema: string;
  readonly sourceIds: readonly string[];
  readonly conn: mysql.Connection;
}

/** Opens the task's downstream; `sourceId`, when given, must be one of the task's sources. */
export async function openTaskMeta(taskFile: string, sourceId: string | undefined): Promise<TaskMetaTarget> {
  const task = loadTaskConfig(taskFile);
  const all = task.mysqlInstances.map((i) => i.sourceId);
  if (sourceId !== undefined && !all.includes(sourceId)) {
    throw DmError.of(E.ConfigSourceIDNotFound, [sourceId]);
  }
  const conn = await openConnection(task.targetDatabase);
  return { taskName: task.name, metaSchema: task.metaSchema, sourceIds: sourceId !== undefined ? [sourceId] : all, conn };
}
