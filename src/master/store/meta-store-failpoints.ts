/**
 * Failpoints of the embedded meta store, switched on by the environment for crash tests (as the load unit's):
 * `DM_FAILPOINTS="meta-store/torn-append=3"` makes the 3rd log append of the process write only the first half
 * of its record, fsync it and SIGKILL the process — the torn tail a power cut leaves, which a plain kill -9
 * (the page cache keeps whole writes) practically never does. With DM_FAILPOINTS unset this costs one branch
 * per write.
 */

export interface MetaStoreFailpoints {
  /** True when this append is the one to tear. */
  tearThisAppend(): boolean;
}

function failpointNumber(spec: string | undefined, name: string): number | undefined {
  for (const part of (spec ?? '').split(/[;,]/)) {
    const [k, v] = part.split('=', 2).map((s) => s.trim());
    if (k === name) return Number(v);
  }
  return undefined;
}

export function metaStoreFailpoints(env: NodeJS.ProcessEnv = process.env): MetaStoreFailpoints {
  const n = failpointNumber(env.DM_FAILPOINTS, 'meta-store/torn-append');
  if (n === undefined || !Number.isInteger(n) || n < 1) return { tearThisAppend: () => false };
  let count = 0;
  return { tearThisAppend: () => ++count === n };
}
