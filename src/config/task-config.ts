/**
 * DM's task configuration (`task.yaml`, the file `start-task` / `check-task` take): every key DM v5.3 accepts,
 * the deprecated aliases, and the keys later DM versions added, with DM's defaults and DM's validation
 * (`TaskConfig.adjust` plus the per-subtask checks of `SubTaskConfig.Adjust`) in DM's order and with DM's error
 * codes (class `config`, 20001–20048), each message naming the file, line and key.
 *
 * Invariants:
 * - The result is deeply frozen; keys are camelCase; named rule sets are null-prototype records.
 * - Every `mysql-instances[]` entry comes out resolved: rule names checked, `mydumper`/`loader`/`syncer`
 *   resolved from the named set or the inline block or the defaults, `*-thread` aliases applied.
 * - `targetDatabase.password` is the plaintext; printing the config shows `******`.
 */
import { z } from 'zod';
import type { DbConfig } from '../mysql/db-config.js';
import { E } from '../observability/error-catalogue.js';
import { addRedactedPrinting, dbSchema, deepFreeze, toDbConfig } from './db-section.js';
import { compileGoRegexp, isValidBinlogFilename, parseFileSize, parseGoDuration } from './go-compat.js';
import {
  baListSchema,
  columnMappingSchema,
  exprFilterSchema,
  filterSchema,
  findDuplicatePattern,
  routeSchema,
  toBlockAllowList,
  toColumnMapping,
  toExprFilter,
  toFilterRule,
  toRouteRule,
  validateBlockAllowList,
  validateColumnMapping,
  validateExprFilter,
  validateFilterRule,
  validateRouteRule,
  type BinlogEventRule,
  type BlockAllowListRule,
  type ColumnMappingRule,
  type ExpressionFilterRule,
  type RouteRule,
} from './rules.js';
import { MAX_SOURCE_ID_LENGTH, checkGtid } from './source-config.js';
import {
  ConfigProblems,
  ParsedYaml,
  decodeWith,
  parseYaml,
  readConfigFile,
  yBool,
  yEnum,
  yInt,
  yList,
  yObject,
  yRecord,
  yString,
  yStringList,
  type KeyPath,
} from './yaml-file.js';

export type TaskMode = 'full' | 'incremental' | 'all';
export type ShardMode = '' | 'pessimistic' | 'optimistic';

/** Precheck items (`ignore-checking-items` values): DM v5.3's plus the ones later versions added. */
export const CHECKING_ITEMS: readonly string[] = Object.freeze([
  'all', 'dump_privilege', 'replication_privilege', 'version', 'server_id', 'binlog_enable', 'binlog_format',
  'binlog_row_image', 'table_schema', 'schema_of_shard_tables', 'auto_increment_ID',
  'online_ddl', 'binlog_db', 'meta_position', 'conn_number', 'target_privilege', 'empty_region',
  'region_distribution', 'downstream_version', 'free_space', 'downstream_mutex_features',
]);

export const DEFAULT_SHADOW_TABLE_RULE = '^_(.+)_(?:new|gho)$';
export const DEFAULT_TRASH_TABLE_RULE = '^_(.+)_(?:ghc|del|old)$';

/** Dumpling's default statement size when `statement-size` is 0 (bytes). */
const DEFAULT_STATEMENT_SIZE = 1_000_000;
const DEFAULT_ROWS = 200_000;

export interface BinlogMeta {
  /** e.g. `mysql-bin.000001`; '' when only a GTID set is given. */
  readonly binlogName: string;
  /** Position in `binlogName`; 4 (the first event) when not set. */
  readonly binlogPos: number;
  readonly binlogGtid: string;
}

export interface MydumperConfig {
  /** Legacy (mydumper binary); unused by the Dumpling-style dump unit but must be non-empty in full/all. */
  readonly mydumperPath: string;
  readonly threads: number;
  /** `chunk-filesize` in MiB (DM's unit; fractional for sizes like 512KiB). */
  readonly chunkFilesize: number;
  readonly chunkFilesizeBytes: number;
  /** `chunk-filesize` as written (DM keeps the string). */
  readonly chunkFilesizeText: string;
  /** Max bytes of one INSERT statement. */
  readonly statementSize: number;
  /** Max rows per chunk (DM uses 200000 when 0). */
  readonly rows: number;
  readonly where: string;
  readonly skipTzUtc: boolean;
  readonly extraArgs: string;
}

export type ImportMode = 'logical' | 'physical';
export type OnDuplicate = 'replace' | 'error' | 'ignore';
export type PostOpLevel = 'required' | 'optional' | 'off';

export interface LoaderConfig {
  readonly poolSize: number;
  /** Dump output / load input directory; the subtask's has `.{task}` appended. */
  readonly dir: string;
  readonly importMode: ImportMode;
  /** `on-duplicate` (deprecated alias) or `on-duplicate-logical`. */
  readonly onDuplicateLogical: OnDuplicate;
  readonly onDuplicatePhysical: 'none' | 'manual';
  readonly sortingDirPhysical: string;
  readonly diskQuotaPhysical: string;
  readonly checksumPhysical: PostOpLevel;
  readonly analyze: PostOpLevel;
  readonly rangeConcurrency: number;
  readonly compressKvPairs: string;
  readonly pdAddr: string;
}

