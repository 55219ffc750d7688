import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferReader, TruncatedError } from './buffer-reader.js';
import {
  decodeDate,
  decodeDatetime,
  decodeDatetime2,
  decodeTime,
  decodeTime2,
  decodeTimestamp,
  decodeTimestamp2,
  decodeYear,
  formatUtc,
  fractionBytes,
} from './temporal.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** Runs a decoder over `bytes` plus a sentinel and checks that exactly the value was consumed. */
function run<T>(bytes: Buffer, f: (r: BufferReader) => T): T {
  const r = new BufferReader(Buffer.concat([bytes, Buffer.from([0xee])]));
  const v = f(r);
  assert.equal(r.remaining, 1, 'reader must stop right after the value');
  return v;
}

function be(v: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  b.writeUIntBE(v, 0, n);
  return b;
}

/**
 * Test-side encoders following the server's writers (sql-common/my_time.cc *_to_binary), which differ from
 * the readers: they split a packed value with an arithmetic shift and a truncating remainder.
 */
function time2(neg: boolean, h: number, m: number, s: number, micros: number, fsp: number): Buffer {
  const packed = (neg ? -1 : 1) * (((h << 12) | (m << 6) | s) * 2 ** 24 + micros);
  const intPart = Math.floor(packed / 2 ** 24); // >> 24
  const frac = packed - Math.trunc(packed / 2 ** 24) * 2 ** 24; // C remainder: sign of the dividend
  switch (fsp) {
    case 0:
      return be(intPart + 0x800000, 3);
    case 1:
    case 2:
      return Buffer.concat([be(intPart + 0x800000, 3), be(Math.trunc(frac / 10000) & 0xff, 1)]);
    case 3:
    case 4:
      return Buffer.concat([be(intPart + 0x800000, 3), be(Math.trunc(frac / 100) & 0xffff, 2)]);
    default:
      return be(packed + 0x800000000000, 6);
  }
}

function datetime2(y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number, fsp: number): Buffer {
  const ymd = ((y * 13 + mo) << 5) | d;
  const hms = (h << 12) | (mi << 6) | s;
  const int = be(ymd * 2 ** 17 + hms + 0x8000000000, 5);
  return Buffer.concat([int, frac(micros, fsp)]);
}

function frac(micros: number, fsp: number): Buffer {
  if (fsp === 0) return Buffer.alloc(0);
  if (fsp <= 2) return be(micros / 10000, 1);
  if (fsp <= 4) return be(micros / 100, 2);
  return be(micros, 3);
}

void describe('YEAR and DATE', () => {
  test('YEAR: 0 is year 0000, others are 1900 + n', () => {
    assert.equal(run(hex('00'), decodeYear), 0);
    assert.equal(run(hex('01'), decodeYear), 1901);
    assert.equal(run(hex('7c'), decodeYear), 2024);
    assert.equal(run(hex('ff'), decodeYear), 2155);
  });

  test('DATE: zero and partial-zero dates are kept as stored', () => {
    const date = (y: number, m: number, d: number): Buffer => {
      const b = Buffer.alloc(3);
      b.writeUIntLE((y << 9) | (m << 5) | d, 0, 3);
      return b;
    };
    assert.equal(run(date(0, 0, 0), decodeDate), '0000-00-00');
    assert.equal(run(date(2020, 0, 0), decodeDate), '2020-00-00');
    assert.equal(run(date(2020, 2, 0), decodeDate), '2020-02-00');
    assert.equal(run(date(9999, 12, 31), decodeDate), '9999-12-31');
    assert.equal(run(date(1, 1, 1), decodeDate), '0001-01-01');
    assert.equal(run(hex('9f1f4e'), decodeDate), '9999-12-31'); // bytes from a MariaDB binlog
  });
});

