import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferReader, TruncatedError } from './buffer-reader.js';
import { decodeColumn } from './column-decoder.js';
import { ColumnType as T } from './column-type.js';
import type { RowValue } from './row-value.js';
import type { ColumnSchema } from './table-schema.js';
import { DmError } from '../observability/dm-error.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** Little byte factory: integers little-endian, `lp(n, bytes)` a value with an n-byte length prefix. */
const le = (v: number, n: number): Buffer => {
  const b = Buffer.alloc(n);
  b.writeUIntLE(v, 0, n);
  return b;
};
const lp = (n: number, bytes: Buffer): Buffer => Buffer.concat([le(bytes.length, n), bytes]);

/** Decodes one value from `bytes` plus a sentinel byte and checks the value consumed exactly its bytes. */
function dec(type: number, meta: number, bytes: Buffer, col?: ColumnSchema): RowValue {
  const r = new BufferReader(Buffer.concat([bytes, Buffer.from([0xee])]));
  const v = decodeColumn(r, type, meta, col);
  assert.equal(r.remaining, 1, 'reader must stop right after the value');
  return v;
}

const UNSIGNED: ColumnSchema = { unsigned: true };
const UTF8: ColumnSchema = { charset: 'utf8mb4' };
const LATIN1: ColumnSchema = { charset: 'latin1' };
const BINARY: ColumnSchema = { charset: 'binary' };

void describe('integers', () => {
  test('TINY, SHORT, INT24, LONG: signed and unsigned bounds', () => {
    assert.equal(dec(T.TINY, 0, hex('80')), -128);
    assert.equal(dec(T.TINY, 0, hex('7f')), 127);
    assert.equal(dec(T.TINY, 0, hex('ff'), UNSIGNED), 255);
    assert.equal(dec(T.TINY, 0, hex('ff'), { unsigned: false }), -1);
    assert.equal(dec(T.SHORT, 0, hex('0080')), -32768);
    assert.equal(dec(T.SHORT, 0, hex('ffff'), UNSIGNED), 65535);
    assert.equal(dec(T.INT24, 0, hex('000080')), -8388608);
    assert.equal(dec(T.INT24, 0, hex('ffff7f')), 8388607);
    assert.equal(dec(T.INT24, 0, hex('ffffff'), UNSIGNED), 16777215);
    assert.equal(dec(T.LONG, 0, hex('00000080')), -2147483648);
    assert.equal(dec(T.LONG, 0, hex('ffffffff'), UNSIGNED), 4294967295);
  });

  test('LONGLONG is a bigint, unsigned up to 2^64-1', () => {
    assert.equal(dec(T.LONGLONG, 0, hex('0000000000000080')), -9223372036854775808n);
    assert.equal(dec(T.LONGLONG, 0, hex('ffffffffffffff7f')), 9223372036854775807n);
    assert.equal(dec(T.LONGLONG, 0, hex('ffffffffffffffff'), UNSIGNED), 18446744073709551615n);
    assert.equal(dec(T.LONGLONG, 0, hex('ffffffffffffffff')), -1n);
  });
});

void describe('floating point and DECIMAL', () => {
  test('FLOAT is the float32 value, DOUBLE the float64 value', () => {
    const f = Buffer.alloc(4);
    f.writeFloatLE(0.1);
    assert.equal(dec(T.FLOAT, 4, f), Math.fround(0.1));
    f.writeFloatLE(-3.40282e38);
    assert.equal(dec(T.FLOAT, 4, f), Math.fround(-3.40282e38));
    const d = Buffer.alloc(8);
    d.writeDoubleLE(1.7976931348623157e308);
    assert.equal(dec(T.DOUBLE, 8, d), 1.7976931348623157e308);
  });

  test('NEWDECIMAL: meta is precision << 8 | scale', () => {
    assert.equal(dec(T.NEWDECIMAL, (14 << 8) | 4, hex('810DFB38D204D2')), '1234567890.1234');
    assert.equal(dec(T.NEWDECIMAL, (14 << 8) | 4, hex('7EF204C72DFB2D')), '-1234567890.1234');
    assert.equal(dec(T.NEWDECIMAL, (5 << 8) | 5, hex('80c350')), '0.50000');
  });
});

