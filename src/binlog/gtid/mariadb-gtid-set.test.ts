import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../../observability/dm-error.js';
import { MariadbGtidSet, formatMariadbGtid, parseMariadbGtid } from './mariadb-gtid-set.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

const p = (s: string): MariadbGtidSet => MariadbGtidSet.parse(s);

function throwsCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof DmError && e.code === code, `expected DmError ${code}`);
}

void test('parse/format round trip, sorted by domain id', () => {
  for (const s of ['', '0-1-100', '0-1-100,1-2-5', '0-0-0', '4294967295-4294967295-18446744073709551615', '2-1-1,10-1-1']) {
    assert.equal(p(s).toString(), s);
  }
  assert.equal(p('10-1-1, 2-1-1,\n 1-3-7 ').toString(), '1-3-7,2-1-1,10-1-1');
  assert.equal(p('007-01-0009').toString(), '7-1-9', 'leading zeros are read as decimal and dropped');
  assert.ok(p('  ').isEmpty());
});

void test('gtid_binlog_state-like text is reduced to the position: highest seq_no per domain', () => {
  assert.equal(p('0-1-100,0-2-120,0-3-90,1-5-3').toString(), '0-2-120,1-5-3');
  // On equal seq_no the first one wins (a conflict: the position cannot tell them apart).
  assert.equal(p('0-1-100,0-2-100').toString(), '0-1-100');
});

void test('invalid text throws BinlogGTIDMariaDBNotValid (11060)', () => {
  for (const bad of [
    '0-1',
    '0-1-',
    '0-1-x',
    '-1-1-1',
    '0--1-1',
    '0-1-1-1',
    '4294967296-1-1',
    '0-4294967296-1',
    '0-1-18446744073709551616',
    '0-1-1,,1-1-1',
    '0-1-1,',
    ',0-1-1',
    '0-1-1;1-1-1',
    '0 -1-1',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
  ]) {
    throwsCode(() => p(bad), 11060);
  }
  assert.throws(() => p('x'), /GTID set string x for MariaDB not valid/);
});

void test('add(): a higher seq_no replaces the domain entry, whatever the server id', () => {
  const s = p('0-1-100');
  s.add('0-1-101');
  assert.equal(s.toString(), '0-1-101');
  s.add('0-2-102'); // failover: the new primary continues the sequence
  assert.equal(s.toString(), '0-2-102');
  s.add('0-1-50'); // already covered
  s.add('0-3-102'); // same seq, other server: kept as is
  assert.equal(s.toString(), '0-2-102');
  s.add('5-1-1');
  s.add('1-1-1');
  assert.equal(s.toString(), '0-2-102,1-1-1,5-1-1');
  assert.equal(s.addGtid({ domainId: 1, serverId: 1, seqNo: 2n }), true);
  assert.equal(s.addGtid({ domainId: 1, serverId: 1, seqNo: 2n }), false);
  for (const bad of ['', '0-1', 'a-b-c', '0-1-1,1-1-1', '4294967296-1-1']) throwsCode(() => s.add(bad), 11009);
  throwsCode(() => s.addGtid({ domainId: -1, serverId: 1, seqNo: 1n }), 11009);
  throwsCode(() => s.addGtid({ domainId: 1.5, serverId: 1, seqNo: 1n }), 11009);
  throwsCode(() => s.addGtid({ domainId: 1, serverId: 1, seqNo: -1n }), 11009);
  throwsCode(() => s.addGtid({ domainId: 1, serverId: 2 ** 32, seqNo: 1n }), 11009);
});

void test('replace() sets the domain entry unconditionally', () => {
  const s = p('0-1-100,1-1-5');
  s.replace('0-2-90');
  assert.equal(s.toString(), '0-2-90,1-1-5');
  s.replace({ domainId: 3, serverId: 1, seqNo: 1n });
  assert.equal(s.toString(), '0-2-90,1-1-5,3-1-1');
  throwsCode(() => s.replace('nope'), 11009);
});

void test('contains, both ways (seq_no per domain; server id ignored)', () => {
  const a = p('0-1-100,1-2-5');
  assert.ok(a.contains(p('0-1-100')));
  assert.ok(a.contains(p('0-9-99,1-2-5')), 'server id does not matter');
  assert.ok(a.contains(p('')));
  assert.ok(!a.contains(p('0-1-101')));
  assert.ok(!a.contains(p('2-1-1')), 'unknown domain');
  assert.ok(!p('0-1-100').contains(a));
  assert.ok(!p('').contains(a));
  assert.ok(a.contains(a.clone()));
});

