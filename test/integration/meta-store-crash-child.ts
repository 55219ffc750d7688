/**
 * Crash-test helper: opens a FileMetaStore in argv[2].dir and performs the planned changes
 * (meta-store-crash-plan.ts) from the store's revision + 1 up to `total`, printing `{"done":i}` after each
 * call resolves and `{"phase":…}` at each compaction step. It compacts every few records so kills land in
 * compactions; `killAt` (a compaction phase) makes it SIGKILL itself at that exact step.
 *
 * Options: JSON in argv[2]: { dir, total, killAt? }. Without an argument (e.g. picked up by a test runner
 * scanning the directory) it does nothing.
 */
import { FileMetaStore } from '../../src/master/store/file-meta-store.js';
import { plannedTxn } from './meta-store-crash-plan.js';

const arg = process.argv[2];
if (!arg?.startsWith('{')) process.exit(0);
const opts = JSON.parse(arg) as { dir: string; total: number; killAt?: string };
const say = (o: object): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const store = await FileMetaStore.open({
  dir: opts.dir,
  compactLogRecords: 12,
  compactLogBytes: 24 * 1024,
  onCompaction: (phase, generation) => {
    say({ phase, generation });
    if (phase === opts.killAt) process.kill(process.pid, 'SIGKILL');
  },
});
say({ opened: store.revision, recovery: store.recovery });
for (let i = store.revision + 1; i <= opts.total; i++) {
  const acct = await store.get('/acct/a');
  const r = await store.txn(plannedTxn(i, acct?.modRevision ?? 0));
  if (r.revision !== i) throw new Error(`change ${i} made revision ${r.revision}`);
  say({ done: i });
}
await store.close();
say({ finished: opts.total });
