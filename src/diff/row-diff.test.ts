import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeys, showValue } from './row-diff.js';

const b = (s: string): Buffer => Buffer.from(s);

test('values are shown as text, binary as hex, long ones cut with their size', () => {
  assert.equal(showValue(null, false), null);
  assert.equal(showValue(b('héllo 😀'), false), 'héllo 😀');
  assert.equal(showValue(Buffer.from([0, 255]), true), '0x00ff');
  const long = showValue(b('x'.repeat(1000)), false)!;
  assert.match(long, /^x{256}…\(1000 bytes\)$/);
  assert.match(showValue(Buffer.alloc(500), true)!, /^0x(00){128}…\(500 bytes\)$/);
});

test('keys sort numerically when numeric, else by bytes; NULL first', () => {
  const keys = [[b('10')], [b('9')], [b('-3')], [b('2.5')], [b('abc')], [null]];
  keys.sort(compareKeys);
  assert.deepEqual(keys.map((k) => (k[0] ? k[0].toString() : null)), [null, '-3', '2.5', '9', '10', 'abc']);
  assert.equal(compareKeys([b('1'), b('b')], [b('1'), b('a')]), 1);
  assert.equal(compareKeys([b('18446744073709551615')], [b('18446744073709551614')]), 1);
});
