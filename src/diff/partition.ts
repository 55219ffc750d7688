/**
 * A partition is the unit the checksums compare: either a key range `(lower, upper]` (either end open), or a
 * hash bucket `MOD(CRC32(key text), modulus) = residue`. This module turns partitions into WHERE clauses for
 * one side (pure; unit-tested).
 *
 * Both kinds are true partitions on every side at once: a row belongs to exactly one range chunk because each
 * side evaluates the same comparisons with the same collation (the layout guarantees it), and to exactly one
 * bucket because the bucket is a function of the row's bytes. Splitting keeps this: sub-ranges tile the range,
 * and residues r + m·j (j < k) modulo m·k tile residue r modulo m.
 *
 * Tuple comparisons are spelled out (`a > ? OR (a = ? AND b > ?)`) because MariaDB does not use an index for
 * row constructors (`(a, b) > (?, ?)` scans the whole index).
 */
import type { SideSql } from './table-layout.js';

export type KeyTuple = readonly unknown[];

export type Partition =
  | { readonly kind: 'range'; readonly lower: KeyTuple | undefined; readonly upper: KeyTuple | undefined }
  | { readonly kind: 'bucket'; readonly modulus: number; readonly residue: number };

export const WHOLE_RANGE: Partition = Object.freeze({ kind: 'range', lower: undefined, upper: undefined });

export interface SqlPart {
  readonly sql: string;
  readonly params: unknown[];
}

/** `cols > values` (strict) or `cols <= values`, lexicographically, index-friendly. */
export function tupleCompare(cols: readonly string[], values: KeyTuple, op: '>' | '<='): SqlPart {
  if (cols.length === 0 || cols.length !== values.length) throw new Error(`tuple comparison needs matching columns and values (${cols.length} vs ${values.length})`);
  const strict = op === '>' ? '>' : '<';
  const params: unknown[] = [];
  const build = (i: number): string => {
    const c = cols[i]!;
    if (i === cols.length - 1) {
      params.push(values[i]);
      return `${c} ${op} ?`;
    }
    params.push(values[i], values[i]);
    return `(${c} ${strict} ? OR (${c} = ? AND ${build(i + 1)}))`;
  };
  if (cols.length === 1) return { sql: build(0), params };
  // the leading bound on the first column lets the optimizer pick a range scan straight away
  const lead = `${cols[0]!} ${op === '>' ? '>=' : '<='} ?`;
  const body = build(0);
  return { sql: `(${lead} AND ${body})`, params: [values[0], ...params] };
}

/** The bucket number of a row on one side. */
export function bucketExpr(side: SideSql, modulus: number): string {
  return `MOD(CRC32(${side.keyText}), ${modulus})`;
}

/** WHERE clause (without the keyword) selecting the partition's rows on one side; `1=1` for everything. */
export function partitionPredicate(p: Partition, side: SideSql): SqlPart {
  if (p.kind === 'bucket') {
    if (p.modulus <= 1) return { sql: '1=1', params: [] };
    return { sql: `${bucketExpr(side, p.modulus)} = ?`, params: [p.residue] };
  }
  const parts: SqlPart[] = [];
  if (p.lower) parts.push(tupleCompare(side.keyColumns, p.lower, '>'));
  if (p.upper) parts.push(tupleCompare(side.keyColumns, p.upper, '<='));
  if (parts.length === 0) return { sql: '1=1', params: [] };
  return { sql: parts.map((x) => x.sql).join(' AND '), params: parts.flatMap((x) => x.params) };
}

/** Splits bucket (m, r) into k buckets modulo m·k. */
export function splitBucket(p: Extract<Partition, { kind: 'bucket' }>, k: number): Array<Extract<Partition, { kind: 'bucket' }>> {
  const modulus = p.modulus * k;
  return Array.from({ length: k }, (_v, j) => ({ kind: 'bucket' as const, modulus, residue: p.residue + p.modulus * j }));
}

/** Splits range (lower, upper] at ascending inner boundaries b1 < … < bn: (lower, b1], (b1, b2], …, (bn, upper]. */
export function splitRange(p: Extract<Partition, { kind: 'range' }>, boundaries: readonly KeyTuple[]): Array<Extract<Partition, { kind: 'range' }>> {
  const out: Array<Extract<Partition, { kind: 'range' }>> = [];
  let lower = p.lower;
  for (const b of boundaries) {
    out.push({ kind: 'range', lower, upper: b });
    lower = b;
  }
  out.push({ kind: 'range', lower, upper: p.upper });
  return out;
}

/** Human-readable partition: `id in (100, 200]`, `(a, b) in ((1, 'x'), +∞)`, `bucket 3 of 16`. */
export function describePartition(p: Partition, keyNames: readonly string[] | undefined): string {
  if (p.kind === 'bucket') return p.modulus <= 1 ? 'whole table' : `bucket ${p.residue} of ${p.modulus}`;
  if (!p.lower && !p.upper) return 'whole table';
  const names = keyNames ?? [];
  const tuple = (t: KeyTuple): string => (t.length === 1 ? literal(t[0]) : `(${t.map(literal).join(', ')})`);
  const cols = names.length === 1 ? names[0]! : `(${names.join(', ')})`;
  return `${cols} in (${p.lower ? tuple(p.lower) : '-∞'}, ${p.upper ? `${tuple(p.upper)}]` : '+∞)'}`;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `'${s.replace(/'/g, "''")}'`;
}