export interface SyncerConfig {
  readonly workerCount: number;
  readonly batch: number;
  readonly queueSize: number;
  /** Seconds. */
  readonly checkpointFlushInterval: number;
  readonly safeMode: boolean;
  /** Automatic safe mode after (re)start; default 2 × checkpoint-flush-interval. */
  readonly safeModeDurationMs: number;
  readonly compact: boolean;
  readonly multipleRows: boolean;
  /** Deprecated keys, kept as written. */
  readonly maxRetry: number;
  readonly enableGtid: boolean;
  readonly autoFixGtid: boolean;
  readonly disableDetect: boolean;
  readonly enableAnsiQuotes: boolean;
  readonly metaFile: string;
}

export interface ValidatorConfig {
  readonly mode: 'none' | 'fast' | 'full';
  readonly workerCount: number;
  readonly validateIntervalMs: number;
  readonly checkIntervalMs: number;
  readonly rowErrorDelayMs: number;
  readonly metaFlushIntervalMs: number;
  readonly batchQuerySize: number;
  readonly maxPendingRowSize: string;
  readonly maxPendingRowCount: number;
}

export interface MysqlInstanceConfig {
  readonly sourceId: string;
  readonly meta?: BinlogMeta | undefined;
  readonly routeRules: readonly string[];
  readonly filterRules: readonly string[];
  readonly columnMappingRules: readonly string[];
  readonly expressionFilters: readonly string[];
  /** `block-allow-list` (or the deprecated `black-white-list`); '' = no list. */
  readonly blockAllowList: string;
  readonly mydumperConfigName: string;
  readonly loaderConfigName: string;
  readonly syncerConfigName: string;
  readonly validatorConfigName: string;
  /** Resolved (named set, inline block or defaults; `mydumper-thread` applied). */
  readonly mydumper: MydumperConfig;
  /** Resolved (`loader-thread` applied); `dir` without the `.{task}` suffix. */
  readonly loader: LoaderConfig;
  /** Resolved (`syncer-thread` applied). */
  readonly syncer: SyncerConfig;
  readonly validator: ValidatorConfig;
}

export interface TidbExtraConfig {
  readonly statusPort: number;
  readonly pdAddr: string;
  readonly backend: '' | 'tidb' | 'local';
}

