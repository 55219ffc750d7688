/**
 * The error catalogue: every coded error dm-ts raises, with DM's code, class, scope, level and workaround
 * (DM v5.3's code where DM has one). `docs/errors.md` is generated from this file.
 * Add new entries here; never build an ErrorDef anywhere else.
 */
import type { ErrorDef } from './dm-error.js';

function def(code: number, name: string, cls: ErrorDef['cls'], scope: ErrorDef['scope'], level: ErrorDef['level'], message: string, workaround = ''): ErrorDef {
  return Object.freeze({ code, name, cls, scope, level, message, workaround });
}

export const E = Object.freeze({
  // class database
  DBDriverError: def(10001, 'DBDriverError', 'database', 'not-set', 'high', 'database driver error: %s', 'Please check the database connection and the database config in configuration file.'),
  DBQueryFailed: def(10005, 'DBQueryFailed', 'database', 'not-set', 'high', 'query statement failed: %s'),
  DBExecuteFailed: def(10006, 'DBExecuteFailed', 'database', 'downstream', 'high', 'execute statement failed: %s', 'Please check the statement and the error the downstream returned for it; after fixing the cause, resume the task (the load unit resumes from its checkpoint).'),

  // class functional (binlog decoding, GTID)
  ParseGTID: def(11009, 'ParseGTID', 'functional', 'internal', 'high', 'parse GTID %s'),
  NotSupportedFlavor: def(11010, 'NotSupportedFlavor', 'functional', 'internal', 'high', 'flavor %s not supported', 'Please check `flavor` config in source configuration file.'),
  NotUUIDString: def(11013, 'NotUUIDString', 'functional', 'internal', 'high', '%s is not UUID string'),
  ParseMydumperMeta: def(11001, 'ParseMydumperMeta', 'functional', 'internal', 'high', 'parse mydumper metadata error: %s, metadata: %s', 'Please check the `metadata` file in the dump directory; an empty binlog position usually means the dump account lacks privileges (REPLICATION CLIENT).'),
  BinlogFileNotValid: def(11027, 'BinlogFileNotValid', 'functional', 'internal', 'high', 'binlog file %s not valid: %s', 'Please check that the file is a MySQL/MariaDB binary log (it starts with the magic bytes fe 62 69 6e).'),
  GenTableRouter: def(11043, 'GenTableRouter', 'functional', 'internal', 'high', 'generate table router: %s', 'Please check `routes` config in task configuration file.'),
  EncryptSecretKeyNotValid: def(11044, 'EncryptSecretKeyNotValid', 'functional', 'internal', 'high', "key size should be 16, 24 or 32, but input key's size is %s"),
  CiphertextLenNotValid: def(11047, 'CiphertextLenNotValid', 'functional', 'internal', 'high', "ciphertext's length should be greater than %s, but got %s not valid"),
  CiphertextContextNotValid: def(11048, 'CiphertextContextNotValid', 'functional', 'internal', 'high', "ciphertext's content not valid"),
  InvalidBinlogPosStr: def(11049, 'InvalidBinlogPosStr', 'functional', 'internal', 'high', 'invalid mysql position string: %s'),
  EncCipherTextBase64Decode: def(11050, 'EncCipherTextBase64Decode', 'functional', 'internal', 'high', 'decode base64 encoded password %s'),
  BinlogEventDecode: def(11054, 'BinlogEventDecode', 'functional', 'internal', 'high', 'decode %s', 'Please check if the binlog file could be parsed by `mysqlbinlog`; a corrupt or truncated event cannot be replicated.'),
  BinlogGTIDMySQLNotValid: def(11059, 'BinlogGTIDMySQLNotValid', 'functional', 'internal', 'high', 'GTID set string %s for MySQL not valid'),
  BinlogGTIDMariaDBNotValid: def(11060, 'BinlogGTIDMariaDBNotValid', 'functional', 'internal', 'high', 'GTID set string %s for MariaDB not valid'),
  BinlogExpectTableMapEv: def(11068, 'BinlogExpectTableMapEv', 'functional', 'internal', 'high', 'expect TableMapEvent, but got %s'),
  BinlogEventTypeNotValid: def(11072, 'BinlogEventTypeNotValid', 'functional', 'internal', 'high', 'event type %s not valid'),
  BinlogColumnTypeNotSupport: def(11076, 'BinlogColumnTypeNotSupport', 'functional', 'internal', 'high', 'column type %s in binlog not supported'),
  BinlogStatusVarsParse: def(11117, 'BinlogStatusVarsParse', 'functional', 'internal', 'medium', 'fail to parse binglog status_vars: %s, offset: %s'),
  MetadataNoBinlogLoc: def(11123, 'MetadataNoBinlogLoc', 'functional', 'upstream', 'low', "didn't found binlog location in dumped metadata file %s", 'Please check log of dump unit, there maybe errors when read upstream binlog status; the dump account needs the REPLICATION CLIENT (BINLOG MONITOR on MariaDB) privilege.'),
  NoMasterStatus: def(11125, 'NoMasterStatus', 'functional', 'upstream', 'medium', 'upstream returns an empty result for SHOW MASTER STATUS', 'Please check the upstream settings like privileges, RDS settings to read data from SHOW MASTER STATUS.'),
  LoadBackendNotSupport: def(34019, 'LoadBackendNotSupport', 'functional', 'internal', 'high', 'DM do not support backend %s ', 'If you do not understand the configure `tidb.backend` you can just delete it.'),
  LoadTaskCheckPointNotMatch: def(34018, 'LoadTaskCheckPointNotMatch', 'functional', 'internal', 'high', 'inconsistent checkpoints between loader and target database: %s', 'If you want to redo the whole task, please check that you have not forgotten to add -remove-meta flag for start-task command.'),

  // class binlog-op
  BinlogNotLogColumn: def(11126, 'BinlogNotLogColumn', 'binlog-op', 'upstream', 'high', "upstream didn't log enough columns in binlog", 'Please check if session `binlog_row_image` variable is not FULL, restart task to the location from where FULL `binlog_row_image` is used.'),

  // class config
  ConfigCheckItemNotSupport: def(20001, 'ConfigCheckItemNotSupport', 'config', 'internal', 'medium', 'checking item %s is not supported\n%s', 'Please check `ignore-checking-items` config in task configuration file, which can be set including `all`/`dump_privilege`/`replication_privilege`/`version`/`binlog_enable`/`binlog_format`/`binlog_row_image`/`table_schema`/`schema_of_shard_tables`/`auto_increment_ID`.'),
  ConfigYamlTransform: def(20003, 'ConfigYamlTransform', 'config', 'internal', 'medium', '%s', 'Please check the configuration file has correct YAML format.'),
  ConfigTaskNameEmpty: def(20004, 'ConfigTaskNameEmpty', 'config', 'internal', 'medium', 'task name should not be empty', 'Please check the `name` config in task configuration file.'),
  ConfigEmptySourceID: def(20005, 'ConfigEmptySourceID', 'config', 'internal', 'medium', 'empty source-id not valid', 'Please check the `source-id` config in configuration file.'),
  ConfigTooLongSourceID: def(20006, 'ConfigTooLongSourceID', 'config', 'internal', 'medium', 'too long source-id not valid', 'Please check the `source-id` config in configuration file. The max source id length is 32.'),
  ConfigOnlineSchemeNotSupport: def(20007, 'ConfigOnlineSchemeNotSupport', 'config', 'internal', 'medium', 'online scheme %s not supported', 'Please check the `online-ddl-scheme` config in task configuration file. Only `ghost` and `pt` are currently supported.'),
  ConfigInvalidTimezone: def(20008, 'ConfigInvalidTimezone', 'config', 'internal', 'medium', 'invalid timezone string: %s', 'Please check the `timezone` config in task configuration file.'),
  ConfigMetaInvalid: def(20011, 'ConfigMetaInvalid', 'config', 'internal', 'medium', 'must specify `binlog-name` without GTID enabled for the source or specify `binlog-gtid` with GTID enabled for the source', 'Please check the `meta` config in task configuration file.'),
  ConfigMySQLInstNotFound: def(20012, 'ConfigMySQLInstNotFound', 'config', 'internal', 'medium', 'mysql instance config must specify', 'Please check the `mysql-instances` config in task configuration file.'),
  ConfigMySQLInstsAtLeastOne: def(20013, 'ConfigMySQLInstsAtLeastOne', 'config', 'internal', 'medium', 'must specify at least one mysql-instances', 'Please check the `mysql-instances` config in task configuration file.'),
  ConfigMySQLInstSameSourceID: def(20014, 'ConfigMySQLInstSameSourceID', 'config', 'internal', 'medium', 'mysql-instance (%s) and (%s) have same source-id (%s)', 'Please check the `mysql-instances` config in task configuration file.'),
  ConfigMydumperCfgConflict: def(20015, 'ConfigMydumperCfgConflict', 'config', 'internal', 'medium', 'mydumper-config-name and mydumper should only specify one', 'Please check the `mydumper-config-name` and `mydumper` config in task configuration file.'),
  ConfigLoaderCfgConflict: def(20016, 'ConfigLoaderCfgConflict', 'config', 'internal', 'medium', 'loader-config-name and loader should only specify one', 'Please check the `loader-config-name` and `loader` config in task configuration file.'),
  ConfigSyncerCfgConflict: def(20017, 'ConfigSyncerCfgConflict', 'config', 'internal', 'medium', 'syncer-config-name and syncer should only specify one', 'Please check the `syncer-config-name` and `syncer` config in task configuration file.'),
  ConfigReadCfgFromFile: def(20018, 'ConfigReadCfgFromFile', 'config', 'internal', 'medium', 'read config file %s'),
  ConfigNeedUniqueTaskName: def(20019, 'ConfigNeedUniqueTaskName', 'config', 'internal', 'medium', 'must specify a unique task name', 'Please check the `name` config in task configuration file.'),
  ConfigInvalidTaskMode: def(20020, 'ConfigInvalidTaskMode', 'config', 'internal', 'medium', 'please specify right task-mode, support `full`, `incremental`, `all`', 'Please check the `task-mode` config in task configuration file.'),
  ConfigNeedTargetDB: def(20021, 'ConfigNeedTargetDB', 'config', 'internal', 'medium', 'must specify target-database', 'Please check the `target-database` config in task configuration file.'),
  ConfigMetadataNotSet: def(20022, 'ConfigMetadataNotSet', 'config', 'internal', 'medium', 'mysql-instance(%s) must set meta for task-mode %s', 'Please check the `meta` config in task configuration file.'),
  ConfigRouteRuleNotFound: def(20023, 'ConfigRouteRuleNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s route-rules %s not exist in routes", 'Please check the `route-rules` config in task configuration file.'),
  ConfigFilterRuleNotFound: def(20024, 'ConfigFilterRuleNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s filter-rules %s not exist in filters", 'Please check the `filter-rules` config in task configuration file.'),
  ConfigColumnMappingNotFound: def(20025, 'ConfigColumnMappingNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s column-mapping-rules %s not exist in column-mapping", 'Please check the `column-mapping-rules` config in task configuration file.'),
  ConfigBAListNotFound: def(20026, 'ConfigBAListNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s list %s not exist in block allow list", 'Please check the `block-allow-list` config in task configuration file.'),
  ConfigMydumperCfgNotFound: def(20027, 'ConfigMydumperCfgNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s mydumper config %s not exist in mydumpers", 'Please check the `mydumper-config-name` config in task configuration file.'),
  ConfigMydumperPathNotValid: def(20028, 'ConfigMydumperPathNotValid', 'config', 'internal', 'medium', "mysql-instance(%s)'s mydumper-path must specify a valid path to mydumper binary when task-mode is all or full", 'Please check the `mydumper-path` config in task configuration file.'),
  ConfigLoaderCfgNotFound: def(20029, 'ConfigLoaderCfgNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s loader config %s not exist in loaders", 'Please check the `loader-config-name` config in task configuration file.'),
  ConfigSyncerCfgNotFound: def(20030, 'ConfigSyncerCfgNotFound', 'config', 'internal', 'medium', "mysql-instance(%s)'s syncer config %s not exist in syncer", 'Please check the `syncer-config-name` config in task configuration file.'),
  ConfigSourceIDNotFound: def(20031, 'ConfigSourceIDNotFound', 'config', 'internal', 'medium', 'source %s in deployment configuration not found', 'Please use `operate-source create source-config-file-path` to add source.'),
  ConfigDuplicateCfgItem: def(20032, 'ConfigDuplicateCfgItem', 'config', 'internal', 'medium', 'the following mysql configs have duplicate items, please remove the duplicates:\n%s', 'Please check the `mysql-instances` config in task configuration file.'),
  ConfigShardModeNotSupport: def(20033, 'ConfigShardModeNotSupport', 'config', 'internal', 'medium', 'shard mode %s not supported', 'Please check the `shard-mode` config in task configuration file, which can be set to `pessimistic`/`optimistic`.'),
  ConfigBinlogEventFilter: def(20037, 'ConfigBinlogEventFilter', 'config', 'internal', 'high', 'generate binlog event filter: %s', 'Please check the `filters` config in source and task configuration files.'),
  ConfigGlobalConfigsUnused: def(20038, 'ConfigGlobalConfigsUnused', 'config', 'internal', 'high', "The configurations as following %s are set in global configuration but instances don't use them", 'Please check the configuration files.'),
  ConfigExprFilterManyExpr: def(20039, 'ConfigExprFilterManyExpr', 'config', 'internal', 'high', 'expression filter can only specify one of (insert, update, delete) expressions, but %s has specified %s', 'If you want to filter by A or B, please write two filters.'),
  ConfigExprFilterNotFound: def(20040, 'ConfigExprFilterNotFound', 'config', 'internal', 'high', "mysql-instance(%s)'s expression-filters %s not exist in expression-filter", 'Please check the `expression-filters` config in task configuration file.'),
  ConfigExprFilterWrongGrammar: def(20041, 'ConfigExprFilterWrongGrammar', 'config', 'internal', 'high', 'expression-filter name(%s) SQL(%s) has wrong grammar: %s', 'Please check the `expression-filters` config in task configuration file.'),
  ConfigExprFilterEmptyName: def(20042, 'ConfigExprFilterEmptyName', 'config', 'internal', 'high', 'expression-filter %s has empty %s', 'Please check the `expression-filters` config in task configuration file.'),
  ConfigCheckerMaxTooSmall: def(20043, 'ConfigCheckerMaxTooSmall', 'config', 'internal', 'high', '`backoff-max` value %s is less than `backoff-min` value %s', 'Please increase `backoff-max` config in task configuration file.'),
  ConfigGenBAList: def(20044, 'ConfigGenBAList', 'config', 'internal', 'high', 'generate block allow list error: %s', 'Please check the `block-allow-list` config in task configuration file.'),
  ConfigGenTableRouter: def(20045, 'ConfigGenTableRouter', 'config', 'internal', 'high', 'generate table router error: %s', 'Please check the `routes` config in task configuration file.'),
  ConfigGenColumnMapping: def(20046, 'ConfigGenColumnMapping', 'config', 'internal', 'high', 'generate column mapping error: %s', 'Please check the `column-mappings` config in task configuration file.'),
  ConfigInvalidChunkFileSize: def(20047, 'ConfigInvalidChunkFileSize', 'config', 'internal', 'high', 'invalid `chunk-filesize` %s', 'Please check the `chunk-filesize` config in task configuration file.'),
  ConfigOnlineDDLInvalidRegex: def(20048, 'ConfigOnlineDDLInvalidRegex', 'config', 'internal', 'high', "config '%s' regex pattern '%s' invalid, reason: %s", 'Please check if params is correctly in the configuration file.'),

  // class checkpoint (load unit)
  CheckpointInvalidTableFile: def(24003, 'CheckpointInvalidTableFile', 'checkpoint', 'internal', 'medium', 'invalid db table sql file - %s'),
  CheckpointTableNotExistInFile: def(24005, 'CheckpointTableNotExistInFile', 'checkpoint', 'internal', 'medium', 'table (%s) not exist in db (%s) data files, but in checkpoint', 'The dump directory lost a data file the checkpoint has not finished; redo the task with `start-task --remove-meta` after cleaning the downstream.'),
  CheckpointRestoreCountGreater: def(24006, 'CheckpointRestoreCountGreater', 'checkpoint', 'internal', 'medium', 'restoring count greater than total count for table[%s]'),

  // class task-check
  TaskCheckSameTableName: def(26001, 'TaskCheckSameTableName', 'task-check', 'internal', 'medium', 'same table name in case-insensitive %s', 'Please check `target-table` config in task configuration file.'),
  TaskCheckFailedOpenDB: def(26002, 'TaskCheckFailedOpenDB', 'task-check', 'internal', 'high', 'failed to open DSN %s:***@%s:%s: %s', 'Please check the database config in configuration file.'),
  TaskCheckGenTableRouter: def(26003, 'TaskCheckGenTableRouter', 'task-check', 'internal', 'medium', 'generate table router error: %s', 'Please check the `routes` config in task configuration file.'),
  TaskCheckSyncConfigError: def(26005, 'TaskCheckSyncConfigError', 'task-check', 'internal', 'medium', '%s: %s\n detail: %s'),
  TaskCheckGenBAList: def(26006, 'TaskCheckGenBAList', 'task-check', 'internal', 'medium', 'generate block allow list error: %s', 'Please check the `block-allow-list` config in task configuration file.'),
  SourceCheckGTID: def(26007, 'SourceCheckGTID', 'task-check', 'internal', 'medium', '%s has GTID_MODE = %s instead of ON', 'Please check the `enable-gtid` config in source configuration file.'),

  // class relay-unit (binlog stream from the upstream)
  RelayTCPReaderStartSync: def(30012, 'RelayTCPReaderStartSync', 'relay-unit', 'upstream', 'high', 'start sync from position %s'),
  RelayTCPReaderStartSyncGTID: def(30014, 'RelayTCPReaderStartSyncGTID', 'relay-unit', 'upstream', 'high', 'start sync from GTID set %s'),
  RelayTCPReaderGetEvent: def(30015, 'RelayTCPReaderGetEvent', 'relay-unit', 'upstream', 'high', 'TCPReader get relay event with error: %s'),

  // class dump-unit
  DumpUnitRuntime: def(32001, 'DumpUnitRuntime', 'dump-unit', 'internal', 'high', 'mydumper/dumpling runs with error, with output (may empty): %s', 'Please check the upstream privileges (SELECT, RELOAD, LOCK TABLES, REPLICATION CLIENT) and the error above; the dump restarts from scratch when the task is resumed.'),
  DumpUnitGlobalLock: def(32004, 'DumpUnitGlobalLock', 'dump-unit', 'internal', 'high', "Couldn't acquire global lock: %s", 'Please check upstream privilege about FTWRL (RELOAD), or add `--no-locks` or `--consistency none` to extra-args of mydumpers.'),

  // class load-unit
  LoadUnitInvalidFileEnding: def(34002, 'LoadUnitInvalidFileEnding', 'load-unit', 'internal', 'high', 'corresponding ending of sql: %s', 'The dump file is truncated or not a SQL dump; re-dump the data.'),
  LoadUnitReadSchemaFile: def(34005, 'LoadUnitReadSchemaFile', 'load-unit', 'internal', 'high', 'read schema from sql file %s'),
  LoadUnitNotCreateTable: def(34007, 'LoadUnitNotCreateTable', 'load-unit', 'internal', 'high', 'statement %s for %s/%s is not create table statement'),
  LoadUnitInvalidInsertSQL: def(34009, 'LoadUnitInvalidInsertSQL', 'load-unit', 'internal', 'high', 'invalid insert sql %s'),
  LoadUnitNoTableFile: def(34013, 'LoadUnitNoTableFile', 'load-unit', 'internal', 'high', 'invalid data sql file, cannot find table - %s', 'Every data file needs its `{db}.{table}-schema.sql` in the dump directory; re-dump, or exclude the table with `block-allow-list`.'),
  LoadUnitDumpDirNotFound: def(34014, 'LoadUnitDumpDirNotFound', 'load-unit', 'internal', 'high', "%s does not exist or it's not a dir", 'Please check the `loaders.dir` config in task configuration file.'),
  LoadUnitDuplicateTableFile: def(34015, 'LoadUnitDuplicateTableFile', 'load-unit', 'internal', 'high', 'invalid table schema file, duplicated item - %s'),

  // class sync-unit
  SyncUnitDMLStatementFound: def(36014, 'SyncUnitDMLStatementFound', 'sync-unit', 'internal', 'high', 'only support ROW format binlog, %s', 'Please set `binlog_format=ROW` (and `binlog_row_image=FULL`) on the upstream, then restart the task from a position written in ROW format.'),
  SyncerUnitBinlogEventFilter: def(36015, 'SyncerUnitBinlogEventFilter', 'sync-unit', 'internal', 'high', 'binlog event filter rule with action Error matched: %s', 'A `filters` rule with `action: Error` matched this event, so the task stopped as configured. Change the rule, or resolve the DDL with `handle-error <task> skip`, then resume the task.'),
  SyncerUnitDDLOnMultipleTable: def(36022, 'SyncerUnitDDLOnMultipleTable', 'sync-unit', 'internal', 'high', 'ddl on multiple table: %s not supported', 'It is recommended to include only one DDL operation in a statement executed upstream. Please manually handle it using dmctl (skipping the DDL statement or replacing the DDL statement with a specified DDL statement). For details, see https://docs.pingcap.com/tidb/stable/handle-failed-ddl-statements'),
  SyncerUnitDMLColumnNotMatch: def(36027, 'SyncerUnitDMLColumnNotMatch', 'sync-unit', 'internal', 'high', "Column count doesn't match value count: %s (columns) vs %s (values)", 'Please check the log files to see if a related DDL has been skipped or not executed; repair the tracked schema with `binlog-schema set` if needed.'),
  SyncerUnitGenTableRouter: def(36031, 'SyncerUnitGenTableRouter', 'sync-unit', 'internal', 'high', 'generate table router: %s', 'Please check `routes` config in task configuration file.'),
  SyncerUnitGenBAList: def(36060, 'SyncerUnitGenBAList', 'sync-unit', 'internal', 'high', 'generate block allow list: %s', 'Please check the `block-allow-list` config in task configuration file.'),
  SyncerUnitHandleDDLFailed: def(36061, 'SyncerUnitHandleDDLFailed', 'sync-unit', 'downstream', 'high', 'fail to handle ddl job for %s', 'The downstream rejected the DDL at the position shown. Fix the cause and resume, or resolve it with `handle-error <task> skip` (skip this DDL) or `handle-error <task> replace "<sql>;"` (run other statements instead), then resume the task.'),
  SyncerOperatorNotExist: def(36065, 'SyncerOperatorNotExist', 'sync-unit', 'internal', 'low', 'error operator not exist, position: %s', 'There is no error to handle at that position; check `query-status` (or the `dm run` output) for the position of the current error.'),
  SyncerParseDDL: def(36067, 'SyncerParseDDL', 'sync-unit', 'internal', 'high', 'parse DDL: %s', 'Please confirm your DDL statement is correct and needed. Skip it with `handle-error <task> skip`, or run an equivalent with `handle-error <task> replace "<sql>;"`, then resume the task.'),
  SyncerGetEvent: def(36069, 'SyncerGetEvent', 'sync-unit', 'upstream', 'high', 'get binlog event error: %s', 'Please check if the binlog file could be parsed by `mysqlbinlog`.'),

  // class functional (logging)
  InitLoggerFail: def(11104, 'InitLoggerFail', 'functional', 'internal', 'medium', 'init logger failed: %s', 'Please check the `log-level` (debug, info, warn, error, fatal) and `log-format` (text, json) configs.'),

  // class dm-master (dm-master.toml and flags)
  MasterOperRespNotSuccess: def(38032, 'MasterOperRespNotSuccess', 'dm-master', 'internal', 'high', 'some error occurs in dm-worker: %s', 'Please execute `query-status` to check status.'),
  MasterOperRequestTimeout: def(38033, 'MasterOperRequestTimeout', 'dm-master', 'internal', 'high', 'request to dm-worker %s is timeout, but request may be successful', 'Please execute `query-status` to check status.'),
  MasterInvalidOperateOp: def(38041, 'MasterInvalidOperateOp', 'dm-master', 'internal', 'medium', 'invalid op %s on %s', 'Please check the command: `dmctl --help` lists the operations.'),
  MasterMasterNameNotExist: def(38048, 'MasterMasterNameNotExist', 'dm-master', 'internal', 'low', 'dm-master with name %s not exists', 'Please use list-member command to see masters.'),
  MasterInvalidOfflineType: def(38049, 'MasterInvalidOfflineType', 'dm-master', 'internal', 'low', 'offline member type %s is invalid', 'Please use master/worker.'),
  MasterTLSConfigNotValid: def(38051, 'MasterTLSConfigNotValid', 'dm-master', 'internal', 'high', 'TLS config not valid: %s', 'Please check the `ssl-ca`, `ssl-cert` and `ssl-key` config in master configuration file.'),
  WorkerTLSConfigNotValid: def(40076, 'WorkerTLSConfigNotValid', 'dm-worker', 'internal', 'high', 'TLS config not valid: %s', 'Please check the `ssl-ca`, `ssl-cert` and `ssl-key` config in worker configuration file.'),
  SchedulerWorkerNotExist: def(46004, 'SchedulerWorkerNotExist', 'scheduler', 'internal', 'medium', 'dm-worker with name %s not exists', 'Please use list-member command to see workers.'),
  SchedulerWorkerOnline: def(46005, 'SchedulerWorkerOnline', 'scheduler', 'internal', 'medium', 'dm-worker with name %s is still online', 'Please shut it down first.'),
  SchedulerWorkerInvalidTrans: def(46006, 'SchedulerWorkerInvalidTrans', 'scheduler', 'internal', 'medium', 'invalid stage transformation for dm-worker %s, from %s to %s', 'Please use list-member command to see the worker\'s stage; transfer-source needs a free worker.'),
  SchedulerSourceCfgExist: def(46007, 'SchedulerSourceCfgExist', 'scheduler', 'internal', 'medium', 'source config with ID %s already exists', 'Please use `operate-source show` to see the sources; stop the source first to create it again.'),
  SchedulerSourceCfgNotExist: def(46008, 'SchedulerSourceCfgNotExist', 'scheduler', 'internal', 'medium', 'source config with ID %s not exists', 'Please use `operate-source create` to add the source first (`operate-source show` lists the sources).'),
  SchedulerSourcesUnbound: def(46009, 'SchedulerSourcesUnbound', 'dm-master', 'internal', 'medium', 'sources %s have not bound', 'Please start a free dm-worker (list-member shows the workers); the source is bound to it automatically.'),
  SchedulerSourceOpTaskExist: def(46010, 'SchedulerSourceOpTaskExist', 'dm-master', 'internal', 'medium', 'source with name %s need to operate has existing tasks %s', 'Please `stop-task` first.'),
  SchedulerSubTaskExist: def(46014, 'SchedulerSubTaskExist', 'scheduler', 'internal', 'medium', 'subtasks with name %s for sources %s already exist', 'Please use `query-status` command to see tasks.'),
  SchedulerSubTaskStageInvalidUpdate: def(46015, 'SchedulerSubTaskStageInvalidUpdate', 'dm-master', 'internal', 'medium', 'invalid new expectant subtask stage %s', 'A stopped or finished task cannot be resumed; start it again with start-task.'),
  SchedulerSubTaskOpTaskNotExist: def(46016, 'SchedulerSubTaskOpTaskNotExist', 'dm-master', 'internal', 'medium', 'subtasks with name %s need to be operate not exist', 'Please use `query-status` command to see tasks.'),
  SchedulerSubTaskOpSourceNotExist: def(46017, 'SchedulerSubTaskOpSourceNotExist', 'dm-master', 'internal', 'medium', 'sources %s need to be operate not exist', 'Please use `operate-source show` to see the sources.'),
  SchedulerTaskNotExist: def(46018, 'SchedulerTaskNotExist', 'scheduler', 'internal', 'medium', 'task with name %s not exist', 'Please use `query-status` command to see tasks.'),
  SchedulerSourceCfgUpdate: def(46025, 'SchedulerSourceCfgUpdate', 'scheduler', 'internal', 'low', 'source can only update relay-log related parts for now', 'To change anything else, stop the tasks and the source (`operate-source stop`), then create it again.'),
  SchedulerRequireNotRunning: def(46019, 'SchedulerRequireNotRunning', 'scheduler', 'internal', 'high', 'tasks %s on source %s should not be running', 'Please use `pause-task [-s source ...] task` to pause them first.'),
  MasterConfigParseFlagSet: def(38010, 'MasterConfigParseFlagSet', 'dm-master', 'internal', 'medium', 'parse config flag set: %s', 'Please check the command-line flags (`dm-master --help` lists them).'),
  MasterConfigUnknownItem: def(38011, 'MasterConfigUnknownItem', 'dm-master', 'internal', 'medium', 'master config contained unknown configuration options: %s', 'Please check configs in master configuration file.'),
  MasterConfigInvalidFlag: def(38012, 'MasterConfigInvalidFlag', 'dm-master', 'internal', 'medium', "'%s' is an invalid flag", 'Flags are written `--name=value` or `--name value`; every argument after the first non-flag argument is rejected.'),
  MasterConfigTomlTransform: def(38013, 'MasterConfigTomlTransform', 'dm-master', 'internal', 'medium', 'config toml transform: %s', 'Please check the configuration file has correct TOML format.'),
  MasterConfigTimeoutParse: def(38014, 'MasterConfigTimeoutParse', 'dm-master', 'internal', 'medium', 'parse rpc timeout str: %s', 'Please check the `rpc-timeout` config in master configuration file: a Go duration such as 30s, 1m, 500ms.'),
  MasterHostPortNotValid: def(38035, 'MasterHostPortNotValid', 'dm-master', 'internal', 'high', "host:port '%s' not valid", 'Please check the `master-addr` config in master configuration file.'),
  MasterGetHostnameFail: def(38036, 'MasterGetHostnameFail', 'dm-master', 'internal', 'high', 'get hostname fail: %s', 'Please set the `name` config in master configuration file.'),
  MasterGenEmbedEtcdConfigFail: def(38037, 'MasterGenEmbedEtcdConfigFail', 'dm-master', 'internal', 'high', 'fail to generate config item %s for embed etcd', 'Please check configs in master configuration file.'),
  MasterAdvertiseAddrNotValid: def(38042, 'MasterAdvertiseAddrNotValid', 'dm-master', 'internal', 'high', 'advertise address %s not valid', 'Please check the `advertise-addr` config in master configuration file.'),

  // class dm-worker (dm-worker.toml and flags)
  WorkerParseFlagSet: def(40001, 'WorkerParseFlagSet', 'dm-worker', 'internal', 'medium', 'parse dm-worker config flag set: %s', 'Please check the command-line flags (`dm-worker --help` lists them).'),
  WorkerInvalidFlag: def(40002, 'WorkerInvalidFlag', 'dm-worker', 'internal', 'medium', "'%s' is an invalid flag", 'Flags are written `--name=value` or `--name value`; every argument after the first non-flag argument is rejected.'),
  WorkerDecodeConfigFromFile: def(40003, 'WorkerDecodeConfigFromFile', 'dm-worker', 'internal', 'medium', 'toml decode file: %s', 'Please check the configuration file has correct TOML format.'),
  WorkerUndecodedItemFromFile: def(40004, 'WorkerUndecodedItemFromFile', 'dm-worker', 'internal', 'medium', 'worker config contains unknown configuration options: %s', 'Please check configs in worker configurtion file.'),
  WorkerHostPortNotValid: def(40069, 'WorkerHostPortNotValid', 'dm-worker', 'internal', 'high', "host:port '%s' not valid", 'Please check configs in worker configuration file.'),

  // class dm-worker (source configuration)
  WorkerNeedSourceID: def(40005, 'WorkerNeedSourceID', 'dm-worker', 'internal', 'medium', 'dm-worker should bind a non-empty source ID which represents a MySQL/MariaDB instance or a replica group. \n notice: if you use old version dm-ansible, please update to newest version.'),
  WorkerTooLongSourceID: def(40006, 'WorkerTooLongSourceID', 'dm-worker', 'internal', 'medium', 'the length of source ID %s is more than max allowed value %s'),
  WorkerRelayBinlogName: def(40007, 'WorkerRelayBinlogName', 'dm-worker', 'internal', 'medium', 'relay-binlog-name %s not valid'),

  // class schema-tracker
  SchemaTrackerInvalidJSON: def(44001, 'SchemaTrackerInvalidJSON', 'schema-tracker', 'downstream', 'high', 'saved schema of %s is not proper JSON', 'Please repair the saved table definitions with `binlog-schema set`, or restart the task from a position whose schema is known.'),
  SchemaTrackerCannotGetTable: def(44005, 'SchemaTrackerCannotGetTable', 'schema-tracker', 'internal', 'high', 'cannot get table info for %s from schema tracker', 'Please set the table definition with `binlog-schema set`, then resume the task.'),
  SchemaTrackerCannotExecDDL: def(44006, 'SchemaTrackerCannotExecDDL', 'schema-tracker', 'internal', 'high', 'cannot track DDL: %s'),
  SchemaTrackerInvalidCreateTableStmt: def(44009, 'SchemaTrackerInvalidCreateTableStmt', 'schema-tracker', 'internal', 'medium', '%s is not a valid `CREATE TABLE` statement'),

  // dm-ts additions for running tasks (`dm run`, subtasks) where DM has no code: 51001–51099
  SubtaskUnexpected: def(51002, 'SubtaskUnexpected', 'dm-worker', 'internal', 'high', 'subtask failed unexpectedly: %s', 'Please check the log; run the task again to resume from its checkpoints.'),
  ConfigInvalidConsistency: def(51003, 'ConfigInvalidConsistency', 'config', 'internal', 'medium', 'invalid `--consistency %s` in mydumpers extra-args', 'Use one of auto, flush, lock, snapshot, none.'),
  SyncerUnitExecDML: def(51004, 'SyncerUnitExecDML', 'sync-unit', 'downstream', 'high', 'fail to apply row changes of upstream transaction %s downstream: %s', 'The downstream rejected a statement of the replicated transaction (shown). Check the downstream table against the upstream one (a skipped DDL, a stricter sql_mode, a missing table); the task resumes exactly from its checkpoint once fixed.'),

  // dm-ts additions for the cluster configs where DM's code is not in the v5.3 catalogue: 53001–53099
  ConfigSecretKeyPath: def(53001, 'ConfigSecretKeyPath', 'config', 'internal', 'high', 'incorrect secret key path: %s', 'Please check the `secret-key-path` config: the file must hold a hex string of length 64 (a 32-byte key).'),
  WorkerNeedJoin: def(53002, 'WorkerNeedJoin', 'dm-worker', 'internal', 'high', 'dm-worker must join a dm-master cluster, but `join` is empty', "Please set `join` (or --join) to the dm-master cluster's `master-addr` list, e.g. 127.0.0.1:8261."),

  // dm-ts additions for `dm diff` (DM has no diff command, so no codes): 52001–52099 are reserved for it
  DiffInvalidOption: def(52001, 'DiffInvalidOption', 'config', 'internal', 'medium', 'dm diff: invalid %s %s: %s', 'Please check the `dm diff` options (`dm diff --help` shows the syntax).'),
  DiffNoTableMatched: def(52002, 'DiffNoTableMatched', 'config', 'internal', 'medium', 'dm diff: no upstream table matches the table filter (%s)', 'Please check `--tables` (or the task block-allow list) and that the upstream schemas exist and are readable by the user.'),
  DiffRouteConflict: def(52003, 'DiffRouteConflict', 'config', 'internal', 'medium', 'dm diff: table %s matches %s route rules: %s', 'Please check `--route`: a table may match at most one table-level rule and one schema-level rule.'),

  // class dmctl: DM's codes 48001/48002; 48101–48199 are dm-ts additions for dmctl (DM has no code for them)
  CtlGRPCCreateConn: def(48001, 'CtlGRPCCreateConn', 'dmctl', 'internal', 'high', "can't connect to dm-master %s", 'Please check your network connection, that the dm-master is running, and that `--master-addr` (or DM_MASTER_ADDR) lists its `advertise-addr`.'),
  CtlInvalidTLSCfg: def(48002, 'CtlInvalidTLSCfg', 'dmctl', 'internal', 'medium', 'invalid TLS config: %s', 'Please check the `ssl-ca`, `ssl-cert` and `ssl-key` config in command line.'),
  CtlMasterAddrNotProvided: def(48101, 'CtlMasterAddrNotProvided', 'dmctl', 'internal', 'medium', '--master-addr not provided', 'Please give the dm-master address with `--master-addr host:port` (several, comma-separated, for a cluster) or the DM_MASTER_ADDR environment variable.'),
  CtlInvalidMasterAddr: def(48102, 'CtlInvalidMasterAddr', 'dmctl', 'internal', 'medium', 'invalid --master-addr %s: %s', 'Please write `--master-addr` as host:port (optionally http:// or https://), several separated by commas.'),
  CtlInvalidRPCTimeout: def(48103, 'CtlInvalidRPCTimeout', 'dmctl', 'internal', 'medium', 'invalid --rpc-timeout %s: %s', 'Please write `--rpc-timeout` as a positive Go duration such as 30s, 10m, 1h.'),
  CtlRPCTimeout: def(48104, 'CtlRPCTimeout', 'dmctl', 'internal', 'high', 'request %s to dm-master %s got no answer within %s', 'The request may still have been applied by dm-master: check with `query-status` (or `operate-source show`) before retrying; raise `--rpc-timeout` for slow operations.'),
  CtlBadResponse: def(48105, 'CtlBadResponse', 'dmctl', 'internal', 'high', 'dm-master %s answered %s with HTTP %s and no DM response: %s', "Please check that `--master-addr` points at a dm-ts dm-master's `master-addr` (not a dm-worker, not DM's Go dm-master, whose gRPC this dmctl does not speak) and that both run the same dm-ts version."),
  CtlConfigFile: def(48106, 'CtlConfigFile', 'dmctl', 'internal', 'medium', 'dmctl config file %s: %s', 'Please check the file given to `--config`: TOML with the keys master-addr, rpc-timeout, ssl-ca, ssl-cert, ssl-key.'),
  CtlWriteFile: def(48107, 'CtlWriteFile', 'dmctl', 'internal', 'medium', 'can not write config to file %s: %s', 'Please check the path and that the directory is writable.'),
  CtlConfigDirNotExist: def(48108, 'CtlConfigDirNotExist', 'dmctl', 'internal', 'medium', 'config directory `%s` not exists', 'Please give the directory written by `config export` with `--path`.'),
  CtlImportConfigs: def(48109, 'CtlImportConfigs', 'dmctl', 'internal', 'medium', 'fail to create %s', 'See the dm-master response printed above; fix the cause and run `config import` again (sources and tasks that already exist are skipped).'),
  CtlRequestFailed: def(48110, 'CtlRequestFailed', 'dmctl', 'internal', 'high', 'request %s to dm-master %s failed: %s', 'The connection broke after the request was sent, so it may or may not have been applied: check with `query-status` (or `operate-source show`) before retrying.'),

  // class openapi (the OpenAPI v1 front end of dm-master)
  OpenAPICommonError: def(49001, 'OpenAPICommonError', 'openapi', 'internal', 'high', '%s', 'Please check the request against the OpenAPI document served at `/api/v1/dm.json` (interactive: `/api/v1/docs`).'),
  OpenAPITaskSourceNotFound: def(49002, 'OpenAPITaskSourceNotFound', 'openapi', 'internal', 'high', 'data source configuration not found, source name %s', 'Please check if the data source exists in the configuration file.'),

  // dm-ts additions for the OpenAPI front end where DM has no code: 54001–54099
  OpenAPINotSupported: def(54001, 'OpenAPINotSupported', 'openapi', 'internal', 'medium', '%s is not supported yet by dm-ts', 'Please use dmctl (`dm ctl`) for what it supports, or leave the option out of the request.'),
});

export type ErrorKey = keyof typeof E;

/** Every catalogue entry, for docs generation and uniqueness tests. */
export function allErrorDefs(): ErrorDef[] {
  return Object.values(E);
}
