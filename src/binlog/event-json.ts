/**
 * A binlog event as a plain JSON-able object, the way `dm binlog` prints it (one object per line), in the
 * spirit of `mysqlbinlog -v`: where it is, what it is, its GTID, and for row events the decoded rows keyed by
 * column name (or `@1`, `@2`, … like mysqlbinlog when the name is unknown).
 *
 * Value rendering (see docs/dm-binlog.md): bigint → JSON number text, exact; Buffer → UTF-8 text when it is
 * valid printable UTF-8, else `"0x<hex>"`; NaN/Infinity → strings; VECTOR → array.
 */
import type { BinlogEvent, DecodedRows, TableMapBody } from './events.js';
import type { Row, RowValue } from './row-value.js';
import type { TableSchema } from './table-schema.js';

/** Pre-rendered JSON text, emitted as is by {@link toJsonText} (row arrays are rendered straight to text). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonLike = null | boolean | number | bigint | string | RawJson | JsonLike[] | { [k: string]: JsonLike };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isPrintableAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c > 0x7e || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return false;
  }
  return true;
}

export function renderBuffer(b: Buffer): string {
  if (isPrintableAscii(b)) return b.toString('latin1');
  try {
    const s = utf8.decode(b);
    // control characters other than tab/newline/CR make it binary for display purposes
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) return s;
  } catch {
    /* not UTF-8 */
  }
  return `0x${b.toString('hex')}`;
}

export function renderValue(v: RowValue | undefined): JsonLike {
  if (v === undefined || v === null) return null;
  if (Buffer.isBuffer(v)) return renderBuffer(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/** JSON text of one value, without building intermediate objects (the `dm binlog` hot path). */
function valueText(v: RowValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
    default:
      return Buffer.isBuffer(v) ? bufferText(v) : `[${v.join(',')}]`;
  }
}

/** A Buffer as a JSON string; plain printable ASCII (the common case) needs no escaping pass. */
function bufferText(b: Buffer): string {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c > 0x7e || c < 0x20 || c === 0x22 || c === 0x5c) return JSON.stringify(renderBuffer(b));
  }
  return `"${b.toString('latin1')}"`;
}

/** `"name":` prefixes per column, computed once per schema. */
const keyCache = new WeakMap<object, string[]>();

function columnKeys(schema: TableSchema | undefined, n: number): string[] {
  const cached = schema ? keyCache.get(schema) : undefined;
  if (cached && cached.length >= n) return cached;
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(`${JSON.stringify(schema?.columns[i]?.name ?? `@${i + 1}`)}:`);
  if (schema) keyCache.set(schema, keys);
  return keys;
}

function rowText(row: Row, keys: string[]): string {
  let out = '{';
  let first = true;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === undefined) continue; // not in this row image
    out += (first ? '' : ',') + keys[i]! + valueText(v);
    first = false;
  }
  return out + '}';
}

/** The rows of a rows event as a JSON array text: objects keyed by column name (or `@1`, `@2`, …). */
export function renderRows(rows: DecodedRows, schema: TableSchema | undefined): RawJson {
  const n = rows.rows.length === 0 ? 0 : rows.action === 'update' ? rows.rows[0]!.before.length : rows.rows[0]!.length;
  const keys = columnKeys(schema, n);
  const parts: string[] = [];
  if (rows.action === 'update') for (const c of rows.rows) parts.push(`{"before":${rowText(c.before, keys)},"after":${rowText(c.after, keys)}}`);
  else for (const r of rows.rows) parts.push(rowText(r, keys));
  return new RawJson(`[${parts.join(',')}]`);
}

export interface EventJsonContext {
  /** GTID of the transaction the event belongs to. */
  gtid?: string | undefined;
  /** The TABLE_MAP a rows event refers to. */
  tableMap?: TableMapBody | undefined;
  /** Decoded rows for a rows event, with the schema used. */
  rows?: { decoded: DecodedRows; schema: TableSchema | undefined } | undefined;
  /** Decoding error for the rows (shown instead of rows). */
  rowsError?: string | undefined;
}

