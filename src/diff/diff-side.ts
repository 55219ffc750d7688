/**
 * One database `dm diff` reads from (the downstream, or one upstream source), behind a small query API.
 * Every query goes through here so that (a) the session is the one the checksums assume — utf8mb4,
 * time_zone '+00:00', an empty sql_mode (no PAD_CHAR_TO_FULL_LENGTH, no NO_BACKSLASH_ESCAPES: parameters are
 * escaped with backslashes) — and (b) every failure becomes a coded DmError naming the side, never the password.
 *
 * Ownership: a DiffSide owns its pool; `close()` ends it. The runner creates and closes every side.
 */
import type { FieldPacket, Pool, QueryOptions, QueryValues } from 'mysql2/promise';
import { createDbPool, describeDb, type DbConfig } from '../mysql/db-config.js';
import { driverError, errorText, scrub } from '../mysql/driver-error.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** A value as the server sent it in the text protocol (exact bytes), or null. */
export type RawValue = Buffer | null;

/** Session settings the checksum text normalisation depends on (same on every side). */
export function diffSession(cfg: DbConfig): DbConfig {
  return { ...cfg, session: { ...cfg.session, time_zone: '+00:00', sql_mode: '' } };
}

export class DiffSide {
  private readonly pool: Pool;

  constructor(
    /** For messages: `downstream root@127.0.0.1:4000`, `source s1 (root@…)`. */
    readonly label: string,
    private readonly cfg: DbConfig,
    poolSize: number,
  ) {
    this.pool = createDbPool(diffSession(cfg), poolSize);
  }

  static describe(kind: 'downstream' | 'source', cfg: DbConfig, sourceId?: string): string {
    return kind === 'downstream' ? `downstream ${describeDb(cfg)}` : `source ${sourceId ?? '?'} (${describeDb(cfg)})`;
  }

  /** Rows as arrays of driver-typed values (strings for BIGINT/DECIMAL/dates, Buffers for binary). */
  async rows(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    return (await this.run({ sql, values: [...params] as QueryValues, rowsAsArray: true })) as unknown[][];
  }

  /** Rows as arrays of raw text-protocol values: exact bytes, no conversion (for value comparison). */
  async raw(sql: string, params: readonly unknown[] = []): Promise<RawValue[][]> {
    return (await this.run({ sql, values: [...params] as QueryValues, rowsAsArray: true, typeCast: rawCast })) as RawValue[][];
  }

  /**
   * Streams raw rows to `onRow` with backpressure, so a result larger than memory (many duplicate rows in a
   * table without a key) is never held at once.
   */
  async each(sql: string, params: readonly unknown[], onRow: (row: RawValue[]) => void): Promise<void> {
    let conn;
    try {
      conn = await this.pool.getConnection();
    } catch (e) {
      throw this.fail(e, sql);
    }
    try {
      // the promise wrapper's `.connection` is the callback-style connection, which can stream
      const core = conn.connection as unknown as { query(o: QueryOptions): { stream(o?: { highWaterMark?: number }): AsyncIterable<unknown> } };
      const stream = core.query({ sql, values: [...params] as QueryValues, rowsAsArray: true, typeCast: rawCast }).stream({ highWaterMark: 256 });
      for await (const row of stream) onRow(row as RawValue[]);
    } catch (e) {
      throw this.fail(e, sql);
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async run(opts: QueryOptions): Promise<unknown> {
    try {
      const [rows] = (await this.pool.query(opts)) as [unknown, FieldPacket[]];
      return rows;
    } catch (e) {
      throw this.fail(e, opts.sql);
    }
  }

  private fail(e: unknown, sql: string): DmError {
    if (e instanceof DmError) return e;
    // socket failures and refused logins (a pool reports those as ordinary server errors) are connection
    // problems, not a statement's
    const err = e as { sqlMessage?: unknown; fatal?: unknown; errno?: unknown };
    if (typeof err.sqlMessage !== 'string' || err.fatal === true || LOGIN_ERRNOS.has(Number(err.errno))) {
      const d = driverError(e, this.cfg.password);
      return DmError.of(E.DBDriverError, [`${this.label}: ${d.detail.replace(/^database driver error: /, '')}`], { cause: d.cause });
    }
    const msg = scrub(errorText(e), this.cfg.password);
    return DmError.of(E.DBQueryFailed, [`${this.label}: ${msg}; statement: ${abbreviate(sql)}`], { cause: e });
  }
}

/** Server errors that mean "you cannot log in": too many connections, access denied, host blocked, … */
const LOGIN_ERRNOS = new Set([1040, 1045, 1129, 1130, 1203, 1251, 1862, 3118]);

/** The query-level typeCast that returns every value as the bytes the server sent. */
function rawCast(field: { buffer: () => Buffer | null }): Buffer | null {
  return field.buffer();
}

function abbreviate(sql: string): string {
  return sql.length > 300 ? `${sql.slice(0, 300)}…` : sql;
}