void describe('BIT', () => {
  test('meta is bytes << 8 | bits; the value is ceil(bits/8) big-endian bytes', () => {
    assert.deepEqual(dec(T.BIT, 3, hex('04')), hex('04')); // BIT(3)
    assert.deepEqual(dec(T.BIT, 1, hex('01')), hex('01')); // BIT(1)
    assert.deepEqual(dec(T.BIT, 1 << 8, hex('20')), hex('20')); // BIT(8)
    assert.deepEqual(dec(T.BIT, (1 << 8) | 4, hex('0aaa')), hex('0aaa')); // BIT(12)
    assert.deepEqual(dec(T.BIT, 8 << 8, hex('ffffffffffffffff')), hex('ffffffffffffffff')); // BIT(64)
  });

  test('the value is a view of the event bytes, not a copy (readers never reuse event buffers)', () => {
    const src = hex('0aaa ee');
    const v = decodeColumn(new BufferReader(src), T.BIT, (1 << 8) | 4, undefined) as Buffer;
    assert.deepEqual(v, hex('0aaa'));
    assert.equal(v.buffer, src.buffer);
  });
});

void describe('temporal types', () => {
  test('each type code reaches its decoder with its metadata', () => {
    assert.equal(dec(T.YEAR, 0, hex('7c')), 2024);
    assert.equal(dec(T.YEAR, 0, hex('00')), 0);
    assert.equal(dec(T.DATE, 0, hex('9f1f4e')), '9999-12-31');
    assert.equal(dec(T.NEWDATE, 0, hex('9f1f4e')), '9999-12-31');
    assert.equal(dec(T.TIME, 0, hex('9ff4ff')), '-00:29:13'); // -2913
    assert.equal(dec(T.TIME2, 0, hex('6043e5')), '-507:48:27');
    assert.equal(dec(T.TIME2, 1, hex('7fffffce')), '-00:00:00.5');
    assert.equal(dec(T.DATETIME, 0, hex('7787d105f15a0000')), '9999-12-31 23:59:59');
    assert.equal(dec(T.DATETIME2, 6, hex('99a9085187013c04')), '2021-03-04 05:06:07.080900');
    assert.equal(dec(T.DATETIME2, 0, hex('8000000000')), '0000-00-00 00:00:00');
    assert.equal(dec(T.TIMESTAMP, 0, hex('ffffff7f')), '2038-01-19 03:14:07');
    assert.equal(dec(T.TIMESTAMP2, 4, hex('7fffffff270f')), '2038-01-19 03:14:07.9999');
    assert.equal(dec(T.TIMESTAMP2, 0, hex('00000000')), '0000-00-00 00:00:00');
  });
});

