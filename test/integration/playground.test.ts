/**
 * `dm playground` — the README's main command — end to end: three local MariaDB shards merged by a local
 * dm-master and three dm-workers, full copy then incremental, query-status printed, `dm diff` EQUAL, and
 * everything stopped afterwards (`--exit`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../harness/mariadb-server.js';
import { runDm } from '../harness/dm-cli.js';

test('dm playground --exit runs the tutorial and ends with the shards equal to the merged table', async () => {
  const dir = path.join(scratchDir('playground'), 'work');
  try {
    const r = await runDm(['playground', '--exit', '--dir', dir]);
    assert.equal(r.code, 0, `${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
    assert.match(r.stderr, /operate-source create/);
    assert.match(r.stderr, /"stage": "Running"/);
    assert.match(r.stderr, /"unit": "Sync"/);
    assert.match(r.stdout, /result: EQUAL/);
    assert.match(r.stderr, /merged into dmtest\.t1 \(798 rows\)/);
    assert.ok(!r.stderr.includes('dm-test-pw"'), 'configs are not printed with passwords');
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
