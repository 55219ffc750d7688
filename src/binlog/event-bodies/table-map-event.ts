/**
 * TABLE_MAP_EVENT: binds a table id to schema.table and gives each column's binlog type and metadata,
 * the null-ability bitmap and (MySQL 8.0 `binlog_row_metadata`, MariaDB 10.5+) optional metadata:
 * signedness, character sets, column names, ENUM/SET members, primary key, visibility.
 *
 * Column metadata packing (the row decoder relies on it):
 *   NEWDECIMAL: precision << 8 | scale          STRING: byte0 << 8 | byte1 (real type, length)
 *   VARCHAR/VAR_STRING: max byte length (u16)   BIT: bits-in-last-byte | bytes << 8 (u16 LE)
 *   BLOB/GEOMETRY/JSON/VECTOR/FLOAT/DOUBLE: one byte (length-prefix width / pack length)
 *   TIME2/DATETIME2/TIMESTAMP2: fsp            others: 0
 */
import { BufferReader } from '../buffer-reader.js';
import { ColumnType, isNumericType } from '../column-type.js';
import type { TableMapBody, TableMapOptionalMetadata } from '../events.js';

export function readColumnMeta(r: BufferReader, types: readonly number[]): number[] {
  const meta = new Array<number>(types.length);
  for (let i = 0; i < types.length; i++) {
    switch (types[i]) {
      case ColumnType.NEWDECIMAL:
      case ColumnType.STRING:
      case ColumnType.VAR_STRING:
      case ColumnType.ENUM:
      case ColumnType.SET: {
        const b0 = r.u8();
        const b1 = r.u8();
        // VAR_STRING stores a little-endian length like VARCHAR; the others are two separate bytes
        meta[i] = types[i] === ColumnType.VAR_STRING ? b0 | (b1 << 8) : (b0 << 8) | b1;
        break;
      }
      case ColumnType.VARCHAR:
      case ColumnType.BIT:
        meta[i] = r.u16();
        break;
      case ColumnType.BLOB:
      case ColumnType.TINY_BLOB:
      case ColumnType.MEDIUM_BLOB:
      case ColumnType.LONG_BLOB:
      case ColumnType.GEOMETRY:
      case ColumnType.JSON:
      case ColumnType.VECTOR:
      case ColumnType.FLOAT:
      case ColumnType.DOUBLE:
      case ColumnType.TIME2:
      case ColumnType.DATETIME2:
      case ColumnType.TIMESTAMP2:
        meta[i] = r.u8();
        break;
      default:
        meta[i] = 0;
    }
  }
  return meta;
}

/** A bitmap whose bits are numbered from the most significant bit of the first byte (optional metadata). */
function msbBits(buf: Buffer, n: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < n && i >>> 3 < buf.length; i++) out.push((buf[i >>> 3]! & (0x80 >> (i & 7))) !== 0);
  return out;
}

function readDefaultCharset(r: BufferReader): { defaultCollation: number; overrides: Array<[number, number]> } {
  const defaultCollation = r.lenenc();
  const overrides: Array<[number, number]> = [];
  while (r.remaining > 0) overrides.push([r.lenenc(), r.lenenc()]);
  return { defaultCollation, overrides };
}

function readLenencList(r: BufferReader): number[] {
  const out: number[] = [];
  while (r.remaining > 0) out.push(r.lenenc());
  return out;
}

function readStrValues(r: BufferReader): string[][] {
  const out: string[][] = [];
  while (r.remaining > 0) {
    const n = r.lenenc();
    const vals: string[] = [];
    for (let i = 0; i < n; i++) vals.push(r.lenencStr());
    out.push(vals);
  }
  return out;
}

export function decodeOptionalMetadata(r: BufferReader, columnCount: number, numericCount: number): TableMapOptionalMetadata {
  const md: TableMapOptionalMetadata = {};
  while (r.remaining > 0) {
    const type = r.u8();
    const len = r.lenenc();
    const f = new BufferReader(r.buf, r.pos, r.pos + len);
    r.skip(len);
    switch (type) {
      case 1:
        md.signedness = msbBits(f.rest(), numericCount);
        break;
      case 2:
        md.defaultCharset = readDefaultCharset(f);
        break;
      case 3:
        md.columnCharsets = readLenencList(f);
        break;
      case 4: {
        const names: string[] = [];
        while (f.remaining > 0) names.push(f.lenencStr());
        md.columnNames = names;
        break;
      }
      case 5:
        md.setValues = readStrValues(f);
        break;
      case 6:
        md.enumValues = readStrValues(f);
        break;
      case 7:
        md.geometryTypes = readLenencList(f);
        break;
      case 8:
        md.simplePrimaryKey = readLenencList(f);
        break;
      case 9: {
        const pk: Array<[number, number]> = [];
        while (f.remaining > 0) pk.push([f.lenenc(), f.lenenc()]);
        md.primaryKeyWithPrefix = pk;
        break;
      }
      case 10:
        md.enumAndSetDefaultCharset = readDefaultCharset(f);
        break;
      case 11:
        md.enumAndSetColumnCharsets = readLenencList(f);
        break;
      case 12:
        md.columnVisibility = msbBits(f.rest(), columnCount);
        break;
      default:
        // unknown field from a newer server: its length let us skip it
        break;
    }
  }
  return md;
}

export function decodeTableMap(buf: Buffer, bodyStart: number, bodyEnd: number, postHeaderLength: number): TableMapBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const tableId = postHeaderLength === 6 ? r.u32() : r.u48();
  const flags = r.u16();
  const schema = r.str8();
  r.skip(1);
  const table = r.str8();
  r.skip(1);
  const columnCount = r.lenenc();
  const columnTypes = Array.from(r.bytes(columnCount));
  // pre-GA 5.1 servers (before column metadata, WL#3228) end the event here: no metadata, all nullable
  if (r.remaining === 0) {
    const columnMeta = new Array<number>(columnCount).fill(0);
    const nullBitmap = Buffer.alloc((columnCount + 7) >>> 3, 0xff);
    return { kind: 'table_map', tableId, flags, schema, table, columnCount, columnTypes, columnMeta, nullBitmap, optionalMetadata: {} };
  }
  const metaLen = r.lenenc();
  const metaEnd = r.pos + metaLen;
  const columnMeta = readColumnMeta(new BufferReader(buf, r.pos, metaEnd), columnTypes);
  r.skip(metaLen);
  const nullBitmap = Buffer.from(r.bitmap(columnCount));
  const numericCount = columnTypes.filter(isNumericType).length;
  const optionalMetadata = r.remaining > 0 ? decodeOptionalMetadata(r, columnCount, numericCount) : {};
  return { kind: 'table_map', tableId, flags, schema, table, columnCount, columnTypes, columnMeta, nullBitmap, optionalMetadata };
}
