/**
 * The embedded meta store as the master will use it: revisions and txns with etcd's semantics, watches that
 * resume after a restart, prefix listing, compaction, torn-tail repair, damage refused, and the data-dir lock.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { FileMetaStore, type CompactionPhase } from './file-meta-store.js';
import { MetaStoreError, type WatchEvent } from './meta-store.js';

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'dm-meta-store-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const walOf = (dir: string): string => path.join(dir, readdirSync(dir).find((n) => n.startsWith('wal-'))!);

async function dump(s: FileMetaStore): Promise<Record<string, string>> {
  return Object.fromEntries((await s.list('')).map((kv) => [kv.key, kv.value]));
}

function isKind(kind: string): (e: unknown) => boolean {
  return (e) => e instanceof MetaStoreError && e.kind === kind;
}

describe('FileMetaStore', () => {
  it('counts revisions like etcd and keeps create/mod revisions and versions', async () => {
    const s = await FileMetaStore.open({ dir: freshDir() });
    assert.equal(s.revision, 0);
    assert.equal(await s.put('/a', '1'), 1);
    assert.equal(await s.put('/b', '1'), 2);
    assert.equal(await s.put('/a', '2'), 3);
    assert.deepEqual(await s.get('/a'), { key: '/a', value: '2', createRevision: 1, modRevision: 3, version: 2 });
    assert.equal(await s.delete('/missing'), 0);
    assert.equal(s.revision, 3, 'a delete that deletes nothing is no revision');
    assert.equal(await s.delete('/a'), 1);
    assert.equal(s.revision, 4);
    assert.equal(await s.get('/a'), undefined);
    await s.put('/a', 'again');
    assert.deepEqual(await s.get('/a'), { key: '/a', value: 'again', createRevision: 5, modRevision: 5, version: 1 });
    await s.close();
    await assert.rejects(s.get('/a'), isKind('closed'));
  });

  it('lists a prefix sorted by UTF-8 bytes and deletes by prefix', async () => {
    const s = await FileMetaStore.open({ dir: freshDir() });
    for (const k of ['/dm-master/v2/upstream/config/b', '/dm-master/v2/upstream/config/a', '/dm-master/v2/upstream/config/\u{1F600}', '/dm-master/v2/upstream/config/\uFF5E', '/dm-master/stage/x', '/dm-worker/r/w1']) {
      await s.put(k, JSON.stringify({ k }));
    }
    const keys = (await s.list('/dm-master/v2/upstream/config/')).map((kv) => kv.key.slice(-2));
    // U+FF5E sorts before U+1F600 in UTF-8 (etcd) although its UTF-16 unit is larger than the surrogate
    assert.deepEqual(keys, ['/a', '/b', '/\uFF5E', '\u{1F600}']);
    assert.equal((await s.list('')).length, 6);
    const rev = s.revision;
    assert.equal(await s.deletePrefix('/dm-master/'), 5);
    assert.equal(s.revision, rev + 1, 'one deletePrefix is one revision');
    assert.deepEqual(Object.keys(await dump(s)), ['/dm-worker/r/w1']);
    await s.close();
  });

  it('evaluates txn compares on one state and applies a branch atomically', async () => {
    const s = await FileMetaStore.open({ dir: freshDir() });
    // create-if-absent, as the master binds a source to a worker
    const bind = { compares: [{ key: '/bound/s1', exists: false }], success: [{ type: 'put', key: '/bound/s1', value: 'w1' }, { type: 'put', key: '/last/s1', value: 'w1' }] } as const;
    const r1 = await s.txn(bind);
    assert.deepEqual(r1, { succeeded: true, revision: 1 });
    assert.deepEqual(await s.txn(bind), { succeeded: false, revision: 1 }, 'a failed compare with no failure ops changes nothing');
    const kv = (await s.get('/bound/s1'))!;
    assert.equal(kv.modRevision, 1);
    // compare-and-swap on modRevision; failure branch runs otherwise
    const cas = (mod: number) => s.txn({
      compares: [{ key: '/bound/s1', modRevision: mod }, { key: '/last/s1', value: 'w1' }],
      success: [{ type: 'put', key: '/bound/s1', value: 'w2' }, { type: 'delete', key: '/last/s1' }],
      failure: [{ type: 'put', key: '/conflicts', value: String(mod) }],
    });
    assert.deepEqual(await cas(99), { succeeded: false, revision: 2 });
    assert.equal((await s.get('/conflicts'))?.value, '99');
    assert.equal((await s.get('/bound/s1'))?.value, 'w1');
    assert.deepEqual(await cas(1), { succeeded: true, revision: 3 });
    assert.deepEqual(await dump(s), { '/bound/s1': 'w2', '/conflicts': '99' });
    // every compare kind; absent keys have revision/version 0
    const ok = await s.txn({
      compares: [
        { key: '/bound/s1', createRevision: 1 },
        { key: '/bound/s1', version: 2 },
        { key: '/nothing', modRevision: 0 },
        { key: '/nothing', version: 0 },
      ],
      success: [{ type: 'deletePrefix', prefix: '/' }],
    });
    assert.deepEqual(ok, { succeeded: true, revision: 4 });
    assert.equal((await s.list('')).length, 0);
    assert.equal((await s.txn({ compares: [{ key: '/nothing', value: '' }], success: [{ type: 'put', key: '/x', value: '' }] })).succeeded, false, 'an absent key has no value');
    // etcd refuses a branch that touches one key twice
    await assert.rejects(s.txn({ compares: [], success: [{ type: 'put', key: '/k', value: '1' }, { type: 'put', key: '/k', value: '2' }] }), isKind('invalid-argument'));
    await assert.rejects(s.txn({ compares: [], success: [{ type: 'put', key: '/p/k', value: '1' }, { type: 'deletePrefix', prefix: '/p/' }] }), isKind('invalid-argument'));
    await assert.rejects(s.put('', 'x'), isKind('invalid-argument'));
    assert.equal(s.revision, 4);
    await s.close();
  });

  it('serialises concurrent writers: compare-and-swap counters lose no update', async () => {
    const s = await FileMetaStore.open({ dir: freshDir() });
    await s.put('/n', '0');
    const bump = async (): Promise<void> => {
      for (;;) {
        const kv = (await s.get('/n'))!;
        const r = await s.txn({ compares: [{ key: '/n', modRevision: kv.modRevision }], success: [{ type: 'put', key: '/n', value: String(Number(kv.value) + 1) }] });
        if (r.succeeded) return;
      }
    };
    await Promise.all(Array.from({ length: 20 }, bump));
    assert.equal((await s.get('/n'))?.value, '20');
    await s.close();
  });

  it('watches from a past revision after a restart, then follows live changes', async () => {
    const dir = freshDir();
    const s1 = await FileMetaStore.open({ dir });
    await s1.put('/t/a', '1'); // 1
    await s1.put('/other', 'x'); // 2
    await s1.txn({ compares: [], success: [{ type: 'put', key: '/t/b', value: '2' }, { type: 'put', key: '/t/a', value: '3' }] }); // 3
    await s1.delete('/t/a'); // 4
    await s1.close();

    const s2 = await FileMetaStore.open({ dir });
    assert.equal(s2.revision, 4);
    const seen: WatchEvent[] = [];
    const stop = s2.watch('/t/', 2, (e) => seen.push(e));
    assert.deepEqual(seen, [
      { type: 'put', key: '/t/a', value: '3', revision: 3 },
      { type: 'put', key: '/t/b', value: '2', revision: 3 },
      { type: 'delete', key: '/t/a', value: '3', revision: 4 },
    ]);
    await s2.put('/t/c', '5');
    await s2.put('/elsewhere', '6');
    assert.deepEqual(seen.at(-1), { type: 'put', key: '/t/c', value: '5', revision: 5 });
    assert.equal(seen.length, 4);
    stop();
    await s2.put('/t/d', '7');
    assert.equal(seen.length, 4, 'no events after unsubscribe');

    const live: number[] = [];
    s2.watch('', 0, (e) => live.push(e.revision));
    await s2.put('/z', '1');
    assert.deepEqual(live, [8], 'revision 0 = only changes after now');

    // a watcher that throws is removed and reported, the store goes on
    const errors: unknown[] = [];
    await s2.close();
    const s3 = await FileMetaStore.open({ dir, onWatcherError: (e) => errors.push(e) });
    s3.watch('/', 0, () => {
      throw new Error('boom');
    });
    await s3.put('/y', '1');
    await s3.put('/y', '2');
    assert.equal(errors.length, 1);
    await s3.close();
  });

  it('compacts into a snapshot and a new log; state, revisions and later writes survive; old history is gone', async () => {
    const dir = freshDir();
    const phases: CompactionPhase[] = [];
    const s1 = await FileMetaStore.open({ dir, compactLogRecords: 10, onCompaction: (p) => phases.push(p) });
    for (let i = 1; i <= 25; i++) await s1.put(`/k/${i % 7}`, `v${i}`);
    await s1.delete('/k/3');
    await s1.compact(); // waits for any automatic compaction too
    assert.ok(phases.filter((p) => p === 'done').length >= 3, phases.join());
    assert.ok(!phases.includes('failed'));
    const files = readdirSync(dir).sort();
    assert.equal(files.filter((f) => f.startsWith('snap-')).length, 1, files.join());
    assert.equal(files.filter((f) => f.startsWith('wal-')).length, 1, files.join());
    const before = await s1.list('');
    const rev = s1.revision;
    assert.throws(() => s1.watch('/', 5, () => undefined), isKind('compacted'));
    await s1.put('/after', 'x');
    await s1.close();

    const s2 = await FileMetaStore.open({ dir, compactLogRecords: 10 });
    assert.equal(s2.recovery.snapshotRevision, rev);
    assert.equal(s2.recovery.replayedRecords, 1);
    assert.equal(s2.revision, rev + 1);
    assert.deepEqual((await s2.list('')).filter((kv) => kv.key !== '/after'), before, 'create/mod revisions and versions too');
    const seen: number[] = [];
    s2.watch('/', rev + 1, (e) => seen.push(e.revision));
    assert.deepEqual(seen, [rev + 1]);
    await s2.close();
  });

  it('truncates a torn tail to the last good record', async () => {
    const dir = freshDir();
    const s1 = await FileMetaStore.open({ dir });
    await s1.put('/a', '1');
    await s1.txn({ compares: [], success: [{ type: 'put', key: '/b', value: '2' }, { type: 'put', key: '/c', value: '3' }] });
    await s1.close();
    const wal = walOf(dir);
    const goodSize = statSync(wal).size;
    const intact = readFileSync(wal);

    // a flipped byte in the last record: its CRC fails, the txn is gone as a whole
    const flipped = Buffer.from(intact);
    flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 0x20;
    writeFileSync(wal, flipped);
    const s2 = await FileMetaStore.open({ dir });
    assert.deepEqual(await dump(s2), { '/a': '1' });
    assert.equal(s2.revision, 1);
    assert.ok(s2.recovery.truncatedBytes > 0);
    await s2.put('/d', '4');
    await s2.close();
    const s3 = await FileMetaStore.open({ dir });
    assert.deepEqual(await dump(s3), { '/a': '1', '/d': '4' }, 'the repaired log takes new records');
    assert.equal(s3.recovery.truncatedBytes, 0);
    await s3.close();

    // a half-written record, and a zero-filled tail (a file extended but never written)
    writeFileSync(wal, intact.subarray(0, goodSize - 5));
    const s4 = await FileMetaStore.open({ dir });
    assert.deepEqual(await dump(s4), { '/a': '1' });
    await s4.close();
    appendFileSync(wal, Buffer.alloc(300));
    const s5 = await FileMetaStore.open({ dir });
    assert.deepEqual(await dump(s5), { '/a': '1' });
    assert.equal(s5.recovery.truncatedBytes, 300);
    await s5.close();
  });

  it('refuses damage in the middle of the log instead of dropping acknowledged changes', async () => {
    const dir = freshDir();
    const s1 = await FileMetaStore.open({ dir });
    for (let i = 0; i < 5; i++) await s1.put(`/k${i}`, 'value');
    await s1.close();
    const wal = walOf(dir);
    const buf = readFileSync(wal);
    buf[30] = buf[30]! ^ 0xff; // inside the first record
    writeFileSync(wal, buf);
    await assert.rejects(FileMetaStore.open({ dir }), isKind('corrupt'));
    assert.ok(!readdirSync(dir).includes('LOCK'), 'a failed open releases the lock');
    assert.equal(statSync(wal).size, buf.length, 'nothing was truncated');
  });

  it('ignores a snapshot that never got its final name, and finishes an interrupted switch', async () => {
    const dir = freshDir();
    const s1 = await FileMetaStore.open({ dir });
    await s1.put('/a', '1');
    await s1.compact(); // gen 1
    await s1.put('/b', '2');
    await s1.close();
    // a crash while writing snapshot 2: only its temp file exists
    writeFileSync(path.join(dir, 'snap-000000000002.snap.tmp'), 'partial');
    const s2 = await FileMetaStore.open({ dir });
    assert.deepEqual(await dump(s2), { '/a': '1', '/b': '2' });
    assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')));
    await s2.close();
    // a wal without its snapshot cannot come from a crash
    writeFileSync(path.join(dir, 'wal-000000000005.log'), 'DMMSWAL1');
    await assert.rejects(FileMetaStore.open({ dir }), isKind('corrupt'));
  });

  it('lets one process at a time open a data dir, and takes over a stale lock', async () => {
    const dir = freshDir();
    const s1 = await FileMetaStore.open({ dir });
    await assert.rejects(FileMetaStore.open({ dir }), (e: unknown) => isKind('locked')(e) && /in use by pid \d+/.test((e as Error).message));
    await s1.close();
    const s2 = await FileMetaStore.open({ dir });
    await s2.close();

    // a LOCK left by a kill -9: its pid is gone
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid: Number(gone.stdout), host: hostname(), since: 'then' }));
    const s3 = await FileMetaStore.open({ dir });
    assert.equal((JSON.parse(readFileSync(path.join(dir, 'LOCK'), 'utf8')) as { pid: number }).pid, process.pid);
    await s3.close();
    assert.ok(!readdirSync(dir).includes('LOCK'));

    // a live pid (the parent of this process) holds it
    writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'now' }));
    await assert.rejects(FileMetaStore.open({ dir }), isKind('locked'));
    rmSync(path.join(dir, 'LOCK'));
  });
});
