/**
 * Checks that an upstream MySQL/MariaDB can feed DM: binlog enabled, `binlog_format=ROW`,
 * `binlog_row_image=FULL`. Throws DM's coded errors for what makes replication impossible and returns what
 * the replica client needs to know (flavor, version, server id, GTID mode, checksum).
 *
 * Invariant: a connection passed in is only queried, never closed; one opened here from a config is always
 * closed before returning.
 */
import mysql from 'mysql2/promise';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { driverError } from '../mysql/driver-error.js';
export { driverError, errorText, scrub } from '../mysql/driver-error.js';

export type Flavor = 'mysql' | 'mariadb';

export interface UpstreamInfo {
  readonly flavor: Flavor;
  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1-log`, `8.0.36`. */
  readonly version: string;
  readonly serverId: number;
  /** MySQL `server_uuid`; undefined on MariaDB. */
  readonly serverUuid: string | undefined;
  /** GTIDs usable for positioning: MySQL `gtid_mode=ON`; always true on MariaDB (10.0+). */
  readonly gtidMode: boolean;
  /** Raw `gtid_mode` (MySQL), e.g. `ON`, `OFF_PERMISSIVE`; undefined on MariaDB. */
  readonly gtidModeValue: string | undefined;
  readonly binlogFormat: string;
  readonly binlogRowImage: string;
  /** `binlog_checksum` (`CRC32`, `NONE`); undefined on servers that predate checksums (MySQL < 5.6.1). */
  readonly binlogChecksum: string | undefined;
  /** Things that work but DM recommends otherwise (e.g. server_id 0, MySQL gtid_mode OFF). */
  readonly warnings: readonly string[];
}

/** Anything with mysql2/promise's `query` (a Connection or a Pool). */
export interface Queryable {
  query(sql: string): Promise<[unknown, unknown]>;
}

export interface UpstreamConnectionConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  connectTimeoutMs?: number;
  ssl?: string | mysql.SslOptions;
}

function isQueryable(x: Queryable | UpstreamConnectionConfig): x is Queryable {
  return typeof (x as Queryable).query === 'function';
}

/**
 * Checks the upstream binlog settings; throws a {@link DmError} when the binlog cannot be replicated:
 * - binlog disabled → 11125 NoMasterStatus
 * - `binlog_format` not ROW → 36014 SyncUnitDMLStatementFound
 * - `binlog_row_image` not FULL → 11126 BinlogNotLogColumn
 * - the server cannot be reached or queried → 10001 DBDriverError
 */
export async function checkBinlogSettings(target: Queryable | UpstreamConnectionConfig): Promise<UpstreamInfo> {
  if (isQueryable(target)) return checkWith(target);
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      connectTimeout: target.connectTimeoutMs ?? 10_000,
      ...(target.ssl !== undefined ? { ssl: target.ssl } : {}),
    });
  } catch (e) {
    throw driverError(e, target.password);
  }
  try {
    return await checkWith(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

async function checkWith(q: Queryable): Promise<UpstreamInfo> {
  let version: string;
  let vars: Map<string, string>;
  try {
    const [vrows] = (await q.query('SELECT VERSION() AS v')) as [Array<{ v: string }>, unknown];
    version = String(vrows[0]?.v ?? '');
    // SHOW VARIABLES tolerates variables the server does not have (old versions, other flavor).
    const [rows] = (await q.query(
      "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image','server_id','server_uuid','gtid_mode','binlog_checksum')",
    )) as [Array<{ Variable_name: string; Value: string }>, unknown];
    vars = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), String(r.Value)]));
  } catch (e) {
    throw driverError(e);
  }
  const flavor: Flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const logBin = (vars.get('log_bin') ?? 'OFF').toUpperCase();
  if (logBin !== 'ON' && logBin !== '1') {
    // DM reports a disabled binlog as an empty SHOW MASTER STATUS (11125).
    throw new DmError(
      E.NoMasterStatus,
      `binlog is disabled on the upstream (log_bin=${logBin}), so ${E.NoMasterStatus.message}; enable it with \`log_bin\` (and \`server_id\`) in the server configuration and restart the server`,
    );
  }
  const binlogFormat = (vars.get('binlog_format') ?? '').toUpperCase();
  if (binlogFormat !== 'ROW') {
    throw DmError.of(E.SyncUnitDMLStatementFound, [
      `but the upstream binlog_format is ${binlogFormat || 'unknown'}: set binlog_format=ROW (SET GLOBAL binlog_format = 'ROW' and in the server configuration)`,
    ]);
  }
  // binlog_row_image exists since MySQL 5.6 / MariaDB 10.1.6; older servers always log full rows.
  const binlogRowImage = (vars.get('binlog_row_image') ?? 'FULL').toUpperCase();
  if (binlogRowImage !== 'FULL') {
    throw new DmError(
      E.BinlogNotLogColumn,
      `${E.BinlogNotLogColumn.message}: the upstream binlog_row_image is ${binlogRowImage}, DM needs FULL (SET GLOBAL binlog_row_image = 'FULL' and in the server configuration)`,
    );
  }
  const warnings: string[] = [];
  const serverId = Number(vars.get('server_id') ?? 0);
  if (serverId === 0) warnings.push('server_id is 0: replicas need a non-zero server_id on the upstream');
  const gtidModeValue = flavor === 'mysql' ? (vars.get('gtid_mode') ?? 'OFF').toUpperCase() : undefined;
  if (gtidModeValue !== undefined && gtidModeValue !== 'ON') warnings.push(`gtid_mode is ${gtidModeValue}: DM recommends gtid_mode=ON`);
  const checksum = vars.get('binlog_checksum');
  return {
    flavor,
    version,
    serverId,
    serverUuid: flavor === 'mysql' ? vars.get('server_uuid') : undefined,
    gtidMode: flavor === 'mariadb' || gtidModeValue === 'ON',
    gtidModeValue,
    binlogFormat,
    binlogRowImage,
    binlogChecksum: checksum === undefined ? undefined : checksum.toUpperCase(),
    warnings,
  };
}