void describe('character data', () => {
  test('VARCHAR: 1-byte length up to a 255-byte maximum, 2-byte above', () => {
    assert.equal(dec(T.VARCHAR, 40, lp(1, Buffer.from('😀ab')), UTF8), '😀ab');
    assert.equal(dec(T.VARCHAR, 255, lp(1, Buffer.from('x')), UTF8), 'x');
    assert.equal(dec(T.VARCHAR, 256, lp(2, Buffer.from('x')), UTF8), 'x');
    assert.equal(dec(T.VARCHAR, 300, lp(2, Buffer.from('é'.repeat(150), 'latin1')), LATIN1), 'é'.repeat(150));
    assert.equal(dec(T.VAR_STRING, 40, lp(1, Buffer.from('abc')), UTF8), 'abc');
    assert.equal(dec(T.VARCHAR, 40, lp(1, Buffer.alloc(0)), UTF8), '');
  });

  test('the column character set decides the text: cp1252 for latin1, UTF-16BE for ucs2', () => {
    assert.equal(dec(T.VARCHAR, 10, lp(1, hex('80 e9')), LATIN1), '€é');
    assert.equal(dec(T.BLOB, 2, lp(2, hex('00750063 00fc 20ac')), { charset: 'ucs2' }), 'ucü€');
    assert.equal(dec(T.BLOB, 3, lp(3, hex('cff0e8e2e5f2')), { charset: 'cp1251' }), 'Привет');
  });

  test('binary character set, no schema or an unknown character set: a Buffer view', () => {
    assert.deepEqual(dec(T.VARCHAR, 10, lp(1, hex('00ff10')), BINARY), hex('00ff10'));
    assert.deepEqual(dec(T.VARCHAR, 10, lp(1, hex('616263'))), hex('616263'));
    assert.deepEqual(dec(T.VARCHAR, 10, lp(1, hex('616263')), { charset: 'klingon' }), hex('616263'));
    assert.deepEqual(dec(T.BLOB, 2, lp(2, hex('deadbeef')), BINARY), hex('deadbeef'));
    const src = Buffer.concat([lp(1, hex('616263')), hex('ee')]);
    const v = decodeColumn(new BufferReader(src), T.VARCHAR, 10, undefined) as Buffer;
    assert.deepEqual(v, hex('616263'));
    assert.equal(v.buffer, src.buffer);
  });

  test('BLOB/TEXT: meta is the width of the length prefix, 1 to 4 bytes', () => {
    for (const n of [1, 2, 3, 4]) assert.equal(dec(T.BLOB, n, lp(n, Buffer.from('tiny')), UTF8), 'tiny');
    assert.equal(dec(T.TINY_BLOB, 1, lp(1, Buffer.from('t')), UTF8), 't');
    assert.equal(dec(T.MEDIUM_BLOB, 3, lp(3, Buffer.from('m')), UTF8), 'm');
    assert.equal(dec(T.LONG_BLOB, 4, lp(4, Buffer.from('l')), UTF8), 'l');
    const big = Buffer.alloc(70000, 0x61);
    assert.equal(dec(T.BLOB, 3, lp(3, big), UTF8), 'a'.repeat(70000));
  });

  test('CHAR: STRING with meta 0xFE << 8 | length; over 255 bytes the length spills into byte0', () => {
    assert.equal(dec(T.STRING, 0xfe0a, lp(1, Buffer.from('abc')), LATIN1), 'abc');
    // CHAR(255) utf8mb4 = 1020 bytes: byte0 = 0xFE ^ ((1020 & 0x300) >> 4) = 0xCE, byte1 = 0xFC
    assert.equal(dec(T.STRING, 0xcefc, lp(2, Buffer.from('😀€')), UTF8), '😀€');
    // CHAR(100) utf8mb4 = 400 bytes: 0x190 -> byte0 0xEE, byte1 0x90
    assert.equal(dec(T.STRING, 0xee90, lp(2, Buffer.from('x')), UTF8), 'x');
    assert.deepEqual(dec(T.STRING, 0xfe0a, lp(1, Buffer.from('abc'))), Buffer.from('abc'));
  });

  test('BINARY(n): the trailing 0x00 the server strips is put back', () => {
    assert.deepEqual(dec(T.STRING, 0xfe04, lp(1, hex('0102')), BINARY), hex('01020000'));
    assert.deepEqual(dec(T.STRING, 0xfe04, lp(1, hex('')), BINARY), hex('00000000'));
    assert.deepEqual(dec(T.STRING, 0xfe04, lp(1, hex('01020304')), BINARY), hex('01020304'));
  });
});

