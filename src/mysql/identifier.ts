/**
 * Quoting MySQL identifiers: every schema, table and column name dm-ts writes into SQL goes through here,
 * so names with spaces, backquotes, unicode or reserved words work everywhere.
 */

/** `name` with backquotes doubled, wrapped in backquotes. */
export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** `schema`.`table`. */
export function quoteTable(schema: string, table: string): string {
  return `${quoteId(schema)}.${quoteId(table)}`;
}

/** A table's identity as one string, for maps and logs: `schema`.`table` quoted. */
export function tableKey(schema: string, table: string): string {
  return quoteTable(schema, table);
}
