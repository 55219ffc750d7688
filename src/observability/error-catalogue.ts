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

  // class functional (binlog decoding, GTID)
  ParseGTID: def(11009, 'ParseGTID', 'functional', 'internal', 'high', 'parse GTID %s'),
  NotSupportedFlavor: def(11010, 'NotSupportedFlavor', 'functional', 'internal', 'high', 'flavor %s not supported', 'Please check `flavor` config in source configuration file.'),
  NotUUIDString: def(11013, 'NotUUIDString', 'functional', 'internal', 'high', '%s is not UUID string'),
  BinlogFileNotValid: def(11027, 'BinlogFileNotValid', 'functional', 'internal', 'high', 'binlog file %s not valid: %s', 'Please check that the file is a MySQL/MariaDB binary log (it starts with the magic bytes fe 62 69 6e).'),
  InvalidBinlogPosStr: def(11049, 'InvalidBinlogPosStr', 'functional', 'internal', 'high', 'invalid mysql position string: %s'),
  BinlogEventDecode: def(11054, 'BinlogEventDecode', 'functional', 'internal', 'high', 'decode %s', 'Please check if the binlog file could be parsed by `mysqlbinlog`; a corrupt or truncated event cannot be replicated.'),
  BinlogGTIDMySQLNotValid: def(11059, 'BinlogGTIDMySQLNotValid', 'functional', 'internal', 'high', 'GTID set string %s for MySQL not valid'),
  BinlogGTIDMariaDBNotValid: def(11060, 'BinlogGTIDMariaDBNotValid', 'functional', 'internal', 'high', 'GTID set string %s for MariaDB not valid'),
  BinlogExpectTableMapEv: def(11068, 'BinlogExpectTableMapEv', 'functional', 'internal', 'high', 'expect TableMapEvent, but got %s'),
  BinlogEventTypeNotValid: def(11072, 'BinlogEventTypeNotValid', 'functional', 'internal', 'high', 'event type %s not valid'),
  BinlogColumnTypeNotSupport: def(11076, 'BinlogColumnTypeNotSupport', 'functional', 'internal', 'high', 'column type %s in binlog not supported'),
  BinlogStatusVarsParse: def(11117, 'BinlogStatusVarsParse', 'functional', 'internal', 'medium', 'fail to parse binglog status_vars: %s, offset: %s'),
  NoMasterStatus: def(11125, 'NoMasterStatus', 'functional', 'upstream', 'medium', 'upstream returns an empty result for SHOW MASTER STATUS', 'Please check the upstream settings like privileges, RDS settings to read data from SHOW MASTER STATUS.'),

  // class binlog-op
  BinlogNotLogColumn: def(11126, 'BinlogNotLogColumn', 'binlog-op', 'upstream', 'high', "upstream didn't log enough columns in binlog", 'Please check if session `binlog_row_image` variable is not FULL, restart task to the location from where FULL `binlog_row_image` is used.'),

  // class config
  ConfigInvalidTimezone: def(20008, 'ConfigInvalidTimezone', 'config', 'internal', 'medium', 'invalid timezone string: %s', 'Please check the `timezone` config in task configuration file.'),

  // class relay-unit (binlog stream from the upstream)
  RelayTCPReaderStartSync: def(30012, 'RelayTCPReaderStartSync', 'relay-unit', 'upstream', 'high', 'start sync from position %s'),
  RelayTCPReaderStartSyncGTID: def(30014, 'RelayTCPReaderStartSyncGTID', 'relay-unit', 'upstream', 'high', 'start sync from GTID set %s'),
  RelayTCPReaderGetEvent: def(30015, 'RelayTCPReaderGetEvent', 'relay-unit', 'upstream', 'high', 'TCPReader get relay event with error: %s'),

  // class sync-unit
  SyncUnitDMLStatementFound: def(36014, 'SyncUnitDMLStatementFound', 'sync-unit', 'internal', 'high', 'only support ROW format binlog, %s', 'Please set `binlog_format=ROW` (and `binlog_row_image=FULL`) on the upstream, then restart the task from a position written in ROW format.'),
  SyncerUnitDMLColumnNotMatch: def(36027, 'SyncerUnitDMLColumnNotMatch', 'sync-unit', 'internal', 'high', "Column count doesn't match value count: %s (columns) vs %s (values)", 'Please check the log files to see if a related DDL has been skipped or not executed; repair the tracked schema with `binlog-schema set` if needed.'),
  SyncerGetEvent: def(36069, 'SyncerGetEvent', 'sync-unit', 'upstream', 'high', 'get binlog event error: %s', 'Please check if the binlog file could be parsed by `mysqlbinlog`.'),
});

export type ErrorKey = keyof typeof E;

/** Every catalogue entry, for docs generation and uniqueness tests. */
export function allErrorDefs(): ErrorDef[] {
  return Object.values(E);
}
