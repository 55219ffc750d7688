import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../../observability/dm-error.js';
import { BufferReader } from '../buffer-reader.js';
import { MariadbGtidSet } from './mariadb-gtid-set.js';
import { MYSQL_MAX_GNO, MysqlGtidSet } from './mysql-gtid-set.js';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const U2 = '8ba3d2e4-1f2a-11ee-a6b0-0242ac110002';
const U0 = '00000000-0000-0000-0000-000000000001';

function p(text: string): MysqlGtidSet {
  return MysqlGtidSet.parse(text);
}

function throwsCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof DmError && e.code === code, `expected DmError ${code}`);
}

void test('parse/format round trip of the canonical form', () => {
  for (const s of [
    '',
    `${U1}:1-5`,
    `${U1}:1-5:7-9`,
    `${U1}:1-5:7-9,${U2}:1`,
    `${U1}:3:5:7`,
    `${U1}:1-9223372036854775806`,
    `${U1}:1-5:a:1:b_2:4-6`,
    `${U1}:mytag:1-2`,
  ]) {
    assert.equal(p(s).toString(), s);
    assert.equal(p(p(s).toString()).toString(), s);
  }
});

void test('UUIDs are lower-cased and sorted; intervals sorted and merged; singles printed alone', () => {
  assert.equal(p(`${U2.toUpperCase()}:1,${U1}:7-9:1-5`).toString(), `${U1}:1-5:7-9,${U2}:1`);
  assert.equal(p(`${U1}:1-3:4-5:7`).toString(), `${U1}:1-5:7`, 'adjacent intervals merge');
  assert.equal(p(`${U1}:5-10:1-6`).toString(), `${U1}:1-10`, 'overlapping intervals merge');
  assert.equal(p(`${U1}:3-3`).toString(), `${U1}:3`);
  assert.equal(p(`${U1}:1-10:2-3:5`).toString(), `${U1}:1-10`, 'contained intervals vanish');
  assert.equal(p(`${U1}:9:1:5:3:7:2:4:6:8`).toString(), `${U1}:1-9`);
  assert.equal(p(`${U1}:1,${U1}:2-4`).toString(), `${U1}:1-4`, 'a UUID repeated in the text merges');
  assert.equal(p(`${U2}:1,${U0}:1,${U1}:1`).toString(), `${U0}:1,${U1}:1,${U2}:1`);
});

void test('whitespace and empty elements are accepted as MySQL accepts them', () => {
  const want = `${U1}:1-5:7,${U2}:1`;
  assert.equal(p(`${U1}:1-5:7,\n${U2}:1`).toString(), want, '@@gtid_executed style');
  assert.equal(p(`  ${U1} : 1 - 5 : 7 ,\n\t ${U2}:1 \n`).toString(), want);
  assert.equal(p(`,,${U1}:1-5:7,,${U2}:1,`).toString(), want);
  assert.ok(p(' \n ').isEmpty());
  assert.ok(p(',, ,').isEmpty());
  assert.ok(p(U1).isEmpty(), 'a UUID without intervals adds nothing');
  assert.ok(p(`${U1}:tag`).isEmpty(), 'a tag without intervals adds nothing');
  // The server's own separator can be reproduced for display.
  assert.equal(p(want).toString(',\n'), `${U1}:1-5:7,\n${U2}:1`);
});

void test('tagged GTIDs: tags normalised to lower case, untagged first then tags in order', () => {
  const s = p(`${U1}:TAG1:1-5:Tag2:3:1,${U1}:1-2`);
  assert.equal(s.toString(), `${U1}:1-2:tag1:1-5:tag2:1:3`);
  assert.ok(s.hasTags());
  assert.equal(p(`${U1}:b:1,${U1}:a:2,${U1}:3`).toString(), `${U1}:3:a:2:b:1`);
  assert.equal(p(`${U1}:_x:1`).toString(), `${U1}:_x:1`);
  assert.equal(p(`${U1}: t :1`).toString(), `${U1}:t:1`, 'spaces around a tag');
  assert.equal(p(`${U1}:t1:1:t2:2,${U2}:3`).toString(), `${U1}:t1:1:t2:2,${U2}:3`);
  const t32 = 'a'.repeat(32);
  assert.equal(p(`${U1}:${t32}:1`).toString(), `${U1}:${t32}:1`);
  throwsCode(() => p(`${U1}:${'a'.repeat(33)}:1`), 11059);
  // The tag belongs to its UUID only; a tag is not a separate TSID from the same tag on another UUID.
  assert.ok(!p(`${U1}:t:1`).contains(p(`${U2}:t:1`)));
  assert.ok(!p(`${U1}:t:1`).contains(p(`${U1}:1`)));
  assert.ok(!p(`${U1}:1`).contains(p(`${U1}:t:1`)));
  assert.ok(!p(`${U1}:1`).hasTags());
});

