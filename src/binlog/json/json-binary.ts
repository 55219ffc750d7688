/**
 * MySQL's binary JSON format (the storage format of JSON columns, as row events carry it;
 * `sql-common/json_binary.cc`) and the exact text MySQL prints for a JSON value (`SELECT col`,
 * `Json_wrapper::to_string`).
 *
 * Layout: one type byte, then the value. Objects and arrays come in a small (16-bit offsets) and a
 * large (32-bit offsets) form: element count, byte size, key entries (offset, length) for objects,
 * value entries (type, offset — or the value itself for literals and 16-bit integers, and for 32-bit
 * integers in the large form), then keys and values. Offsets are relative to the container's start
 * (just after its type byte). Strings and opaque values carry a 7-bits-per-byte length.
 *
 * Invariants:
 * - Every read is bounds-checked against the extent of the enclosing container; a value offset must
 *   point past its container's header, so each nesting step strictly shrinks the extent and corrupt
 *   input can neither loop nor recurse without bound. Corrupt input raises a {@link JsonBinaryError}
 *   carrying the offset (relative to the buffer given), never a RangeError from Node.
 * - {@link jsonBinaryToText} prints straight from the buffer without building the value model.
 * - An empty buffer is JSON null: MySQL's `Field_json::val_json` returns the null literal for a JSON
 *   column holding zero bytes (it happens after forcing NULL/DEFAULT into a NOT NULL JSON column in
 *   non-strict mode, Bug#21437989), so `SELECT` shows `null`; we do the same.
 */
import { BufferReader, TruncatedError } from '../buffer-reader.js';
import { ColumnType } from '../column-type.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import {
  JSON_FALSE,
  JSON_NULL,
  JSON_TRUE,
  jsonInt,
  jsonUint,
  type JsonMember,
  type JsonValue,
} from './json-value.js';

/** Type codes of the binary format. */
export const JsonbType = {
  SMALL_OBJECT: 0x00,
  LARGE_OBJECT: 0x01,
  SMALL_ARRAY: 0x02,
  LARGE_ARRAY: 0x03,
  LITERAL: 0x04,
  INT16: 0x05,
  UINT16: 0x06,
  INT32: 0x07,
  UINT32: 0x08,
  INT64: 0x09,
  UINT64: 0x0a,
  DOUBLE: 0x0b,
  STRING: 0x0c,
  OPAQUE: 0x0f,
} as const;

const LITERAL_NULL = 0x00;
const LITERAL_TRUE = 0x01;
const LITERAL_FALSE = 0x02;

/**
 * Nesting limit. MySQL refuses documents deeper than 100 levels; we allow more so we never reject
 * what MySQL wrote, while still bounding recursion on corrupt input.
 */
const MAX_DEPTH = 1000;

/** A corrupt binary JSON value; `offset` is relative to the buffer that was being decoded. */
export class JsonBinaryError extends DmError {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(E.BinlogEventDecode, E.BinlogEventDecode.message.replace('%s', () => `binary JSON: ${reason} at offset ${offset}`));
    this.name = 'JsonBinaryError';
  }
}

function fail(offset: number, reason: string): never {
  throw new JsonBinaryError(offset, reason);
}

function rethrow(e: unknown): never {
  if (e instanceof TruncatedError) throw new JsonBinaryError(e.offset, `value truncated (${e.message})`);
  throw e;
}

/** Repositions the document's single reader: avoids a reader per value on the hot path. */
function at(r: BufferReader, pos: number, end: number): BufferReader {
  r.pos = pos;
  r.end = end;
  return r;
}

function isContainer(type: number): boolean {
  return type <= JsonbType.LARGE_ARRAY;
}

function isInlined(type: number, large: boolean): boolean {
  switch (type) {
    case JsonbType.LITERAL:
    case JsonbType.INT16:
    case JsonbType.UINT16:
      return true;
    case JsonbType.INT32:
    case JsonbType.UINT32:
      return large;
    default:
      return false;
  }
}

