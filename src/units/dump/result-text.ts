/**
 * Reading metadata query results (SHOW …, information_schema) as text, whatever type the driver returned
 * for a cell: the dump's catalog and consistency code share it.
 */

export type ResultRow = Record<string, unknown>;

/** A result cell as text ('' for NULL and anything without a text form). */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}
