/**
 * The embedded meta store survives kill -9 at any moment. A child process (meta-store-crash-child.ts) runs
 * the planned changes of meta-store-crash-plan.ts, compacting every dozen records, and prints each change
 * after its call resolves. It is killed again and again — at random moments, right after a compaction
 * starts, and at every compaction step through a self-kill — and after each kill the store is reopened here:
 * every printed change must be there, and the whole state (values, create/mod revisions, versions) must
 * equal a replay of exactly the first `revision` planned changes, so no txn is ever half applied.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileMetaStore } from '../../src/master/store/file-meta-store.js';
import { replayPlan } from './meta-store-crash-plan.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Line = { done?: number; phase?: string; opened?: number; finished?: number };

interface ChildRun {
  signal: NodeJS.Signals | null;
  lines: Line[];
}

/** Runs the child; `killWhen` sees each line and may return a delay (ms) after which the child is SIGKILLed. */
function runChild(opts: { dir: string; total: number; killAt?: string }, env: Record<string, string>, killWhen?: (line: Line, lines: Line[]) => number | undefined): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // the child next to this file: compiled (dist/…/meta-store-crash-child.js) or run from source through tsx
    const self = new URL(import.meta.url).pathname;
    const args = self.endsWith('.js') ? [path.join(path.dirname(self), 'meta-store-crash-child.js')] : ['--import', 'tsx', path.join(path.dirname(self), 'meta-store-crash-child.ts')];
    const child = spawn(process.execPath, [...args, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const lines: Line[] = [];
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as Line;
        buf = buf.slice(nl + 1);
        lines.push(line);
        const ms = timer === undefined ? killWhen?.(line, lines) : undefined;
        if (ms !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ signal, lines });
    });
  });
}

/** Reopens the store and checks it against the plan; returns the revision found. */
async function verify(dir: string, printed: number): Promise<{ revision: number; truncatedBytes: number; generation: number }> {
  const store = await FileMetaStore.open({ dir });
  try {
    const revision = store.revision;
    assert.ok(revision >= printed, `change ${printed} was acknowledged but the store is at revision ${revision}`);
    assert.deepEqual(await store.list(''), replayPlan(revision), `state at revision ${revision} is not the replay of changes 1..${revision}`);
    return { revision, truncatedBytes: store.recovery.truncatedBytes, generation: store.recovery.generation };
  } finally {
    await store.close();
  }
}

describe('meta store crash safety (SIGKILL at any moment)', () => {
  it('keeps every acknowledged change and never half a txn across 25 kills, in and out of compactions', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dm-meta-crash-'));
    dirs.push(dir);
    const total = 1200;
    const phases = ['start', 'snapshot-renamed', 'snapshot-durable', 'log-created', 'done'];
    let seed = 20240611;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let kills = 0;
    let inCompaction = 0;
    let torn = 0;
    let lastRevision = 0;
    for (let round = 0; round < 25; round++) {
      const mode = round % 5;
      const killAt = mode === 0 ? phases[(round / 5) % phases.length] : undefined;
      const stopAfter = 1 + rand(40);
      // mode 4: a torn append (half a record on disk, then SIGKILL), as a power cut would leave it
      const env: Record<string, string> = mode === 4 ? { DM_FAILPOINTS: `meta-store/torn-append=${1 + rand(30)}` } : {};
      const run = await runChild({ dir, total, killAt }, env, (line, lines) => {
        if (mode === 3) return line.phase === 'start' ? rand(3) : undefined; // somewhere inside a compaction
        if ((mode === 1 || mode === 2) && lines.filter((l) => l.done !== undefined).length >= stopAfter) return rand(4);
        return undefined;
      });
      const printed = Math.max(0, ...run.lines.map((l) => l.done ?? 0));
      assert.equal(run.signal, 'SIGKILL', `round ${round}: the child was killed (it printed up to ${printed})`);
      kills++;
      const last = run.lines.at(-1);
      if (last?.phase !== undefined && last.phase !== 'done') inCompaction++;
      const v = await verify(dir, printed);
      if (v.truncatedBytes > 0) torn++;
      assert.ok(v.revision >= lastRevision, 'revisions never go back');
      lastRevision = v.revision;
    }
    // and then it runs to the end
    const final = await runChild({ dir, total }, {});
    assert.equal(final.signal, null);
    assert.equal((await verify(dir, total)).revision, total);
    assert.ok(kills >= 10);
    assert.ok(inCompaction >= 4, `kills inside a compaction: ${inCompaction}`);
    assert.ok(torn >= 5, `torn appends repaired: ${torn}`);
    t.diagnostic(`${kills} kills, ${inCompaction} inside a compaction, ${torn} torn tails repaired, ${lastRevision} changes before the last run`);
  });
});
