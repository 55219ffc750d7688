/**
 * Assertions shared by the config tests: "this throws DM error N, and the message says these things".
 */
import assert from 'node:assert/strict';
import { isDmError, type DmError } from '../observability/dm-error.js';

/** Runs `fn`, asserts it throws a DmError with `code` whose message matches every pattern; returns the error. */
export function throwsDm(fn: () => unknown, code: number, ...patterns: (RegExp | string)[]): DmError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected DmError ${code}, nothing was thrown`);
  assert.ok(isDmError(caught), `expected DmError ${code}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : JSON.stringify(caught)}`);
  assert.equal(caught.code, code, `expected code ${code}, got: ${caught.message}`);
  for (const p of patterns) {
    if (typeof p === 'string') assert.ok(caught.message.includes(p), `message lacks ${JSON.stringify(p)}: ${caught.message}`);
    else assert.match(caught.message, p);
  }
  return caught;
}