void test('invalid text throws BinlogGTIDMySQLNotValid (11059)', () => {
  for (const bad of [
    'abc',
    `${U1.slice(0, 35)}:1`,
    `${U1}x:1`,
    `${U1}:`,
    `${U1}:0`,
    `${U1}:1-`,
    `${U1}:5-3`,
    `${U1}:01`,
    `${U1}:0x10`,
    `${U1}:-1`,
    `${U1}:9223372036854775807`,
    `${U1}:1-9223372036854775807`,
    `${U1}:1 x`,
    `${U1}::1`,
    `${U1}:1abc`,
    `${U1}:t-1:1`,
    `${U1}:1;${U2}:1`,
    `${U1} ${U2}:1`,
    'ANONYMOUS',
  ]) {
    throwsCode(() => p(bad), 11059);
  }
  try {
    p('nonsense');
    assert.fail('no throw');
  } catch (e) {
    assert.ok(e instanceof DmError);
    assert.match(e.message, /GTID set string nonsense for MySQL not valid/);
  }
});

void test('add() single GTIDs: merges into intervals, in any order; bad input is ParseGTID (11009)', () => {
  const s = new MysqlGtidSet();
  for (let i = 1; i <= 5; i++) s.add(`${U1}:${i}`);
  assert.equal(s.toString(), `${U1}:1-5`);
  s.add(`${U1}:7`);
  s.add(`${U1}:9`);
  assert.equal(s.toString(), `${U1}:1-5:7:9`);
  s.add(`${U1}:8`);
  assert.equal(s.toString(), `${U1}:1-5:7-9`);
  s.add(`${U1}:6`);
  assert.equal(s.toString(), `${U1}:1-9`);
  s.add(`${U1}:3`);
  assert.equal(s.toString(), `${U1}:1-9`, 'adding a present GTID is a no-op');
  s.add(`${U2.toUpperCase()}:TAG:4`);
  s.add(`${U1}:tag:1`);
  assert.equal(s.toString(), `${U1}:1-9:tag:1,${U2}:tag:4`);
  s.addGtid(U2, 5n, 'tag');
  s.addGtid(U2, 1);
  assert.equal(s.toString(), `${U1}:1-9:tag:1,${U2}:1:tag:4-5`);
  s.add(` ${U1} : 10 `);
  assert.equal(s.toString(), `${U1}:1-10:tag:1,${U2}:1:tag:4-5`);

  for (const bad of [`${U1}`, `${U1}:0`, `${U1}:1-2`, `${U1}:a:b:1`, 'x:1', `${U1}:9223372036854775807`, `${U1}:1a:1`, `${U1}:`]) {
    throwsCode(() => s.add(bad), 11009);
  }
  throwsCode(() => s.addGtid('not-a-uuid', 1n), 11013);
  throwsCode(() => s.addGtid(U1, 0n), 11009);
  throwsCode(() => s.addGtid(U1, MYSQL_MAX_GNO + 1n), 11009);
  throwsCode(() => s.addGtid(U1, 1.5), 11009);
  s.addGtid(U1, MYSQL_MAX_GNO);
  assert.ok(s.containsGtid(U1, MYSQL_MAX_GNO));
});

void test('adding intervals out of order keeps the normal form', () => {
  const s = new MysqlGtidSet();
  // A deterministic shuffle of 1..200 with some holes.
  const gnos = Array.from({ length: 200 }, (_, i) => i + 1).filter((g) => g % 37 !== 0);
  for (let i = 0; i < gnos.length; i++) {
    const j = (i * 7919) % gnos.length;
    [gnos[i], gnos[j]] = [gnos[j]!, gnos[i]!];
  }
  for (const g of gnos) s.addGtid(U1, g);
  assert.equal(s.toString(), `${U1}:1-36:38-73:75-110:112-147:149-184:186-200`);
});

