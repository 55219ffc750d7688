/**
 * Turning driver and socket failures into DM's 10001 DBDriverError, with the password scrubbed from every
 * message: the one place connection errors become user-facing text.
 */
import { DmError, isDmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** A DBDriverError (10001) carrying the driver's message; the password never appears in it. */
export function driverError(e: unknown, password?: string): DmError {
  const msg = scrub(errorText(e), password);
  const cause = e instanceof Error && password && e.message.includes(password) ? new Error(msg) : e;
  return DmError.of(E.DBDriverError, [msg], { cause });
}

/** The most useful text of a driver/socket error (AggregateError from dual-stack connects has no message). */
export function errorText(e: unknown): string {
  if (e instanceof AggregateError && !e.message) {
    const parts = e.errors.map((x: unknown) => (x instanceof Error ? x.message : String(x)));
    return parts.join('; ') || codeText(e) || 'connection failed';
  }
  if (e instanceof Error) return e.message || codeText(e) || e.name;
  return String(e);
}

function codeText(e: Error): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : '';
}

/** Replaces every occurrence of the password (when it is long enough to be recognisable) with `******`. */
export function scrub(text: string, password: string | undefined): string {
  if (!password || password.length < 3) return text;
  return text.split(password).join('******');
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

/**
 * The connection failed or was lost (refused, reset, closed by the server, a fatal protocol error, or a query
 * on a connection mysql2 already closed) — as opposed to a statement the server rejected.
 */
export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if ((e as { fatal?: unknown }).fatal === true) return true;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return /connection is in closed state|closed the connection/i.test(e.message);
}

/** Any error as a coded DmError: connection failures are 10001 (resumable), anything else `fallback`. */
export function toCodedError(e: unknown, password: string | undefined, fallback: (e: unknown) => DmError): DmError {
  if (isDmError(e)) return e;
  return isConnectionError(e) ? driverError(e, password) : fallback(e);
}