/** The 1..5-byte length of strings and opaque values: 7 bits per byte, least significant first. */
function readVarLength(r: BufferReader): number {
  const start = r.pos;
  let len = 0;
  for (let i = 0; i < 5; i++) {
    const b = r.u8();
    len += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (len > 0xffffffff) fail(start, `variable length ${len} exceeds 32 bits`);
      return len;
    }
  }
  return fail(start, 'variable length longer than 5 bytes');
}

/**
 * Where a container's parts are. Computed once per container; entries are then found by arithmetic,
 * so walking a container allocates nothing per element.
 */
interface Layout {
  readonly start: number;
  readonly end: number;
  readonly large: boolean;
  readonly count: number;
  readonly header: number;
  readonly keyEntries: number;
  readonly valueEntries: number;
}

function readLayout(r: BufferReader, type: number, pos: number, end: number, depth: number): Layout {
  const isObject = type === JsonbType.SMALL_OBJECT || type === JsonbType.LARGE_OBJECT;
  const what = isObject ? 'object' : 'array';
  if (depth > MAX_DEPTH) fail(pos, `${what} nested deeper than ${MAX_DEPTH} levels`);
  const large = (type & 1) === 1;
  const os = large ? 4 : 2;
  at(r, pos, end);
  const count = large ? r.u32() : r.u16();
  const bytes = large ? r.u32() : r.u16();
  if (bytes > end - pos) fail(pos, `${what} size ${bytes} exceeds the ${end - pos} byte(s) available`);
  const keyEntries = pos + 2 * os;
  const valueEntries = keyEntries + (isObject ? count * (os + 2) : 0);
  const header = valueEntries - pos + count * (1 + os);
  if (header > bytes) fail(pos, `${what} of ${count} element(s) does not fit in its size ${bytes}`);
  return { start: pos, end: pos + bytes, large, count, header, keyEntries, valueEntries };
}

/** Decodes key `i` of an object. */
function readKey(r: BufferReader, l: Layout, i: number): string {
  const entry = l.keyEntries + i * (l.large ? 6 : 4);
  at(r, entry, l.end);
  const off = l.large ? r.u32() : r.u16();
  const len = r.u16();
  if (off < l.header || off + len > l.end - l.start) fail(entry, `key offset ${off} length ${len} outside its object (header ${l.header}, size ${l.end - l.start})`);
  return r.buf.toString('utf8', l.start + off, l.start + off + len);
}

/**
 * Resolves value entry `i` to [type, position of its type byte, data start, data end]. Inlined values
 * are decoded from the entry itself, exactly as a top-level scalar is decoded after its type byte.
 * Returned through a scratch tuple to keep the walk allocation-free.
 */
const slot: [type: number, typePos: number, pos: number, end: number] = [0, 0, 0, 0];

function resolveValue(r: BufferReader, l: Layout, i: number): typeof slot {
  const os = l.large ? 4 : 2;
  const entry = l.valueEntries + i * (1 + os);
  at(r, entry, l.end);
  const type = r.u8();
  if (isInlined(type, l.large)) {
    slot[0] = type;
    slot[1] = entry;
    slot[2] = entry + 1;
    slot[3] = entry + 1 + os;
    return slot;
  }
  const off = l.large ? r.u32() : r.u16();
  if (off < l.header || off >= l.end - l.start) fail(entry, `value offset ${off} outside its container (header ${l.header}, size ${l.end - l.start})`);
  slot[0] = type;
  slot[1] = entry;
  slot[2] = l.start + off;
  slot[3] = l.end;
  return slot;
}

// ---------------------------------------------------------------------------------------------
// Parsing into the value model

/** Parses MySQL binary JSON into the value model. An empty buffer is JSON null (see header). */
export function parseJsonBinary(buf: Buffer): JsonValue {
  if (buf.length === 0) return JSON_NULL;
  const r = new BufferReader(buf);
  try {
    return parseValue(r, buf[0]!, 0, 1, buf.length, 0);
  } catch (e) {
    return rethrow(e);
  }
}

