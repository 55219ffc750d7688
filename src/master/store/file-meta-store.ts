/**
 * The embedded {@link MetaStore}: the whole key space in memory, made durable by a write-ahead log in the
 * master's data dir (format and proofs: docs/meta-store.md).
 *
 * Data dir: `LOCK` (see data-dir-lock.ts), `snap-<gen>.snap` (the state at one revision; absent for gen 0)
 * and `wal-<gen>.log` (every change after that snapshot, one record per committed call).
 *
 * Invariants:
 * 1. A call resolves only after its record is written and fdatasync'd; memory and watchers are updated only
 *    then. One call = one record, so replay applies a txn entirely or not at all.
 * 2. Writes are serialised (one at a time, in call order); a record's revision is exactly the previous + 1.
 * 3. On open, a bad tail of the log (a crash mid-append) is truncated; damage followed by valid records is
 *    refused as corrupt, since truncating it would drop acknowledged changes.
 * 4. Compaction (gen g → g+1) never leaves a moment where the newest complete snapshot plus its log differ
 *    from the committed state: the snapshot is written to a temp name, fsync'd, renamed and the dir fsync'd
 *    before the new log exists; no write runs in between, so the old log holds nothing after the snapshot;
 *    the old generation is deleted only after the new one is durable. Open uses the highest snapshot.
 * 5. After a failed write or fsync the store refuses writes (`failed`) until reopened: the file's state is
 *    unknown, and reopening is what recovers it.
 */
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DataDirLock } from './data-dir-lock.js';
import {
  compareKeys,
  MetaStoreError,
  type Compare,
  type KeyValue,
  type MetaStore,
  type Txn,
  type TxnOp,
  type TxnResult,
  type Unsubscribe,
  type WatchEvent,
} from './meta-store.js';
import { metaStoreFailpoints } from './meta-store-failpoints.js';
import { encodeRecord, hasMagic, MAGIC_BYTES, RECORD_HEADER_BYTES, scanRecords, SNAPSHOT_MAGIC, WAL_MAGIC } from './wal-record.js';

export type CompactionPhase = 'start' | 'snapshot-renamed' | 'snapshot-durable' | 'log-created' | 'done' | 'failed';

export interface FileMetaStoreOptions {
  /** The data dir (created if missing). */
  readonly dir: string;
  /** Compact when the log passes this many bytes (default 4 MiB). */
  readonly compactLogBytes?: number;
  /** … or this many records (default 10 000). */
  readonly compactLogRecords?: number;
  /** Largest record (one call's changes, as JSON) accepted and read back (default 8 MiB). */
  readonly maxRecordBytes?: number;
  /** Told about each compaction step (for logs and crash tests); called synchronously between steps. */
  readonly onCompaction?: (phase: CompactionPhase, generation: number, error?: unknown) => void;
  /** A watcher's callback threw: the watcher is removed and this is told (default: a line on stderr). */
  readonly onWatcherError?: (error: unknown, event: WatchEvent) => void;
}

/** What open found and repaired. */
export interface RecoveryInfo {
  readonly generation: number;
  /** Revision of the snapshot loaded (0: none). */
  readonly snapshotRevision: number;
  readonly replayedRecords: number;
  /** Bytes of torn tail cut off the log (0 after a clean shutdown). */
  readonly truncatedBytes: number;
}

/** One resolved change in a record: `[key, value]` is a put, `[key]` a delete. */
type Change = [string, string] | [string];

interface LogPayload {
  r: number;
  c: Change[];
}

interface SnapshotPayload {
  r: number;
  kv: [string, string, number, number, number][];
}

interface Watcher {
  readonly prefix: string;
  readonly from: number;
  readonly onEvent: (event: WatchEvent) => void;
  active: boolean;
}

const GEN_WIDTH = 12;
const SNAP_RE = /^snap-(\d{12})\.snap$/;
const WAL_RE = /^wal-(\d{12})\.log$/;
const TMP_RE = /^(snap|wal)-\d{12}\.(snap|log)\.tmp$/;