void test('union returns a new set and leaves both operands alone', () => {
  const a = p(`${U1}:1-5,${U2}:1`);
  const b = p(`${U1}:4-8:10,${U0}:3,${U2}:t:2`);
  const u = a.union(b);
  assert.equal(u.toString(), `${U0}:3,${U1}:1-8:10,${U2}:1:t:2`);
  assert.equal(a.toString(), `${U1}:1-5,${U2}:1`);
  assert.equal(b.toString(), `${U0}:3,${U1}:4-8:10,${U2}:t:2`);
  assert.ok(u.contains(a) && u.contains(b));
  assert.ok(u.equals(b.union(a)), 'union is commutative');
  assert.ok(a.union(new MysqlGtidSet()).equals(a));
  const c = a.clone();
  c.addSet(b);
  assert.ok(c.equals(u));
});

void test('contains, both ways', () => {
  const big = p(`${U1}:1-10:20-30,${U2}:1-5`);
  assert.ok(big.contains(p(`${U1}:2-3:25`)));
  assert.ok(!p(`${U1}:2-3:25`).contains(big));
  assert.ok(big.contains(new MysqlGtidSet()));
  assert.ok(new MysqlGtidSet().contains(new MysqlGtidSet()));
  assert.ok(!new MysqlGtidSet().contains(big));
  assert.ok(big.contains(big.clone()));
  assert.ok(!big.contains(p(`${U1}:10-11`)), 'straddles the end of an interval');
  assert.ok(!big.contains(p(`${U1}:15`)), 'in a hole');
  assert.ok(!big.contains(p(`${U1}:9-21`)), 'spans a hole');
  assert.ok(!big.contains(p(`${U0}:1`)), 'unknown UUID');
  assert.ok(big.contains(p(`${U1}:1:10:20:30,${U2}:5`)));
});

void test('equals is structural, not textual', () => {
  assert.ok(p(`${U1}:1-3:4`).equals(p(`${U1.toUpperCase()}:4, ${U1}:1-3`)));
  assert.ok(!p(`${U1}:1-3`).equals(p(`${U1}:1-4`)));
  assert.ok(!p(`${U1}:1-3`).equals(p(`${U1}:1-3,${U2}:1`)));
  assert.ok(!p(`${U1}:1-3,${U2}:1`).equals(p(`${U1}:1-3`)));
  assert.ok(!p(`${U1}:1`).equals(p(`${U1}:t:1`)));
  assert.ok(new MysqlGtidSet().equals(p('')));
});

void test('subtract', () => {
  const a = p(`${U1}:1-20,${U2}:1-5:t:1-3`);
  assert.equal(a.subtract(p(`${U1}:5-7:10`)).toString(), `${U1}:1-4:8-9:11-20,${U2}:1-5:t:1-3`);
  assert.equal(a.subtract(p(`${U1}:1-20`)).toString(), `${U2}:1-5:t:1-3`);
  assert.equal(a.subtract(p(`${U1}:1-100`)).toString(), `${U2}:1-5:t:1-3`);
  assert.equal(a.subtract(p(`${U2}:t:2`)).toString(), `${U1}:1-20,${U2}:1-5:t:1:3`);
  assert.equal(a.subtract(a).toString(), '');
  assert.ok(a.subtract(new MysqlGtidSet()).equals(a));
  // One removed interval spanning several kept ones, and kept intervals spanning several removed.
  assert.equal(p(`${U1}:1-2:4-5:7-8:10-11`).subtract(p(`${U1}:2-10`)).toString(), `${U1}:1:11`);
  assert.equal(p(`${U1}:1-30`).subtract(p(`${U1}:2:4-5:9-12:30`)).toString(), `${U1}:1:3:6-8:13-29`);
  assert.equal(p(`${U1}:1-5:10-15`).subtract(p(`${U1}:3-12`)).toString(), `${U1}:1-2:13-15`);
  assert.equal(a.toString(), `${U1}:1-20,${U2}:1-5:t:1-3`, 'operands untouched');
});

