/**
 * How dm-ts connects to an upstream or downstream database: one config shape (DM's `from` / `target-database`
 * blocks after parsing and password decryption) and the functions that open connections and pools from it.
 * Every connection failure becomes a DmError 10001 with the password scrubbed.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { driverError } from './driver-error.js';

export interface DbSecurity {
  sslCa?: string | undefined;
  sslCert?: string | undefined;
  sslKey?: string | undefined;
}

export interface DbConfig {
  host: string;
  port: number;
  user: string;
  /** Plaintext (already decrypted). Never log it. */
  password: string;
  /** Session variables set on every connection (`SET SESSION k = v`). */
  session?: Readonly<Record<string, string | number | boolean>> | undefined;
  maxAllowedPacket?: number | undefined;
  security?: DbSecurity | undefined;
}

export interface ConnectOptions {
  /** Allow `LOAD DATA LOCAL INFILE` streams (the load unit). */
  localInfile?: boolean;
  multipleStatements?: boolean;
  connectTimeoutMs?: number;
}

function ssl(sec: DbSecurity | undefined): mysql.SslOptions | undefined {
  if (!sec || (!sec.sslCa && !sec.sslCert && !sec.sslKey)) return undefined;
  return {
    ca: sec.sslCa ? readFileSync(sec.sslCa) : undefined,
    cert: sec.sslCert ? readFileSync(sec.sslCert) : undefined,
    key: sec.sslKey ? readFileSync(sec.sslKey) : undefined,
  };
}

/**
 * mysql2 options for a DbConfig. Values come back exact: BIGINT and DECIMAL as strings, dates as strings,
 * time zone UTC.
 */
export function mysql2Options(cfg: DbConfig, opts: ConnectOptions = {}): mysql.ConnectionOptions {
  return {
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    ssl: ssl(cfg.security),
    charset: 'utf8mb4',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: opts.multipleStatements ?? false,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    ...(cfg.maxAllowedPacket ? { maxPacketSize: cfg.maxAllowedPacket } : {}),
  };
}

function sessionSql(cfg: DbConfig): string | undefined {
  const vars = Object.entries(cfg.session ?? {});
  if (vars.length === 0) return undefined;
  return `SET ${vars.map(([k, v]) => `SESSION ${k} = ${typeof v === 'string' ? mysql.escape(v) : String(v)}`).join(', ')}`;
}

/** Opens one connection; failures are DmError 10001 without the password. */
export async function openConnection(cfg: DbConfig, opts: ConnectOptions = {}): Promise<mysql.Connection> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(mysql2Options(cfg, opts));
  } catch (e) {
    throw driverError(e, cfg.password);
  }
  const set = sessionSql(cfg);
  if (set) {
    try {
      await conn.query(set);
    } catch (e) {
      await conn.end().catch(() => undefined);
      throw driverError(e, cfg.password);
    }
  }
  return conn;
}

/** Opens a connection (10001 on failure), runs `f` with it, and closes it whatever happens. */
export async function withConnection<T>(cfg: DbConfig, f: (conn: mysql.Connection) => Promise<T>, opts: ConnectOptions = {}): Promise<T> {
  const conn = await openConnection(cfg, opts);
  try {
    return await f(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** A pool whose connections have the session variables set. */
export function createDbPool(cfg: DbConfig, size: number, opts: ConnectOptions = {}): mysql.Pool {
  const pool = mysql.createPool({ ...mysql2Options(cfg, opts), connectionLimit: size, waitForConnections: true });
  const set = sessionSql(cfg);
  if (set) {
    // mysql2's pool emits 'connection' with the callback-style connection
    pool.pool.on('connection', (c: { query: (sql: string) => void }) => c.query(set));
  }
  return pool;
}

/** Redacted view of a config for logs and status output. */
export function describeDb(cfg: DbConfig): string {
  return `${cfg.user}@${cfg.host}:${cfg.port}`;
}