void describe('TIME', () => {
  test('old TIME: signed HHMMSS', () => {
    const t = (v: number): Buffer => {
      const b = Buffer.alloc(3);
      b.writeIntLE(v, 0, 3);
      return b;
    };
    assert.equal(run(t(8385959), decodeTime), '838:59:59');
    assert.equal(run(t(-8385959), decodeTime), '-838:59:59');
    assert.equal(run(t(0), decodeTime), '00:00:00');
    assert.equal(run(t(-1), decodeTime), '-00:00:01');
    assert.equal(run(t(123456), decodeTime), '12:34:56');
  });

  test('TIME2 with fsp 0: the time_issue fixture (MySQL 8.0.40) is -507:48:27', () => {
    assert.equal(run(hex('6043e5'), (r) => decodeTime2(r, 0)), '-507:48:27');
    assert.equal(run(hex('800000'), (r) => decodeTime2(r, 0)), '00:00:00');
    assert.equal(run(time2(false, 838, 59, 59, 0, 0), (r) => decodeTime2(r, 0)), '838:59:59');
    assert.equal(run(time2(true, 838, 59, 59, 0, 0), (r) => decodeTime2(r, 0)), '-838:59:59');
  });

  test('TIME2 negative values with a fraction, for every fsp', () => {
    assert.equal(run(hex('7fffff ce'), (r) => decodeTime2(r, 1)), '-00:00:00.5'); // MariaDB bytes
    assert.equal(run(hex('7ffffe fff6'), (r) => decodeTime2(r, 3)), '-00:00:01.001'); // MariaDB bytes
    assert.equal(run(time2(true, 0, 0, 1, 500000, 2), (r) => decodeTime2(r, 2)), '-00:00:01.50');
    assert.equal(run(time2(true, 12, 34, 56, 789000, 4), (r) => decodeTime2(r, 4)), '-12:34:56.7890');
    assert.equal(run(time2(true, 0, 0, 0, 1, 6), (r) => decodeTime2(r, 6)), '-00:00:00.000001');
    assert.equal(run(time2(true, 838, 59, 58, 999999, 6), (r) => decodeTime2(r, 6)), '-838:59:58.999999');
    assert.equal(run(time2(true, 0, 0, 0, 100000, 5), (r) => decodeTime2(r, 5)), '-00:00:00.10000');
  });

  test('TIME2 round trips through the server encoding for fsp 0-6', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 3000; k++) {
      const fsp = rnd(7);
      const neg = rnd(2) === 1;
      const h = rnd(839);
      const m = rnd(60);
      const s = rnd(60);
      const unit = 10 ** (6 - fsp);
      const micros = fsp === 0 ? 0 : rnd(10 ** fsp) * unit;
      const isZero = h === 0 && m === 0 && s === 0 && micros === 0;
      const text =
        (neg && !isZero ? '-' : '') +
        [h, m, s].map((x) => String(x).padStart(2, '0')).join(':') +
        (fsp > 0 ? '.' + String(micros / unit).padStart(fsp, '0') : '');
      assert.equal(run(time2(neg, h, m, s, micros, fsp), (r) => decodeTime2(r, fsp)), text, `fsp ${fsp}`);
    }
  });
});

