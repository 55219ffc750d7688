import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultBuilder, summarise } from './check-result.js';

test('a result is fail with any failure, warn with only warnings, success otherwise', () => {
  assert.equal(new ResultBuilder('n', 'd').build().state, 'success');
  assert.equal(new ResultBuilder('n', 'd').warn('w').build().state, 'warn');
  const r = new ResultBuilder('n', 'd', 'x').warn('w').fail('f', 'do this').build();
  assert.deepEqual(r, { name: 'n', desc: 'd', state: 'fail', errors: [{ severity: 'warn', short_error: 'w' }, { severity: 'fail', short_error: 'f' }], instruction: 'do this', extra: 'x' });
});

test('summarise numbers, counts everything and shows failures and warnings up to their limits', () => {
  const items = [new ResultBuilder('a', '').build(), new ResultBuilder('b', '').fail('x').build(), new ResultBuilder('c', '').fail('y').build(), new ResultBuilder('d', '').warn('z').build()];
  const s = summarise(items, { errorLimit: 1 });
  assert.deepEqual(s.summary, { passed: false, total: 4, successful: 1, failed: 2, warning: 1 });
  assert.deepEqual(s.results.map((r) => [r.id, r.name]), [[1, 'b'], [3, 'd']]);
  assert.equal(summarise(items, { showPassed: true }).results.length, 4);
  assert.deepEqual(summarise([]).summary, { passed: true, total: 0, successful: 0, failed: 0, warning: 0 });
});