export interface TaskConfig {
  readonly fileName: string;
  readonly name: string;
  readonly taskMode: TaskMode;
  readonly shardMode: ShardMode;
  /** True when `is-sharding: true` or a shard mode is set. */
  readonly isSharding: boolean;
  readonly strictOptimisticShardMode: boolean;
  readonly metaSchema: string;
  readonly caseSensitive: boolean;
  readonly collationCompatible: 'loose' | 'strict';
  readonly onlineDdl: boolean;
  /** Deprecated `online-ddl-scheme` as written ('' | 'gh-ost' | 'pt'); any value turns `onlineDdl` on. */
  readonly onlineDdlScheme: string;
  /** Anchored (`^…$`) regexes, each with exactly one capture group (the real table name). */
  readonly shadowTableRules: readonly string[];
  readonly trashTableRules: readonly string[];
  readonly ignoreCheckingItems: readonly string[];
  readonly cleanDumpFile: boolean;
  readonly targetDatabase: DbConfig;
  readonly mysqlInstances: readonly MysqlInstanceConfig[];
  readonly routes: Readonly<Record<string, RouteRule>>;
  readonly filters: Readonly<Record<string, BinlogEventRule>>;
  /** `block-allow-list`, or `black-white-list` when `block-allow-list` is empty. */
  readonly blockAllowList: Readonly<Record<string, BlockAllowListRule>>;
  readonly expressionFilter: Readonly<Record<string, ExpressionFilterRule>>;
  readonly columnMappings: Readonly<Record<string, ColumnMappingRule>>;
  readonly mydumpers: Readonly<Record<string, MydumperConfig>>;
  readonly loaders: Readonly<Record<string, LoaderConfig>>;
  readonly syncers: Readonly<Record<string, SyncerConfig>>;
  readonly validators: Readonly<Record<string, ValidatorConfig>>;
  /** Deprecated: always false (DM 2.0+ forces heartbeat off). */
  readonly enableHeartbeat: false;
  readonly heartbeatUpdateInterval: number;
  readonly heartbeatReportInterval: number;
  /** Deprecated and ignored (DM detects the time zones); kept as written. */
  readonly timezone: string;
  /** Deprecated and ignored (DM detects ANSI_QUOTES). */
  readonly ansiQuotes: boolean;
  /** Deprecated: `start-task --remove-meta` replaces it; kept as written. */
  readonly removeMeta: boolean;
  readonly tidb?: TidbExtraConfig | undefined;
  readonly experimental: { readonly asyncCheckpointFlush: boolean };
  readonly mariadb2tidb?: { readonly mode: string; readonly enabledRules: readonly string[]; readonly disabledRules: readonly string[]; readonly strictMode: boolean } | undefined;
  /** Deprecated or ignored keys that were set, and what happens instead (DM logs these as warnings). */
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// Schema

const ci = { caseInsensitive: true } as const;

const mydumperSchema = yObject({
  'mydumper-path': yString(),
  threads: yInt(0),
  'chunk-filesize': yString(),
  'statement-size': yInt(0),
  rows: yInt(0),
  where: yString(),
  'skip-tz-utc': yBool(),
  'extra-args': yString(),
});

const loaderSchema = yObject({
  'pool-size': yInt(0),
  dir: yString(),
  'import-mode': yEnum(['logical', 'physical', 'sql', 'loader'], ci),
  'on-duplicate': yEnum(['replace', 'error', 'ignore'], ci),
  'on-duplicate-logical': yEnum(['replace', 'error', 'ignore'], ci),
  'on-duplicate-physical': yEnum(['none', 'manual'], ci),
  'sorting-dir-physical': yString(),
  'disk-quota-physical': yString(),
  'checksum-physical': yEnum(['required', 'optional', 'off'], ci),
  analyze: yEnum(['required', 'optional', 'off'], ci),
  'range-concurrency': yInt(0),
  'compress-kv-pairs': yString(),
  'pd-addr': yString(),
});

const syncerSchema = yObject({
  'meta-file': yString(),
  'worker-count': yInt(0),
  batch: yInt(0),
  'queue-size': yInt(0),
  'checkpoint-flush-interval': yInt(0),
  compact: yBool(),
  'multiple-rows': yBool(),
  'max-retry': yInt(0),
  'auto-fix-gtid': yBool(),
  'enable-gtid': yBool(),
  'disable-detect': yBool(),
  'safe-mode': yBool(),
  'safe-mode-duration': yString(),
  'enable-ansi-quotes': yBool(),
});

const validatorSchema = yObject({
  mode: yEnum(['none', 'fast', 'full'], ci),
  'worker-count': yInt(0),
  'validate-interval': yString(),
  'check-interval': yString(),
  'row-error-delay': yString(),
  'meta-flush-interval': yString(),
  'batch-query-size': yInt(0),
  'max-pending-row-size': yString(),
  'max-pending-row-count': yInt(0),
});

const instanceSchema = yObject({
  'source-id': yString(),
  meta: yObject({ 'binlog-name': yString(), 'binlog-pos': yInt(0, 0xffffffff), 'binlog-gtid': yString() }),
  'route-rules': yStringList(),
  'filter-rules': yStringList(),
  'column-mapping-rules': yStringList(),
  'expression-filters': yStringList(),
  'black-white-list': yString(),
  'block-allow-list': yString(),
  'mydumper-config-name': yString(),
  mydumper: mydumperSchema,
  'mydumper-thread': yInt(0),
  'loader-config-name': yString(),
  loader: loaderSchema,
  'loader-thread': yInt(0),
  'syncer-config-name': yString(),
  syncer: syncerSchema,
  'syncer-thread': yInt(0),
  'validator-config-name': yString(),
});

const taskSchema = yObject({
  name: yString(),
  'task-mode': yString(),
  'is-sharding': yBool(),
  'shard-mode': yString(),
  'strict-optimistic-shard-mode': yBool(),
  'ignore-checking-items': yStringList(),
  'meta-schema': yString(),
  'enable-heartbeat': yBool(),
  'heartbeat-update-interval': yInt(0),
  'heartbeat-report-interval': yInt(0),
  timezone: yString(),
  'case-sensitive': yBool(),
  collation_compatible: yEnum(['loose', 'strict'], ci),
  'target-database': dbSchema,
  'mysql-instances': yList(instanceSchema, 'mysql instances (mappings with source-id: ...)'),
  'online-ddl': yBool(),
  'online-ddl-scheme': yString(),
  'shadow-table-rules': yStringList(),
  'trash-table-rules': yStringList(),
  routes: yRecord(routeSchema, 'route rule names to rules'),
  filters: yRecord(filterSchema, 'filter rule names to rules'),
  'column-mappings': yRecord(columnMappingSchema, 'column mapping rule names to rules'),
  'expression-filter': yRecord(exprFilterSchema, 'expression filter names to filters'),
  'black-white-list': yRecord(baListSchema, 'list names to block-allow lists'),
  'block-allow-list': yRecord(baListSchema, 'list names to block-allow lists'),
  mydumpers: yRecord(mydumperSchema, 'config names to dump configs'),
  loaders: yRecord(loaderSchema, 'config names to load configs'),
  syncers: yRecord(syncerSchema, 'config names to sync configs'),
  validators: yRecord(validatorSchema, 'config names to validator configs'),
  'clean-dump-file': yBool(),
  'ansi-quotes': yBool(),
  'remove-meta': yBool(),
  tidb: yObject({ 'status-port': yInt(0, 65535), 'pd-addr': yString(), backend: yString() }),
  experimental: yObject({ 'async-checkpoint-flush': yBool() }),
  mariadb2tidb: yObject({ mode: yString(), 'enabled-rules': yStringList(), 'disabled-rules': yStringList(), 'strict-mode': yBool() }),
});

type RawTask = NonNullable<z.output<typeof taskSchema>>;
type RawInstance = NonNullable<NonNullable<RawTask['mysql-instances']>[number]>;
type RawMydumper = NonNullable<z.output<typeof mydumperSchema>>;
type RawLoader = NonNullable<z.output<typeof loaderSchema>>;
type RawSyncer = NonNullable<z.output<typeof syncerSchema>>;
type RawValidator = NonNullable<z.output<typeof validatorSchema>>;

// ---------------------------------------------------------------------------------------------------------
// Unit configs with DM's defaults

function mydumperConfig(r: RawMydumper | undefined, path: KeyPath, p: ConfigProblems): MydumperConfig {
  const text = r?.['chunk-filesize'] || '64';
  let bytes: number;
  try {
    bytes = parseFileSize(text);
  } catch (e) {
    throw p.error(E.ConfigInvalidChunkFileSize, [text], [...path, 'chunk-filesize'], { note: (e as Error).message.replace(/^"[^"]*" is not a size; /, '') });
  }
  return {
    mydumperPath: r?.['mydumper-path'] ?? './bin/mydumper',
    threads: r?.threads || 4,
    chunkFilesize: bytes / (1024 * 1024),
    chunkFilesizeBytes: bytes,
    chunkFilesizeText: text,
    statementSize: r?.['statement-size'] || DEFAULT_STATEMENT_SIZE,
    rows: r?.rows || DEFAULT_ROWS,
    where: r?.where ?? '',
    skipTzUtc: r?.['skip-tz-utc'] ?? true,
    extraArgs: r?.['extra-args'] ?? '',
  };
}

function loaderConfig(r: RawLoader | undefined): LoaderConfig {
  const mode = r?.['import-mode'];
  return {
    poolSize: r?.['pool-size'] || 16,
    dir: r?.dir || './dumped_data',
    // `sql` and `loader` are DM's deprecated names of the logical (SQL) import
    importMode: mode === 'physical' ? 'physical' : 'logical',
    onDuplicateLogical: r?.['on-duplicate-logical'] ?? r?.['on-duplicate'] ?? 'replace',
    onDuplicatePhysical: r?.['on-duplicate-physical'] ?? 'none',
    sortingDirPhysical: r?.['sorting-dir-physical'] ?? '',
    diskQuotaPhysical: r?.['disk-quota-physical'] ?? '',
    checksumPhysical: r?.['checksum-physical'] ?? 'required',
    analyze: r?.analyze ?? 'optional',
    rangeConcurrency: r?.['range-concurrency'] ?? 0,
    compressKvPairs: r?.['compress-kv-pairs'] ?? '',
    pdAddr: r?.['pd-addr'] ?? '',
  };
}

function durationMs(text: string | undefined, dflt: number, path: KeyPath, p: ConfigProblems): number {
  if (text === undefined || text === '') return dflt;
  try {
    const ms = parseGoDuration(text);
    if (ms < 0) throw new Error('a negative duration is not allowed');
    return ms;
  } catch (e) {
    throw p.invalid(path, `expected a duration: ${(e as Error).message.replace(/^"[^"]*" is not a duration; /, '')}`);
  }
}

function syncerConfig(r: RawSyncer | undefined, path: KeyPath, p: ConfigProblems): SyncerConfig {
  const flush = r?.['checkpoint-flush-interval'] || 30;
  const safeMode = r?.['safe-mode'] ?? false;
  const safeModeDurationMs = durationMs(r?.['safe-mode-duration'], 2 * flush * 1000, [...path, 'safe-mode-duration'], p);
  if (safeMode && safeModeDurationMs === 0 && r?.['safe-mode-duration']) {
    throw p.invalid([...path, 'safe-mode-duration'], 'safe-mode-duration 0 contradicts safe-mode: true (safe mode would never be on)');
  }
  return {
    workerCount: r?.['worker-count'] || 16,
    batch: r?.batch || 100,
    queueSize: r?.['queue-size'] || 1024,
    checkpointFlushInterval: flush,
    safeMode,
    safeModeDurationMs,
    compact: r?.compact ?? false,
    multipleRows: r?.['multiple-rows'] ?? false,
    maxRetry: r?.['max-retry'] ?? 0,
    enableGtid: r?.['enable-gtid'] ?? false,
    autoFixGtid: r?.['auto-fix-gtid'] ?? false,
    disableDetect: r?.['disable-detect'] ?? false,
    enableAnsiQuotes: r?.['enable-ansi-quotes'] ?? false,
    metaFile: r?.['meta-file'] ?? '',
  };
}

function validatorConfig(r: RawValidator | undefined, path: KeyPath, p: ConfigProblems): ValidatorConfig {
  const d = (key: 'validate-interval' | 'check-interval' | 'row-error-delay' | 'meta-flush-interval', dflt: number): number => durationMs(r?.[key], dflt, [...path, key], p);
  return {
    mode: r?.mode ?? 'none',
    workerCount: r?.['worker-count'] || 4,
    validateIntervalMs: d('validate-interval', 10_000),
    checkIntervalMs: d('check-interval', 5_000),
    rowErrorDelayMs: d('row-error-delay', 30 * 60_000),
    metaFlushIntervalMs: d('meta-flush-interval', 5 * 60_000),
    batchQuerySize: r?.['batch-query-size'] || 100,
    maxPendingRowSize: r?.['max-pending-row-size'] || '500m',
    maxPendingRowCount: r?.['max-pending-row-count'] || 2_147_483_647,
  };
}

function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function has(rec: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(rec, key);
}

/** DM's online-DDL rule adjustment: anchor with ^…$, compile, exactly one capture group (20048). */
function onlineDdlRules(kind: 'shadow-table-rules' | 'trash-table-rules', rules: readonly string[] | undefined, dflt: string, p: ConfigProblems): string[] {
  if (!rules || rules.length === 0) return [dflt];
  return rules.map((r, i) => {
    let anchored = r.startsWith('^') ? r : `^${r}`;
    if (!anchored.endsWith('$')) anchored += '$';
    let groups: number;
    try {
      groups = compileGoRegexp(anchored).captureGroups;
    } catch (e) {
      throw p.error(E.ConfigOnlineDDLInvalidRegex, [kind, anchored, `fail to compile: ${(e as Error).message}`], [kind, i]);
    }
    if (groups !== 1) throw p.error(E.ConfigOnlineDDLInvalidRegex, [kind, anchored, "rule isn't contains exactly one submatch"], [kind, i]);
    return anchored;
  });
}

// ---------------------------------------------------------------------------------------------------------

/** Reads and parses a task.yaml file. */
export function loadTaskConfig(path: string): TaskConfig {
  return parseTaskConfig(readConfigFile(path), path);
}

/** Parses task.yaml text; `fileName` is used in messages only. */
export function parseTaskConfig(text: string, fileName: string): TaskConfig {
  const parsed = parseYaml(text, fileName);
  const raw: RawTask = decodeWith(parsed, taskSchema, 'task') ?? {};
  const p = new ConfigProblems(parsed);
  const warnings: string[] = [];

  // --- top-level keys, in DM's order
  const name = raw.name ?? '';
  if (!name) throw p.error(E.ConfigNeedUniqueTaskName, [], ['name']);

  const taskMode = raw['task-mode'] ?? '';
  if (taskMode !== 'full' && taskMode !== 'incremental' && taskMode !== 'all') {
    throw p.error(E.ConfigInvalidTaskMode, [], ['task-mode'], { value: true });
  }

  let shardMode = raw['shard-mode'] ?? '';
  if (shardMode !== '' && shardMode !== 'pessimistic' && shardMode !== 'optimistic') {
    throw p.error(E.ConfigShardModeNotSupport, [shardMode], ['shard-mode']);
  }
  const isShardingKey = raw['is-sharding'] ?? false;
  if (shardMode === '' && isShardingKey) {
    shardMode = 'pessimistic'; // DM's backward-compatible meaning of the deprecated `is-sharding: true`
    warnings.push('`is-sharding` is deprecated; `is-sharding: true` without `shard-mode` means `shard-mode: pessimistic`');
  }
  const strictOptimistic = raw['strict-optimistic-shard-mode'] ?? false;
  if (strictOptimistic && shardMode !== 'optimistic') warnings.push('`strict-optimistic-shard-mode` only has an effect with `shard-mode: optimistic`');

  const ignoreCheckingItems = raw['ignore-checking-items'] ?? [];
  ignoreCheckingItems.forEach((item, i) => {
    if (!CHECKING_ITEMS.includes(item)) {
      throw p.error(E.ConfigCheckItemNotSupport, [item, `supported items: ${CHECKING_ITEMS.join(', ')}`], ['ignore-checking-items', i]);
    }
  });

  const onlineDdlScheme = raw['online-ddl-scheme'] ?? '';
  let onlineDdl = raw['online-ddl'] ?? false;
  if (onlineDdlScheme !== '') {
    if (onlineDdlScheme !== 'gh-ost' && onlineDdlScheme !== 'pt') throw p.error(E.ConfigOnlineSchemeNotSupport, [onlineDdlScheme], ['online-ddl-scheme']);
    onlineDdl = true;
    warnings.push("'online-ddl-scheme' will be deprecated soon. Recommend that use online-ddl instead of online-ddl-scheme.");
  }

  if (raw['target-database'] === undefined) throw p.error(E.ConfigNeedTargetDB, [], ['target-database']);
  const targetDatabase = toDbConfig(raw['target-database'], ['target-database'], p);

  const rawInstances = raw['mysql-instances'] ?? [];
  if (rawInstances.length === 0) throw p.error(E.ConfigMySQLInstsAtLeastOne, [], ['mysql-instances']);

  // --- named rule sets
  const expressionFilter = nullRecord<ExpressionFilterRule>();
  for (const [n, r] of Object.entries(raw['expression-filter'] ?? {})) {
    const rule = toExprFilter(n, r);
    validateExprFilter(rule, ['expression-filter', n], p);
    expressionFilter[n] = rule;
  }
  const routes = nullRecord<RouteRule>();
  for (const [n, r] of Object.entries(raw.routes ?? {})) routes[n] = toRouteRule(n, r);
  const filters = nullRecord<BinlogEventRule>();
  for (const [n, r] of Object.entries(raw.filters ?? {})) filters[n] = toFilterRule(n, r);
  const columnMappings = nullRecord<ColumnMappingRule>();
  for (const [n, r] of Object.entries(raw['column-mappings'] ?? {})) columnMappings[n] = toColumnMapping(n, r);
  // `black-white-list` is the pre-v2.0.0 name, used only when `block-allow-list` is empty
  const bwRaw = raw['black-white-list'] ?? {};
  const baRaw = raw['block-allow-list'] ?? {};
  const useBw = Object.keys(baRaw).length === 0 && Object.keys(bwRaw).length > 0;
  const baKey = useBw ? 'black-white-list' : 'block-allow-list';
  if (Object.keys(bwRaw).length > 0) {
    warnings.push(useBw ? '`black-white-list` is deprecated; rename it to `block-allow-list`' : '`black-white-list` is ignored because `block-allow-list` is set');
  }
  const blockAllowList = nullRecord<BlockAllowListRule>();
  for (const [n, r] of Object.entries(useBw ? bwRaw : baRaw)) blockAllowList[n] = toBlockAllowList(n, r);
  const mydumpers = nullRecord<MydumperConfig>();
  for (const [n, r] of Object.entries(raw.mydumpers ?? {})) mydumpers[n] = mydumperConfig(r, ['mydumpers', n], p);
  const loaders = nullRecord<LoaderConfig>();
  for (const [n, r] of Object.entries(raw.loaders ?? {})) loaders[n] = loaderConfig(r);
  const syncers = nullRecord<SyncerConfig>();
  for (const [n, r] of Object.entries(raw.syncers ?? {})) syncers[n] = syncerConfig(r, ['syncers', n], p);
  const validators = nullRecord<ValidatorConfig>();
  for (const [n, r] of Object.entries(raw.validators ?? {})) validators[n] = validatorConfig(r, ['validators', n], p);

  // --- mysql-instances (DM's MySQLInstance.VerifyAndAdjust and the reference checks)
  const sourceIndex = new Map<string, number>();
  const refCount = new Map<string, number>(); // "<kind>\0<name>"
  const ref = (kind: string, n: string): void => void refCount.set(`${kind}\0${n}`, (refCount.get(`${kind}\0${n}`) ?? 0) + 1);
  const duplicates: string[] = [];
  const mysqlInstances = rawInstances.map((inst: RawInstance | undefined, i): MysqlInstanceConfig => {
    const at = (...keys: (string | number)[]): KeyPath => ['mysql-instances', i, ...keys];
    if (!inst) throw p.error(E.ConfigMySQLInstNotFound, [], at());
    const sourceId = inst['source-id'] ?? '';
    if (!sourceId) throw p.error(E.ConfigEmptySourceID, [], at('source-id'));
    if (sourceId.length > MAX_SOURCE_ID_LENGTH) throw p.error(E.ConfigTooLongSourceID, [], at('source-id'), { value: true, note: `at most ${MAX_SOURCE_ID_LENGTH} characters` });

    const rawMeta = inst.meta;
    let meta: BinlogMeta | undefined;
    if (rawMeta) {
      const binlogName = rawMeta['binlog-name'] ?? '';
      const binlogGtid = rawMeta['binlog-gtid'] ?? '';
      if (!binlogName && !binlogGtid) throw p.error(E.ConfigMetaInvalid, [], at('meta'));
      const pos = rawMeta['binlog-pos'] ?? 0;
      // only incremental tasks use meta (full/all ignore it, as DM does), so only then is its content checked
      if (taskMode === 'incremental') {
        if (binlogName && !isValidBinlogFilename(binlogName)) throw p.invalid(at('meta', 'binlog-name'), 'expected a binlog file name <base>.<positive number>, e.g. mysql-bin.000001');
        if (pos > 0 && pos < 4) throw p.invalid(at('meta', 'binlog-pos'), 'expected a binlog position >= 4 (4 is the first event of a file; 0 or unset means 4)');
        if (binlogGtid) checkGtid(binlogGtid, undefined, p, at('meta', 'binlog-gtid'));
      }
      meta = { binlogName, binlogPos: pos || 4, binlogGtid };
    }

    if (inst['mydumper-config-name'] && inst.mydumper) throw p.error(E.ConfigMydumperCfgConflict, [], at('mydumper'));
    if (inst['loader-config-name'] && inst.loader) throw p.error(E.ConfigLoaderCfgConflict, [], at('loader'));
    if (inst['syncer-config-name'] && inst.syncer) throw p.error(E.ConfigSyncerCfgConflict, [], at('syncer'));

    const baName = inst['block-allow-list'] || inst['black-white-list'] || '';
    if (inst['black-white-list']) {
      warnings.push(
        inst['block-allow-list'] && inst['block-allow-list'] !== inst['black-white-list']
          ? `mysql-instances[${i}]: \`black-white-list\` is ignored because \`block-allow-list\` is set`
          : `mysql-instances[${i}]: \`black-white-list\` is deprecated; rename it to \`block-allow-list\``,
      );
    }

    const prev = sourceIndex.get(sourceId);
    if (prev !== undefined) throw p.error(E.ConfigMySQLInstSameSourceID, [prev, i, sourceId], at('source-id'));
    sourceIndex.set(sourceId, i);

    if (taskMode === 'incremental') {
      if (!meta) throw p.error(E.ConfigMetadataNotSet, [i, taskMode], at(), { note: 'add meta: {binlog-name: ..., binlog-pos: ...} or meta: {binlog-gtid: ...}' });
    } else if (meta) {
      warnings.push(`mysql-instances[${i}]: meta is not used in task-mode ${taskMode} (full: no incremental replication; all: the dump's position is used)`);
    }

    const routeRules = inst['route-rules'] ?? [];
    routeRules.forEach((n, j) => {
      if (!has(routes, n)) throw p.error(E.ConfigRouteRuleNotFound, [i, n], at('route-rules', j));
      ref('routes', n);
    });
    const filterRules = inst['filter-rules'] ?? [];
    filterRules.forEach((n, j) => {
      if (!has(filters, n)) throw p.error(E.ConfigFilterRuleNotFound, [i, n], at('filter-rules', j));
      ref('filters', n);
    });
    const columnMappingRules = inst['column-mapping-rules'] ?? [];
    columnMappingRules.forEach((n, j) => {
      if (!has(columnMappings, n)) throw p.error(E.ConfigColumnMappingNotFound, [i, n], at('column-mapping-rules', j));
      ref('column-mappings', n);
    });
    if (baName && !has(blockAllowList, baName)) {
      throw p.error(E.ConfigBAListNotFound, [i, baName], at(inst['block-allow-list'] ? 'block-allow-list' : 'black-white-list'));
    }

    const dumpName = inst['mydumper-config-name'] ?? '';
    let mydumper: MydumperConfig;
    if (dumpName) {
      const named = mydumpers[dumpName];
      if (!named) throw p.error(E.ConfigMydumperCfgNotFound, [i, dumpName], at('mydumper-config-name'));
      ref('mydumpers', dumpName);
      mydumper = named;
    } else if (inst.mydumper) {
      mydumper = mydumperConfig(inst.mydumper, at('mydumper'), p);
    } else {
      if (Object.keys(mydumpers).length > 0) warnings.push(`mysql-instances[${i}] (${sourceId}) doesn't refer to a mydumpers config with mydumper-config-name; the default configuration is used`);
      mydumper = mydumperConfig(undefined, at(), p);
    }
    if (inst['mydumper-thread']) mydumper = { ...mydumper, threads: inst['mydumper-thread'] };
    if ((taskMode === 'full' || taskMode === 'all') && !mydumper.mydumperPath) {
      throw p.error(E.ConfigMydumperPathNotValid, [i], dumpName ? ['mydumpers', dumpName, 'mydumper-path'] : at('mydumper', 'mydumper-path'));
    }

    const loadName = inst['loader-config-name'] ?? '';
    let loader: LoaderConfig;
    if (loadName) {
      const named = loaders[loadName];
      if (!named) throw p.error(E.ConfigLoaderCfgNotFound, [i, loadName], at('loader-config-name'));
      ref('loaders', loadName);
      loader = named;
    } else {
      if (!inst.loader && Object.keys(loaders).length > 0) warnings.push(`mysql-instances[${i}] (${sourceId}) doesn't refer to a loaders config with loader-config-name; the default configuration is used`);
      loader = loaderConfig(inst.loader);
    }
    if (inst['loader-thread']) loader = { ...loader, poolSize: inst['loader-thread'] };

    const syncName = inst['syncer-config-name'] ?? '';
    let syncer: SyncerConfig;
    if (syncName) {
      const named = syncers[syncName];
      if (!named) throw p.error(E.ConfigSyncerCfgNotFound, [i, syncName], at('syncer-config-name'));
      ref('syncers', syncName);
      syncer = named;
    } else {
      if (!inst.syncer && Object.keys(syncers).length > 0) warnings.push(`mysql-instances[${i}] (${sourceId}) doesn't refer to a syncers config with syncer-config-name; the default configuration is used`);
      syncer = syncerConfig(inst.syncer, at('syncer'), p);
    }
    if (inst['syncer-thread']) syncer = { ...syncer, workerCount: inst['syncer-thread'] };
    if (syncer.enableAnsiQuotes) warnings.push('DM could discover proper ANSI_QUOTES, `enable-ansi-quotes` is no longer take effect');
    if (syncer.disableDetect) warnings.push('`disable-detect` is no longer take effect');

    const expressionFilters = inst['expression-filters'] ?? [];
    expressionFilters.forEach((n, j) => {
      if (!has(expressionFilter, n)) throw p.error(E.ConfigExprFilterNotFound, [i, n], at('expression-filters', j));
      ref('expression-filter', n);
    });

    const validatorName = inst['validator-config-name'] ?? '';
    let validator = validatorConfig(undefined, at(), p);
    if (validatorName) {
      const named = validators[validatorName];
      if (!named) throw p.invalid(at('validator-config-name'), `no validator config named "${validatorName}" in validators`);
      ref('validators', validatorName);
      validator = named;
    }

    const lists = [
      ['route-rules', routeRules],
      ['filter-rules', filterRules],
      ['column-mapping-rules', columnMappingRules],
      ['expression-filters', expressionFilters],
    ] as const;
    for (const [key, list] of lists) {
      const dupes = [...new Set(list.filter((n, j) => list.indexOf(n) !== j))];
      if (dupes.length > 0) duplicates.push(`mysql-instance(${i})'s ${key}: ${dupes.join(', ')}`);
    }

    return {
      sourceId,
      meta,
      routeRules: [...routeRules],
      filterRules: [...filterRules],
      columnMappingRules: [...columnMappingRules],
      expressionFilters: [...expressionFilters],
      blockAllowList: baName,
      mydumperConfigName: dumpName,
      loaderConfigName: loadName,
      syncerConfigName: syncName,
      validatorConfigName: validatorName,
      mydumper,
      loader,
      syncer,
      validator,
    };
  });
  if (duplicates.length > 0) throw p.error(E.ConfigDuplicateCfgItem, [duplicates.join('\n')], ['mysql-instances']);

  // --- global rule sets nobody uses (DM does not count block-allow lists here)
  const unused: string[] = [];
  const sets: [string, Readonly<Record<string, unknown>>][] = [
    ['routes', routes],
    ['filters', filters],
    ['column-mappings', columnMappings],
    ['mydumpers', mydumpers],
    ['loaders', loaders],
    ['syncers', syncers],
    ['expression-filter', expressionFilter],
    ['validators', validators],
  ];
  for (const [kind, set] of sets) for (const n of Object.keys(set)) if (!refCount.get(`${kind}\0${n}`)) unused.push(n);
  if (unused.length > 0) {
    unused.sort();
    throw p.error(E.ConfigGlobalConfigsUnused, [`[${unused.join(' ')}]`], undefined, { note: 'reference them from a mysql-instances entry or remove them' });
  }

  // --- deprecated keys
  if (raw.timezone) warnings.push('`timezone` is deprecated and useless anymore, please remove it.');
  if (raw['remove-meta']) warnings.push('`remove-meta` in task config is deprecated, please use `start-task ... --remove-meta` instead');
  const hbUpdate = raw['heartbeat-update-interval'] ?? 1;
  const hbReport = raw['heartbeat-report-interval'] ?? 10;
  if (raw['enable-heartbeat'] || hbUpdate !== 1 || hbReport !== 10) warnings.push('heartbeat is deprecated, needn\'t set it anymore.');
  if (raw['ansi-quotes']) warnings.push('`ansi-quotes` is deprecated: DM detects ANSI_QUOTES from the upstream sql_mode');

  // --- what DM checks when it builds each subtask
  const caseSensitive = raw['case-sensitive'] ?? false;
  const shadowTableRules = onlineDdlRules('shadow-table-rules', raw['shadow-table-rules'], DEFAULT_SHADOW_TABLE_RULE, p);
  const trashTableRules = onlineDdlRules('trash-table-rules', raw['trash-table-rules'], DEFAULT_TRASH_TABLE_RULE, p);
  for (const r of Object.values(routes)) validateRouteRule(r, ['routes', r.name], p);
  for (const r of Object.values(filters)) validateFilterRule(r, ['filters', r.name], p);
  for (const r of Object.values(blockAllowList)) validateBlockAllowList(r, [baKey, r.name], p, caseSensitive);
  for (const r of Object.values(columnMappings)) validateColumnMapping(r, ['column-mappings', r.name], p);
  mysqlInstances.forEach((inst, i) => checkInstanceRuleSets(inst, i, { routes, filters }, caseSensitive, p));

  let tidb: TidbExtraConfig | undefined;
  if (raw.tidb) {
    const backend = raw.tidb.backend ?? '';
    if (backend !== '' && backend !== 'tidb' && backend !== 'local') throw p.error(E.LoadBackendNotSupport, [backend], ['tidb', 'backend']);
    tidb = { statusPort: raw.tidb['status-port'] ?? 0, pdAddr: raw.tidb['pd-addr'] ?? '', backend };
  }

  const cfg: TaskConfig = {
    fileName,
    name,
    taskMode,
    shardMode: shardMode as ShardMode,
    isSharding: isShardingKey || shardMode !== '',
    strictOptimisticShardMode: strictOptimistic,
    metaSchema: raw['meta-schema'] || 'dm_meta',
    caseSensitive,
    collationCompatible: raw.collation_compatible ?? 'loose',
    onlineDdl,
    onlineDdlScheme,
    shadowTableRules,
    trashTableRules,
    ignoreCheckingItems: [...ignoreCheckingItems],
    cleanDumpFile: raw['clean-dump-file'] ?? true,
    targetDatabase,
    mysqlInstances,
    routes,
    filters,
    blockAllowList,
    expressionFilter,
    columnMappings,
    mydumpers,
    loaders,
    syncers,
    validators,
    enableHeartbeat: false,
    heartbeatUpdateInterval: hbUpdate,
    heartbeatReportInterval: hbReport,
    timezone: raw.timezone ?? '',
    ansiQuotes: raw['ansi-quotes'] ?? false,
    removeMeta: raw['remove-meta'] ?? false,
    tidb,
    experimental: { asyncCheckpointFlush: raw.experimental?.['async-checkpoint-flush'] ?? false },
    mariadb2tidb: raw.mariadb2tidb
      ? {
          mode: raw.mariadb2tidb.mode || 'auto',
          enabledRules: [...(raw.mariadb2tidb['enabled-rules'] ?? [])],
          disabledRules: [...(raw.mariadb2tidb['disabled-rules'] ?? [])],
          strictMode: raw.mariadb2tidb['strict-mode'] ?? false,
        }
      : undefined,
    warnings,
  };
  addRedactedPrinting(cfg);
  const frozen = deepFreeze(cfg);
  problemsByTask.set(frozen, p);
  return frozen;
}

/** Where each parsed task came from, so later checks (subtask derivation) can point at lines too. */
const problemsByTask = new WeakMap<TaskConfig, ConfigProblems>();

/** The problem reporter of a parsed task (one without file positions for a hand-built TaskConfig). */
export function taskProblems(task: TaskConfig): ConfigProblems {
  return problemsByTask.get(task) ?? new ConfigProblems(new ParsedYaml(task.fileName, undefined, new Map()));
}

/**
 * The rule-set checks DM runs per subtask: within one instance, two routes (or two filters) with the same
 * schema/table patterns collide in DM's rule trie (20045 / 20037). `extraFilters` are the source's own filters,
 * checked by {@link deriveSubtasks}.
 */
export function checkInstanceRuleSets(
  inst: MysqlInstanceConfig,
  index: number,
  sets: { readonly routes: Readonly<Record<string, RouteRule>>; readonly filters: Readonly<Record<string, BinlogEventRule>> },
  caseSensitive: boolean,
  p: ConfigProblems,
): void {
  const routeRules = inst.routeRules.flatMap((n) => sets.routes[n] ?? []);
  const rd = findDuplicatePattern(routeRules, caseSensitive);
  if (rd) {
    throw p.error(E.ConfigGenTableRouter, [`routes ${rd[0].name} and ${rd[1].name} have the same schema-pattern/table-pattern ${rd[1].schemaPattern}.${rd[1].tablePattern} (already exists)`], ['mysql-instances', index, 'route-rules', inst.routeRules.indexOf(rd[1].name)]);
  }
  const filterRules = inst.filterRules.flatMap((n) => sets.filters[n] ?? []);
  const fd = findDuplicatePattern(filterRules, caseSensitive);
  if (fd) {
    throw p.error(E.ConfigBinlogEventFilter, [`filters ${fd[0].name} and ${fd[1].name} have the same schema-pattern/table-pattern ${fd[1].schemaPattern}.${fd[1].tablePattern} (already exists)`], ['mysql-instances', index, 'filter-rules', inst.filterRules.indexOf(fd[1].name)]);
  }
}