void describe('DATETIME', () => {
  test('old DATETIME: YYYYMMDDhhmmss as an 8-byte integer', () => {
    const dt = (v: bigint): Buffer => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(v);
      return b;
    };
    assert.equal(run(dt(0n), decodeDatetime), '0000-00-00 00:00:00');
    assert.equal(run(dt(99991231235959n), decodeDatetime), '9999-12-31 23:59:59');
    assert.equal(run(dt(20200000000000n), decodeDatetime), '2020-00-00 00:00:00');
    assert.equal(run(dt(10000101000000n), decodeDatetime), '1000-01-01 00:00:00');
  });

  test('DATETIME2 for fsp 0-6, zero and partial-zero values', () => {
    assert.equal(run(hex('8000000000'), (r) => decodeDatetime2(r, 0)), '0000-00-00 00:00:00');
    assert.equal(run(hex('8000000000 00'), (r) => decodeDatetime2(r, 2)), '0000-00-00 00:00:00.00');
    assert.equal(run(datetime2(2020, 2, 0, 10, 11, 12, 0, 0), (r) => decodeDatetime2(r, 0)), '2020-02-00 10:11:12');
    assert.equal(run(datetime2(9999, 12, 31, 23, 59, 59, 990000, 2), (r) => decodeDatetime2(r, 2)), '9999-12-31 23:59:59.99');
    assert.equal(run(datetime2(2021, 3, 4, 5, 6, 7, 80000, 1), (r) => decodeDatetime2(r, 1)), '2021-03-04 05:06:07.0');
    assert.equal(run(datetime2(2021, 3, 4, 5, 6, 7, 80900, 3), (r) => decodeDatetime2(r, 3)), '2021-03-04 05:06:07.080');
    assert.equal(run(datetime2(2021, 3, 4, 5, 6, 7, 80900, 4), (r) => decodeDatetime2(r, 4)), '2021-03-04 05:06:07.0809');
    assert.equal(run(datetime2(2021, 3, 4, 5, 6, 7, 80900, 5), (r) => decodeDatetime2(r, 5)), '2021-03-04 05:06:07.08090');
    assert.equal(run(datetime2(1000, 1, 1, 0, 0, 0, 0, 6), (r) => decodeDatetime2(r, 6)), '1000-01-01 00:00:00.000000');
    assert.equal(run(datetime2(9999, 12, 31, 23, 59, 59, 999999, 6), (r) => decodeDatetime2(r, 6)), '9999-12-31 23:59:59.999999');
    // MariaDB 10.11 bytes for '2021-03-04 05:06:07.080900' DATETIME(6)
    assert.equal(run(hex('99a9085187 013c04'), (r) => decodeDatetime2(r, 6)), '2021-03-04 05:06:07.080900');
  });
});

void describe('TIMESTAMP', () => {
  test('old TIMESTAMP: UTC text; 0 is the zero timestamp', () => {
    const ts = (v: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    assert.equal(run(ts(0), decodeTimestamp), '0000-00-00 00:00:00');
    assert.equal(run(ts(1), decodeTimestamp), '1970-01-01 00:00:01');
    assert.equal(run(ts(2147483647), decodeTimestamp), '2038-01-19 03:14:07');
    assert.equal(run(ts(951825600), decodeTimestamp), '2000-02-29 12:00:00');
  });

  test('TIMESTAMP2 with fractions', () => {
    assert.equal(run(hex('00000000'), (r) => decodeTimestamp2(r, 0)), '0000-00-00 00:00:00');
    assert.equal(run(hex('00000000 0000'), (r) => decodeTimestamp2(r, 3)), '0000-00-00 00:00:00.000');
    assert.equal(run(hex('7fffffff 270f'), (r) => decodeTimestamp2(r, 4)), '2038-01-19 03:14:07.9999');
    assert.equal(run(hex('7fffffff 0f423f'), (r) => decodeTimestamp2(r, 6)), '2038-01-19 03:14:07.999999');
    assert.equal(run(hex('00000001 000001'), (r) => decodeTimestamp2(r, 6)), '1970-01-01 00:00:01.000001');
    assert.equal(run(hex('38bbb4c0 07a120'), (r) => decodeTimestamp2(r, 6)), '2000-02-29 12:00:00.500000');
    assert.equal(run(hex('5e0b7b00 32'), (r) => decodeTimestamp2(r, 1)), '2019-12-31 16:44:48.5');
  });

  test('formatUtc agrees with Date for arbitrary instants', () => {
    let seed = 3;
    for (let k = 0; k < 2000; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const s = 1 + (seed % 0xfffffffe);
      const want = new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19);
      assert.equal(formatUtc(s, 0, 0), want);
    }
  });
});

void describe('errors', () => {
  test('fsp outside 0-6 is rejected', () => {
    assert.throws(() => decodeTime2(new BufferReader(Buffer.alloc(8)), 7), /fractional seconds precision 7/);
    assert.throws(() => decodeDatetime2(new BufferReader(Buffer.alloc(8)), -1), RangeError);
    assert.throws(() => decodeTimestamp2(new BufferReader(Buffer.alloc(8)), 1.5), RangeError);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(fractionBytes), [0, 1, 1, 2, 2, 3, 3]);
  });

  test('truncated values throw TruncatedError', () => {
    assert.throws(() => decodeDatetime2(new BufferReader(hex('99a9085187 01')), 6), TruncatedError);
    assert.throws(() => decodeDate(new BufferReader(hex('9f1f'))), TruncatedError);
  });
});