export function eventToJson(ev: BinlogEvent, ctx: EventJsonContext = {}): Record<string, JsonLike> {
  const o: Record<string, JsonLike> = {
    file: ev.file,
    pos: ev.offset,
    end_pos: ev.header.logPos,
    type: ev.type,
    timestamp: ev.header.timestamp,
    server_id: ev.header.serverId,
  };
  if (ctx.gtid) o.gtid = ctx.gtid;
  const b = ev.body;
  switch (b.kind) {
    case 'format_description':
      Object.assign(o, { binlog_version: b.binlogVersion, server_version: b.serverVersion, checksum: b.checksumAlg === 1 ? 'CRC32' : b.checksumAlg === 0 ? 'NONE' : null });
      break;
    case 'rotate':
      Object.assign(o, { next_file: b.nextFile, next_pos: b.position, fake: b.fake });
      break;
    case 'query':
      o.schema = b.schema;
      o.query = b.query;
      if (b.statusVars.sqlMode !== undefined) o.sql_mode = b.statusVars.sqlMode;
      if (b.statusVars.timeZone !== undefined) o.time_zone = b.statusVars.timeZone;
      if (b.statusVars.charset) o.charset = { client: b.statusVars.charset.client, connection: b.statusVars.charset.connection, server: b.statusVars.charset.server };
      if (b.errorCode) o.error_code = b.errorCode;
      break;
    case 'xid':
      o.xid = b.xid;
      break;
    case 'table_map':
      Object.assign(o, { table_id: b.tableId, schema: b.schema, table: b.table, column_count: b.columnCount });
      if (b.optionalMetadata.columnNames) o.columns = b.optionalMetadata.columnNames;
      break;
    case 'rows':
      o.table_id = b.tableId;
      if (ctx.tableMap) o.table = `${ctx.tableMap.schema}.${ctx.tableMap.table}`;
      o.action = b.action;
      if (ctx.rows) o.rows = renderRows(ctx.rows.decoded, ctx.rows.schema);
      if (ctx.rowsError) o.error = ctx.rowsError;
      break;
    case 'gtid':
      Object.assign(o, { gtid: b.gtid, last_committed: b.lastCommitted ?? null, sequence_number: b.sequenceNumber ?? null });
      break;
    case 'previous_gtids':
      o.gtid_set = b.gtidSet;
      break;
    case 'mariadb_gtid':
      Object.assign(o, { gtid: b.gtid, standalone: b.standalone });
      if (b.commitId !== undefined) o.commit_id = b.commitId;
      break;
    case 'mariadb_gtid_list':
      o.gtid_set = b.gtidSet;
      break;
    case 'mariadb_binlog_checkpoint':
      o.checkpoint_file = b.file;
      break;
    case 'rows_query':
    case 'mariadb_annotate_rows':
      o.query = b.query;
      break;
    case 'transaction_payload':
      Object.assign(o, { compression: b.compressionType === 0 ? 'ZSTD' : 'NONE', payload_size: b.payloadSize, uncompressed_size: b.uncompressedSize, events: b.events.length });
      break;
    case 'heartbeat':
      Object.assign(o, { log_file: b.logFile, log_pos: b.logPos });
      break;
    case 'intvar':
      Object.assign(o, { var: b.subtypeName, value: b.value });
      break;
    case 'rand':
      Object.assign(o, { seed1: b.seed1, seed2: b.seed2 });
      break;
    case 'user_var':
      Object.assign(o, { name: b.name, value: b.value });
      break;
    case 'xa_prepare':
      Object.assign(o, { one_phase: b.onePhase, format_id: b.formatId, gtrid: renderBuffer(b.gtrid), bqual: renderBuffer(b.bqual) });
      break;
    case 'incident':
      Object.assign(o, { incident: b.incident, message: b.message });
      break;
    case 'load_data':
      o.file_id = b.fileId;
      break;
    case 'unknown':
      Object.assign(o, { ignorable: b.ignorable, size: b.body.length });
      break;
    case 'stop':
      break;
  }
  return o;
}

/** JSON text of a value that may contain bigints (printed as exact number literals). */
export function toJsonText(v: JsonLike): string {
  if (v === null) return 'null';
  if (v instanceof RawJson) return v.text;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
      return `{${Object.entries(v)
        .map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`)
        .join(',')}}`;
  }
}
