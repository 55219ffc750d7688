/**
 * WRITE/UPDATE/DELETE_ROWS events v0/v1/v2, MySQL PARTIAL_UPDATE_ROWS and MariaDB compressed rows events:
 * the header part (table id, flags, v2 extra data, column count, present-column bitmaps). The row images
 * stay undecoded here: row-decoder.ts decodes them with the table's schema as of this position.
 */
import { BufferReader } from '../buffer-reader.js';
import { EventType } from '../event-type.js';
import type { RowsAction, RowsBody } from '../events.js';
import { mariadbUncompress } from './mariadb-compression.js';

interface RowsKind {
  action: RowsAction;
  version: 0 | 1 | 2;
  partial: boolean;
  compressed: boolean;
}

const KINDS = new Map<number, RowsKind>([
  [EventType.PRE_GA_WRITE_ROWS, { action: 'insert', version: 0, partial: false, compressed: false }],
  [EventType.PRE_GA_UPDATE_ROWS, { action: 'update', version: 0, partial: false, compressed: false }],
  [EventType.PRE_GA_DELETE_ROWS, { action: 'delete', version: 0, partial: false, compressed: false }],
  [EventType.WRITE_ROWS_V1, { action: 'insert', version: 1, partial: false, compressed: false }],
  [EventType.UPDATE_ROWS_V1, { action: 'update', version: 1, partial: false, compressed: false }],
  [EventType.DELETE_ROWS_V1, { action: 'delete', version: 1, partial: false, compressed: false }],
  [EventType.WRITE_ROWS_V2, { action: 'insert', version: 2, partial: false, compressed: false }],
  [EventType.UPDATE_ROWS_V2, { action: 'update', version: 2, partial: false, compressed: false }],
  [EventType.DELETE_ROWS_V2, { action: 'delete', version: 2, partial: false, compressed: false }],
  [EventType.PARTIAL_UPDATE_ROWS, { action: 'update', version: 2, partial: true, compressed: false }],
  [EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1, { action: 'insert', version: 1, partial: false, compressed: true }],
  [EventType.MARIADB_UPDATE_ROWS_COMPRESSED_V1, { action: 'update', version: 1, partial: false, compressed: true }],
  [EventType.MARIADB_DELETE_ROWS_COMPRESSED_V1, { action: 'delete', version: 1, partial: false, compressed: true }],
  [EventType.MARIADB_WRITE_ROWS_COMPRESSED, { action: 'insert', version: 2, partial: false, compressed: true }],
  [EventType.MARIADB_UPDATE_ROWS_COMPRESSED, { action: 'update', version: 2, partial: false, compressed: true }],
  [EventType.MARIADB_DELETE_ROWS_COMPRESSED, { action: 'delete', version: 2, partial: false, compressed: true }],
]);

export function isRowsEvent(typeCode: number): boolean {
  return KINDS.has(typeCode);
}

export function decodeRowsEvent(typeCode: number, buf: Buffer, bodyStart: number, bodyEnd: number, postHeaderLength: number): RowsBody {
  const kind = KINDS.get(typeCode);
  if (!kind) throw new Error(`event type ${typeCode} is not a rows event`);
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const tableId = postHeaderLength === 6 ? r.u32() : r.u48();
  const flags = r.u16();
  let extraData: Buffer | undefined;
  if (kind.version === 2) {
    const extraLen = r.u16(); // includes its own two bytes
    if (extraLen < 2) throw new Error(`rows event extra-data length ${extraLen} < 2`);
    extraData = extraLen > 2 ? Buffer.from(r.bytes(extraLen - 2)) : undefined;
  }
  // a longer post-header than we know (future servers) — skip the unknown part
  const known = (postHeaderLength === 6 ? 4 : 6) + 2 + (kind.version === 2 ? 2 : 0);
  if (postHeaderLength > known && kind.version !== 2) r.skip(postHeaderLength - known);
  const columnCount = r.lenenc();
  const columnsPresent = r.bitmap(columnCount);
  // pre-GA (v0) UPDATE has one bitmap for both images
  const columnsPresentAfter = kind.action !== 'update' ? undefined : kind.version === 0 ? columnsPresent : r.bitmap(columnCount);
  // MariaDB compresses only the row images (Rows_log_event::write_compressed)
  const rowsData = kind.compressed ? mariadbUncompress(r.rest()) : r.rest();
  return {
    kind: 'rows',
    action: kind.action,
    version: kind.version,
    partial: kind.partial,
    compressed: kind.compressed,
    tableId,
    flags,
    extraData,
    columnCount,
    columnsPresent,
    columnsPresentAfter,
    rowsData,
  };
}
