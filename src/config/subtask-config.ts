/**
 * Subtask configs: what one source's worker runs for a task (DM's `TaskConfigToSubTaskConfigs` followed by the
 * worker's `copyConfigFromSource`). One per `mysql-instances[]` entry, in file order, each self-contained: the
 * resolved rules (not names), the unit configs with defaults, the source's connection and replication settings,
 * and the target connection.
 *
 * Invariants:
 * - `loader.dir` ends with `.{task name}` (appended unless already there), so tasks never share dump files.
 * - `caseSensitive` is true when the task or the source says so (DM's rule).
 * - `filterRules` are the task's rules for this instance followed by the source's own `filters`; a source rule
 *   with the same schema/table patterns as a task rule is dropped (the task's wins, as in DM).
 * - Passwords are plaintext in `from`/`to` and masked when printed.
 */
import type { DbConfig } from '../mysql/db-config.js';
import { E } from '../observability/error-catalogue.js';
import { addRedactedPrinting, deepFreeze } from './db-section.js';
import { findDuplicatePattern, validateBlockAllowList, type BinlogEventRule, type BlockAllowListRule, type ColumnMappingRule, type ExpressionFilterRule, type RouteRule } from './rules.js';
import { checkGtid, type SourceConfig } from './source-config.js';
import {
  checkInstanceRuleSets,
  taskProblems,
  type BinlogMeta,
  type LoaderConfig,
  type MydumperConfig,
  type ShardMode,
  type SyncerConfig,
  type TaskConfig,
  type TaskMode,
  type TidbExtraConfig,
  type ValidatorConfig,
} from './task-config.js';

export interface SubtaskConfig {
  /** Task name. */
  readonly name: string;
  readonly taskMode: TaskMode;
  readonly sourceId: string;
  readonly shardMode: ShardMode;
  readonly isSharding: boolean;
  readonly strictOptimisticShardMode: boolean;
  readonly onlineDdl: boolean;
  readonly shadowTableRules: readonly string[];
  readonly trashTableRules: readonly string[];
  readonly caseSensitive: boolean;
  readonly collationCompatible: 'loose' | 'strict';
  readonly metaSchema: string;
  readonly ignoreCheckingItems: readonly string[];
  /** Start point for `incremental` (absent for full/all, where the dump's position is used). */
  readonly meta?: BinlogMeta | undefined;
  // from the source
  readonly flavor?: 'mysql' | 'mariadb' | undefined;
  readonly serverId?: number | undefined;
  readonly enableGtid: boolean;
  readonly autoFixGtid: boolean;
  /** The source has `enable-relay: true`. */
  readonly useRelay: boolean;
  readonly relayDir: string;
  readonly from: DbConfig;
  readonly to: DbConfig;
  // resolved rules
  readonly routeRules: readonly RouteRule[];
  readonly filterRules: readonly BinlogEventRule[];
  readonly columnMappingRules: readonly ColumnMappingRule[];
  readonly expressionFilters: readonly ExpressionFilterRule[];
  /** Absent: no block-allow list (everything but system schemas). */
  readonly blockAllowList?: BlockAllowListRule | undefined;
  readonly mydumper: MydumperConfig;
  readonly loader: LoaderConfig;
  readonly syncer: SyncerConfig;
  readonly validator: ValidatorConfig;
  readonly cleanDumpFile: boolean;
  readonly tidb?: TidbExtraConfig | undefined;
  readonly asyncCheckpointFlush: boolean;
  /** Things the user should know (e.g. a source filter overridden by a task filter). */
  readonly warnings: readonly string[];
}

/**
 * Derives the subtask of every `mysql-instances[]` entry. A source id not among `sources` is DM's 20031
 * ConfigSourceIDNotFound; the rule checks are re-run with the source's case sensitivity and filters.
 */
