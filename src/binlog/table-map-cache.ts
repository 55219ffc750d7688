/**
 * Keeps the TABLE_MAP events of a stream by table id, so each rows event can be matched with the table
 * and column types it was written with. MySQL reuses table ids only after a table is evicted from the
 * server's cache, and every rows event is preceded by its TABLE_MAP in the same transaction, so the latest
 * mapping for an id is always the right one.
 */
import type { BinlogEvent, RowsBody, TableMapBody } from './events.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

export class TableMapCache {
  private readonly maps = new Map<number, TableMapBody>();

  /** Records a TABLE_MAP; returns true if the event was one. */
  observe(ev: BinlogEvent): boolean {
    if (ev.body.kind !== 'table_map') return false;
    this.maps.set(ev.body.tableId, ev.body);
    return true;
  }

  get(tableId: number): TableMapBody | undefined {
    return this.maps.get(tableId);
  }

  /** The TABLE_MAP of a rows event; a coded error when it was never seen (stream started mid-transaction). */
  require(ev: BinlogEvent & { body: RowsBody }): TableMapBody {
    const tm = this.maps.get(ev.body.tableId);
    if (!tm) throw DmError.of(E.BinlogExpectTableMapEv, [`${ev.type} for unknown table id ${ev.body.tableId} at ${ev.file}:${ev.offset}`]);
    return tm;
  }

  clear(): void {
    this.maps.clear();
  }
}
