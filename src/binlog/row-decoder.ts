/**
 * Turns the row images of a WRITE/UPDATE/DELETE_ROWS event (v1, v2, MariaDB compressed, MySQL
 * PARTIAL_UPDATE_ROWS) into rows of values, using the column types and metadata of the event's TABLE_MAP
 * and a schema that says what the bytes mean. (Pre-GA v0 events, MySQL 5.1.0–5.1.15, share the layout, but
 * their TABLE_MAP has no column metadata, so string columns cannot be sized: they fail with 11054.)
 *
 * Row image layout (sql/rpl_record.cc `pack_row`), repeated until the row data ends:
 *   [value_options, partial bits]   only in the after image of a PARTIAL_UPDATE_ROWS event (see below)
 *   null bitmap                     one bit per column *present in the image*, LSB first
 *   values                          each present, non-NULL column, in column order (column-decoder.ts)
 * An UPDATE row is a before image (columns `columnsPresent`) followed by an after image
 * (`columnsPresentAfter`). A column absent from an image (binlog_row_image=MINIMAL/NOBLOB) is `undefined`
 * in the Row, SQL NULL is `null`; every Row has one entry per table column.
 *
 * PARTIAL_UPDATE_ROWS (MySQL 8.0 binlog_row_value_options=PARTIAL_JSON): only the after image starts with
 * `value_options` (length-encoded; bit 0 = PARTIAL_JSON_UPDATES) and, when that bit is set, a bitmap with
 * one bit per JSON column of the *table* — present in the image or not — in column order
 * (sql/log_event.cc `print_verbose_one_row`). A present, non-NULL JSON column whose bit is set holds a
 * length (as wide as the column's length prefix) and a diff vector instead of a document; it is applied to
 * the same row's before-image document. The before image has no such prefix.
 *
 * Errors: any failure while decoding is a DmError naming the table, row, image and column — 11054
 * (BinlogEventDecode) for truncated or corrupt data; coded errors from below (unsupported type, JSON) keep
 * their code and gain the location. A schema whose column count differs from the binlog's is 36027.
 */
import { BufferReader } from './buffer-reader.js';
import { decodeColumn } from './column-decoder.js';
import { ColumnType, columnTypeName, isNumericType, realType } from './column-type.js';
import type { DecodedRows, RowsBody, TableMapBody, TableMapOptionalMetadata } from './events.js';
import { jsonBinaryToText } from './json/json-binary.js';
import { applyJsonDiffBytes } from './json/json-diff.js';
import type { Row, RowChange } from './row-value.js';
import type { ColumnSchema, TableSchema } from './table-schema.js';
import { charsetOfCollation } from '../mysql/charsets.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** binlog_row_value_options bit: JSON columns of the after image may be logged as diffs. */
const PARTIAL_JSON_UPDATES = 1;

/** How an image is read; only PARTIAL_UPDATE_ROWS events use the two partial kinds. */
const Image = {
  Plain: 0,
  /** Before image of a partial update: JSON columns are also kept raw, to apply the after image's diffs to. */
  PartialBefore: 1,
  /** After image of a partial update: starts with value_options and may hold JSON diffs. */
  PartialAfter: 2,
} as const;
type Image = (typeof Image)[keyof typeof Image];

interface DecodeContext {
  readonly tm: TableMapBody;
  readonly cols: readonly ColumnSchema[];
  /** Partial updates: the ordinal of each JSON column among the table's JSON columns (-1 for others). */
  readonly jsonOrdinal: Int32Array | undefined;
  readonly jsonCount: number;
  /** Partial updates: the current row's before-image JSON documents, raw (null when NULL or absent). */
  readonly jsonBefore: (Buffer | null)[] | undefined;
}

const defaultSchemas = new WeakMap<TableMapBody, TableSchema>();

/**
 * Decodes every row of a rows event. `schema` (the schema tracker's table definition at this binlog
 * position) defaults to what the TABLE_MAP's optional metadata says (`schemaFromTableMap`).
 */
