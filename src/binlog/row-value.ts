/**
 * The JavaScript value of one decoded column. One representation per MySQL type, chosen so that values
 * are exact and compare directly with what `SELECT` returns (see docs/binlog-values.md):
 *
 * | MySQL type                         | value                                                            |
 * |------------------------------------|------------------------------------------------------------------|
 * | NULL                               | `null`                                                           |
 * | TINYINT…INT (signed or unsigned)   | `number`                                                         |
 * | BIGINT (signed or unsigned)        | `bigint`                                                         |
 * | DECIMAL                            | `string`, exact, with the column's scale (`"-12.340"`)           |
 * | FLOAT                              | `number` (the float32 value widened to double)                   |
 * | DOUBLE                             | `number`                                                         |
 * | BIT(n)                             | `Buffer` of ceil(n/8) bytes, big-endian (as SELECT returns it)   |
 * | YEAR                               | `number` (0 for 0000, else 1901–2155)                            |
 * | DATE                               | `string` `YYYY-MM-DD` (zero parts kept: `0000-00-00`)            |
 * | TIME                               | `string` `[-]HH:MM:SS[.f…]` with exactly fsp fraction digits     |
 * | DATETIME                           | `string` `YYYY-MM-DD HH:MM:SS[.f…]`                              |
 * | TIMESTAMP                          | `string` like DATETIME, in UTC; zero is `0000-00-00 00:00:00`    |
 * | CHAR/VARCHAR/TEXT (non-binary cs)  | `string` decoded from the column's character set                 |
 * | BINARY/VARBINARY/BLOB, unknown cs  | `Buffer`: a view of the event's bytes (see below)                 |
 * | ENUM                               | `string` member name; `number` index if members are unknown; `""` for index 0 |
 * | SET                                | `string` comma-joined members; `bigint` bitmask if members are unknown |
 * | JSON (MySQL binary JSON)           | `string`: the JSON text MySQL prints for it                      |
 * | GEOMETRY                           | `Buffer`: MySQL's internal value (4-byte SRID + WKB), exact      |
 * | VECTOR                             | `number[]` of float32 values                                     |
 */
/*
 * Buffers are views into the event's bytes, not copies: the file reader and the replica client never reuse
 * an event's memory, so a view stays valid — but it keeps the event's buffer alive; copy a value you keep long.
 */
export type RowValue = null | number | bigint | string | Buffer | number[];

/**
 * One row image: values in table column order. A column that the row image does not include
 * (MINIMAL / NOBLOB images) is `undefined`, distinct from SQL NULL (`null`).
 */
export type Row = (RowValue | undefined)[];

/** A changed row of an UPDATE: before and after images. */
export interface RowChange {
  readonly before: Row;
  readonly after: Row;
}
