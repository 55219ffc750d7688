/**
 * Failpoints of the load unit, switched on by the environment for crash tests:
 * `DM_FAILPOINTS="load/after-checkpoint=3"` kills the process with SIGKILL right after the 3rd checkpoint
 * commit; `load/before-commit=3` right before the 3rd batch commits (its statements executed, not committed).
 * Several failpoints are separated by `;` or `,`. With DM_FAILPOINTS unset these cost one branch per batch.
 */

export interface LoadFailpoints {
  /** Called after a batch's transaction (data + checkpoint) committed. */
  afterCheckpoint(): void;
  /** Called before a batch's COMMIT is sent. */
  beforeCommit(): void;
}

function parse(spec: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (spec ?? '').split(/[;,]/)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name) out.set(name, eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return out;
}

function killAt(n: number | undefined): () => void {
  if (n === undefined || !Number.isInteger(n) || n < 1) return () => undefined;
  let count = 0;
  return () => {
    if (++count === n) process.kill(process.pid, 'SIGKILL');
  };
}

export function loadFailpoints(env: NodeJS.ProcessEnv = process.env): LoadFailpoints {
  const fp = parse(env.DM_FAILPOINTS);
  const num = (k: string): number | undefined => (fp.has(k) ? Number(fp.get(k)) : undefined);
  return { afterCheckpoint: killAt(num('load/after-checkpoint')), beforeCommit: killAt(num('load/before-commit')) };
}
