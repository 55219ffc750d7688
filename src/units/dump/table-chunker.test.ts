import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkCount, pickSplitColumn, rangeConditions, splitBoundaries } from './table-chunker.js';

const cols = [
  { name: 'id', dataType: 'bigint', nullable: false },
  { name: 's', dataType: 'varchar', nullable: false },
  { name: 'u', dataType: 'int', nullable: false },
  { name: 'n', dataType: 'int', nullable: true },
];

test('split column: integer PK first column > unique NOT NULL integer > none', () => {
  assert.equal(pickSplitColumn(cols, [{ name: 'PRIMARY', unique: true, columns: ['id', 's'] }]), 'id');
  assert.equal(
    pickSplitColumn(cols, [
      { name: 'PRIMARY', unique: true, columns: ['s'] },
      { name: 'uk_n', unique: true, columns: ['n'] },
      { name: 'k_u', unique: false, columns: ['u'] },
      { name: 'uk_u', unique: true, columns: ['u'] },
    ]),
    'u',
  );
  assert.equal(pickSplitColumn(cols, [{ name: 'uk_n', unique: true, columns: ['n'] }]), undefined);
  assert.equal(pickSplitColumn(cols, []), undefined);
});

test('chunk count follows the estimate, bounded by the key span', () => {
  assert.equal(chunkCount(1_000_000, 200_000, 1n, 1_000_000n), 5);
  assert.equal(chunkCount(1_000_001, 200_000, 1n, 1_000_001n), 6);
  assert.equal(chunkCount(1000, 100, 1n, 3n), 3);
  assert.equal(chunkCount(0, 100, 1n, 1000n), 1);
  assert.equal(chunkCount(1000, 0, 1n, 1000n), 1);
  // rounded up to a multiple of the workers, never above the span
  assert.equal(chunkCount(1_000_000, 200_000, 1n, 1_000_000n, 2), 6);
  assert.equal(chunkCount(1_000_000, 200_000, 1n, 1_000_000n, 4), 8);
  assert.equal(chunkCount(150, 200, 1n, 150n, 4), 1);
  assert.equal(chunkCount(1000, 100, 1n, 11n, 4), 11);
});

test('boundaries split the span evenly, also for BIGINT UNSIGNED extremes', () => {
  assert.deepEqual(splitBoundaries(1n, 100n, 4), [26n, 51n, 76n]);
  assert.deepEqual(splitBoundaries(5n, 5n, 3), []);
  const b = splitBoundaries(0n, 18446744073709551615n, 3);
  assert.equal(b.length, 2);
  assert.ok(b[0]! > 0n && b[1]! > b[0]! && b[1]! < 18446744073709551615n);
  assert.deepEqual(splitBoundaries(-10n, 9n, 2), [0n]);
});

test('range conditions partition every integer exactly once', () => {
  const bounds = splitBoundaries(1n, 1000n, 7);
  const conds = rangeConditions('id', bounds);
  assert.equal(conds.length, 7);
  assert.equal(conds[0], '`id` < 143');
  assert.equal(conds[6], '`id` >= 858');
  const evalCond = (c: string, v: number): boolean =>
    c.split(' AND ').every((part) => {
      const m = /^`id` (<|>=) (-?\d+)$/.exec(part)!;
      return m[1] === '<' ? v < Number(m[2]) : v >= Number(m[2]);
    });
  for (const v of [-5, 0, 1, 142, 143, 500, 857, 858, 1000, 5000]) {
    assert.equal(conds.filter((c) => evalCond(c!, v)).length, 1, `value ${v}`);
  }
  assert.deepEqual(rangeConditions('id', []), [undefined]);
  assert.equal(rangeConditions('we`ird', [10n])[0], '`we``ird` < 10');
});
