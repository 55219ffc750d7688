/**
 * The units of work between the sync unit's reader and its executors: row changes of one upstream
 * transaction, resolved to their target table, delivered in pieces (a large transaction does not have to
 * fit in memory) and committed downstream together with the executor's checkpoint row.
 */
import type { Row } from '../../binlog/row-value.js';
import type { BinlogLocation } from './binlog-location.js';
import type { SyncTable } from './sync-table.js';

export type RowOp =
  | { readonly action: 'insert'; readonly table: SyncTable; readonly after: Row; readonly safe: boolean }
  | { readonly action: 'update'; readonly table: SyncTable; readonly before: Row; readonly after: Row; readonly safe: boolean }
  | { readonly action: 'delete'; readonly table: SyncTable; readonly before: Row; readonly safe: boolean };

/** One upstream transaction as the pool tracks it. */
export interface TxnHandle {
  /** Order of the transaction in the binlog (assigned by the pool). */
  readonly seq: number;
  /** Executor it runs on; -1 until its first piece is dispatched. */
  executor: number;
  /** Causality keys held (released when it commits). */
  readonly keys: string[];
  /** Set with the last piece: the upstream transaction's id (GTID, else `file:end`) and end location. */
  id: string;
  end: BinlogLocation;
  /** Upstream commit time (event header seconds), for the lag. */
  ts: number;
  done: boolean;
}

export interface TxnPiece {
  readonly txn: TxnHandle;
  readonly ops: readonly RowOp[];
  /** The last piece: the executor may commit after it. */
  readonly final: boolean;
}
