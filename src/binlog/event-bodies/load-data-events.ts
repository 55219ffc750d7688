/**
 * LOAD DATA INFILE under statement logging: BEGIN_LOAD_QUERY / APPEND_BLOCK carry the file's bytes,
 * EXECUTE_LOAD_QUERY the statement (its query part is decoded by query-event.ts).
 */
import { BufferReader } from '../buffer-reader.js';
import type { LoadDataBody } from '../events.js';

export function decodeLoadBlock(buf: Buffer, bodyStart: number, bodyEnd: number): LoadDataBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const fileId = r.u32();
  return { kind: 'load_data', fileId, block: Buffer.from(r.rest()) };
}
