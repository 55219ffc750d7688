import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Causality } from './causality.js';

test('causality: free keys, one owner, several owners (conflict), release', () => {
  const c = new Causality();
  assert.deepEqual(c.check(['a', 'b']), { executor: -1 });
  c.hold(['a', 'b'], 0);
  assert.deepEqual(c.check(['b', 'x']), { executor: 0 });
  c.hold(['x'], 1);
  assert.deepEqual(c.check(['a', 'x']), { conflict: [0, 1] });
  c.hold(['a'], 0);
  c.release(['a', 'b']);
  assert.deepEqual(c.check(['a']), { executor: 0 }, 'still held once');
  c.release(['a']);
  assert.deepEqual(c.check(['a', 'b']), { executor: -1 });
  assert.throws(() => c.hold(['x'], 0), /held by executor 1/);
  c.release(['x']);
  assert.equal(c.size, 0);
});
