/**
 * The dm-master / dm-worker entry points as a user runs them: the compiled JS under node, checking exit
 * codes and what is printed (version, sample config, coded errors without stack traces).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = (name: string): string => path.join(here, `${name}.js`);
const skip = !existsSync(compiled('dm-master')) && 'run from the compiled tests (npm run build)';

function run(name: 'dm-master' | 'dm-worker', args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [compiled(name), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('dm-master -V prints the version and exits 0', { skip }, () => {
  const r = run('dm-master', ['-V']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Release Version: v\d+\.\d+\.\d+/);
});

test('dm-master / dm-worker --print-sample-config print TOML a config file can hold', { skip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dm-cluster-cli-'));
  for (const name of ['dm-master', 'dm-worker'] as const) {
    const r = run(name, ['--print-sample-config']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, name === 'dm-master' ? /master-addr = ":8261"/ : /worker-addr = ":8262"/);
    const p = path.join(dir, `${name}.toml`);
    writeFileSync(p, r.stdout);
    const c = run(name, [`--config=${p}`]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /advertise-addr = "127.0.0.1:826[12]"/);
    assert.match(c.stderr, /server itself is not implemented yet/);
  }
});

test('a bad flag prints the coded error, no stack trace, exit 1', { skip }, () => {
  const m = run('dm-master', ['--no-such-flag']);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /^Error: \[code=38010:class=dm-master:scope=internal:level=medium\] parse config flag set: flag provided but not defined: -no-such-flag/);
  assert.doesNotMatch(m.stderr, /\n\s+at /);
  assert.equal(m.stdout, '');
  const w = run('dm-worker', ['--worker-addr=:8262', '--join=127.0.0.1:8261']);
  assert.equal(w.code, 1);
  assert.match(w.stderr, /\[code=40069:/);
  assert.doesNotMatch(w.stderr, /\n\s+at /);
});

test('--help lists the flags and exits 0', { skip }, () => {
  const r = run('dm-worker', ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /-keepalive-ttl int/);
  assert.match(r.stdout, /-relay-keepalive-ttl int/);
});
