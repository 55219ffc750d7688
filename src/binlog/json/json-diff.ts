/**
 * Partial JSON updates: the JSON diffs MySQL 8.0 writes into PARTIAL_UPDATE_ROWS_EVENT after-images
 * when `binlog_row_value_options=PARTIAL_JSON` (`Json_diff_vector::write_binary`, `apply_json_diffs`
 * in sql/json_diff.cc), and applying them to the before-image to get the after-image.
 *
 * Wire format of one column's diff vector (the bytes after the column's length prefix): a sequence of
 * diffs, each an operation byte (0 REPLACE, 1 INSERT, 2 REMOVE), a length-encoded path, and for
 * REPLACE/INSERT a length-encoded binary JSON value.
 *
 * Invariants:
 * - Paths are the simple ones MySQL writes (`$`, `.key`, `."quoted key"`, `[n]`, `[last-n]`, nested);
 *   wildcards and ranges are rejected.
 * - Application follows MySQL exactly: no auto-wrapping; REPLACE needs the target to exist; INSERT
 *   needs the parent to exist and, in an object, the key to be new (it goes to MySQL's sorted key
 *   position), while in an array it lands at min(index, size); REMOVE needs the target to exist; a
 *   diff on the root is rejected. A diff MySQL would reject is an error here, never silently skipped,
 *   because skipping would replicate a wrong document.
 * - Values are never mutated: containers on the changed path are copied.
 */
import { BufferReader, TruncatedError } from '../buffer-reader.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { JsonBinaryError, jsonBinaryToText, jsonValueToText, parseJsonBinary } from './json-binary.js';
import { compareJsonKeys, findMember, type JsonMember, type JsonValue } from './json-value.js';

/** Operation bytes of the wire format. */
export const JsonDiffOp = { REPLACE: 0, INSERT: 1, REMOVE: 2 } as const;

export type JsonDiff =
  | { readonly operation: 'REPLACE' | 'INSERT'; readonly path: string; readonly value: JsonValue }
  | { readonly operation: 'REMOVE'; readonly path: string };

export type JsonPathLeg =
  | { readonly kind: 'member'; readonly name: string }
  /** `[index]`, or `[last-index]` when `fromEnd`. */
  | { readonly kind: 'cell'; readonly index: number; readonly fromEnd: boolean };

/** A corrupt diff vector (with the offset inside it) or a diff that does not apply to the document. */
export class JsonDiffError extends DmError {
  constructor(
    readonly reason: string,
    readonly offset?: number,
  ) {
    super(E.BinlogEventDecode, E.BinlogEventDecode.message.replace('%s', () => offset === undefined ? `JSON diff: ${reason}` : `JSON diff: ${reason} at offset ${offset}`));
    this.name = 'JsonDiffError';
  }
}

const OPERATIONS = ['REPLACE', 'INSERT', 'REMOVE'] as const;

/**
 * A length-encoded length. Unlike `BufferReader.lenenc`, the NULL marker and 0xff are corruption here
 * and reported as such, and a length beyond the buffer is caught before any read.
 */
function readLength(r: BufferReader): number {
  const at = r.pos;
  const first = r.u8();
  let len: number;
  if (first < 0xfb) len = first;
  else if (first === 0xfc) len = r.u16();
  else if (first === 0xfd) len = r.u24();
  else if (first === 0xfe) {
    const v = r.u64();
    if (v > BigInt(r.remaining)) throw new JsonDiffError(`length ${v} exceeds the ${r.remaining} byte(s) left`, at);
    len = Number(v);
  } else throw new JsonDiffError(`invalid length prefix 0x${first.toString(16)}`, at);
  if (len > r.remaining) throw new JsonDiffError(`length ${len} exceeds the ${r.remaining} byte(s) left`, at);
  return len;
}

