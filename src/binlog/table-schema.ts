/**
 * The table definition rows are decoded with. The byte layout of each value comes from the TABLE_MAP
 * event (type + metadata); what the bytes *mean* — column names, signedness, character set, ENUM/SET
 * member names — comes from a caller-supplied schema: the schema tracker's definition of the table as of
 * that binlog position, not whatever the server says today. Without one, TABLE_MAP optional metadata is used.
 */

export interface ColumnSchema {
  /** Column name; undefined when neither the tracker nor the binlog knows it. */
  readonly name?: string | undefined;
  /** Integer and DECIMAL/FLOAT/DOUBLE signedness (TINYINT UNSIGNED …). */
  readonly unsigned?: boolean | undefined;
  /**
   * MySQL character set name of character columns (`utf8mb4`, `latin1`, `binary`, …).
   * `binary` (or undefined for BLOB/BINARY types) means the value is bytes, returned as a Buffer.
   */
  readonly charset?: string | undefined;
  /** ENUM members in definition order (value 1 is the first member). */
  readonly enumValues?: readonly string[] | undefined;
  /** SET members in definition order (bit 0 is the first member). */
  readonly setValues?: readonly string[] | undefined;
}

export interface TableSchema {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly ColumnSchema[];
  /** Column indexes of the primary key, in key order (empty if none). */
  readonly primaryKey?: readonly number[] | undefined;
}
