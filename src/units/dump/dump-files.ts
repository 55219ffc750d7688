/**
 * Names and fixed texts of the files in a dump directory, exactly as Dumpling (DM's dump unit since 2.0)
 * writes them, so DM's loader, Lightning and myloader 0.10 (Debian 12's mydumper package) read our dumps:
 *
 * - `{db}-schema-create.sql`                  CREATE DATABASE
 * - `{db}.{table}-schema.sql`                 CREATE TABLE
 * - `{db}.{view}-schema-view.sql`             CREATE VIEW (myloader restores views after all tables)
 * - `{db}.{table}.{chunk:09d}{file:04d}.sql`  data: chunk index (9 digits) then file index within the chunk
 *                                              (4 digits): `db.t.0000000000000.sql`, `db.t.0000000010000.sql`
 * - `metadata`                                snapshot position (metadata-file.ts)
 *
 * Data names: Dumpling uses `%09d%04d` when both `rows` and `filesize` are set, which DM always does (rows
 * defaults to 200000, filesize to `chunk-filesize`). mydumper 0.10 writes `db.t.00000.sql`; myloader 0.10
 * splits a name at `.` and reads the third part as a number, so both forms load.
 *
 * Names are escaped like Dumpling's `fn` template function: bytes 0x00-0x1f and `%"*./:<>?\|` become `%XX`
 * and a `-schema` inside a name becomes `%2Dschema`, so a name can't fake a file kind or split wrongly at a
 * dot. Everything else (spaces, backquotes, unicode) is kept.
 */

const ESCAPE = /[\x00-\x1f%"*./:<>?\\|]|-(?=schema)/gi;

/** Dumpling's file-name escaping of a schema or table name. */
export function escapeFileName(name: string): string {
  return name.replace(ESCAPE, (m) => `%${m.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Inverse of {@link escapeFileName} (any `%XX`). */
export function unescapeFileName(name: string): string {
  return name.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function schemaCreateFileName(db: string): string {
  return `${escapeFileName(db)}-schema-create.sql`;
}

export function tableSchemaFileName(db: string, table: string): string {
  return `${escapeFileName(db)}.${escapeFileName(table)}-schema.sql`;
}

export function viewSchemaFileName(db: string, view: string): string {
  return `${escapeFileName(db)}.${escapeFileName(view)}-schema-view.sql`;
}

export function dataFileName(db: string, table: string, chunkIndex: number, fileIndex: number): string {
  return `${escapeFileName(db)}.${escapeFileName(table)}.${String(chunkIndex).padStart(9, '0')}${String(fileIndex).padStart(4, '0')}.sql`;
}

export const METADATA_FILE = 'metadata';

export type DumpFile =
  | { kind: 'schema-create'; db: string }
  | { kind: 'table-schema'; db: string; table: string }
  | { kind: 'view-schema'; db: string; table: string }
  | { kind: 'data'; db: string; table: string; index: string }
  | { kind: 'metadata' };

/** What a file in a dump directory is (Dumpling's and mydumper's names), or undefined for other files. */
export function parseDumpFileName(name: string): DumpFile | undefined {
  if (name === METADATA_FILE) return { kind: 'metadata' };
  let m = /^([^.]+)-schema-create\.sql$/.exec(name);
  if (m) return { kind: 'schema-create', db: unescapeFileName(m[1]!) };
  m = /^([^.]+)\.([^.]+)-schema-view\.sql$/.exec(name);
  if (m) return { kind: 'view-schema', db: unescapeFileName(m[1]!), table: unescapeFileName(m[2]!) };
  m = /^([^.]+)\.([^.]+)-schema\.sql$/.exec(name);
  if (m) return { kind: 'table-schema', db: unescapeFileName(m[1]!), table: unescapeFileName(m[2]!) };
  m = /^([^.]+)\.([^.]+)(?:\.(\d+))?\.sql$/.exec(name);
  if (m && !/-schema/i.test(m[2]!)) return { kind: 'data', db: unescapeFileName(m[1]!), table: unescapeFileName(m[2]!), index: m[3] ?? '' };
  return undefined;
}

/** First lines of every data file: no FK checks while loading, raw bytes, UTC (TIMESTAMP values are UTC). */
export const DATA_FILE_HEADER = "/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n/*!40101 SET NAMES binary*/;\n/*!40103 SET TIME_ZONE='+00:00' */;\n";

/**
 * First line of schema files: SHOW CREATE output is utf8mb4 text (a default value of a latin1 column is
 * converted to utf8mb4 by the server), so it is declared as such; data files declare `binary`.
 */
export const SCHEMA_FILE_HEADER = '/*!40101 SET NAMES utf8mb4*/;\n';