function parseValue(r: BufferReader, type: number, typePos: number, pos: number, end: number, depth: number): JsonValue {
  if (isContainer(type)) {
    const l = readLayout(r, type, pos, end, depth + 1);
    if (type === JsonbType.SMALL_OBJECT || type === JsonbType.LARGE_OBJECT) {
      const members: JsonMember[] = new Array<JsonMember>(l.count);
      for (let i = 0; i < l.count; i++) {
        const key = readKey(r, l, i);
        const v = resolveValue(r, l, i);
        members[i] = { key, value: parseValue(r, v[0], v[1], v[2], v[3], depth + 1) };
      }
      return { kind: 'object', members };
    }
    const items: JsonValue[] = new Array<JsonValue>(l.count);
    for (let i = 0; i < l.count; i++) {
      const v = resolveValue(r, l, i);
      items[i] = parseValue(r, v[0], v[1], v[2], v[3], depth + 1);
    }
    return { kind: 'array', items };
  }
  at(r, pos, end);
  switch (type) {
    case JsonbType.LITERAL: {
      const lit = r.u8();
      if (lit === LITERAL_NULL) return JSON_NULL;
      if (lit === LITERAL_TRUE) return JSON_TRUE;
      if (lit === LITERAL_FALSE) return JSON_FALSE;
      return fail(pos, `unknown literal 0x${lit.toString(16)}`);
    }
    case JsonbType.INT16:
      return { kind: 'int', value: r.i16() };
    case JsonbType.UINT16:
      return { kind: 'uint', value: r.u16() };
    case JsonbType.INT32:
      return { kind: 'int', value: r.i32() };
    case JsonbType.UINT32:
      return { kind: 'uint', value: r.u32() };
    case JsonbType.INT64:
      return jsonInt(r.i64());
    case JsonbType.UINT64:
      return jsonUint(r.u64());
    case JsonbType.DOUBLE:
      return { kind: 'double', value: r.f64() };
    case JsonbType.STRING: {
      const len = readVarLength(r);
      return { kind: 'string', value: r.str(len) };
    }
    case JsonbType.OPAQUE: {
      const fieldType = r.u8();
      const len = readVarLength(r);
      return { kind: 'opaque', fieldType, data: Buffer.from(r.bytes(len)) };
    }
    default:
      return fail(typePos, `unknown value type 0x${type.toString(16)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

/**
 * The text MySQL prints for a binary JSON value: `{"a": 1, "b": [1, 2.5, "x"]}`. An empty buffer
 * prints `null` (see header).
 */
export function jsonBinaryToText(buf: Buffer): string {
  if (buf.length === 0) return 'null';
  const r = new BufferReader(buf);
  const out = { s: '' };
  try {
    printValue(r, buf[0]!, 0, 1, buf.length, 0, out);
  } catch (e) {
    rethrow(e);
  }
  return out.s;
}

function printValue(r: BufferReader, type: number, typePos: number, pos: number, end: number, depth: number, out: { s: string }): void {
  if (isContainer(type)) {
    const l = readLayout(r, type, pos, end, depth + 1);
    if (type === JsonbType.SMALL_OBJECT || type === JsonbType.LARGE_OBJECT) {
      out.s += '{';
      for (let i = 0; i < l.count; i++) {
        const key = readKey(r, l, i);
        out.s += (i === 0 ? '' : ', ') + quoteJsonString(key) + ': ';
        const v = resolveValue(r, l, i);
        printValue(r, v[0], v[1], v[2], v[3], depth + 1, out);
      }
      out.s += '}';
    } else {
      out.s += '[';
      for (let i = 0; i < l.count; i++) {
        if (i > 0) out.s += ', ';
        const v = resolveValue(r, l, i);
        printValue(r, v[0], v[1], v[2], v[3], depth + 1, out);
      }
      out.s += ']';
    }
    return;
  }
  at(r, pos, end);
  switch (type) {
    case JsonbType.LITERAL: {
      const lit = r.u8();
      if (lit === LITERAL_NULL) out.s += 'null';
      else if (lit === LITERAL_TRUE) out.s += 'true';
      else if (lit === LITERAL_FALSE) out.s += 'false';
      else fail(pos, `unknown literal 0x${lit.toString(16)}`);
      return;
    }
    case JsonbType.INT16:
      out.s += String(r.i16());
      return;
    case JsonbType.UINT16:
      out.s += String(r.u16());
      return;
    case JsonbType.INT32:
      out.s += String(r.i32());
      return;
    case JsonbType.UINT32:
      out.s += String(r.u32());
      return;
    case JsonbType.INT64:
      out.s += r.i64().toString();
      return;
    case JsonbType.UINT64:
      out.s += r.u64().toString();
      return;
    case JsonbType.DOUBLE:
      out.s += formatJsonDouble(r.f64());
      return;
    case JsonbType.STRING: {
      const len = readVarLength(r);
      out.s += quoteJsonString(r.str(len));
      return;
    }
    case JsonbType.OPAQUE: {
      const fieldType = r.u8();
      const len = readVarLength(r);
      r.need(len);
      out.s += formatOpaque(fieldType, r.buf, r.pos, r.pos + len);
      return;
    }
    default:
      fail(typePos, `unknown value type 0x${type.toString(16)}`);
  }
}

/** The text MySQL prints for a value of the model (same rules as {@link jsonBinaryToText}). */
export function jsonValueToText(value: JsonValue): string {
  const out = { s: '' };
  printModel(value, out);
  return out.s;
}

function printModel(v: JsonValue, out: { s: string }): void {
  switch (v.kind) {
    case 'object':
      out.s += '{';
      for (let i = 0; i < v.members.length; i++) {
        const m = v.members[i]!;
        out.s += (i === 0 ? '' : ', ') + quoteJsonString(m.key) + ': ';
        printModel(m.value, out);
      }
      out.s += '}';
      return;
    case 'array':
      out.s += '[';
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) out.s += ', ';
        printModel(v.items[i]!, out);
      }
      out.s += ']';
      return;
    case 'string':
      out.s += quoteJsonString(v.value);
      return;
    case 'int':
    case 'uint':
      out.s += v.value.toString();
      return;
    case 'double':
      out.s += formatJsonDouble(v.value);
      return;
    case 'boolean':
      out.s += v.value ? 'true' : 'false';
      return;
    case 'null':
      out.s += 'null';
      return;
    case 'opaque':
      out.s += formatOpaque(v.fieldType, v.data, 0, v.data.length);
      return;
  }
}

/**
 * A JSON string literal the way MySQL's `double_quote()` writes it: `"` and `\` escaped, the C escapes
 * \b \f \n \r \t, `\u00xx` (lower-case hex) for the other bytes up to 0x1f; everything else, non-ASCII
 * included, kept as is.
 */
export function quoteJsonString(s: string): string {
  let i = 0;
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || c === 0x22 || c === 0x5c) break;
  }
  if (i === n) return '"' + s + '"';
  let out = '"' + s.slice(0, i);
  let from = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x1f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(from, i) + escapeChar(c);
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    default:
      return '\\u00' + (c < 0x10 ? '0' : '') + c.toString(16);
  }
}

