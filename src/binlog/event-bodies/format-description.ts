/**
 * FORMAT_DESCRIPTION_EVENT: the first event of every binlog file. It fixes the header length, the
 * post-header length of every event type, and (MySQL 5.6.1+, MariaDB 5.3+) the checksum algorithm.
 */
import { BufferReader } from '../buffer-reader.js';
import type { FormatDescriptionBody } from '../events.js';

/** Whether a server version writes the checksum-algorithm byte into its FORMAT_DESCRIPTION. */
export function hasChecksumField(serverVersion: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(serverVersion);
  if (!m) return false;
  const [maj, min, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (/mariadb/i.test(serverVersion)) return maj > 5 || (maj === 5 && min >= 3);
  // MySQL: checksums arrived in 5.6.1
  return maj > 5 || (maj === 5 && (min > 6 || (min === 6 && patch >= 1)));
}

/** Decodes the body (after the 19-byte header); `bodyEnd` excludes nothing: the event's full end. */
export function decodeFormatDescription(buf: Buffer, bodyStart: number, eventEnd: number): FormatDescriptionBody {
  const r = new BufferReader(buf, bodyStart, eventEnd);
  const binlogVersion = r.u16();
  const rawVersion = r.bytes(50);
  const nul = rawVersion.indexOf(0);
  const serverVersion = rawVersion.toString('latin1', 0, nul < 0 ? 50 : nul);
  const createTimestamp = r.u32();
  const headerLength = r.u8();
  const withChecksum = hasChecksumField(serverVersion);
  // With the checksum field: [post-header lengths][alg: 1][crc: 4]
  const phEnd = withChecksum ? eventEnd - 5 : eventEnd;
  let postHeaderLengths: number[] = [];
  while (r.pos < phEnd) postHeaderLengths.push(r.u8());
  const checksumAlg = withChecksum ? r.u8() : undefined;
  const perm = oldEventTypePermutation(serverVersion, postHeaderLengths.length);
  if (perm) postHeaderLengths = permutePostHeaderLengths(postHeaderLengths, perm);
  return {
    kind: 'format_description',
    binlogVersion,
    serverVersion,
    createTimestamp,
    headerLength,
    postHeaderLengths,
    checksumAlg,
    flavor: /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql',
  };
}

/**
 * MySQL 5.1/5.2 development trees (server versions `5.1.[1-5]-a_drop5…`, `5.1.4-a_drop6…`,
 * `5.2.[0-2]-a_drop6…`) numbered the events after FORMAT_DESCRIPTION differently: 16 TABLE_MAP,
 * 17–19 PRE_GA rows, 20 XID, 21 BEGIN_LOAD_QUERY, 22 EXECUTE_LOAD_QUERY (mysqlbinlog permutes them the
 * same way). Returns the map from the written type code to today's, or undefined for every other server.
 */
export function oldEventTypePermutation(serverVersion: string, postHeaderCount: number): readonly number[] | undefined {
  if (postHeaderCount !== 22) return undefined;
  if (!/^5\.(1\.[1-5]-a_drop5|1\.4-a_drop6|2\.[0-2]-a_drop6)/.test(serverVersion)) return undefined;
  return OLD_TYPE_PERMUTATION;
}

// index = written type code, value = today's code
const OLD_TYPE_PERMUTATION: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20, 21, 22, 16, 17, 18];

/** Reorders post-header lengths written under the old numbering so they are indexed by today's codes. */
function permutePostHeaderLengths(lengths: readonly number[], perm: readonly number[]): number[] {
  const out = new Array<number>(lengths.length).fill(0);
  for (let code = 1; code <= lengths.length; code++) out[perm[code]! - 1] = lengths[code - 1]!;
  return out;
}

/**
 * Post-header lengths assumed before any FORMAT_DESCRIPTION was seen (a dump stream starts with a fake
 * ROTATE): those of MySQL 5.6+/MariaDB 10, which agree for the events that can precede the FDE.
 */
export const DEFAULT_POST_HEADER_LENGTHS: readonly number[] = (() => {
  const a = new Array<number>(42).fill(0);
  a[2 - 1] = 13; // QUERY
  a[4 - 1] = 8; // ROTATE
  a[19 - 1] = 8; // TABLE_MAP
  for (const t of [23, 24, 25]) a[t - 1] = 8;
  for (const t of [30, 31, 32, 39]) a[t - 1] = 10;
  a[18 - 1] = 26; // EXECUTE_LOAD_QUERY
  return a;
})();
