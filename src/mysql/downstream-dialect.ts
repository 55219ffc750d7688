/**
 * Everything that differs between the databases dm-ts writes into — TiDB, MySQL, MariaDB — behind one
 * interface, detected once per downstream from `SELECT VERSION()`. Units ask the dialect instead of testing
 * versions themselves. TiDB cannot run in these tests; its rules follow DM's documented behaviour.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';

export type DownstreamKind = 'tidb' | 'mysql' | 'mariadb';

export interface DownstreamDialect {
  readonly kind: DownstreamKind;
  /** Server version string as reported. */
  readonly version: string;
  /**
   * Session variables every dm-ts connection to this downstream sets, before the user's `session` map
   * (which wins): time zone UTC so TIMESTAMP values are written as decoded; TiDB optimistic transactions as DM.
   */
  sessionDefaults(): Record<string, string>;
  /** Whether `LOAD DATA LOCAL INFILE` is accepted (the fast load path; the server's `local_infile` decides too). */
  readonly loadDataLocal: boolean;
  /**
   * Whether one LOAD DATA statement commits atomically with the transaction around it. TiDB commits LOAD DATA in
   * pieces, which would break the load unit's one-transaction-per-batch checkpoints, so it gets INSERTs.
   */
  readonly atomicLoadData: boolean;
  /** Whether checkpoint rows can be written in the same transaction as the data (exactly-once apply). */
  readonly transactionalCheckpoints: boolean;
}

export function dialectFromVersion(version: string): DownstreamDialect {
  const v = version.toLowerCase();
  const kind: DownstreamKind = v.includes('tidb') ? 'tidb' : v.includes('mariadb') ? 'mariadb' : 'mysql';
  return {
    kind,
    version,
    sessionDefaults: (): Record<string, string> =>
      kind === 'tidb'
        ? // DM sets these for TiDB >= 3.0 unless the user did
          { time_zone: '+00:00', tidb_txn_mode: 'optimistic' }
        : { time_zone: '+00:00' },
    loadDataLocal: true,
    atomicLoadData: kind !== 'tidb',
    transactionalCheckpoints: true,
  };
}

/** Detects the dialect of a connected downstream. */
export async function detectDialect(conn: Connection): Promise<DownstreamDialect> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
  return dialectFromVersion(String(rows[0]?.v ?? ''));
}