export function decodeRows(rows: RowsBody, tableMap: TableMapBody, schema?: TableSchema): DecodedRows {
  if (rows.version === 0) {
    // MySQL 5.1.0–5.1.15 wrote row images in the storage engine's record layout (e.g. MyISAM reserves a
    // null bit), which cannot be decoded from the binlog alone: say so rather than return shifted values
    throw DmError.of(E.BinlogEventDecode, [
      `pre-GA rows event (MySQL 5.1.0-5.1.15) of ${tableName(tableMap)}: its row images use the engine's record format and are not supported`,
    ]);
  }
  const n = tableMap.columnCount;
  if (rows.columnCount !== n || tableMap.columnTypes.length !== n || tableMap.columnMeta.length !== n) {
    throw DmError.of(E.BinlogEventDecode, [
      `rows event of ${tableName(tableMap)}: ${rows.columnCount} columns, but its TABLE_MAP (table id ${tableMap.tableId}) has ${n}`,
    ]);
  }
  let s = schema;
  if (s === undefined) {
    s = defaultSchemas.get(tableMap);
    if (s === undefined) {
      s = schemaFromTableMap(tableMap);
      defaultSchemas.set(tableMap, s);
    }
  }
  if (s.columns.length !== n) throw DmError.of(E.SyncerUnitDMLColumnNotMatch, [s.columns.length, n]);

  const partial = rows.partial && rows.action === 'update';
  let jsonOrdinal: Int32Array | undefined;
  let jsonCount = 0;
  if (partial) {
    jsonOrdinal = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (tableMap.columnTypes[i] === ColumnType.JSON) jsonOrdinal[i] = jsonCount++;
  }
  const ctx: DecodeContext = {
    tm: tableMap,
    cols: s.columns,
    jsonOrdinal,
    jsonCount,
    jsonBefore: partial ? new Array<Buffer | null>(n).fill(null) : undefined,
  };

  const r = new BufferReader(rows.rowsData);
  const present = rows.columnsPresent;
  const presentCount = countBits(present, n);

  if (rows.action !== 'update') {
    const label = rows.action === 'insert' ? 'after' : 'before';
    const out: Row[] = [];
    while (r.remaining > 0) {
      const at = r.pos;
      out.push(decodeImage(r, ctx, present, presentCount, out.length, label, Image.Plain));
      if (r.pos === at) throw emptyImage(ctx, out.length - 1);
    }
    return { action: rows.action, rows: out };
  }

  const presentAfter = rows.columnsPresentAfter ?? present;
  const presentAfterCount = presentAfter === present ? presentCount : countBits(presentAfter, n);
  const out: RowChange[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    if (partial) ctx.jsonBefore!.fill(null);
    const before = decodeImage(r, ctx, present, presentCount, out.length, 'before', partial ? Image.PartialBefore : Image.Plain);
    const after = decodeImage(r, ctx, presentAfter, presentAfterCount, out.length, 'after', partial ? Image.PartialAfter : Image.Plain);
    out.push({ before, after });
    if (r.pos === at) throw emptyImage(ctx, out.length - 1);
  }
  return { action: 'update', rows: out };
}

/**
 * Whether every column is in the row images (binlog_row_image=FULL). Callers that need whole rows raise
 * 11126 (BinlogNotLogColumn) when this is false.
 */
export function isFullImage(rows: RowsBody): boolean {
  const n = rows.columnCount;
  if (countBits(rows.columnsPresent, n) !== n) return false;
  if (rows.action === 'update' && rows.columnsPresentAfter !== undefined) return countBits(rows.columnsPresentAfter, n) === n;
  return true;
}

/**
 * A schema from a TABLE_MAP's optional metadata (binlog_row_metadata: MINIMAL gives signedness and
 * character sets, FULL adds column names, ENUM/SET members and the primary key). Whatever is missing stays
 * undefined: integers then decode as signed and text as Buffers.
 *
 * The optional metadata lists are positional over subsets of the columns: SIGNEDNESS has one entry per
 * numeric column; DEFAULT_CHARSET overrides and COLUMN_CHARSET count "character" columns; the
 * ENUM_AND_SET_* variants count ENUM and SET columns; ENUM_STR_VALUE and SET_STR_VALUE count ENUM and SET
 * columns respectively. Which columns are "character" differs by server: CHAR, VARCHAR and BLOB/TEXT
 * everywhere, plus VECTOR in MySQL 9 and GEOMETRY in MariaDB (a BLOB underneath). The TABLE_MAP does not
 * say which server wrote it, so pass `flavor` when known; without it the layout of the lists decides
 * (see geometryTakesCharsetSlot), and an undecidable case is read the MySQL way.
 */
