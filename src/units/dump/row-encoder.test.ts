import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textRowPayload as rowPayload } from './raw-query.js';
import { columnEncoding, Enc, RowEncoder, type ColumnInfo } from './row-encoder.js';

function encode(cols: Array<Pick<ColumnInfo, 'dataType' | 'charset'>>, values: ReadonlyArray<Buffer | string | null>, prefix = Buffer.alloc(0)): string {
  const enc = new RowEncoder(cols);
  const p = Buffer.concat([prefix, rowPayload(values)]);
  const out = Buffer.alloc(enc.maxEncodedSize(p.length));
  const n = enc.encode(p, prefix.length, p.length, out, 0);
  assert.ok(n <= out.length);
  return out.toString('latin1', 0, n);
}

/** Reference: mysql_real_escape_string minus `"`. */
function refEscape(b: Buffer): string {
  let s = "'";
  for (const c of b) {
    const m: Record<number, string> = { 0: '\\0', 10: '\\n', 13: '\\r', 26: '\\Z', 39: "\\'", 92: '\\\\' };
    s += m[c] ?? String.fromCharCode(c);
  }
  return `${s}'`;
}

test('column encodings from information_schema types', () => {
  assert.equal(columnEncoding({ dataType: 'bigint', charset: null }), Enc.Raw);
  assert.equal(columnEncoding({ dataType: 'decimal', charset: null }), Enc.Raw);
  assert.equal(columnEncoding({ dataType: 'year', charset: null }), Enc.Raw);
  assert.equal(columnEncoding({ dataType: 'datetime', charset: null }), Enc.Quoted);
  assert.equal(columnEncoding({ dataType: 'varchar', charset: 'utf8mb4' }), Enc.Escaped);
  assert.equal(columnEncoding({ dataType: 'enum', charset: 'utf8mb3' }), Enc.Escaped);
  assert.equal(columnEncoding({ dataType: 'longtext', charset: 'utf8mb4' }), Enc.Escaped);
  assert.equal(columnEncoding({ dataType: 'json', charset: null }), Enc.Utf8Text);
  assert.equal(columnEncoding({ dataType: 'inet6', charset: null }), Enc.Utf8Text);
  assert.equal(columnEncoding({ dataType: 'uuid', charset: null }), Enc.Utf8Text);
  assert.equal(columnEncoding({ dataType: 'varchar', charset: 'latin1' }), Enc.AsciiOrHex);
  assert.equal(columnEncoding({ dataType: 'char', charset: 'ucs2' }), Enc.CharsetHex);
  assert.equal(columnEncoding({ dataType: 'blob', charset: null }), Enc.Hex);
  assert.equal(columnEncoding({ dataType: 'bit', charset: null }), Enc.Hex);
  assert.equal(columnEncoding({ dataType: 'point', charset: null }), Enc.Hex);
  assert.equal(columnEncoding({ dataType: 'varchar', charset: 'binary' }), Enc.Hex);
});

test('one literal per kind, NULL and empty values', () => {
  const cols = [
    { dataType: 'int', charset: null },
    { dataType: 'decimal', charset: null },
    { dataType: 'datetime', charset: null },
    { dataType: 'varchar', charset: 'utf8mb4' },
    { dataType: 'varbinary', charset: null },
    { dataType: 'varchar', charset: 'latin1' },
    { dataType: 'varchar', charset: 'latin1' },
    { dataType: 'char', charset: 'ucs2' },
    { dataType: 'blob', charset: null },
    { dataType: 'text', charset: 'utf8mb4' },
    { dataType: 'inet6', charset: null },
  ];
  const got = encode(cols, ['-12', '0.000100', '0000-00-00 00:00:00.000000', "it's", Buffer.from([0, 255]), 'plain', Buffer.from([0xe9]), Buffer.from([0, 0x41]), '', null, '::1']);
  assert.equal(got, "(-12,0.000100,'0000-00-00 00:00:00.000000','it\\'s',0x00FF,'plain',_latin1 0xE9,_ucs2 0x0041,'',NULL,_utf8mb4'::1')");
  assert.equal(encode([{ dataType: 'char', charset: 'ucs2' }], ['']), "(_ucs2 '')");
});

test('every byte value escapes exactly like mysql_real_escape_string (UTF-8 columns)', () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  assert.equal(encode([{ dataType: 'text', charset: 'utf8mb4' }], [all]), `(${refEscape(all)})`);
});

