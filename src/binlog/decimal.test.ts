import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferReader, TruncatedError } from './buffer-reader.js';
import { decimalBinarySize, decodeDecimal } from './decimal.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** Decodes `bytes` and checks that exactly the value was consumed. */
function dec(bytes: Buffer, precision: number, scale: number): string {
  const r = new BufferReader(Buffer.concat([bytes, Buffer.from([0xee])]));
  const s = decodeDecimal(r, precision, scale);
  assert.equal(r.remaining, 1, 'reader must stop right after the value');
  return s;
}

/**
 * Test-side encoder written from the format description (strings/decimal.c decimal2bin): digit groups of 9
 * as big-endian integers, short groups in DIG2BYTES bytes, sign bit flipped, negatives inverted.
 */
function encode(text: string, precision: number, scale: number): Buffer {
  const neg = text.startsWith('-');
  const [ip = '', fp = ''] = (neg ? text.slice(1) : text).split('.');
  const intDigits = ip.replace(/^0+/, '').padStart(precision - scale, '0');
  if (intDigits.length > precision - scale) throw new Error(`${text} does not fit DECIMAL(${precision},${scale})`);
  const fracDigits = fp.padEnd(scale, '0');
  const dig2bytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
  const out: number[] = [];
  const push = (digits: string): void => {
    if (digits === '') return;
    const n = dig2bytes[digits.length]!;
    let v = Number(digits);
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      bytes.unshift(v & 0xff);
      v = Math.floor(v / 256);
    }
    out.push(...bytes);
  };
  const lead = intDigits.length % 9;
  push(intDigits.slice(0, lead));
  for (let i = lead; i < intDigits.length; i += 9) push(intDigits.slice(i, i + 9));
  for (let i = 0; i + 9 <= fracDigits.length; i += 9) push(fracDigits.slice(i, i + 9));
  push(fracDigits.slice(fracDigits.length - (fracDigits.length % 9)));
  const buf = Buffer.from(out);
  if (neg) for (let i = 0; i < buf.length; i++) buf[i] = buf[i]! ^ 0xff;
  buf[0] = buf[0]! ^ 0x80;
  return buf;
}

void describe('decodeDecimal', () => {
  test('the MySQL manual example: 1234567890.1234 as DECIMAL(14,4)', () => {
    assert.equal(dec(hex('81 0D FB 38 D2 04 D2'), 14, 4), '1234567890.1234');
    assert.deepEqual(encode('1234567890.1234', 14, 4), hex('81 0D FB 38 D2 04 D2'));
  });

  test('negative values invert every byte', () => {
    assert.equal(dec(hex('7E F2 04 C7 2D FB 2D'), 14, 4), '-1234567890.1234');
    assert.equal(dec(hex('7f fa'), 3, 1), '-0.5');
  });

  test('zero keeps the scale and has no sign', () => {
    assert.equal(dec(hex('80 00 00 00 00'), 10, 2), '0.00');
    assert.equal(dec(hex('80 00 00 00 00'), 10, 0), '0');
    // a negative zero is not something servers write, but must not print as "-0.00"
    assert.equal(dec(hex('7f ff ff ff ff'), 10, 2), '0.00');
  });

  test('the integer part has no leading zeros, and is "0" when empty', () => {
    assert.equal(dec(hex('80 05'), 3, 1), '0.5');
    assert.equal(dec(encode('12.5', 12, 2), 12, 2), '12.50');
    assert.equal(dec(encode('0.12345', 5, 5), 5, 5), '0.12345');
    assert.equal(dec(hex('80 30 39'), 5, 5), '0.12345');
    assert.equal(dec(encode('-0.000000001', 18, 9), 18, 9), '-0.000000001');
    assert.equal(dec(encode('1000000000', 19, 0), 19, 0), '1000000000'); // a zero group after the first digit stays
  });

  test('fraction groups keep their leading zeros', () => {
    assert.equal(dec(encode('1.000000001', 10, 9), 10, 9), '1.000000001');
    assert.equal(dec(encode('1.0000000001', 11, 10), 11, 10), '1.0000000001');
  });

  test('maximum precision 65 and scale 30', () => {
    const max = '99999999999999999999999999999999999.999999999999999999999999999999';
    assert.equal(decimalBinarySize(65, 30), 30);
    assert.equal(dec(encode(max, 65, 30), 65, 30), max);
    assert.equal(dec(encode('-' + max, 65, 30), 65, 30), '-' + max);
    assert.equal(dec(encode('0', 65, 30), 65, 30), '0.' + '0'.repeat(30));
    assert.equal(dec(encode('1', 65, 0), 65, 0), '1');
  });

  test('round trips through the encoder for every group shape', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 2000; k++) {
      const precision = 1 + rnd(65);
      const scale = rnd(Math.min(30, precision) + 1);
      const intLen = rnd(precision - scale + 1);
      let ip = '';
      for (let i = 0; i < intLen; i++) ip += String(rnd(10));
      ip = ip.replace(/^0+/, '') || '0';
      let fp = '';
      for (let i = 0; i < scale; i++) fp += String(rnd(10));
      let text = scale > 0 ? `${ip}.${fp}` : ip;
      const zero = /^[0.]+$/.test(text);
      if (!zero && rnd(2) === 1) text = '-' + text;
      const bytes = encode(text, precision, scale);
      assert.equal(bytes.length, decimalBinarySize(precision, scale));
      assert.equal(dec(bytes, precision, scale), text, `DECIMAL(${precision},${scale}) ${text}`);
    }
  });

  test('corrupt digit groups and bad precision/scale are errors', () => {
    // a 4-byte group of 0xFFFFFFFF (after the sign flip) holds more than 9 digits
    assert.throws(() => dec(hex('80 ff ff ff ff'), 10, 0), /corrupt DECIMAL digit group/);
    assert.throws(() => dec(hex('80 0a'), 3, 1), /corrupt DECIMAL digit group/); // 10 in a 1-digit group
    assert.throws(() => decodeDecimal(new BufferReader(Buffer.alloc(40)), 66, 0), /invalid DECIMAL\(66,0\)/);
    assert.throws(() => decodeDecimal(new BufferReader(Buffer.alloc(40)), 10, 31), RangeError);
    assert.throws(() => decodeDecimal(new BufferReader(Buffer.alloc(40)), 3, 4), RangeError);
  });

  test('truncated input is a TruncatedError and consumes nothing', () => {
    const r = new BufferReader(hex('81 0D FB'));
    assert.throws(() => decodeDecimal(r, 14, 4), TruncatedError);
    assert.equal(r.pos, 0);
  });
});
