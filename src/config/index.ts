/**
 * DM's configuration files for dm-ts: source.yaml, task.yaml, the per-source subtask configs derived from
 * them, DM-compatible password encryption, and the sample files. See docs/config.md.
 */
export { loadSourceConfig, parseSourceConfig, MAX_SOURCE_ID_LENGTH, type SourceConfig, type PurgeConfig, type CheckerConfig } from './source-config.js';
export {
  loadTaskConfig,
  parseTaskConfig,
  CHECKING_ITEMS,
  DEFAULT_SHADOW_TABLE_RULE,
  DEFAULT_TRASH_TABLE_RULE,
  type TaskConfig,
  type TaskMode,
  type ShardMode,
  type BinlogMeta,
  type MysqlInstanceConfig,
  type MydumperConfig,
  type LoaderConfig,
  type SyncerConfig,
  type ValidatorConfig,
  type TidbExtraConfig,
} from './task-config.js';
export { deriveSubtasks, type SubtaskConfig } from './subtask-config.js';
export type { RouteRule, BinlogEventRule, BlockAllowListRule, ColumnMappingRule, ExpressionFilterRule, TableRef, ExtractRule, FilterAction } from './rules.js';
export { encryptPassword, decryptPassword, decryptOrPlaintext, DM_DEFAULT_KEY_HEX, type SecretKey } from './password-crypto.js';
export { sampleSourceConfig, sampleTaskConfig } from './sample-configs.js';
export { redact, MASK } from './db-section.js';
