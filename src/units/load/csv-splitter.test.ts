import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvSplitter, parseCsvRecord } from './csv-splitter.js';
import { BatchQueue } from './batch-queue.js';

test('CSV records end at newlines outside quotes, whatever the chunking', () => {
  const text = Buffer.from('"a","b"\r\n1,"x\ny"\n2,"q""\n"\n3,"esc\\"\n4",\\N\n5,"last"\n');
  const expected = [9, 17, 26, 41, 50];
  for (let chunk = 1; chunk <= text.length; chunk++) {
    const sp = new CsvSplitter();
    const ends: number[] = [];
    for (let i = 0; i < text.length; i += chunk) sp.feed(text.subarray(i, i + chunk), i, ends);
    assert.deepEqual(ends, expected, `chunk ${chunk}`);
    assert.ok(sp.atRecordBoundary);
  }
});

test('header fields are unquoted', () => {
  assert.deepEqual(parseCsvRecord('"id","na""me",plain,"a,b"\r\n'), ['id', 'na"me', 'plain', 'a,b']);
});

test('batch queue: bounded, FIFO, close drains', async () => {
  const q = new BatchQueue<number>(2);
  await q.push(1);
  await q.push(2);
  let third = false;
  const p = q.push(3).then(() => (third = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(third, false, 'push waits while full');
  assert.equal(await q.pop(), 1);
  await p;
  assert.equal(third, true);
  q.close();
  assert.equal(await q.pop(), 2);
  assert.equal(await q.pop(), 3);
  assert.equal(await q.pop(), undefined);
  assert.equal(await q.push(4), false);
});