/**
 * A double the way MySQL prints it in JSON: `my_gcvt(d, MY_GCVT_ARG_DOUBLE, 34)`, i.e. the shortest
 * digits that read back as `d`, in fixed notation when the decimal exponent is in [-14, 15] (or the
 * number has a fraction that fixed notation can show), otherwise `1.5e100` / `1e-16` style; then
 * ".0" is appended when the result has neither '.' nor 'e', so a double never reads as an integer
 * (3.0 → "3.0", -0.0 → "-0.0", 1e15 → "1e15", 1e14 → "100000000000000.0").
 */
export function formatJsonDouble(d: number): string {
  // dtoa reports NaN/Infinity as overflow and my_gcvt prints "0"; JSON never stores them anyway.
  if (!Number.isFinite(d)) return '0.0';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const neg = d < 0;
  // toExponential() with no argument gives the shortest round-trip digits, as dtoa mode 0 does.
  const e = (neg ? -d : d).toExponential();
  const ePos = e.indexOf('e');
  const digits = ePos > 1 ? e[0]! + e.slice(2, ePos) : e.slice(0, ePos);
  const decpt = Number(e.slice(ePos + 1)) + 1;
  const len = digits.length;
  let s: string;
  if (decpt >= -14 && (decpt <= 15 || len > decpt)) {
    if (decpt <= 0) s = '0.' + '0'.repeat(-decpt) + digits;
    else if (decpt < len) s = digits.slice(0, decpt) + '.' + digits.slice(decpt);
    else s = digits + '0'.repeat(decpt - len) + '.0';
  } else {
    s = digits[0]! + (len > 1 ? '.' + digits.slice(1) : '') + 'e' + String(decpt - 1);
  }
  return neg ? '-' + s : s;
}

