import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { addChecksums, combineShards, sameChecksum, type Checksum } from './chunk-checksum.js';

const crc = (s: string): bigint => BigInt(zlib.crc32(Buffer.from(s)));
const sum = (rows: string[]): Checksum => ({ count: BigInt(rows.length), sum: rows.reduce((a, r) => a + crc(r), 0n) });

test('checksums of shards add up to the checksum of their union, in any order and any split', () => {
  const rows = Array.from({ length: 50 }, (_v, i) => `${i}#name ${i}#${i % 3 === 0 ? '' : 'x'}#${i % 3 === 0 ? '0' : '1'}`);
  const down = sum([...rows].reverse());
  const shards = [sum(rows.slice(0, 7)), sum(rows.slice(7, 30)), sum(rows.slice(30))];
  assert.ok(sameChecksum(combineShards(shards), down));
  assert.ok(!sameChecksum(combineShards(shards.slice(1)), down));
  assert.deepEqual(addChecksums({ count: 1n, sum: 2n }, { count: 3n, sum: 4n }), { count: 4n, sum: 6n });
});

test('why SUM and not BIT_XOR: the same change in two rows cancels out of an XOR of CRC32s', () => {
  // CRC32 is affine: crc(a ^ d) = crc(a) ^ crc(d) ^ crc(0…) for equal lengths, so equal deltas cancel in pairs
  const before = ['1#new', '2#new'];
  const after = ['1#old', '2#old'];
  const xor = (rows: string[]): bigint => rows.reduce((a, r) => a ^ crc(r), 0n);
  assert.equal(xor(before), xor(after));
  assert.notEqual(sum(before).sum, sum(after).sum);
});
