/**
 * One downstream connection of the load unit. It talks bytes: the driver is set to the `binary` character
 * set so a statement given as a latin1 string (one char per byte) reaches the server as exactly the dump
 * file's bytes, and the server interprets them by the dump's own `SET NAMES`. It keeps the session the dump
 * files ask for (their SET statements on top of the loader's baseline) and maps failures to coded errors:
 * connection loss → 10001, a statement the server rejects → 10006 naming the file and the statement.
 *
 * Owner: the LoadUnit that opened it; closed by LoadUnit.close().
 */
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import { mysql2Options, type DbConfig } from '../../mysql/db-config.js';
import { driverError } from '../../mysql/driver-error.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { excerpt, utf8ToLatin1 } from './sql-statement.js';
import { isServerError } from '../../mysql/server-error.js';

/** The session statements in effect for a range of a dump file (its SETs, in order). */
export interface SessionState {
  /** Identity for "is this what the connection already has": the statements joined. */
  readonly key: string;
  readonly statements: readonly string[];
  /** Character set the server reads statement text in (from `SET NAMES`), lower-case. */
  readonly charset: string;
}

export const BASE_SESSION: SessionState = { key: '', statements: [], charset: 'utf8mb4' };

export function withStatement(s: SessionState, stmt: string, charset?: string): SessionState {
  const t = stmt.trim();
  return { key: `${s.key}\u0000${t}`, statements: [...s.statements, t], charset: charset ?? s.charset };
}

export interface LoadSessionOptions {
  /** sql_mode for loading (already adjusted: see load-unit). */
  sqlMode: string;
  foreignKeyChecks?: boolean;
  uniqueChecks?: boolean;
}

export { ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, isServerError } from '../../mysql/server-error.js';

export class LoadConnection {
  private sessionKey: string | undefined;
  private closed = false;

  private constructor(
    private readonly conn: mysql.Connection,
    private readonly cfg: DbConfig,
    private readonly baseline: string[],
  ) {}

  static async open(cfg: DbConfig, opts: LoadSessionOptions): Promise<LoadConnection> {
    let conn: mysql.Connection;
    try {
      conn = await mysql.createConnection({
        ...mysql2Options(cfg),
        charset: 'binary',
        // without session tracking: mysql2 would otherwise follow the server's character_set_client after a
        // dump file's `SET NAMES utf8mb4` and start encoding our byte strings as UTF-8 (double encoding)
        flags: ['-SESSION_TRACK'],
        multipleStatements: false,
        // statements are sent as they are: without this mysql2 scans every (megabyte-long) INSERT for `?`
        queryFormat: (sql: string) => sql,
      });
    } catch (e) {
      throw driverError(e, cfg.password);
    }
    const vars = [
      `time_zone = '+00:00'`,
      `sql_mode = ${mysql.escape(opts.sqlMode)}`,
      `foreign_key_checks = ${opts.foreignKeyChecks ? 1 : 0}`,
      `unique_checks = ${opts.uniqueChecks === false ? 0 : 1}`,
      ...Object.entries(cfg.session ?? {}).map(([k, v]) => `${k} = ${typeof v === 'string' ? mysql.escape(v) : String(v)}`),
    ];
    const baseline = ['SET NAMES utf8mb4', `SET SESSION ${vars.join(', ')}`].map(utf8ToLatin1);
    const lc = new LoadConnection(conn, cfg, baseline);
    try {
      for (const s of baseline) await conn.query(s);
    } catch (e) {
      await conn.end().catch(() => undefined);
      throw lc.mapError(e, 'set up the load session');
    }
    lc.sessionKey = BASE_SESSION.key;
    return lc;
  }

  /** Brings the session to `s` (baseline + the file's SETs) unless it already is. */
  async applySession(s: SessionState, context: string): Promise<void> {
    if (this.sessionKey === s.key) return;
    this.sessionKey = undefined;
    for (const stmt of [...this.baseline, ...s.statements]) await this.exec(stmt, context);
    this.sessionKey = s.key;
  }

  /** Runs one statement (a latin1 byte string). Errors are coded: 10006 with `context` and the statement, or 10001. */
  async exec(sql: string, context: string): Promise<mysql.ResultSetHeader> {
    try {
      const [r] = await this.conn.query<mysql.ResultSetHeader>(sql);
      return r;
    } catch (e) {
      throw this.mapError(e, context, sql);
    }
  }

  /** Raw query without error mapping (callers that inspect errno themselves). */
  async raw(sql: string): Promise<unknown> {
    const [r] = await this.conn.query(sql);
    return r;
  }

  /** `LOAD DATA LOCAL INFILE` whose file content is `data`. */
  async loadData(sql: string, data: readonly Buffer[], context: string): Promise<mysql.ResultSetHeader> {
    try {
      const [r] = await this.conn.query<mysql.ResultSetHeader>({ sql, infileStreamFactory: () => Readable.from(data, { objectMode: false }) });
      return r;
    } catch (e) {
      throw this.mapError(e, context, sql);
    }
  }

  /** First warning/error (not note) of the last statement, as text. */
  async firstWarning(): Promise<string | undefined> {
    try {
      const [rows] = await this.conn.query<mysql.RowDataPacket[]>('SHOW WARNINGS LIMIT 10');
      const t = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
      const r = rows.find((x) => t(x.Level) !== 'Note');
      if (!r) return undefined;
      return `${t(r.Level)} ${t(r.Code)}: ${t(r.Message)}`;
    } catch {
      return undefined;
    }
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    await this.conn.query('ROLLBACK').catch(() => undefined);
  }

  mapError(e: unknown, context: string, sql?: string): DmError {
    if (e instanceof DmError) return e;
    if (isServerError(e)) {
      const what = sql === undefined ? context : `${context}, statement: ${excerpt(sql)}`;
      return DmError.of(E.DBExecuteFailed, [`${what}: ${e.message}`], { cause: e });
    }
    return driverError(e, this.cfg.password);
  }

  /** Connection-level id for KILL (abort of a long statement). */
  get threadId(): number | null {
    return this.conn.threadId;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.end().catch(() => this.conn.destroy());
  }

  /** Drops the socket at once (the server rolls back an open transaction). */
  destroy(): void {
    this.closed = true;
    this.conn.destroy();
  }
}