/**
 * How MySQL prints an opaque value (`wrapper_to_string`): NEWDECIMAL as the number, DATE / TIME /
 * DATETIME / TIMESTAMP as a quoted string with 6 fractional digits (DATE without time), VAR_STRING as
 * a string, anything else as `"base64:type<N>:<base64>"` (MySQL's base64 breaks lines every 76
 * characters; the newline is then escaped like any other).
 */
function formatOpaque(fieldType: number, buf: Buffer, start: number, end: number): string {
  switch (fieldType) {
    case ColumnType.NEWDECIMAL:
      return decimalText(buf, start, end);
    case ColumnType.DATE:
    case ColumnType.TIME:
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      if (end - start !== 8) fail(start, `packed temporal value of type ${fieldType} has ${end - start} byte(s), expected 8`);
      return '"' + temporalText(fieldType, buf.readBigInt64LE(start)) + '"';
    case ColumnType.VAR_STRING:
      return quoteJsonString(buf.toString('utf8', start, end));
    default: {
      const b64 = buf.toString('base64', start, end);
      let body = b64;
      if (b64.length > 76) {
        body = b64.slice(0, 76);
        for (let i = 76; i < b64.length; i += 76) body += '\\n' + b64.slice(i, i + 76);
      }
      return `"base64:type${fieldType}:${body}"`;
    }
  }
}

// Bytes used by a group of 0..9 decimal digits in MySQL's binary DECIMAL.
const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000] as const;

function decimalBinarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  return Math.floor(intg / 9) * 4 + DIG2BYTES[intg % 9]! + Math.floor(scale / 9) * 4 + DIG2BYTES[scale % 9]!;
}

/**
 * An opaque NEWDECIMAL: precision, scale, then MySQL's binary DECIMAL (big-endian groups of 9 digits,
 * sign in the inverted top bit, negative numbers stored bitwise-complemented). Printed like
 * `decimal2string`: no leading zeros, exactly `scale` fraction digits (9.00 stays "9.00").
 */
function decimalText(buf: Buffer, start: number, end: number): string {
  if (end - start < 2) fail(start, 'opaque DECIMAL shorter than its precision and scale');
  const precision = buf[start]!;
  const scale = buf[start + 1]!;
  if (scale > precision) fail(start, `opaque DECIMAL scale ${scale} exceeds precision ${precision}`);
  const size = decimalBinarySize(precision, scale);
  if (size !== end - start - 2) fail(start, `opaque DECIMAL(${precision},${scale}) needs ${size} byte(s), has ${end - start - 2}`);
  if (size === 0) return '0';
  let p = start + 2;
  const mask = buf[p]! & 0x80 ? 0 : 0xff;
  let first = true;
  const group = (digits: number): number => {
    const at = p;
    let v = 0;
    for (let k = DIG2BYTES[digits]!; k > 0; k--) {
      let b = buf[p++]! ^ mask;
      if (first) {
        b ^= 0x80;
        first = false;
      }
      v = v * 256 + b;
    }
    if (v >= POW10[digits]!) fail(at, `opaque DECIMAL digit group ${v} has more than ${digits} digit(s)`);
    return v;
  };
  const intg = precision - scale;
  let int = '';
  if (intg % 9) int += String(group(intg % 9));
  for (let g = Math.floor(intg / 9); g > 0; g--) int += String(group(9)).padStart(9, '0');
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === 0x30) i++;
  int = int.length === 0 ? '0' : int.slice(i);
  let frac = '';
  for (let g = Math.floor(scale / 9); g > 0; g--) frac += String(group(9)).padStart(9, '0');
  if (scale % 9) frac += String(group(scale % 9)).padStart(scale % 9, '0');
  // A negative zero keeps its sign, as decimal2string prints it; MySQL never stores one.
  return (mask ? '-' : '') + int + (scale > 0 ? '.' + frac : '');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * MySQL's packed "longlong" temporal formats (`TIME_from_longlong_*_packed`): sign, then the integer
 * part above 24 bits of microseconds. DATETIME/DATE: year*13+month in the top bits, then day (5 bits),
 * hour (5), minute (6), second (6). TIME: hour (10), minute (6), second (6).
 */
