/**
 * Failpoints of the sync unit for crash tests, switched on by `DM_FAILPOINTS` (see load-failpoints.ts):
 * `sync/before-commit=N` kills the process (SIGKILL) when the N-th executor batch has run its statements but
 * not its COMMIT; `sync/after-commit=N` right after the N-th batch committed; `sync/before-flush=N` /
 * `sync/after-flush=N` around the N-th global checkpoint flush; `sync/before-ddl=N` / `sync/after-ddl=N`
 * around the N-th DDL executed downstream (after: executed, its checkpoint not yet flushed).
 */
function parse(spec: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (spec ?? '').split(/[;,]/)) {
    const [name, n] = part.split('=').map((x) => x.trim());
    if (name?.startsWith('sync/')) out.set(name, Number(n));
  }
  return out;
}

export type SyncFailpointName = 'before-commit' | 'after-commit' | 'before-flush' | 'after-flush' | 'before-ddl' | 'after-ddl';

export class SyncFailpoints {
  private readonly at: Map<string, number>;
  private readonly counts = new Map<string, number>();

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.at = parse(env.DM_FAILPOINTS);
  }

  /** Whether any failpoint is set (the executors then send COMMIT separately so `before-commit` can act). */
  get active(): boolean {
    return this.at.size > 0;
  }

  hit(name: SyncFailpointName): void {
    const n = this.at.get(`sync/${name}`);
    if (n === undefined) return;
    const c = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, c);
    if (c === n) process.kill(process.pid, 'SIGKILL');
  }
}