for (const staged of [false, true]) {
  test(`escapes are found whatever surrounds the row in the packet buffer (${staged ? 'staged copy' : 'direct'})`, () => {
    const cols = [{ dataType: 'int', charset: null }, { dataType: 'text', charset: 'utf8mb4' }, { dataType: 'text', charset: 'utf8mb4' }, { dataType: 'blob', charset: null }];
    const STAGE = 64 * 1024;
    const ws = Buffer.alloc(STAGE + (1 << 20));
    const enc = staged ? new RowEncoder(cols, ws, STAGE) : new RowEncoder(cols);
    const out = staged ? ws : Buffer.alloc(1 << 20);
    // rows back to back as mysql2 hands them: 4-byte packet headers (with 0x00, and sequence ids that hit
    // every escaped byte value) between payloads, then an EOF packet
    const rows: Array<[string, string, string, Buffer]> = [];
    for (let i = 0; i < 600; i++) {
      const s1 = i % 7 === 0 ? `a'b\\c${'x'.repeat(i % 40)}` : i % 11 === 0 ? '' : 'y'.repeat(i % 60);
      const s2 = i % 5 === 0 ? `line\nbreak\r\0\x1a${i}` : `z${'w'.repeat(20 + (i % 300))}`;
      rows.push([String(i), s1, s2, Buffer.from([i & 0xff, 0, 0x27])]);
    }
    const parts: Buffer[] = [];
    const spans: Array<[number, number]> = [];
    let off = 0;
    for (const [i, r] of rows.entries()) {
      const p = rowPayload(r);
      const h = Buffer.from([p.length & 0xff, (p.length >> 8) & 0xff, 0, i & 0xff]);
      parts.push(h, p);
      spans.push([off + 4, off + 4 + p.length]);
      off += 4 + p.length;
    }
    parts.push(Buffer.from([5, 0, 0, 0, 0xfe, 0, 0, 0x22, 0]));
    const stream = Buffer.concat(parts);
    // cut into 8 KiB "socket chunks" like mysql2: rows inside a chunk are views into it, a row crossing a
    // chunk boundary is reassembled into a buffer of its own (header at 0)
    const views: Array<[Buffer, number, number]> = [];
    const chunks: Buffer[] = [];
    for (let c = 0; c < stream.length; c += 8192) chunks.push(Buffer.from(stream.subarray(c, c + 8192)));
    for (const [s, e] of spans) {
      const c = Math.floor((s - 4) / 8192);
      if (Math.floor((e - 1) / 8192) === c) views.push([chunks[c]!, s - c * 8192, e - c * 8192]);
      else views.push([Buffer.from(stream.subarray(s - 4, e)), 4, 4 + e - s]);
    }
    const before = chunks.map((c) => Buffer.from(c));
    for (const [i, [b0, s, e]] of views.entries()) {
      const n = enc.encode(b0, s, e, out, STAGE);
      const [a, b, c, d] = rows[i]!;
      assert.equal(out.toString('utf8', STAGE, n), `(${a},${refEscape(Buffer.from(b))},${refEscape(Buffer.from(c))},0x${d.toString('hex').toUpperCase()})`, `row ${i}`);
    }
    assert.ok(chunks.every((c, i) => c.equals(before[i]!)), 'the source buffers are never written');
  });
}

test('long values use 2-, 3- and 8-byte length prefixes', () => {
  const cols = [{ dataType: 'text', charset: 'utf8mb4' }, { dataType: 'blob', charset: null }];
  const big = 'q'.repeat(70_000);
  const got = encode(cols, ['p'.repeat(300), Buffer.alloc(70_000, 0xab)]);
  assert.equal(got, `('${'p'.repeat(300)}',0x${'AB'.repeat(70_000)})`);
  assert.equal(encode([cols[0]!], [big]), `('${big}')`);
});

test('truncated or over-long payloads are rejected', () => {
  const enc = new RowEncoder([{ dataType: 'int', charset: null }]);
  const out = Buffer.alloc(100);
  const p = rowPayload(['12345']);
  assert.throws(() => enc.encode(p, 0, p.length - 1, out, 0), RangeError);
  const two = rowPayload(['1', '2']);
  assert.throws(() => enc.encode(two, 0, two.length, out, 0), RangeError);
});