function temporalText(fieldType: number, packed: bigint): string {
  const neg = packed < 0n;
  const v = neg ? -packed : packed;
  const micros = Number(v & 0xffffffn);
  const ip = Number(v >> 24n);
  if (fieldType === ColumnType.TIME) {
    const hour = Math.floor(ip / 4096) % 1024;
    const minute = Math.floor(ip / 64) % 64;
    const second = ip % 64;
    return `${neg ? '-' : ''}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(micros, 6)}`;
  }
  const ymd = Math.floor(ip / 131072);
  const hms = ip % 131072;
  const ym = Math.floor(ymd / 32);
  const date = `${pad(Math.floor(ym / 13), 4)}-${pad(ym % 13, 2)}-${pad(ymd % 32, 2)}`;
  if (fieldType === ColumnType.DATE) return date;
  const hour = Math.floor(hms / 4096);
  const minute = Math.floor(hms / 64) % 64;
  const second = hms % 64;
  return `${date} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(micros, 6)}`;
}

// ---------------------------------------------------------------------------------------------
// Serializing (tests, and anything that must hand MySQL a binary JSON value)

/**
 * Encodes a value in MySQL's binary format the way MySQL lays it out: each container in the small
 * form unless an offset or size needs 32 bits, smallest integer width that holds the value, inlined
 * literals and 16-bit integers (and 32-bit integers in large containers). Object members are written
 * in the model's order: MySQL's own documents keep them sorted (see `jsonObjectSorted`).
 */
export function serializeJsonBinary(value: JsonValue): Buffer {
  const { type, data } = encode(value, 0);
  return Buffer.concat([Buffer.of(type), data]);
}

interface Encoded {
  readonly type: number;
  readonly data: Buffer;
}

const INT16_MIN = -0x8000;
const INT16_MAX = 0x7fff;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function intType(v: JsonValue & { kind: 'int' | 'uint' }): number {
  const n = v.value;
  if (v.kind === 'int') {
    if (n >= INT16_MIN && n <= INT16_MAX) return JsonbType.INT16;
    if (n >= INT32_MIN && n <= INT32_MAX) return JsonbType.INT32;
    return JsonbType.INT64;
  }
  if (n <= 0xffff) return JsonbType.UINT16;
  if (n <= 0xffffffff) return JsonbType.UINT32;
  return JsonbType.UINT64;
}

function encodeVarLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

