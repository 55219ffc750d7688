import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePartition, partitionPredicate, splitBucket, splitRange, tupleCompare, WHOLE_RANGE } from './partition.js';
import type { SideSql } from './table-layout.js';

const side = (keys: string[]): SideSql => ({ from: '`d`.`t`', values: keys, keyColumns: keys, keyText: `CONCAT_WS('#', ${keys.join(', ')})`, rowText: 'x' });

test('tuple comparisons are spelled out for the range optimizer', () => {
  assert.deepEqual(tupleCompare(['`a`'], [5], '>'), { sql: '`a` > ?', params: [5] });
  assert.deepEqual(tupleCompare(['`a`', '`b`'], [1, 'x'], '>'), { sql: '(`a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?)))', params: [1, 1, 1, 'x'] });
  assert.deepEqual(tupleCompare(['`a`', '`b`', '`c`'], [1, 2, 3], '<='), {
    sql: '(`a` <= ? AND (`a` < ? OR (`a` = ? AND (`b` < ? OR (`b` = ? AND `c` <= ?)))))',
    params: [1, 1, 1, 2, 2, 3],
  });
  assert.throws(() => tupleCompare(['`a`'], [1, 2], '>'));
});

test('predicates for ranges and buckets', () => {
  assert.deepEqual(partitionPredicate(WHOLE_RANGE, side(['`id`'])), { sql: '1=1', params: [] });
  assert.deepEqual(partitionPredicate({ kind: 'range', lower: [10], upper: [20] }, side(['`id`'])), { sql: '`id` > ? AND `id` <= ?', params: [10, 20] });
  assert.deepEqual(partitionPredicate({ kind: 'range', lower: undefined, upper: [20] }, side(['`id`'])), { sql: '`id` <= ?', params: [20] });
  assert.deepEqual(partitionPredicate({ kind: 'bucket', modulus: 8, residue: 3 }, side(['`id`'])), { sql: "MOD(CRC32(CONCAT_WS('#', `id`)), 8) = ?", params: [3] });
  assert.deepEqual(partitionPredicate({ kind: 'bucket', modulus: 1, residue: 0 }, side(['`id`'])), { sql: '1=1', params: [] });
});

test('splits tile the partition', () => {
  assert.deepEqual(splitRange({ kind: 'range', lower: [0], upper: [100] }, [[30], [60]]), [
    { kind: 'range', lower: [0], upper: [30] },
    { kind: 'range', lower: [30], upper: [60] },
    { kind: 'range', lower: [60], upper: [100] },
  ]);
  assert.deepEqual(splitRange(WHOLE_RANGE as Extract<typeof WHOLE_RANGE, { kind: 'range' }>, []), [{ kind: 'range', lower: undefined, upper: undefined }]);
  const pieces = splitBucket({ kind: 'bucket', modulus: 4, residue: 3 }, 3);
  assert.deepEqual(pieces.map((p) => [p.modulus, p.residue]), [[12, 3], [12, 7], [12, 11]]);
  // every h with h % 4 == 3 lands in exactly one piece
  for (let h = 0; h < 1000; h++) if (h % 4 === 3) assert.equal(pieces.filter((p) => h % p.modulus === p.residue).length, 1);
});

test('partitions read well in reports', () => {
  assert.equal(describePartition({ kind: 'range', lower: [100], upper: [200] }, ['`id`']), '`id` in (100, 200]');
  assert.equal(describePartition({ kind: 'range', lower: [1, "o'k"], upper: undefined }, ['`a`', '`b`']), "(`a`, `b`) in ((1, 'o''k'), +∞)");
  assert.equal(describePartition({ kind: 'range', lower: undefined, upper: [Buffer.from([1, 255])] }, ['`k`']), '`k` in (-∞, 0x01ff]');
  assert.equal(describePartition({ kind: 'bucket', modulus: 16, residue: 3 }, undefined), 'bucket 3 of 16');
  assert.equal(describePartition(WHOLE_RANGE, ['`id`']), 'whole table');
});