void test('containsGtid', () => {
  const s = p(`${U1}:1-5:7:10-12,${U2}:t:3`);
  const inside = [1, 2, 3, 4, 5, 7, 10, 11, 12];
  for (let g = 0; g <= 14; g++) assert.equal(s.containsGtid(U1, g), inside.includes(g), `gno ${g}`);
  assert.ok(s.containsGtid(U1.toUpperCase(), 7n));
  assert.ok(s.containsGtid(U2, 3n, 'T'));
  assert.ok(!s.containsGtid(U2, 3n));
  assert.ok(!s.containsGtid(U0, 1n));
  assert.ok(!s.containsGtid(U1, 1.5));
  throwsCode(() => s.containsGtid('nope', 1n), 11013);
});

void test('entries() exposes ranges in output order', () => {
  assert.deepEqual(p(`${U2}:t:3,${U1}:1-2:5`).entries(), [
    { uuid: U1, tag: '', ranges: [{ first: 1n, last: 2n }, { first: 5n, last: 5n }] },
    { uuid: U2, tag: 't', ranges: [{ first: 3n, last: 3n }] },
  ]);
});

void test('clone is deep', () => {
  const a = p(`${U1}:1-3`);
  const b = a.clone();
  b.add(`${U1}:4`);
  b.add(`${U1}:2`);
  assert.equal(a.toString(), `${U1}:1-3`);
  assert.equal(b.toString(), `${U1}:1-4`);
});

void test('binary encoding, untagged: exact bytes and round trip', () => {
  const s = p(`${U2}:1,${U1}:1-5:7-9`);
  const want = Buffer.concat([
    u64(2n),
    Buffer.from(U1.replace(/-/g, ''), 'hex'),
    u64(2n),
    u64(1n),
    u64(6n),
    u64(7n),
    u64(10n),
    Buffer.from(U2.replace(/-/g, ''), 'hex'),
    u64(1n),
    u64(1n),
    u64(2n),
  ]);
  assert.deepEqual(s.encode(), want);
  assert.equal(MysqlGtidSet.decode(want).toString(), `${U1}:1-5:7-9,${U2}:1`);
  assert.deepEqual(new MysqlGtidSet().encode(), Buffer.alloc(8));
  assert.ok(MysqlGtidSet.decode(Buffer.alloc(8)).isEmpty());
  const max = p(`${U1}:1-9223372036854775806`);
  assert.ok(MysqlGtidSet.decode(max.encode()).equals(max));
});

void test('binary encoding, tagged (MySQL 8.3+): format marker, tag as varlen string, round trip', () => {
  const s = p(`${U1}:1-13:mytag:1-2`);
  const enc = s.encode();
  const want = Buffer.concat([
    Buffer.from('01' + '020000000000' + '01', 'hex'),
    Buffer.from(U1.replace(/-/g, ''), 'hex'),
    Buffer.from([0]), // untagged TSID: empty tag
    u64(1n),
    u64(1n),
    u64(14n),
    Buffer.from(U1.replace(/-/g, ''), 'hex'),
    Buffer.from([5 << 1]),
    Buffer.from('mytag', 'latin1'),
    u64(1n),
    u64(1n),
    u64(3n),
  ]);
  assert.deepEqual(enc, want);
  assert.equal(MysqlGtidSet.decode(enc).toString(), `${U1}:1-13:mytag:1-2`);

  const many = p(`${U2}:${'z'.repeat(32)}:5:a:1-3,${U1}:_:9,${U0}:1`);
  assert.ok(MysqlGtidSet.decode(many.encode()).equals(many));
  assert.equal(MysqlGtidSet.decode(many.encode()).toString(), many.toString());
  // An only-tagged set is still tagged format.
  assert.equal(p(`${U1}:t:1`).encode()[0], 1);
});

void test('binary decoding: varlen tag length in a non-minimal (2-byte) form is accepted', () => {
  // Length 5 as a 2-byte varlen: first byte has one trailing 1 bit, value bits follow.
  const v = 5;
  const twoByte = Buffer.from([0b01 | ((v << 2) & 0xfc), v >> 6]);
  const buf = Buffer.concat([Buffer.from('01010000000000' + '01', 'hex'), Buffer.from(U1.replace(/-/g, ''), 'hex'), twoByte, Buffer.from('mytag'), u64(1n), u64(1n), u64(2n)]);
  assert.equal(MysqlGtidSet.decode(buf).toString(), `${U1}:mytag:1`);
});

