import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckerConfig } from '../config/source-config.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { isResumable, ResumeBackoff } from './auto-resume.js';

const cfg: CheckerConfig = { checkEnable: true, backoffRollbackMs: 300_000, backoffMaxMs: 10_000, checkIntervalMs: 5000, backoffMinMs: 1000, backoffJitter: false, backoffFactor: 2 };

test('only driver errors (connection refused, lost) are resumed automatically', () => {
  assert.equal(isResumable([DmError.of(E.DBDriverError, ['connect ECONNREFUSED 127.0.0.1:3306'])]), true);
  assert.equal(isResumable([DmError.of(E.DBDriverError, ['x']), DmError.of(E.SubtaskUnexpected, ['y'])]), false);
  assert.equal(isResumable([DmError.of(E.SubtaskUnexpected, ['y'])]), false);
  assert.equal(isResumable([]), false);
});

test('backoff doubles from the minimum to the maximum and rolls back', () => {
  const b = new ResumeBackoff(cfg);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [1000, 2000, 4000, 8000, 10_000, 10_000]);
  b.rollback();
  assert.equal(b.next(), 1000);
});

test('jitter stays between half and the whole wait', () => {
  const lo = new ResumeBackoff({ ...cfg, backoffJitter: true }, () => 0);
  const hi = new ResumeBackoff({ ...cfg, backoffJitter: true }, () => 0.999999);
  assert.deepEqual([lo.next(), lo.next()], [500, 1000]);
  assert.deepEqual([hi.next(), hi.next()], [1000, 2000]);
});
