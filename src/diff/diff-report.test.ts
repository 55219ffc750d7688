import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, renderText } from './diff-report.js';
import type { DiffResult, TableDiffResult } from './diff-runner.js';

const base = { notes: [], chunks: 1, chunksDifferent: 0, differentChunks: [], rowsDownstream: 3, rowsUpstream: 3, rowDiffsFound: 0, rowDiffs: [], rowDiffsTruncated: false, durationMs: 5 };
const equal: TableDiffResult = { ...base, target: { schema: 'app', table: 'users' }, shards: [{ sourceId: 's1', schema: 'app', table: 'users' }], status: 'equal', method: 'range', key: ['id'], columns: ['id', 'name'] };
const merged: TableDiffResult = {
  ...base,
  target: { schema: 'merged', table: 'orders' },
  shards: [
    { sourceId: 's1', schema: 'shard_1', table: 'orders' },
    { sourceId: 's2', schema: 'shard_2', table: 'orders' },
  ],
  status: 'different',
  method: 'range',
  key: ['id'],
  columns: ['id', 'note'],
  chunks: 4,
  chunksDifferent: 2,
  differentChunks: ['`id` in (-∞, 10]', '`id` in (30, +∞)'],
  rowsDownstream: 39,
  rowsUpstream: 40,
  rowDiffsFound: 3,
  rowDiffs: [
    { kind: 'missing-downstream', key: { id: '7' }, shard: { sourceId: 's2', schema: 'shard_2', table: 'orders' }, row: { id: '7', note: 'héllo' } },
    { kind: 'different', key: { id: '31' }, shard: { sourceId: 's1', schema: 'shard_1', table: 'orders' }, columns: [{ column: 'note', upstream: null, downstream: '' }] },
  ],
  rowDiffsTruncated: true,
};
const missing: TableDiffResult = { ...base, target: { schema: 'app', table: 'gone' }, shards: [{ sourceId: 's1', schema: 'app', table: 'gone' }], status: 'missing-downstream', chunks: 0, rowsDownstream: 0, rowsUpstream: 0 };
const result: DiffResult = {
  equal: false,
  tables: [equal, merged, missing],
  summary: { tables: 3, equal: 1, different: 2, errors: 0 },
  options: { chunkSize: 10, threads: 2, checksum: 'crc32' },
  durationMs: 1234,
};

test('text report: one line per table, then its differing rows with keys, shards and columns', () => {
  const text = renderText(result);
  assert.match(text, /^dm diff: 3 tables compared in 1\.23 s: 1 equal, 2 different, 0 errors \(chunk size 10, crc32\)\n/);
  assert.match(text, /\n {2}equal {5}`app`\.`users` {2}3 rows, 1 chunk, by `id` ranges\n/);
  assert.match(text, /\n {2}DIFFERENT `merged`\.`orders` {2}39 rows downstream, 40 upstream, 2 of 4 chunks differ, by `id` ranges\n/);
  assert.match(text, /from s1 `shard_1`\.`orders`, s2 `shard_2`\.`orders`/);
  assert.match(text, /- missing downstream `id`=7 {2}\(s2 `shard_2`\.`orders`\)\n {10}\{`id`: 7, `note`: "héllo"\}/);
  assert.match(text, /~ different {8}`id`=31 {2}\(s1 `shard_1`\.`orders`\)\n {10}`note`: upstream NULL, downstream ""/);
  assert.match(text, /… at least 1 more differing rows not shown/);
  assert.match(text, /MISSING {3}`app`\.`gone` {2}the downstream table does not exist/);
  assert.match(text, /result: DIFFERENT\n$/);
});

test('JSON report is the result itself', () => {
  assert.deepEqual(JSON.parse(renderJson(result)), JSON.parse(JSON.stringify(result)));
});
