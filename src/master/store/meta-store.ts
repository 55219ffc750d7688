/**
 * The master's metadata store: one key-value interface for sources, tasks, desired stages, source→worker
 * bindings and worker registrations (DM's etcd layout, spec §1.10). Two implementations: the embedded
 * crash-safe {@link FileMetaStore} (`file-meta-store.ts`, one master) and, later, etcd (HA).
 *
 * The interface is modelled on etcd v3 so the etcd implementation is a thin mapping:
 * - the store has one `revision`, bumped by exactly 1 by every write that changes something (a put, a delete
 *   that deletes, a txn branch that changes at least one key); every change of one call shares that revision;
 * - every key carries `createRevision`, `modRevision` and `version` (number of puts since creation);
 * - `txn` is etcd's compare-and-swap: all compares are evaluated against one state, then `success` or
 *   `failure` is applied atomically; a branch may not touch the same key twice (etcd's "duplicate key");
 * - `watch` replays history from a revision and then follows live changes; history older than the last
 *   compaction is gone (`compacted` error, like etcd's ErrCompacted: list, then watch from list revision + 1).
 *
 * Values are strings; callers store JSON. Keys compare as etcd compares them (by UTF-8 bytes).
 */

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created the key (since it last did not exist). */
  readonly createRevision: number;
  /** Revision of the last write to the key. */
  readonly modRevision: number;
  /** Number of puts since creation (1 after the first put). */
  readonly version: number;
}

/**
 * One txn condition on one key, all equality tests (as DM uses etcd):
 * `{ key, exists: false }` (the key is absent), `{ key, modRevision: 0 }` (same: absent keys have revision 0),
 * `{ key, value }`, `{ key, createRevision }`, `{ key, version }`.
 */
export type Compare =
  | { readonly key: string; readonly exists: boolean }
  | { readonly key: string; readonly value: string }
  | { readonly key: string; readonly modRevision: number }
  | { readonly key: string; readonly createRevision: number }
  | { readonly key: string; readonly version: number };

export type TxnOp =
  | { readonly type: 'put'; readonly key: string; readonly value: string }
  | { readonly type: 'delete'; readonly key: string }
  | { readonly type: 'deletePrefix'; readonly prefix: string };

export interface Txn {
  readonly compares: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure?: readonly TxnOp[];
}

export interface TxnResult {
  /** True when every compare held and `success` ran. */
  readonly succeeded: boolean;
  /** Store revision after the txn (unchanged when the chosen branch changed nothing). */
  readonly revision: number;
}

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly key: string;
  /** The new value for a put; the value before the delete for a delete. */
  readonly value: string;
  readonly revision: number;
}

/** Stops a watch; calling it again does nothing. */
export type Unsubscribe = () => void;

export interface MetaStore {
  /** Current store revision (0 for an empty, never written store). */
  readonly revision: number;
  get(key: string): Promise<KeyValue | undefined>;
  /** Every key starting with `prefix` (`''`: all keys), sorted by key. */
  list(prefix: string): Promise<KeyValue[]>;
  /** Returns the revision of the write. */
  put(key: string, value: string): Promise<number>;
  /** Returns the number of keys deleted (0 or 1). */
  delete(key: string): Promise<number>;
  /** Returns the number of keys deleted. */
  deletePrefix(prefix: string): Promise<number>;
  txn(txn: Txn): Promise<TxnResult>;
  /**
   * Calls `onEvent` for every change to a key under `prefix` with revision ≥ `fromRevision`, in revision
   * order (changes of one revision in key order), first from history, then live, each after it is durable.
   * `fromRevision` 0 means "changes after now". Throws `compacted` when history from `fromRevision` is gone.
   */
  watch(prefix: string, fromRevision: number, onEvent: (event: WatchEvent) => void): Unsubscribe;
  /** Waits for writes in flight, releases files and locks; later calls fail with `closed`. */
  close(): Promise<void>;
}

export type MetaStoreErrorKind =
  /** Another process (or another open store in this process) holds the data dir. */
  | 'locked'
  /** The data dir holds damage that is not a torn tail (so truncating it could lose acknowledged changes). */
  | 'corrupt'
  /** History from the requested revision was compacted away. */
  | 'compacted'
  /** A txn touches one key twice, or a key is empty. */
  | 'invalid-argument'
  /** The store was closed. */
  | 'closed'
  /** A write or fsync failed; the store refuses further writes until it is reopened (which recovers). */
  | 'failed';

/** The store's errors; `kind` is stable, the message says what and where. */
export class MetaStoreError extends Error {
  constructor(
    readonly kind: MetaStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`meta store: ${message}`, options);
    this.name = 'MetaStoreError';
  }
}

/** etcd's key order: by UTF-8 bytes, which is code point order (JS `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}
