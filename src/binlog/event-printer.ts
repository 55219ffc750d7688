/**
 * Turns a stream of decoded events into JSON lines: tracks TABLE_MAPs and the current transaction's GTID,
 * decodes rows with the best schema available (a resolver, else TABLE_MAP optional metadata), and expands
 * the events inside MySQL 8 TRANSACTION_PAYLOAD events. Output is batched for throughput.
 */
import type { BinlogEvent, TableMapBody } from './events.js';
import { eventToJson, toJsonText, type EventJsonContext } from './event-json.js';
import { TableMapCache } from './table-map-cache.js';
import { decodeRows, schemaFromTableMap } from './row-decoder.js';
import type { TableSchema } from './table-schema.js';

export type SchemaResolver = (tm: TableMapBody) => Promise<TableSchema | undefined>;

export interface EventPrinterOptions {
  /** Decode row images (default true). */
  rows?: boolean;
  /** Supplies column names/types for a table (e.g. from the live upstream). */
  resolveSchema?: SchemaResolver | undefined;
  /** Receives chunks of output text. */
  write: (chunk: string) => void | Promise<void>;
  /** Flush threshold in characters (default 256 KiB). */
  bufferSize?: number;
}

export class EventPrinter {
  readonly tables = new TableMapCache();
  private gtid: string | undefined;
  private clearGtidAfterNext = false;
  private out: string[] = [];
  private outLen = 0;
  private readonly schemas = new Map<string, TableSchema | undefined>();
  /** Events printed so far (inner payload events included). */
  count = 0;

  constructor(private readonly opts: EventPrinterOptions) {}

  async handle(ev: BinlogEvent): Promise<void> {
    const b = ev.body;
    if (b.kind === 'gtid' || b.kind === 'mariadb_gtid') {
      this.gtid = b.gtid;
      this.clearGtidAfterNext = b.kind === 'mariadb_gtid' && b.standalone;
    }
    this.tables.observe(ev);
    const ctx: EventJsonContext = { gtid: b.kind === 'gtid' || b.kind === 'mariadb_gtid' ? undefined : this.gtid };
    if (b.kind === 'rows') {
      const tm = this.tables.get(b.tableId);
      ctx.tableMap = tm;
      if (!tm) ctx.rowsError = `no TABLE_MAP for table id ${b.tableId}`;
      else if (this.opts.rows !== false) {
        try {
          const schema = await this.schemaFor(tm);
          ctx.rows = { decoded: decodeRows(b, tm, schema), schema };
        } catch (e) {
          ctx.rowsError = e instanceof Error ? e.message : String(e);
        }
      }
    }
    await this.emit(toJsonText(eventToJson(ev, ctx)));
    if (b.kind === 'transaction_payload') for (const inner of b.events) await this.handle(inner);
    const endsTransaction = b.kind === 'xid' || (b.kind === 'query' && /^\s*(COMMIT|ROLLBACK)\b/i.test(b.query));
    if (endsTransaction || (this.clearGtidAfterNext && b.kind === 'query')) {
      this.gtid = undefined;
      this.clearGtidAfterNext = false;
    }
  }

  /** Schemas derived from TABLE_MAP metadata, once per TABLE_MAP event. */
  private readonly binlogSchemas = new WeakMap<TableMapBody, TableSchema>();

  private async schemaFor(tm: TableMapBody): Promise<TableSchema> {
    let fromBinlog = this.binlogSchemas.get(tm);
    if (!fromBinlog) {
      fromBinlog = schemaFromTableMap(tm);
      this.binlogSchemas.set(tm, fromBinlog);
    }
    if (!this.opts.resolveSchema) return fromBinlog;
    const key = `${tm.schema}\u0000${tm.table}\u0000${tm.columnCount}`;
    if (!this.schemas.has(key)) {
      const s = await this.opts.resolveSchema(tm);
      // a definition that no longer matches the binlog's column count cannot name these columns
      this.schemas.set(key, s && s.columns.length === tm.columnCount ? s : undefined);
    }
    return this.schemas.get(key) ?? fromBinlog;
  }

  private async emit(line: string): Promise<void> {
    this.count++;
    this.out.push(line);
    this.outLen += line.length + 1;
    if (this.outLen >= (this.opts.bufferSize ?? 256 * 1024)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.out.length === 0) return;
    const text = this.out.join('\n') + '\n';
    this.out = [];
    this.outLen = 0;
    await this.opts.write(text);
  }
}