void test('binary decoding errors are BinlogEventDecode (11054)', () => {
  const good = p(`${U1}:1-5`).encode();
  throwsCode(() => MysqlGtidSet.decode(good.subarray(0, good.length - 1)), 11054);
  throwsCode(() => MysqlGtidSet.decode(good.subarray(0, 4)), 11054);
  throwsCode(() => MysqlGtidSet.decode(Buffer.concat([good, Buffer.from([0])])), 11054);
  const badFormat = Buffer.from(good);
  badFormat[7] = 2;
  throwsCode(() => MysqlGtidSet.decode(badFormat), 11054);
  const hugeCount = Buffer.from(good);
  hugeCount.writeBigUInt64LE(1n << 40n, 0);
  throwsCode(() => MysqlGtidSet.decode(hugeCount), 11054);
  const interval = (s: bigint, e: bigint): Buffer =>
    Buffer.concat([u64(1n), Buffer.from(U1.replace(/-/g, ''), 'hex'), u64(1n), u64(s), u64(e)]);
  throwsCode(() => MysqlGtidSet.decode(interval(0n, 1n)), 11054);
  throwsCode(() => MysqlGtidSet.decode(interval(5n, 5n)), 11054);
  throwsCode(() => MysqlGtidSet.decode(interval(5n, 3n)), 11054);
  throwsCode(() => MysqlGtidSet.decode(interval(1n, 1n << 63n)), 11054);
  const unsorted = Buffer.concat([u64(1n), Buffer.from(U1.replace(/-/g, ''), 'hex'), u64(2n), u64(5n), u64(6n), u64(1n), u64(2n)]);
  throwsCode(() => MysqlGtidSet.decode(unsorted), 11054);
  const tagged = (tagBytes: Buffer): Buffer =>
    Buffer.concat([Buffer.from('01010000000000' + '01', 'hex'), Buffer.from(U1.replace(/-/g, ''), 'hex'), tagBytes, u64(1n), u64(1n), u64(2n)]);
  throwsCode(() => MysqlGtidSet.decode(tagged(Buffer.concat([Buffer.from([33 << 1]), Buffer.alloc(33, 0x61)]))), 11054);
  throwsCode(() => MysqlGtidSet.decode(tagged(Buffer.from([3 << 1, 0x31, 0x61, 0x61]))), 11054);
  throwsCode(() => MysqlGtidSet.decode(tagged(Buffer.from([10 << 1, 0x61]))), 11054);
  try {
    MysqlGtidSet.decode(good.subarray(0, 20));
    assert.fail('no throw');
  } catch (e) {
    assert.ok(e instanceof DmError);
    assert.match(e.message, /^\[code=11054:.*MySQL GTID set: 1 TSID\(s\) cannot fit in 12 byte\(s\)/);
  }
  // A truncation met while reading (here: inside the tag) keeps the reader's error as the cause.
  const cut = Buffer.concat([Buffer.from('01010000000000' + '01', 'hex'), Buffer.from(U1.replace(/-/g, ''), 'hex'), Buffer.from([30 << 1]), Buffer.alloc(10, 0x61)]);
  try {
    MysqlGtidSet.decode(cut);
    assert.fail('no throw');
  } catch (e) {
    assert.ok(e instanceof DmError && e.code === 11054);
    assert.ok(e.cause instanceof Error && e.cause.name === 'TruncatedError');
  }
});

void test('read() consumes exactly one encoded set from a reader', () => {
  const enc = p(`${U1}:1-5`).encode();
  const r = new BufferReader(Buffer.concat([enc, Buffer.from([0xaa, 0xbb])]));
  assert.equal(MysqlGtidSet.read(r).toString(), `${U1}:1-5`);
  assert.equal(r.remaining, 2);
});

void test('mixing flavors is refused', () => {
  const m = p(`${U1}:1`);
  const md = MariadbGtidSet.parse('0-1-1');
  throwsCode(() => m.contains(md), 11010);
  throwsCode(() => m.union(md), 11010);
  throwsCode(() => m.equals(md), 11010);
  throwsCode(() => m.subtract(md), 11010);
});

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}
