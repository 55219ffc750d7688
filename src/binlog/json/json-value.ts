/**
 * The value model for MySQL JSON documents, keeping every distinction MySQL's binary format makes:
 * signed and unsigned integers, doubles, the three literals, and "opaque" values (a MySQL column type
 * code plus raw bytes: DECIMAL, DATE, TIME, DATETIME, TIMESTAMP, BLOB, …) that have no JSON text form
 * of their own.
 *
 * Invariants:
 * - Object members stay in the order they were stored. MySQL stores them sorted by key length, then
 *   by key bytes ({@link compareJsonKeys}); code that adds a member inserts it at that sorted place so
 *   the printed text stays what MySQL prints.
 * - Integers are exact: `number` while the value is a safe integer, `bigint` beyond
 *   ({@link jsonInt} / {@link jsonUint} normalise), so equal values have one representation
 *   whatever width the binary format used.
 * - Values are immutable; updates (json-diff.ts) copy the containers on the changed path.
 */

export interface JsonMember {
  readonly key: string;
  readonly value: JsonValue;
}

export interface JsonObject {
  readonly kind: 'object';
  readonly members: readonly JsonMember[];
}

export interface JsonArray {
  readonly kind: 'array';
  readonly items: readonly JsonValue[];
}

export interface JsonString {
  readonly kind: 'string';
  readonly value: string;
}

/** Signed integer (binary INT16 / INT32 / INT64). */
export interface JsonInt {
  readonly kind: 'int';
  readonly value: number | bigint;
}

/** Unsigned integer (binary UINT16 / UINT32 / UINT64): JSON_TYPE() says UNSIGNED INTEGER. */
export interface JsonUint {
  readonly kind: 'uint';
  readonly value: number | bigint;
}

export interface JsonDouble {
  readonly kind: 'double';
  readonly value: number;
}

export interface JsonBoolean {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface JsonNull {
  readonly kind: 'null';
}

/**
 * A MySQL value stored in JSON with its column type code (`enum_field_types`): NEWDECIMAL (246) is
 * precision, scale and binary DECIMAL; DATE (10), TIME (11), DATETIME (12) and TIMESTAMP (7) are 8-byte
 * packed temporal values; anything else (BLOB, BIT, …) is printed as base64.
 */
export interface JsonOpaque {
  readonly kind: 'opaque';
  readonly fieldType: number;
  /** A copy, safe to keep. */
  readonly data: Buffer;
}

export type JsonValue = JsonObject | JsonArray | JsonString | JsonInt | JsonUint | JsonDouble | JsonBoolean | JsonNull | JsonOpaque;

export const JSON_NULL: JsonNull = Object.freeze({ kind: 'null' });
export const JSON_TRUE: JsonBoolean = Object.freeze({ kind: 'boolean', value: true });
export const JSON_FALSE: JsonBoolean = Object.freeze({ kind: 'boolean', value: false });

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

function exactInt(v: number | bigint): number | bigint {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RangeError(`JSON integer must be an integer, got ${v}`);
    return Number.isSafeInteger(v) ? v : BigInt(v);
  }
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

export function jsonInt(v: number | bigint): JsonInt {
  return { kind: 'int', value: exactInt(v) };
}

export function jsonUint(v: number | bigint): JsonUint {
  const value = exactInt(v);
  if (value < 0) throw new RangeError(`unsigned JSON integer must not be negative, got ${value}`);
  return { kind: 'uint', value };
}

export function jsonDouble(value: number): JsonDouble {
  return { kind: 'double', value };
}

export function jsonString(value: string): JsonString {
  return { kind: 'string', value };
}

export function jsonBoolean(value: boolean): JsonBoolean {
  return value ? JSON_TRUE : JSON_FALSE;
}

export function jsonArray(items: readonly JsonValue[]): JsonArray {
  return { kind: 'array', items };
}

/** An object with members in the given order (use {@link jsonObjectSorted} for MySQL's order). */
export function jsonObject(members: readonly JsonMember[]): JsonObject {
  return { kind: 'object', members };
}

/** An object with members sorted the way MySQL stores them. Later duplicates replace earlier ones. */
export function jsonObjectSorted(members: readonly JsonMember[]): JsonObject {
  const byKey = new Map<string, JsonValue>();
  for (const m of members) byKey.set(m.key, m.value);
  const sorted = [...byKey].map(([key, value]) => ({ key, value }));
  sorted.sort((a, b) => compareJsonKeys(a.key, b.key));
  return { kind: 'object', members: sorted };
}

export function jsonOpaque(fieldType: number, data: Buffer): JsonOpaque {
  if (!Number.isInteger(fieldType) || fieldType < 0 || fieldType > 255) throw new RangeError(`opaque field type must be a byte, got ${fieldType}`);
  return { kind: 'opaque', fieldType, data: Buffer.from(data) };
}

/**
 * MySQL's key order for stored objects (`Json_key_comparator`): shorter UTF-8 keys first, then by
 * bytes. Negative when `a` sorts before `b`.
 */
export function compareJsonKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return ab.length - bb.length;
  return Buffer.compare(ab, bb);
}

/** Index of `key` among an object's members, or -1. */
export function findMember(obj: JsonObject, key: string): number {
  const members = obj.members;
  for (let i = 0; i < members.length; i++) if (members[i]!.key === key) return i;
  return -1;
}

/** Structural equality (opaque values compare type and bytes; doubles compare with Object.is so -0 ≠ 0). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  switch (a.kind) {
    case 'null':
      return b.kind === 'null';
    case 'boolean':
    case 'string':
    case 'int':
    case 'uint':
      return b.kind === a.kind && b.value === a.value;
    case 'double':
      return b.kind === 'double' && Object.is(a.value, b.value);
    case 'opaque':
      return b.kind === 'opaque' && a.fieldType === b.fieldType && a.data.equals(b.data);
    case 'array': {
      if (b.kind !== 'array' || a.items.length !== b.items.length) return false;
      for (let i = 0; i < a.items.length; i++) if (!jsonEquals(a.items[i]!, b.items[i]!)) return false;
      return true;
    }
    case 'object': {
      if (b.kind !== 'object' || a.members.length !== b.members.length) return false;
      for (let i = 0; i < a.members.length; i++) {
        const x = a.members[i]!;
        const y = b.members[i]!;
        if (x.key !== y.key || !jsonEquals(x.value, y.value)) return false;
      }
      return true;
    }
  }
}
