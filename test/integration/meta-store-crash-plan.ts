/**
 * The planned changes of the meta store crash test and a reference model to replay them.
 *
 * Change i (1-based) is one store call that always changes something, so after changes 1..n the store's
 * revision is exactly n. Some are multi-key txns whose keys share one value (a partial txn would show), some
 * take the failure branch of a compare, some delete a whole prefix, some carry large values so the log grows
 * by bytes as well as by records.
 */
import type { KeyValue, Txn } from '../../src/master/store/meta-store.js';

/** `acctMod`: the current modRevision of `/acct/a` (0 if absent), for the compare-and-swap. */
export function plannedTxn(i: number, acctMod: number): Txn {
  switch (i % 5) {
    case 0:
      return { compares: [], success: [{ type: 'put', key: `/k/${i % 13}`, value: `v${i}` }] };
    case 1:
      return {
        compares: [{ key: '/acct/a', modRevision: acctMod }],
        success: [
          { type: 'put', key: '/acct/a', value: String(i) },
          { type: 'put', key: '/acct/b', value: String(i) },
          { type: 'put', key: '/acct/c', value: String(i) },
          { type: 'delete', key: `/k/${(i * 7) % 13}` },
        ],
      };
    case 2:
      return {
        compares: [{ key: '/acct/a', value: 'never' }],
        success: [{ type: 'put', key: '/never', value: String(i) }],
        failure: [
          { type: 'put', key: `/fail/${i % 3}`, value: String(i) },
          { type: 'put', key: '/acct/c', value: `f${i}` },
        ],
      };
    case 3:
      return { compares: [], success: [{ type: 'deletePrefix', prefix: '/k/' }, { type: 'put', key: '/gen', value: String(i) }] };
    default:
      return { compares: [], success: [{ type: 'put', key: `/blob/${i % 4}`, value: `${i}:${'x'.repeat(2000 + (i % 500))}` }] };
  }
}

/** State after changes 1..n, with etcd's revision bookkeeping, sorted by key (keys are ASCII). */
export function replayPlan(n: number): KeyValue[] {
  const m = new Map<string, KeyValue>();
  const put = (key: string, value: string, rev: number): void => {
    const old = m.get(key);
    m.set(key, { key, value, createRevision: old?.createRevision ?? rev, modRevision: rev, version: (old?.version ?? 0) + 1 });
  };
  for (let i = 1; i <= n; i++) {
    const t = plannedTxn(i, m.get('/acct/a')?.modRevision ?? 0);
    const ok = t.compares.every((c) => {
      const kv = m.get(c.key);
      if ('modRevision' in c) return (kv?.modRevision ?? 0) === c.modRevision;
      if ('value' in c) return kv?.value === c.value;
      throw new Error('compare kind not used by the plan');
    });
    for (const op of ok ? t.success : (t.failure ?? [])) {
      if (op.type === 'put') put(op.key, op.value, i);
      else if (op.type === 'delete') m.delete(op.key);
      else for (const k of [...m.keys()]) if (k.startsWith(op.prefix)) m.delete(k);
    }
  }
  return [...m.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