void describe('ENUM and SET', () => {
  const E3: ColumnSchema = { enumValues: ['a', 'b', 'c'] };
  const S3: ColumnSchema = { setValues: ['x', 'y', 'z'] };

  test('ENUM: 1 or 2 bytes by the pack length in meta; 0 is the empty string', () => {
    assert.equal(dec(T.STRING, 0xf701, hex('02'), E3), 'b');
    assert.equal(dec(T.STRING, 0xf701, hex('00'), E3), '');
    assert.equal(dec(T.STRING, 0xf701, hex('02')), 2); // members unknown
    assert.equal(dec(T.STRING, 0xf701, hex('04'), E3), 4); // beyond the known members
    const many = Array.from({ length: 300 }, (_, i) => `v${i + 1}`);
    assert.equal(dec(T.STRING, 0xf702, hex('2c01'), { enumValues: many }), 'v300');
    assert.equal(dec(T.ENUM, 1, hex('03'), E3), 'c'); // the raw ENUM type code
  });

  test('SET: 1-8 bytes; names comma-joined in member order, a bigint mask without members', () => {
    assert.equal(dec(T.STRING, 0xf801, hex('05'), S3), 'x,z');
    assert.equal(dec(T.STRING, 0xf801, hex('00'), S3), '');
    assert.equal(dec(T.STRING, 0xf801, hex('07'), S3), 'x,y,z');
    assert.equal(dec(T.STRING, 0xf801, hex('05')), 5n);
    assert.equal(dec(T.STRING, 0xf801, hex('09'), S3), 9n); // bit 3 has no member: keep the mask
    const m40 = Array.from({ length: 40 }, (_, i) => `m${i}`);
    assert.equal(dec(T.STRING, 0xf805, hex('0100000082'), { setValues: m40 }), 'm0,m33,m39');
    assert.equal(dec(T.STRING, 0xf805, hex('0100000082')), 0x8200000001n);
    const m64 = Array.from({ length: 64 }, (_, i) => `b${i}`);
    assert.equal(dec(T.STRING, 0xf808, hex('0100000000000080'), { setValues: m64 }), 'b0,b63');
    assert.equal(dec(T.SET, 1, hex('02'), S3), 'y'); // the raw SET type code
  });
});

void describe('JSON, GEOMETRY, VECTOR, NULL', () => {
  test('JSON: MySQL binary JSON printed as MySQL prints it; empty is null', () => {
    assert.equal(dec(T.JSON, 4, lp(4, hex('0401'))), 'true');
    assert.equal(dec(T.JSON, 4, lp(4, hex('05 2a00'))), '42');
    // {"a": 1}: small object, 1 member, 12 bytes; key at 11; value inline int16
    assert.equal(dec(T.JSON, 4, lp(4, hex('00 0100 0c00 0b00 0100 05 0100 61'))), '{"a": 1}');
    assert.equal(dec(T.JSON, 4, lp(4, hex(''))), 'null');
  });

  test('GEOMETRY: the internal value (SRID + WKB) as bytes', () => {
    const point = hex('00000000 0101000000 000000000000f03f 0000000000000040');
    assert.deepEqual(dec(T.GEOMETRY, 4, lp(4, point)), point);
  });

  test('VECTOR: float32 little-endian values', () => {
    const v = Buffer.alloc(12);
    v.writeFloatLE(1.5, 0);
    v.writeFloatLE(-2, 4);
    v.writeFloatLE(0.1, 8);
    assert.deepEqual(dec(T.VECTOR, 4, lp(4, v)), [1.5, -2, Math.fround(0.1)]);
    assert.deepEqual(dec(T.VECTOR, 4, lp(4, hex(''))), []);
    assert.throws(() => dec(T.VECTOR, 4, lp(4, hex('000000'))), /not a whole number of float32s/);
  });

  test('the NULL type has no bytes', () => {
    assert.equal(dec(T.NULL, 0, hex('')), null);
  });
});

void describe('errors', () => {
  test('types whose size cannot be known are BinlogColumnTypeNotSupport (11076)', () => {
    for (const type of [T.DECIMAL, T.TYPED_ARRAY, 100]) {
      assert.throws(
        () => decodeColumn(new BufferReader(hex('00')), type, 0, { name: 'c1' }),
        (e: unknown) => e instanceof DmError && e.code === 11076 && /column `c1`/.test(e.message),
      );
    }
    assert.throws(
      () => decodeColumn(new BufferReader(hex('00')), T.STRING, 0x0f01, undefined),
      (e: unknown) => e instanceof DmError && e.code === 11076,
    );
  });

  test('reading past the end is a TruncatedError', () => {
    assert.throws(() => decodeColumn(new BufferReader(hex('05 6162')), T.VARCHAR, 10, UTF8), TruncatedError);
    assert.throws(() => decodeColumn(new BufferReader(hex('ffff')), T.LONG, 0, undefined), TruncatedError);
    assert.throws(() => decodeColumn(new BufferReader(hex('0a000000 0401')), T.JSON, 4, undefined), TruncatedError);
  });
});
