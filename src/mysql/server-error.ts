/**
 * Classifying errors the server returned (as opposed to lost connections): rejected statements, missing
 * tables (a checkpoint table not created yet), and the lock errors a retry can cure.
 */

export const ER_LOCK_WAIT_TIMEOUT = 1205;
export const ER_LOCK_DEADLOCK = 1213;
const ER_BAD_DB_ERROR = 1049;
const ER_NO_SUCH_TABLE = 1146;

/** A server error (the statement was rejected; the connection is still usable). */
export function isServerError(e: unknown): e is Error & { errno: number; sqlState?: string; sqlMessage?: string; fatal?: boolean } {
  return e instanceof Error && typeof (e as { errno?: unknown }).errno === 'number' && !(e as { fatal?: boolean }).fatal && (e as { sqlState?: unknown }).sqlState !== undefined;
}

/** The table (or its database) does not exist. */
export function isMissingTable(e: unknown): boolean {
  const errno = (e as { errno?: unknown }).errno;
  return errno === ER_NO_SUCH_TABLE || errno === ER_BAD_DB_ERROR;
}

/** A deadlock or lock-wait timeout: the transaction can be retried. */
export function isLockConflict(e: unknown): boolean {
  const errno = (e as { errno?: unknown }).errno;
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT;
}

const ER_BAD_FIELD_ERROR = 1054;
const ER_TABLE_DEF_CHANGED = 1412;

/**
 * A read inside a consistent snapshot failed because DDL overtook it: the table (or database) was dropped
 * or renamed, a column was dropped, or the table was rebuilt after the snapshot began. A new snapshot cures it.
 */
export function isSchemaChangedUnderSnapshot(e: unknown): boolean {
  const errno = (e as { errno?: unknown } | null)?.errno;
  return errno === ER_NO_SUCH_TABLE || errno === ER_BAD_DB_ERROR || errno === ER_TABLE_DEF_CHANGED || errno === ER_BAD_FIELD_ERROR;
}

/** The statement named a column the table does not have. */
export function isBadField(e: unknown): boolean {
  return (e as { errno?: unknown } | null)?.errno === ER_BAD_FIELD_ERROR;
}