export function schemaFromTableMap(tm: TableMapBody, flavor?: 'mysql' | 'mariadb'): TableSchema {
  const md = tm.optionalMetadata;
  const geometryIsCharacter = flavor === undefined ? geometryTakesCharsetSlot(tm) : flavor === 'mariadb';
  const columns: ColumnSchema[] = [];
  let numeric = 0;
  let character = 0;
  let enumOrSet = 0;
  let enums = 0;
  let sets = 0;
  for (let i = 0; i < tm.columnCount; i++) {
    const type = tm.columnTypes[i]!;
    const meta = tm.columnMeta[i]!;
    const real = realType(type, meta);
    const col: { name?: string; unsigned?: boolean; charset?: string; enumValues?: readonly string[]; setValues?: readonly string[] } = {};
    const name = md.columnNames?.[i];
    if (name !== undefined) col.name = name;
    if (isNumericType(type)) {
      const unsigned = md.signedness?.[numeric];
      if (unsigned !== undefined) col.unsigned = unsigned;
      numeric++;
    }
    if (real === ColumnType.ENUM || real === ColumnType.SET) {
      const charset = collationFor(md.enumAndSetColumnCharsets, md.enumAndSetDefaultCharset, enumOrSet);
      if (charset !== undefined) col.charset = charset;
      enumOrSet++;
      if (real === ColumnType.ENUM) {
        const members = md.enumValues?.[enums++];
        if (members !== undefined) col.enumValues = members;
      } else {
        const members = md.setValues?.[sets++];
        if (members !== undefined) col.setValues = members;
      }
    } else if (takesCharsetSlot(real, geometryIsCharacter)) {
      const charset = collationFor(md.columnCharsets, md.defaultCharset, character);
      if (charset !== undefined) col.charset = charset;
      character++;
    }
    columns.push(col);
  }
  const primaryKey = md.simplePrimaryKey ?? md.primaryKeyWithPrefix?.map(([column]) => column) ?? [];
  return { schema: tm.schema, table: tm.table, columns, primaryKey };
}

/** Whether a column of this real type has an entry in DEFAULT_CHARSET / COLUMN_CHARSET. */
function takesCharsetSlot(real: number, geometryIsCharacter: boolean): boolean {
  switch (real) {
    case ColumnType.STRING:
    case ColumnType.VAR_STRING:
    case ColumnType.VARCHAR:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.VECTOR: // only MySQL 9 has this type, and it logs a (binary) collation for it
      return true;
    case ColumnType.GEOMETRY:
      return geometryIsCharacter;
    default:
      return false;
  }
}

/**
 * Whether GEOMETRY columns take a character-set slot (MariaDB) or not (MySQL), judged from the metadata:
 * COLUMN_VISIBILITY is only logged by MySQL; a COLUMN_CHARSET list has one entry per slot, so its length
 * tells; a DEFAULT_CHARSET override beyond the MySQL slot count can only be MariaDB's. Otherwise MySQL.
 */
function geometryTakesCharsetSlot(tm: TableMapBody): boolean {
  const md = tm.optionalMetadata;
  let geometry = 0;
  let others = 0;
  for (let i = 0; i < tm.columnCount; i++) {
    const real = realType(tm.columnTypes[i]!, tm.columnMeta[i]!);
    if (real === ColumnType.GEOMETRY) geometry++;
    else if (takesCharsetSlot(real, false)) others++;
  }
  if (geometry === 0 || md.columnVisibility !== undefined) return false;
  if (md.columnCharsets !== undefined) return md.columnCharsets.length === others + geometry;
  if (md.defaultCharset !== undefined) return md.defaultCharset.overrides.some(([k]) => k >= others);
  return false;
}

/** Character set of the k-th column of a subset, from a per-column list or a default with overrides. */
function collationFor(
  perColumn: readonly number[] | undefined,
  withDefault: TableMapOptionalMetadata['defaultCharset'],
  k: number,
): string | undefined {
  if (perColumn !== undefined) {
    const id = perColumn[k];
    return id === undefined ? undefined : charsetOfCollation(id);
  }
  if (withDefault === undefined) return undefined;
  // overrides are (index within the subset, collation) pairs in ascending order; few enough to scan
  for (const [index, collation] of withDefault.overrides) if (index === k) return charsetOfCollation(collation);
  return charsetOfCollation(withDefault.defaultCollation);
}

