/**
 * Events that carry the original SQL of a row-based transaction: MySQL ROWS_QUERY
 * (`binlog_rows_query_log_events`) and MariaDB ANNOTATE_ROWS (`binlog_annotate_row_events`).
 */
import type { MariadbAnnotateRowsBody, RowsQueryBody } from '../events.js';

export function decodeRowsQuery(buf: Buffer, bodyStart: number, bodyEnd: number): RowsQueryBody {
  // one length byte (truncated at 255, so unusable), then the full text to the end
  return { kind: 'rows_query', query: buf.toString('utf8', Math.min(bodyStart + 1, bodyEnd), bodyEnd) };
}

export function decodeAnnotateRows(buf: Buffer, bodyStart: number, bodyEnd: number): MariadbAnnotateRowsBody {
  return { kind: 'mariadb_annotate_rows', query: buf.toString('utf8', bodyStart, bodyEnd) };
}
