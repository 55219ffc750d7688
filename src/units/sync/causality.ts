/**
 * Causality: which upstream transactions may run in parallel downstream. Every row change yields keys — the
 * target table plus the values of each primary/unique key, folded for case-insensitive collations — and a
 * transaction may only go to an executor when none of its keys is held by a transaction still in flight on
 * another executor (DM's causality, at transaction granularity: an upstream transaction is never split
 * across executors, so it stays atomic downstream).
 *
 * Invariant: a key is held by at most one executor at a time; it is released when the transaction that took
 * it has committed downstream.
 */

export type Assignment = { readonly executor: number } | { readonly conflict: readonly number[] };

export class Causality {
  private readonly owners = new Map<string, { executor: number; count: number }>();

  /** The one executor already holding some of `keys`, none (`-1`), or the several that do (conflict). */
  check(keys: readonly string[]): Assignment | { readonly executor: -1 } {
    let owner = -1;
    let others: Set<number> | undefined;
    for (const k of keys) {
      const o = this.owners.get(k);
      if (!o) continue;
      if (owner === -1) owner = o.executor;
      else if (o.executor !== owner) (others ??= new Set([owner])).add(o.executor);
    }
    if (others) return { conflict: [...others] };
    return { executor: owner };
  }

  hold(keys: readonly string[], executor: number): void {
    for (const k of keys) {
      const o = this.owners.get(k);
      if (o) {
        if (o.executor !== executor) throw new Error(`causality: key held by executor ${o.executor}, taken by ${executor}`);
        o.count++;
      } else {
        this.owners.set(k, { executor, count: 1 });
      }
    }
  }

  release(keys: readonly string[]): void {
    for (const k of keys) {
      const o = this.owners.get(k);
      if (!o) continue;
      if (--o.count === 0) this.owners.delete(k);
    }
  }

  get size(): number {
    return this.owners.size;
  }
}