/** Reads one row image. `label` and `rowNo` only name the place in errors. */
function decodeImage(
  r: BufferReader,
  ctx: DecodeContext,
  present: Buffer,
  presentCount: number,
  rowNo: number,
  label: string,
  kind: Image,
): Row {
  const { tm, cols } = ctx;
  const n = tm.columnCount;
  const types = tm.columnTypes;
  const metas = tm.columnMeta;
  const row: Row = new Array<Row[number]>(n);
  let i = -1; // -1 while reading the image header
  try {
    let partialBits: Buffer | undefined;
    if (kind === Image.PartialAfter) {
      const valueOptions = r.lenenc();
      if ((valueOptions & PARTIAL_JSON_UPDATES) !== 0) partialBits = r.bytes((ctx.jsonCount + 7) >>> 3);
    }
    const buf = r.buf;
    const nulls = r.pos; // the null bitmap is read in place
    r.skip((presentCount + 7) >>> 3);
    let k = 0; // position among the present columns, for the null bitmap
    for (i = 0; i < n; i++) {
      if ((present[i >>> 3]! & (1 << (i & 7))) === 0) {
        row[i] = undefined;
        continue;
      }
      const isNull = (buf[nulls + (k >>> 3)]! & (1 << (k & 7))) !== 0;
      k++;
      if (isNull) {
        row[i] = null;
        continue;
      }
      const type = types[i]!;
      if (kind !== Image.Plain && type === ColumnType.JSON) {
        row[i] = decodeJsonOfPartialUpdate(r, ctx, i, metas[i]!, kind, partialBits);
      } else {
        row[i] = decodeColumn(r, type, metas[i]!, cols[i]);
      }
    }
  } catch (e) {
    throw locate(e, ctx, rowNo, label, i);
  }
  return row;
}

function decodeJsonOfPartialUpdate(
  r: BufferReader,
  ctx: DecodeContext,
  i: number,
  meta: number,
  kind: Image,
  partialBits: Buffer | undefined,
): string {
  const bytes = r.bytes(r.uintLE(meta));
  if (kind === Image.PartialBefore) {
    const raw = Buffer.from(bytes); // kept beyond this call: the after image's diff applies to it
    ctx.jsonBefore![i] = raw;
    return jsonBinaryToText(raw);
  }
  const ordinal = ctx.jsonOrdinal![i]!;
  if (partialBits !== undefined && (partialBits[ordinal >>> 3]! & (1 << (ordinal & 7))) !== 0) {
    return applyJsonDiffBytes(ctx.jsonBefore![i] ?? null, bytes);
  }
  return jsonBinaryToText(bytes);
}

/** Number of set bits among the first `n` bits of an LSB-first bitmap (bytes past its end count as 0). */
function countBits(bitmap: Buffer, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if ((bitmap[i >>> 3]! & (1 << (i & 7))) !== 0) c++;
  return c;
}

function tableName(tm: TableMapBody): string {
  return `\`${tm.schema}\`.\`${tm.table}\``;
}

/** Wraps a failure with where it happened: table, row, image and column. */
function locate(e: unknown, ctx: DecodeContext, rowNo: number, label: string, i: number): DmError {
  const { tm, cols } = ctx;
  let where = `rows event of ${tableName(tm)}, row ${rowNo} ${label} image, `;
  if (i < 0) {
    where += 'image header';
  } else {
    const name = cols[i]?.name;
    where += `column ${i}${name === undefined ? '' : ` \`${name}\``} (${columnTypeName(tm.columnTypes[i]!)} meta ${tm.columnMeta[i]!})`;
  }
  if (e instanceof DmError) return new DmError(e.def, `${e.detail} (${where})`, { cause: e });
  const reason = e instanceof Error ? e.message : String(e);
  return DmError.of(E.BinlogEventDecode, [`${where}: ${reason}`], { cause: e });
}

function emptyImage(ctx: DecodeContext, rowNo: number): DmError {
  return DmError.of(E.BinlogEventDecode, [
    `rows event of ${tableName(ctx.tm)}, row ${rowNo}: the row image has no columns but the event has more data`,
  ]);
}
