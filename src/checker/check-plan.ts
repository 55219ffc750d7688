/**
 * Which precheck items run for a task, as DM's checker decides (`dm/checker/checker.go`):
 * - every mode: `version`;
 * - full / all (a dump happens): `dump_privilege`, `table_schema`;
 * - incremental / all (binlog is read): `server_id`, `binlog_enable`, `binlog_format`, `binlog_row_image`,
 *   `replication_privilege`, `binlog_db`;
 * - sharding tasks (`shard-mode` set, or `is-sharding: true`) that dump: `schema_of_shard_tables` and
 *   `auto_increment_ID` (in incremental mode the upstream's current CREATE TABLE is not the schema at the binlog
 *   start point, so DM does not compare them).
 * `ignore-checking-items` removes items; `all` removes every item. Items dm-ts does not implement yet
 * (`online_ddl`, `meta_position`, `conn_number`, `target_privilege`, the physical-import ones) are accepted in
 * `ignore-checking-items` by the config parser and never run.
 */
import type { SubtaskConfig } from '../config/subtask-config.js';

export const IMPLEMENTED_ITEMS = [
  'version',
  'dump_privilege',
  'replication_privilege',
  'server_id',
  'binlog_enable',
  'binlog_format',
  'binlog_row_image',
  'binlog_db',
  'table_schema',
  'schema_of_shard_tables',
  'auto_increment_ID',
] as const;

export type CheckItem = (typeof IMPLEMENTED_ITEMS)[number];

/** Checked once per source. */
export type SourceItem = Exclude<CheckItem, 'table_schema' | 'schema_of_shard_tables' | 'auto_increment_ID'>;
/** Checked once for the whole task (all sources' tables together). */
export type TaskItem = Extract<CheckItem, 'table_schema' | 'schema_of_shard_tables' | 'auto_increment_ID'>;

export interface CheckPlan {
  readonly sourceItems: readonly SourceItem[];
  readonly taskItems: readonly TaskItem[];
}

type PlanInput = Pick<SubtaskConfig, 'taskMode' | 'shardMode' | 'isSharding' | 'ignoreCheckingItems'>;

/**
 * The items to run for a task's subtasks (they share task-mode, shard-mode and ignore-checking-items, so the
 * first one decides, as in DM).
 */
export function planChecks(cfg: PlanInput): CheckPlan {
  const ignored = new Set(cfg.ignoreCheckingItems);
  if (ignored.has('all')) return { sourceItems: [], taskItems: [] };
  const dumps = cfg.taskMode !== 'incremental';
  const readsBinlog = cfg.taskMode !== 'full';
  const sharding = cfg.isSharding || cfg.shardMode !== '';

  const sourceItems: SourceItem[] = ['version'];
  if (dumps) sourceItems.push('dump_privilege');
  if (readsBinlog) sourceItems.push('server_id', 'binlog_enable', 'binlog_format', 'binlog_row_image', 'replication_privilege', 'binlog_db');
  const taskItems: TaskItem[] = [];
  if (dumps) taskItems.push('table_schema');
  if (dumps && sharding) taskItems.push('schema_of_shard_tables', 'auto_increment_ID');

  return {
    sourceItems: sourceItems.filter((i) => !ignored.has(i)),
    taskItems: taskItems.filter((i) => !ignored.has(i)),
  };
}
