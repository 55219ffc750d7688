/**
 * Framing of the meta store's files: an 8-byte magic, then records
 * `[u32 LE payload length][u32 LE CRC32 of (length bytes + payload)][payload: UTF-8 JSON]`.
 * The CRC covers the length too, so a damaged length is caught as surely as a damaged payload.
 *
 * {@link scanRecords} separates the two ways a file can end badly:
 * - a **torn tail** (a crash during the last append): the first bad record is the last thing in the file —
 *   nothing valid follows it — so truncating there loses only the write whose call never resolved;
 * - **damage in the middle**: a valid record follows the bad one, so truncating would silently drop changes
 *   that were acknowledged; this is reported as corruption instead.
 */
import { crc32 } from 'node:zlib';

export const WAL_MAGIC = Buffer.from('DMMSWAL1', 'latin1');
export const SNAPSHOT_MAGIC = Buffer.from('DMMSSNP1', 'latin1');
export const MAGIC_BYTES = 8;
export const RECORD_HEADER_BYTES = 8;

export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body, crc32(out.subarray(0, 4))), 4);
  body.copy(out, RECORD_HEADER_BYTES);
  return out;
}

export interface ScannedRecord {
  readonly payload: unknown;
  readonly offset: number;
  readonly end: number;
}

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** End of the last good record: where the file should be truncated when `torn`. */
  readonly goodEnd: number;
  /** `clean`: ends on a record boundary; `torn`: a bad tail after goodEnd; `corrupt`: damage then valid data. */
  readonly state: 'clean' | 'torn' | 'corrupt';
}

/** The record at `offset`, or undefined when it is incomplete, fails its CRC or is not JSON. */
function recordAt(buf: Buffer, offset: number, maxRecordBytes: number): ScannedRecord | undefined {
  if (offset + RECORD_HEADER_BYTES > buf.length) return undefined;
  const len = buf.readUInt32LE(offset);
  const end = offset + RECORD_HEADER_BYTES + len;
  if (len === 0 || len > maxRecordBytes || end > buf.length) return undefined;
  const body = buf.subarray(offset + RECORD_HEADER_BYTES, end);
  if (crc32(body, crc32(buf.subarray(offset, offset + 4))) !== buf.readUInt32LE(offset + 4)) return undefined;
  try {
    return { payload: JSON.parse(body.toString('utf8')) as unknown, offset, end };
  } catch {
    return undefined; // a CRC match on non-JSON is not one of our records
  }
}

/** Reads the records of `buf` from `start` (just after the magic). */
export function scanRecords(buf: Buffer, start: number, maxRecordBytes: number): ScanResult {
  const records: ScannedRecord[] = [];
  let off = start;
  while (off < buf.length) {
    const rec = recordAt(buf, off, maxRecordBytes);
    if (!rec) break;
    records.push(rec);
    off = rec.end;
  }
  if (off === buf.length) return { records, goodEnd: off, state: 'clean' };
  // Is there any valid record after the bad one? Only on the damaged path, so a byte-by-byte search is fine.
  for (let p = off + 1; p + RECORD_HEADER_BYTES < buf.length; p++) {
    if (recordAt(buf, p, maxRecordBytes)) return { records, goodEnd: off, state: 'corrupt' };
  }
  return { records, goodEnd: off, state: 'torn' };
}

export function hasMagic(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= MAGIC_BYTES && buf.subarray(0, MAGIC_BYTES).equals(magic);
}
