/**
 * MySQL binary DECIMAL (`MYSQL_TYPE_NEWDECIMAL`, the row-image format of every DECIMAL column since 5.0.3)
 * decoded to an exact decimal string.
 *
 * Format (strings/decimal.c `decimal2bin`): the integer digits and the fraction digits are each cut into
 * groups of 9 decimal digits stored as 4-byte big-endian integers; a group of fewer than 9 digits takes
 * 1–4 bytes (see DIG2BYTES). The integer part's short group comes first (most significant), the fraction's
 * short group last. The sign is folded into the first byte: its top bit is flipped for every value, and a
 * negative value additionally has every byte inverted, so the bytes sort like the numbers.
 *
 * Invariants: the result has exactly `scale` fraction digits, no leading zeros in the integer part (a lone
 * "0" when it is empty), a leading "-" only for non-zero negatives; a corrupt group (≥ 10^digits) throws.
 */
import type { BufferReader } from './buffer-reader.js';

/** Bytes needed for 0–9 leftover decimal digits. */
const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const;
const DIGITS_PER_GROUP = 9;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000] as const;

/** Maximum precision and scale MySQL allows for DECIMAL(M,D). */
export const DECIMAL_MAX_PRECISION = 65;
export const DECIMAL_MAX_SCALE = 30;

/** Number of bytes a binary DECIMAL(precision, scale) value occupies. */
export function decimalBinarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  return (
    Math.floor(intg / DIGITS_PER_GROUP) * 4 +
    DIG2BYTES[intg % DIGITS_PER_GROUP]! +
    Math.floor(scale / DIGITS_PER_GROUP) * 4 +
    DIG2BYTES[scale % DIGITS_PER_GROUP]!
  );
}

/**
 * Reads one binary DECIMAL(precision, scale) value and returns it as an exact string with `scale` fraction
 * digits (`"-12.340"`, `"0.00"`, `"0.5"`). Advances the reader past the value.
 */
export function decodeDecimal(r: BufferReader, precision: number, scale: number): string {
  if (
    !Number.isInteger(precision) ||
    !Number.isInteger(scale) ||
    precision < 1 ||
    precision > DECIMAL_MAX_PRECISION ||
    scale < 0 ||
    scale > DECIMAL_MAX_SCALE ||
    scale > precision
  ) {
    throw new RangeError(`invalid DECIMAL(${precision},${scale})`);
  }
  const intg = precision - scale;
  const intFull = Math.floor(intg / DIGITS_PER_GROUP);
  const intLead = intg % DIGITS_PER_GROUP;
  const fracFull = Math.floor(scale / DIGITS_PER_GROUP);
  const fracTail = scale % DIGITS_PER_GROUP;
  const size = intFull * 4 + DIG2BYTES[intLead]! + fracFull * 4 + DIG2BYTES[fracTail]!;

  r.need(size);
  const buf = r.buf;
  const start = r.pos;
  // A clear top bit in the first byte means negative; then every byte is stored inverted.
  const negative = (buf[start]! & 0x80) === 0;
  const mask = negative ? 0xff : 0;
  let p = start;

  let intPart = '';
  if (intLead > 0) {
    const n = DIG2BYTES[intLead]!;
    const v = readGroup(buf, p, n, mask, start, intLead);
    p += n;
    if (v !== 0) intPart = String(v);
  }
  for (let g = 0; g < intFull; g++) {
    const v = readGroup(buf, p, 4, mask, start, DIGITS_PER_GROUP);
    p += 4;
    // Leading zero groups are dropped; after the first non-zero digit every group keeps its 9 digits.
    if (intPart !== '') intPart += String(v).padStart(DIGITS_PER_GROUP, '0');
    else if (v !== 0) intPart = String(v);
  }

  let frac = '';
  let fracZero = true;
  for (let g = 0; g < fracFull; g++) {
    const v = readGroup(buf, p, 4, mask, start, DIGITS_PER_GROUP);
    p += 4;
    if (v !== 0) fracZero = false;
    frac += String(v).padStart(DIGITS_PER_GROUP, '0');
  }
  if (fracTail > 0) {
    const n = DIG2BYTES[fracTail]!;
    const v = readGroup(buf, p, n, mask, start, fracTail);
    p += n;
    if (v !== 0) fracZero = false;
    frac += String(v).padStart(fracTail, '0');
  }
  r.pos = p;

  const isZero = intPart === '' && fracZero;
  let s = intPart === '' ? '0' : intPart;
  if (scale > 0) s += '.' + frac;
  return negative && !isZero ? '-' + s : s;
}

/**
 * Big-endian group of `n` bytes at `p`, un-inverted with `mask`; the value's first byte (at `start`) also
 * has its sign bit flipped back. Throws if the group holds more than `digits` decimal digits.
 */
function readGroup(buf: Buffer, p: number, n: number, mask: number, start: number, digits: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    let b = buf[p + i]! ^ mask;
    if (p + i === start) b ^= 0x80;
    v = v * 256 + b;
  }
  if (v >= POW10[digits]!) throw new RangeError(`corrupt DECIMAL digit group ${v} (more than ${digits} digits)`);
  return v;
}
