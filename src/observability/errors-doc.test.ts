import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from './errors-doc.js';
import { allErrorDefs } from './error-catalogue.js';
import { DmError } from './dm-error.js';
import { E } from './error-catalogue.js';

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
}

test('docs/errors.md is generated from the catalogue (run `npm run docs:errors`)', () => {
  const committed = readFileSync(path.join(repoRoot(), 'docs', 'errors.md'), 'utf8');
  assert.equal(committed, renderErrorsDoc());
});

test('error codes are unique and every entry is complete', () => {
  const seen = new Set<number>();
  for (const d of allErrorDefs()) {
    assert.ok(!seen.has(d.code), `duplicate code ${d.code}`);
    seen.add(d.code);
    assert.ok(d.name && d.message, `entry ${d.code} lacks a name or message`);
  }
});

test('a DmError prints as DM does', () => {
  const e = DmError.of(E.BinlogNotLogColumn);
  assert.match(e.message, /^\[code=11126:class=binlog-op:scope=upstream:level=high\] upstream didn't log enough columns in binlog, Workaround: /);
  const e2 = DmError.of(E.DBDriverError, ['connect ECONNREFUSED 127.0.0.1:1']);
  assert.equal(e2.toJSON().ErrCode, 10001);
  assert.match(e2.message, /database driver error: connect ECONNREFUSED/);
});