function encode(v: JsonValue, depth: number): Encoded {
  switch (v.kind) {
    case 'null':
      return { type: JsonbType.LITERAL, data: Buffer.of(LITERAL_NULL) };
    case 'boolean':
      return { type: JsonbType.LITERAL, data: Buffer.of(v.value ? LITERAL_TRUE : LITERAL_FALSE) };
    case 'int':
    case 'uint': {
      const type = intType(v);
      const data = Buffer.alloc(type === JsonbType.INT16 || type === JsonbType.UINT16 ? 2 : type === JsonbType.INT32 || type === JsonbType.UINT32 ? 4 : 8);
      if (type === JsonbType.INT16) data.writeInt16LE(Number(v.value));
      else if (type === JsonbType.UINT16) data.writeUInt16LE(Number(v.value));
      else if (type === JsonbType.INT32) data.writeInt32LE(Number(v.value));
      else if (type === JsonbType.UINT32) data.writeUInt32LE(Number(v.value));
      else if (type === JsonbType.INT64) data.writeBigInt64LE(BigInt(v.value));
      else data.writeBigUInt64LE(BigInt(v.value));
      return { type, data };
    }
    case 'double': {
      const data = Buffer.alloc(8);
      data.writeDoubleLE(v.value);
      return { type: JsonbType.DOUBLE, data };
    }
    case 'string': {
      const s = Buffer.from(v.value, 'utf8');
      return { type: JsonbType.STRING, data: Buffer.concat([encodeVarLength(s.length), s]) };
    }
    case 'opaque':
      return { type: JsonbType.OPAQUE, data: Buffer.concat([Buffer.of(v.fieldType), encodeVarLength(v.data.length), v.data]) };
    case 'array':
    case 'object': {
      if (depth >= MAX_DEPTH) throw new RangeError(`JSON value nested deeper than ${MAX_DEPTH} levels`);
      const small = encodeContainer(v, false, depth);
      if (small) return small;
      const large = encodeContainer(v, true, depth);
      if (!large) throw new RangeError('JSON value too large for the binary format');
      return large;
    }
  }
}

/** One container in the small or large form; null when the small form cannot address it. */
function encodeContainer(v: JsonValue & { kind: 'array' | 'object' }, large: boolean, depth: number): Encoded | null {
  const os = large ? 4 : 2;
  const max = large ? 0xffffffff : 0xffff;
  const values = v.kind === 'object' ? v.members.map((m) => m.value) : v.items;
  const keys = v.kind === 'object' ? v.members.map((m) => Buffer.from(m.key, 'utf8')) : [];
  const n = values.length;
  const header = 2 * os + keys.length * (os + 2) + n * (1 + os);
  const parts: Buffer[] = [];
  const keyEntries = Buffer.alloc(keys.length * (os + 2));
  const valueEntries = Buffer.alloc(n * (1 + os));
  let size = header;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.length > 0xffff) throw new RangeError(`JSON object key of ${k.length} bytes is too long`);
    if (size > max) return null;
    writeOffset(keyEntries, i * (os + 2), size, large);
    keyEntries.writeUInt16LE(k.length, i * (os + 2) + os);
    parts.push(k);
    size += k.length;
  }
  for (let i = 0; i < n; i++) {
    const child = values[i]!;
    const e = i * (1 + os);
    const inline = child.kind === 'null' || child.kind === 'boolean' || child.kind === 'int' || child.kind === 'uint' ? encode(child, depth + 1) : null;
    if (inline && isInlined(inline.type, large)) {
      valueEntries[e] = inline.type;
      inline.data.copy(valueEntries, e + 1);
      continue;
    }
    const enc = inline ?? encode(child, depth + 1);
    if (size > max) return null;
    valueEntries[e] = enc.type;
    writeOffset(valueEntries, e + 1, size, large);
    parts.push(enc.data);
    size += enc.data.length;
  }
  if (size > max || n > max) return null;
  const counts = Buffer.alloc(2 * os);
  writeOffset(counts, 0, n, large);
  writeOffset(counts, os, size, large);
  const type = v.kind === 'object' ? (large ? JsonbType.LARGE_OBJECT : JsonbType.SMALL_OBJECT) : large ? JsonbType.LARGE_ARRAY : JsonbType.SMALL_ARRAY;
  return { type, data: Buffer.concat([counts, keyEntries, valueEntries, ...parts]) };
}

function writeOffset(b: Buffer, at: number, v: number, large: boolean): void {
  if (large) b.writeUInt32LE(v, at);
  else b.writeUInt16LE(v, at);
}
