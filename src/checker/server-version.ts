/**
 * Upstream server versions as `SELECT VERSION()` prints them (`5.7.18-log`, `10.11.6-MariaDB-0+deb12u1`,
 * `5.5.5-10.4.8-MariaDB` through old proxies, `8.0.11-TiDB-v7.5.0`), and the ranges DM supports
 * (spec §6.1 `version`): MySQL from 5.6 (8.0 and later experimental), MariaDB from 10.1.2.
 */

export type ServerFlavor = 'mysql' | 'mariadb' | 'tidb';

export interface ServerVersion {
  readonly flavor: ServerFlavor;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseServerVersion(text: string): ServerVersion | undefined {
  const upper = text.toUpperCase();
  const flavor: ServerFlavor = upper.includes('TIDB') ? 'tidb' : upper.includes('MARIADB') ? 'mariadb' : 'mysql';
  // MariaDB behind the replication-protocol prefix: the real version follows `5.5.5-`
  const body = flavor === 'mariadb' && text.startsWith('5.5.5-') ? text.slice(6) : text;
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(body);
  if (!m) return undefined;
  return { flavor, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** Lexicographic comparison of (major, minor, patch). */
export function versionAtLeast(v: ServerVersion, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export function formatVersion(v: ServerVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export type VersionVerdict = { readonly state: 'success' } | { readonly state: 'fail' | 'warn'; readonly message: string };

/** DM's judgement of an upstream version. */
export function judgeVersion(text: string): VersionVerdict {
  const v = parseServerVersion(text);
  if (!v) return { state: 'fail', message: `version ${text} is not a MySQL/MariaDB version DM can read` };
  if (v.flavor === 'tidb') return { state: 'warn', message: 'Not support migrate from TiDB' };
  if (v.flavor === 'mariadb') {
    return versionAtLeast(v, 10, 1, 2) ? { state: 'success' } : { state: 'fail', message: `MariaDB version suggested at least 10.1.2 but got ${formatVersion(v)}` };
  }
  if (!versionAtLeast(v, 5, 6, 0)) return { state: 'fail', message: `version suggested at least 5.6.0 but got ${formatVersion(v)}` };
  if (versionAtLeast(v, 8, 0, 0)) return { state: 'warn', message: `version suggested less than 8.0.0 but got ${formatVersion(v)}; migrating from MySQL 8.0 and later is experimental` };
  return { state: 'success' };
}

/** Whether the server has `binlog_row_image` (MySQL 5.6.2, MariaDB 10.1.6); before that, rows are always full. */
export function hasBinlogRowImage(v: ServerVersion): boolean {
  return v.flavor === 'mariadb' ? versionAtLeast(v, 10, 1, 6) : versionAtLeast(v, 5, 6, 2);
}