/** Parses one JSON column's diff vector (without the column's own length prefix). */
export function parseJsonDiffs(buf: Buffer): JsonDiff[] {
  const r = new BufferReader(buf);
  const diffs: JsonDiff[] = [];
  try {
    while (r.remaining > 0) {
      const opAt = r.pos;
      const op = r.u8();
      const operation = OPERATIONS[op];
      if (operation === undefined) throw new JsonDiffError(`unknown operation ${op}`, opAt);
      const pathAt = r.pos;
      const path = r.str(readLength(r));
      try {
        parseJsonPath(path);
      } catch (e) {
        if (e instanceof JsonDiffError) throw new JsonDiffError(e.reason, pathAt);
        throw e;
      }
      if (operation === 'REMOVE') {
        diffs.push({ operation, path });
        continue;
      }
      const len = readLength(r);
      const valueAt = r.pos;
      let value: JsonValue;
      try {
        value = parseJsonBinary(r.bytes(len));
      } catch (e) {
        if (e instanceof JsonBinaryError) throw new JsonDiffError(`value of ${operation} ${path}: ${e.reason}`, valueAt + e.offset);
        throw e;
      }
      diffs.push({ operation, path, value });
    }
  } catch (e) {
    if (e instanceof TruncatedError) throw new JsonDiffError(`diff truncated (${e.message})`, e.offset);
    throw e;
  }
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// Paths

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses a JSON path of the simple form MySQL writes in diffs. */
export function parseJsonPath(path: string): JsonPathLeg[] {
  const bad = (at: number, why: string): never => {
    throw new JsonDiffError(`invalid path ${JSON.stringify(path)} at character ${at}: ${why}`);
  };
  const n = path.length;
  let i = 0;
  const skip = (): void => {
    while (i < n && isSpace(path.charCodeAt(i))) i++;
  };
  const number = (): number => {
    const from = i;
    while (i < n && isDigit(path.charCodeAt(i))) i++;
    if (i === from) bad(i, 'expected an array index');
    const v = Number(path.slice(from, i));
    if (v > 0xffffffff) bad(from, 'array index too large');
    return v;
  };
  skip();
  if (path.charCodeAt(i) !== 0x24 /* $ */) bad(i, "expected '$'");
  i++;
  const legs: JsonPathLeg[] = [];
  for (;;) {
    skip();
    if (i >= n) return legs;
    const c = path.charCodeAt(i);
    if (c === 0x2e /* . */) {
      i++;
      skip();
      const d = path.charCodeAt(i);
      if (d === 0x2a /* * */) bad(i, 'wildcards are not supported');
      if (d === 0x22 /* " */) {
        const from = i;
        for (i++; i < n && path.charCodeAt(i) !== 0x22; i++) if (path.charCodeAt(i) === 0x5c) i++;
        if (i >= n) bad(from, 'unterminated quoted member name');
        i++;
        let name: unknown;
        try {
          name = JSON.parse(path.slice(from, i));
        } catch {
          bad(from, 'malformed quoted member name');
        }
        legs.push({ kind: 'member', name: name as string });
        continue;
      }
      const from = i;
      while (i < n) {
        const e = path.charCodeAt(i);
        if (e === 0x2e || e === 0x5b || e === 0x2a || e === 0x22 || isSpace(e)) break;
        i++;
      }
      if (i === from) bad(i, 'expected a member name');
      legs.push({ kind: 'member', name: path.slice(from, i) });
      continue;
    }
    if (c === 0x5b /* [ */) {
      i++;
      skip();
      if (path.charCodeAt(i) === 0x2a) bad(i, 'wildcards are not supported');
      let leg: JsonPathLeg;
      if (path.startsWith('last', i)) {
        i += 4;
        skip();
        let index = 0;
        if (path.charCodeAt(i) === 0x2d /* - */) {
          i++;
          skip();
          index = number();
        }
        leg = { kind: 'cell', index, fromEnd: true };
      } else {
        leg = { kind: 'cell', index: number(), fromEnd: false };
      }
      skip();
      if (path.charCodeAt(i) !== 0x5d /* ] */) bad(i, "expected ']' (ranges are not supported)");
      i++;
      legs.push(leg);
      continue;
    }
    if (c === 0x2a) bad(i, "'**' is not supported");
    bad(i, "expected '.' or '['");
  }
}

// ---------------------------------------------------------------------------------------------
// Applying

/** MySQL's `Json_array_index`: the position a cell leg designates, and whether it is an element. */
function cellPosition(leg: { index: number; fromEnd: boolean }, size: number): { pos: number; within: boolean } {
  const within = leg.index < size;
  if (leg.fromEnd) return { pos: within ? size - leg.index - 1 : 0, within };
  return { pos: Math.min(leg.index, size), within };
}

/** Applies diffs in order, as the replica's `apply_json_diffs` does. */
export function applyJsonDiffs(value: JsonValue, diffs: readonly JsonDiff[]): JsonValue {
  let doc = value;
  for (const diff of diffs) {
    const legs = parseJsonPath(diff.path);
    if (legs.length === 0) throw rejected(diff, 'a diff cannot target the document root');
    doc = update(doc, legs, 0, diff);
  }
  return doc;
}

function rejected(diff: JsonDiff, why: string): JsonDiffError {
  return new JsonDiffError(`cannot apply ${diff.operation} at ${diff.path}: ${why}`);
}

/** Returns `node` with the diff applied below it, copying only the containers on the path. */
function update(node: JsonValue, legs: readonly JsonPathLeg[], i: number, diff: JsonDiff): JsonValue {
  const leg = legs[i]!;
  const last = i === legs.length - 1;
  if (node.kind === 'object') {
    if (leg.kind !== 'member') throw rejected(diff, `an array index applied to an object (path leg ${i + 1})`);
    const idx = findMember(node, leg.name);
    if (!last || diff.operation !== 'INSERT') {
      if (idx < 0) throw rejected(diff, `member ${JSON.stringify(leg.name)} not found`);
    } else if (idx >= 0) {
      throw rejected(diff, `member ${JSON.stringify(leg.name)} already exists`);
    }
    const members = node.members.slice();
    if (!last) {
      const m = members[idx]!;
      members[idx] = { key: m.key, value: update(m.value, legs, i + 1, diff) };
    } else if (diff.operation === 'REPLACE') {
      members[idx] = { key: leg.name, value: diff.value };
    } else if (diff.operation === 'REMOVE') {
      members.splice(idx, 1);
    } else {
      members.splice(sortedPosition(members, leg.name), 0, { key: leg.name, value: diff.value });
    }
    return { kind: 'object', members };
  }
  if (node.kind === 'array') {
    if (leg.kind !== 'cell') throw rejected(diff, `a member name applied to an array (path leg ${i + 1})`);
    const { pos, within } = cellPosition(leg, node.items.length);
    const items = node.items.slice();
    if (last && diff.operation === 'INSERT') {
      items.splice(pos, 0, diff.value);
      return { kind: 'array', items };
    }
    if (!within) throw rejected(diff, `array index ${leg.fromEnd ? `last-${leg.index}` : leg.index} out of range (size ${node.items.length})`);
    if (!last) items[pos] = update(items[pos]!, legs, i + 1, diff);
    else if (diff.operation === 'REPLACE') items[pos] = diff.value;
    else items.splice(pos, 1);
    return { kind: 'array', items };
  }
  throw rejected(diff, `path leg ${i + 1} applied to a ${node.kind} value`);
}

/** Where MySQL's key order puts a new key among members that are already in that order. */
function sortedPosition(members: readonly JsonMember[], key: string): number {
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareJsonKeys(members[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The after-image text of a JSON column logged as a partial update: applies the column's diff vector
 * to its before-image (binary JSON). `before` is null when the before-image does not carry the column
 * (binlog_row_image=MINIMAL): MySQL only logs diffs against a non-NULL document, so without that
 * image the new value cannot be known.
 */
export function applyJsonDiffBytes(before: Buffer | null, diffBytes: Buffer): string {
  if (before === null) {
    throw DmError.of(E.BinlogNotLogColumn, [], { cause: 'a partial JSON update needs the JSON column in the before-image' });
  }
  const diffs = parseJsonDiffs(diffBytes);
  if (diffs.length === 0) return jsonBinaryToText(before);
  return jsonValueToText(applyJsonDiffs(parseJsonBinary(before), diffs));
}