void test('union: per domain max seq_no, new object', () => {
  const a = p('0-1-100,1-2-5');
  const b = p('0-2-90,1-3-7,2-1-1');
  const u = a.union(b);
  assert.equal(u.toString(), '0-1-100,1-3-7,2-1-1');
  assert.equal(a.toString(), '0-1-100,1-2-5');
  assert.equal(b.toString(), '0-2-90,1-3-7,2-1-1');
  assert.ok(u.contains(a) && u.contains(b));
  assert.equal(p('0-1-5').union(p('0-2-5')).toString(), '0-1-5', 'tie keeps this set’s GTID');
});

void test('equals compares whole GTIDs', () => {
  assert.ok(p('1-2-5,0-1-100').equals(p('0-1-100, 1-2-5')));
  assert.ok(!p('0-1-100').equals(p('0-2-100')));
  assert.ok(!p('0-1-100').equals(p('0-1-101')));
  assert.ok(!p('0-1-100').equals(p('0-1-100,1-1-1')));
  assert.ok(p('').equals(new MariadbGtidSet()));
});

void test('clone is independent; get() and gtids()', () => {
  const a = p('0-1-1');
  const c = a.clone();
  c.add('0-1-2');
  c.add('3-1-1');
  assert.equal(a.toString(), '0-1-1');
  assert.deepEqual(c.get(0), { domainId: 0, serverId: 1, seqNo: 2n });
  assert.equal(c.get(9), undefined);
  assert.deepEqual(c.gtids().map(formatMariadbGtid), ['0-1-2', '3-1-1']);
});

void test('parseMariadbGtid / formatMariadbGtid', () => {
  assert.deepEqual(parseMariadbGtid(' 1-2-3 '), { domainId: 1, serverId: 2, seqNo: 3n });
  assert.equal(formatMariadbGtid({ domainId: 1, serverId: 2, seqNo: 18446744073709551615n }), '1-2-18446744073709551615');
  throwsCode(() => parseMariadbGtid('1-2'), 11009);
});

void test('decodeGtidList: count in the low 28 bits, flags in the top 4, entries', () => {
  const entry = (d: number, s: number, n: bigint): Buffer => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(d, 0);
    b.writeUInt32LE(s, 4);
    b.writeBigUInt64LE(n, 8);
    return b;
  };
  const head = (word: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(word >>> 0);
    return b;
  };
  const body = Buffer.concat([head(3), entry(0, 1, 100n), entry(0, 2, 120n), entry(7, 4294967295, 18446744073709551615n)]);
  const { flags, gtids } = MariadbGtidSet.decodeGtidList(body);
  assert.equal(flags, 0);
  assert.deepEqual(gtids, [
    { domainId: 0, serverId: 1, seqNo: 100n },
    { domainId: 0, serverId: 2, seqNo: 120n },
    { domainId: 7, serverId: 4294967295, seqNo: 18446744073709551615n },
  ]);
  assert.equal(MariadbGtidSet.fromGtids(gtids).toString(), '0-2-120,7-4294967295-18446744073709551615');

  const flagged = MariadbGtidSet.decodeGtidList(Buffer.concat([head((0x2 << 28) | 1), entry(1, 1, 1n)]));
  assert.equal(flagged.flags, 2);
  assert.equal(flagged.gtids.length, 1);
  assert.deepEqual(MariadbGtidSet.decodeGtidList(Buffer.from([0, 0, 0, 0, 0, 0])), { flags: 0, gtids: [] }, 'trailing bytes ignored');

  throwsCode(() => MariadbGtidSet.decodeGtidList(Buffer.from([1, 0])), 11054);
  throwsCode(() => MariadbGtidSet.decodeGtidList(Buffer.concat([head(2), entry(0, 1, 1n)])), 11054);
  throwsCode(() => MariadbGtidSet.decodeGtidList(Buffer.concat([head(1), entry(0, 1, 1n).subarray(0, 15)])), 11054);
});

void test('mixing flavors is refused', () => {
  const m = p('0-1-1');
  const my = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1');
  throwsCode(() => m.contains(my), 11010);
  throwsCode(() => m.union(my), 11010);
  throwsCode(() => m.equals(my), 11010);
});