const snapName = (gen: number): string => `snap-${String(gen).padStart(GEN_WIDTH, '0')}.snap`;
const walName = (gen: number): string => `wal-${String(gen).padStart(GEN_WIDTH, '0')}.log`;

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function writeAll(h: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await h.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

/** Writes `content` to `dir/name` via a temp file: fsync, rename, fsync dir; calls `renamed` after the rename. */
async function writeFileDurably(dir: string, name: string, content: Buffer, renamed?: () => void): Promise<void> {
  const tmp = path.join(dir, `${name}.tmp`);
  const h = await open(tmp, 'w');
  try {
    await writeAll(h, content, 0);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, path.join(dir, name));
  renamed?.();
  await fsyncDir(dir);
}

function isChange(c: unknown): c is Change {
  return Array.isArray(c) && typeof c[0] === 'string' && (c.length === 1 || (c.length === 2 && typeof c[1] === 'string'));
}

function isLogPayload(p: unknown): p is LogPayload {
  return typeof p === 'object' && p !== null && typeof (p as LogPayload).r === 'number' && Array.isArray((p as LogPayload).c) && (p as LogPayload).c.every(isChange);
}

function isSnapshotPayload(p: unknown): p is SnapshotPayload {
  return typeof p === 'object' && p !== null && typeof (p as SnapshotPayload).r === 'number' && Array.isArray((p as SnapshotPayload).kv);
}

export class FileMetaStore implements MetaStore {
  private readonly kvs = new Map<string, KeyValue>();
  private rev = 0;
  /** Events after the last snapshot: the watchable history. */
  private history: WatchEvent[] = [];
  private compactRevision = 0;
  private readonly watchers = new Set<Watcher>();
  private gen = 0;
  private wal!: FileHandle;
  private walBytes = 0;
  private walRecords = 0;
  /** Log size at which the next compaction is tried (pushed out after a failed one). */
  private nextCompactBytes: number;
  private nextCompactRecords: number;
  private chain: Promise<unknown> = Promise.resolve();
  private closing = false;
  private failure: unknown = undefined;
  private readonly compactLogBytes: number;
  private readonly compactLogRecords: number;
  private readonly maxRecordBytes: number;
  private readonly failpoints = metaStoreFailpoints();
  recovery!: RecoveryInfo;

  private constructor(
    private readonly opts: FileMetaStoreOptions,
    private readonly lock: DataDirLock,
  ) {
    this.compactLogBytes = opts.compactLogBytes ?? 4 * 1024 * 1024;
    this.compactLogRecords = opts.compactLogRecords ?? 10_000;
    this.maxRecordBytes = opts.maxRecordBytes ?? 8 * 1024 * 1024;
    this.nextCompactBytes = this.compactLogBytes;
    this.nextCompactRecords = this.compactLogRecords;
  }

  /** Opens (or creates) the store in `opts.dir`: takes the lock, loads the snapshot, replays the log. */
  static async open(opts: FileMetaStoreOptions): Promise<FileMetaStore> {
    // a new data dir's own entry must be durable too, or a crash could lose the whole dir
    if ((await mkdir(opts.dir, { recursive: true })) !== undefined) await fsyncDir(path.dirname(path.resolve(opts.dir)));
    const lock = await DataDirLock.acquire(opts.dir);
    const store = new FileMetaStore(opts, lock);
    try {
      await store.load();
    } catch (e) {
      await lock.release().catch(() => undefined); // the load error is the one to report
      throw e;
    }
    return store;
  }

  get revision(): number {
    return this.rev;
  }

  get dir(): string {
    return this.opts.dir;
  }

  // ------------------------------------------------------------------------------------------------------
  // reads

  get(key: string): Promise<KeyValue | undefined> {
    return this.guard(() => this.kvs.get(key));
  }

  list(prefix: string): Promise<KeyValue[]> {
    return this.guard(() => {
      const out: KeyValue[] = [];
      for (const kv of this.kvs.values()) if (kv.key.startsWith(prefix)) out.push(kv);
      return out.sort((a, b) => compareKeys(a.key, b.key));
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // writes

  async put(key: string, value: string): Promise<number> {
    return (await this.txn({ compares: [], success: [{ type: 'put', key, value }] })).revision;
  }

  delete(key: string): Promise<number> {
    return this.write({ compares: [], success: [{ type: 'delete', key }] }).then((r) => r.changed);
  }

  deletePrefix(prefix: string): Promise<number> {
    return this.write({ compares: [], success: [{ type: 'deletePrefix', prefix }] }).then((r) => r.changed);
  }

  txn(txn: Txn): Promise<TxnResult> {
    return this.write(txn).then(({ succeeded, revision }) => ({ succeeded, revision }));
  }

  /** Compacts now (normally automatic); resolves when done, failures are reported to `onCompaction`. */
  compact(): Promise<void> {
    return this.guard(() => undefined).then(() => this.serialize(() => this.compactNow()));
  }

  private write(txn: Txn): Promise<TxnResult & { changed: number }> {
    const checked = this.guard(() => {
      for (const branch of [txn.success, txn.failure ?? []]) validateBranch(branch);
      for (const c of txn.compares) if (c.key === '') throw new MetaStoreError('invalid-argument', 'empty key in a compare');
    });
    return checked.then(() => this.serialize(async () => {
      if (this.failure !== undefined) throw new MetaStoreError('failed', 'an earlier write failed; reopen the store', { cause: this.failure });
      const succeeded = txn.compares.every((c) => this.holds(c));
      const changes = this.plan(succeeded ? txn.success : (txn.failure ?? []));
      if (changes.length === 0) return { succeeded, revision: this.rev, changed: 0 };
      const rev = this.rev + 1;
      const record = encodeRecord({ r: rev, c: changes } satisfies LogPayload);
      if (record.length - RECORD_HEADER_BYTES > this.maxRecordBytes) {
        throw new MetaStoreError('invalid-argument', `a write of ${record.length} bytes exceeds the ${this.maxRecordBytes}-byte limit`);
      }
      if (this.failpoints.tearThisAppend()) {
        await writeAll(this.wal, record.subarray(0, record.length >> 1), this.walBytes);
        await this.wal.datasync();
        process.kill(process.pid, 'SIGKILL');
      }
      try {
        await writeAll(this.wal, record, this.walBytes);
        await this.wal.datasync();
      } catch (e) {
        this.failure = e;
        throw new MetaStoreError('failed', `writing ${path.join(this.opts.dir, walName(this.gen))} failed; reopen the store`, { cause: e });
      }
      this.walBytes += record.length;
      this.walRecords++;
      this.apply(rev, changes, true);
      if (this.walBytes >= this.nextCompactBytes || this.walRecords >= this.nextCompactRecords) {
        void this.serialize(() => this.compactNow());
      }
      return { succeeded, revision: rev, changed: changes.length };
    }));
  }

  private holds(c: Compare): boolean {
    const kv = this.kvs.get(c.key);
    if ('exists' in c) return c.exists === (kv !== undefined);
    if ('value' in c) return kv !== undefined && kv.value === c.value;
    if ('modRevision' in c) return (kv?.modRevision ?? 0) === c.modRevision;
    if ('createRevision' in c) return (kv?.createRevision ?? 0) === c.createRevision;
    return (kv?.version ?? 0) === c.version;
  }

  /** The concrete changes of a branch, in key order: deletes of keys that exist, then puts. */
  private plan(ops: readonly TxnOp[]): Change[] {
    const deletes = new Set<string>();
    const puts = new Map<string, string>();
    for (const op of ops) {
      if (op.type === 'put') puts.set(op.key, op.value);
      else if (op.type === 'delete') {
        if (this.kvs.has(op.key)) deletes.add(op.key);
      } else for (const k of this.kvs.keys()) if (k.startsWith(op.prefix)) deletes.add(k);
    }
    const changes: Change[] = [...[...deletes].map((k): Change => [k]), ...[...puts].map(([k, v]): Change => [k, v])];
    return changes.sort((a, b) => compareKeys(a[0], b[0]));
  }

  /** Applies one committed revision to memory (and, live, to watchers). */
  private apply(rev: number, changes: readonly Change[], live: boolean): void {
    const events: WatchEvent[] = [];
    for (const ch of changes) {
      const key = ch[0];
      const old = this.kvs.get(key);
      if (ch.length === 2) {
        const value = ch[1];
        const kv: KeyValue = Object.freeze({
          key,
          value,
          createRevision: old?.createRevision ?? rev,
          modRevision: rev,
          version: (old?.version ?? 0) + 1,
        });
        this.kvs.set(key, kv);
        events.push(Object.freeze({ type: 'put', key, value, revision: rev }));
      } else if (old) {
        this.kvs.delete(key);
        events.push(Object.freeze({ type: 'delete', key, value: old.value, revision: rev }));
      }
    }
    this.rev = rev;
    this.history.push(...events);
    if (!live) return;
    for (const w of this.watchers) for (const ev of events) this.deliver(w, ev);
  }

  // ------------------------------------------------------------------------------------------------------
  // watch

  watch(prefix: string, fromRevision: number, onEvent: (event: WatchEvent) => void): Unsubscribe {
    this.checkOpen();
    if (fromRevision > 0 && fromRevision <= this.compactRevision) {
      throw new MetaStoreError('compacted', `history before revision ${this.compactRevision + 1} was compacted; watch from revision ${fromRevision} is not possible (list, then watch from its revision + 1)`);
    }
    const w: Watcher = { prefix, from: fromRevision > 0 ? fromRevision : this.rev + 1, onEvent, active: true };
    for (const ev of this.history) if (ev.revision >= w.from) this.deliver(w, ev);
    if (w.active) this.watchers.add(w);
    return () => {
      w.active = false;
      this.watchers.delete(w);
    };
  }

  private deliver(w: Watcher, ev: WatchEvent): void {
    if (!w.active || ev.revision < w.from || !ev.key.startsWith(w.prefix)) return;
    try {
      w.onEvent(ev);
    } catch (e) {
      w.active = false;
      this.watchers.delete(w);
      if (this.opts.onWatcherError) this.opts.onWatcherError(e, ev);
      else process.stderr.write(`meta store: a watcher on "${w.prefix}" threw at revision ${ev.revision} and was removed: ${String(e)}\n`);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // lifecycle

  close(): Promise<void> {
    if (this.closing) return this.chain.then(() => undefined);
    this.closing = true;
    this.watchers.clear();
    return this.serialize(async () => {
      await this.wal.close();
      await this.lock.release();
    });
  }

  private checkOpen(): void {
    if (this.closing) throw new MetaStoreError('closed', `the store in ${this.opts.dir} is closed`);
  }

  /** Runs `fn` after the open check, turning a throw into a rejection. */
  private guard<T>(fn: () => T): Promise<T> {
    try {
      this.checkOpen();
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private serialize<T>(job: () => Promise<T>): Promise<T> {
    const p = this.chain.then(job);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async load(): Promise<void> {
    const dir = this.opts.dir;
    const names = await readdir(dir);
    for (const n of names) if (TMP_RE.test(n)) await rm(path.join(dir, n), { force: true });
    const snaps = names.map((n) => SNAP_RE.exec(n)?.[1]).filter((g) => g !== undefined).map(Number);
    const wals = names.map((n) => WAL_RE.exec(n)?.[1]).filter((g) => g !== undefined).map(Number);
    const gen = Math.max(0, ...snaps);
    const orphan = wals.find((g) => g > gen);
    if (orphan !== undefined) throw new MetaStoreError('corrupt', `${path.join(dir, walName(orphan))} has no snapshot ${snapName(orphan)}`);

    let snapshotRevision = 0;
    if (gen > 0) {
      const file = path.join(dir, snapName(gen));
      const buf = await readFile(file);
      const scan = hasMagic(buf, SNAPSHOT_MAGIC) ? scanRecords(buf, MAGIC_BYTES, Number.MAX_SAFE_INTEGER) : undefined;
      const payload = scan?.state === 'clean' && scan.records.length === 1 ? scan.records[0]?.payload : undefined;
      if (!isSnapshotPayload(payload)) throw new MetaStoreError('corrupt', `snapshot ${file} is damaged`);
      for (const [key, value, createRevision, modRevision, version] of payload.kv) {
        this.kvs.set(key, Object.freeze({ key, value, createRevision, modRevision, version }));
      }
      this.rev = snapshotRevision = this.compactRevision = payload.r;
    }

    const walFile = path.join(dir, walName(gen));
    let replayed = 0;
    let truncated = 0;
    if (!wals.includes(gen)) {
      await writeFileDurably(dir, walName(gen), WAL_MAGIC);
      this.walBytes = MAGIC_BYTES;
    } else {
      const buf = await readFile(walFile);
      if (!hasMagic(buf, WAL_MAGIC)) throw new MetaStoreError('corrupt', `${walFile} is not a meta store log`);
      const scan = scanRecords(buf, MAGIC_BYTES, this.maxRecordBytes);
      if (scan.state === 'corrupt') {
        throw new MetaStoreError('corrupt', `${walFile} is damaged at byte ${scan.goodEnd} with valid records after it; refusing to drop them`);
      }
      for (const rec of scan.records) {
        const p = rec.payload;
        if (!isLogPayload(p) || p.r !== this.rev + 1) {
          throw new MetaStoreError('corrupt', `${walFile}: record at byte ${rec.offset} does not follow revision ${this.rev}`);
        }
        this.apply(p.r, p.c, false);
        replayed++;
      }
      if (scan.state === 'torn') {
        truncated = buf.length - scan.goodEnd;
        const h = await open(walFile, 'r+');
        try {
          await h.truncate(scan.goodEnd);
          await h.sync();
        } finally {
          await h.close();
        }
      }
      this.walBytes = scan.goodEnd;
      this.walRecords = replayed;
    }
    this.gen = gen;
    this.wal = await open(walFile, 'r+');
    this.recovery = { generation: gen, snapshotRevision, replayedRecords: replayed, truncatedBytes: truncated };
    await this.removeGenerationsBefore(gen, names);
  }

  /** Deletes files of older generations (left by a crash during compaction, or by compaction itself). */
  private async removeGenerationsBefore(gen: number, names: readonly string[]): Promise<void> {
    const old = names.filter((n) => {
      const g = SNAP_RE.exec(n)?.[1] ?? WAL_RE.exec(n)?.[1];
      return g !== undefined && Number(g) < gen;
    });
    for (const n of old) await rm(path.join(this.opts.dir, n), { force: true });
    if (old.length > 0) await fsyncDir(this.opts.dir);
  }

  /** Snapshot + new log (invariant 4). Never rejects: a failure is reported and retried later. */
  private async compactNow(): Promise<void> {
    if (this.closing || this.failure !== undefined) return;
    const dir = this.opts.dir;
    const next = this.gen + 1;
    const report = (phase: CompactionPhase, generation: number, error?: unknown): void => {
      try {
        this.opts.onCompaction?.(phase, generation, error);
      } catch (e) {
        process.stderr.write(`meta store: the onCompaction hook threw at ${phase} (ignored, compaction goes on): ${String(e)}\n`);
      }
    };
    let renamed = false;
    try {
      report('start', next);
      const kv = [...this.kvs.values()].map((v): SnapshotPayload['kv'][number] => [v.key, v.value, v.createRevision, v.modRevision, v.version]);
      const snapshot = Buffer.concat([SNAPSHOT_MAGIC, encodeRecord({ r: this.rev, kv } satisfies SnapshotPayload)]);
      await writeFileDurably(dir, snapName(next), snapshot, () => {
        renamed = true;
        report('snapshot-renamed', next);
      });
      report('snapshot-durable', next);
      await writeFileDurably(dir, walName(next), WAL_MAGIC);
      report('log-created', next);
      const wal = await open(path.join(dir, walName(next)), 'r+');
      const oldWal = this.wal;
      this.wal = wal;
      this.gen = next;
      this.walBytes = MAGIC_BYTES;
      this.walRecords = 0;
      this.nextCompactBytes = this.compactLogBytes;
      this.nextCompactRecords = this.compactLogRecords;
      this.compactRevision = this.rev;
      this.history = [];
      await oldWal.close();
      await this.removeGenerationsBefore(next, await readdir(dir));
      report('done', next);
    } catch (e) {
      report('failed', next, e);
      if (renamed && this.gen !== next) {
        // the new snapshot may be what the next open loads, so the old log must not grow any more
        this.failure = e;
      } else if (!renamed) {
        await rm(path.join(dir, `${snapName(next)}.tmp`), { force: true }).catch(() => undefined); // best effort; open removes it too
        this.nextCompactBytes = this.walBytes + this.compactLogBytes;
        this.nextCompactRecords = this.walRecords + this.compactLogRecords;
      }
    }
  }
}

function validateBranch(ops: readonly TxnOp[]): void {
  const puts = new Set<string>();
  const deletes: string[] = [];
  const prefixes: string[] = [];
  for (const op of ops) {
    if (op.type === 'put') {
      if (op.key === '') throw new MetaStoreError('invalid-argument', 'empty key');
      if (puts.has(op.key)) throw new MetaStoreError('invalid-argument', `txn puts key "${op.key}" twice`);
      puts.add(op.key);
    } else if (op.type === 'delete') {
      if (op.key === '') throw new MetaStoreError('invalid-argument', 'empty key');
      deletes.push(op.key);
    } else prefixes.push(op.prefix);
  }
  for (const k of puts) {
    if (deletes.includes(k) || prefixes.some((p) => k.startsWith(p))) {
      throw new MetaStoreError('invalid-argument', `txn both puts and deletes key "${k}"`);
    }
  }
}