export function deriveSubtasks(task: TaskConfig, sources: ReadonlyMap<string, SourceConfig>): SubtaskConfig[] {
  const p = taskProblems(task);
  return task.mysqlInstances.map((inst, i) => {
    const source = sources.get(inst.sourceId);
    if (!source) {
      throw p.error(E.ConfigSourceIDNotFound, [inst.sourceId], ['mysql-instances', i, 'source-id'], {
        note: sources.size > 0 ? `known sources: ${[...sources.keys()].join(', ')}` : 'no source is known',
      });
    }
    const warnings: string[] = [];
    const caseSensitive = task.caseSensitive || source.caseSensitive;
    if (task.caseSensitive !== source.caseSensitive) warnings.push('different case-sensitive config between task config and source config, use `true` for it.');

    // the task's checks again, now that the source can make names case-sensitive
    checkInstanceRuleSets(inst, i, task, caseSensitive, p);
    const blockAllowList = inst.blockAllowList ? task.blockAllowList[inst.blockAllowList] : undefined;
    if (blockAllowList) validateBlockAllowList(blockAllowList, ['block-allow-list', blockAllowList.name], p, caseSensitive);

    const taskFilters = inst.filterRules.flatMap((n) => task.filters[n] ?? []);
    const filterRules = [...taskFilters];
    for (const rule of source.filters) {
      if (findDuplicatePattern([...taskFilters, rule], caseSensitive)) {
        warnings.push(`source filter ${rule.schemaPattern}.${rule.tablePattern} of ${source.sourceId} is overridden by the task's filter with the same patterns`);
        continue;
      }
      filterRules.push(rule);
    }

    if (inst.meta && task.taskMode === 'incremental') {
      if (inst.meta.binlogGtid) checkGtid(inst.meta.binlogGtid, source.flavor, p, ['mysql-instances', i, 'meta', 'binlog-gtid']);
      // without GTID the syncer starts from a file position, so it needs the file name
      if (!source.enableGtid && !inst.meta.binlogName) {
        throw p.error(E.ConfigMetaInvalid, [], ['mysql-instances', i, 'meta'], { note: `source ${source.sourceId} has enable-gtid: false, so meta needs binlog-name` });
      }
    }

    const suffix = `.${task.name}`;
    const loader: LoaderConfig = inst.loader.dir.endsWith(suffix) ? inst.loader : { ...inst.loader, dir: inst.loader.dir + suffix };
    const syncer: SyncerConfig = { ...inst.syncer, enableGtid: source.enableGtid, autoFixGtid: source.autoFixGtid };

    const sub: SubtaskConfig = {
      name: task.name,
      taskMode: task.taskMode,
      sourceId: inst.sourceId,
      shardMode: task.shardMode,
      isSharding: task.isSharding,
      strictOptimisticShardMode: task.strictOptimisticShardMode,
      onlineDdl: task.onlineDdl,
      shadowTableRules: task.shadowTableRules,
      trashTableRules: task.trashTableRules,
      caseSensitive,
      collationCompatible: task.collationCompatible,
      metaSchema: task.metaSchema,
      ignoreCheckingItems: task.ignoreCheckingItems,
      meta: task.taskMode === 'incremental' ? inst.meta : undefined,
      flavor: source.flavor,
      serverId: source.serverId,
      enableGtid: source.enableGtid,
      autoFixGtid: source.autoFixGtid,
      useRelay: source.enableRelay,
      relayDir: source.relayDir,
      from: source.from,
      to: task.targetDatabase,
      routeRules: inst.routeRules.flatMap((n) => task.routes[n] ?? []),
      filterRules,
      columnMappingRules: inst.columnMappingRules.flatMap((n) => task.columnMappings[n] ?? []),
      expressionFilters: inst.expressionFilters.flatMap((n) => task.expressionFilter[n] ?? []),
      blockAllowList,
      mydumper: inst.mydumper,
      loader,
      syncer,
      validator: inst.validator,
      cleanDumpFile: task.cleanDumpFile,
      tidb: task.tidb,
      asyncCheckpointFlush: task.experimental.asyncCheckpointFlush,
      warnings,
    };
    addRedactedPrinting(sub);
    return deepFreeze(sub);
  });
}
