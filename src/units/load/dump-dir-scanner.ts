/**
 * Finds what a dump directory holds, for both layouts the load unit accepts:
 *
 * - Dumpling: `{db}-schema-create.sql`, `{db}.{tbl}-schema.sql`, data `{db}.{tbl}.{n}.sql|csv` (n = 9+ digits).
 *   Names are escaped: bytes `\x00-\x1f % " * . / : < > ? \ |` and `-schema` become `%XX`.
 * - mydumper 0.10: the same schema files with raw names; data `{db}.{tbl}.sql` (one file per table) or
 *   `{db}.{tbl}.{nnnnn}.sql` (chunked with `-r`/`-F`); empty tables have no data file.
 *
 * Names come from the statements inside the schema files where they can (they are exact, file names may be
 * escaped or ambiguous when names contain dots), else from the file names. `-schema-view.sql`,
 * `-schema-triggers.sql`, `-schema-post.sql` and `-schema-sequence.sql` are not loaded. Compressed data files
 * (`.sql.gz`, `.sql.zst`, …) are listed apart so the loader refuses them rather than skipping data. `metadata`
 * gives the binlog position the dump is consistent with.
 */
import { readdir, stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { splitStatements } from './sql-splitter.js';
import { classifyStatement, parseCreateHead } from './sql-statement.js';

export interface SchemaFile {
  readonly file: string;
  readonly schema: string;
}

export interface TableFile {
  readonly file: string;
  readonly schema: string;
  readonly table: string;
}

export interface DataFile {
  /** File name relative to the dump dir (the checkpoint key). */
  readonly file: string;
  readonly schema: string;
  readonly table: string;
  readonly size: number;
  readonly format: 'sql' | 'csv';
}

export interface DumpMetadata {
  readonly binlogName?: string | undefined;
  readonly binlogPos?: number | undefined;
  readonly gtid?: string | undefined;
}

export interface DumpDir {
  readonly dir: string;
  readonly schemas: readonly SchemaFile[];
  readonly tables: readonly TableFile[];
  readonly dataFiles: readonly DataFile[];
  /** Data files whose table has no `-schema.sql` file (the loader reports 34013 for unfiltered ones). */
  readonly orphanDataFiles: readonly DataFile[];
  /** Compressed data files (`.sql.gz`, `.sql.zst`, …): not supported, reported for unfiltered tables. */
  readonly compressedFiles: readonly DataFile[];
  readonly metadata?: DumpMetadata | undefined;
  /** Raw text of `metadata` when present (parse errors name it). */
  readonly metadataText?: string | undefined;
}

const IGNORED_SCHEMA_SUFFIXES = ['-schema-view.sql', '-schema-triggers.sql', '-schema-post.sql', '-schema-sequence.sql', '-schema-create-post.sql'];

/** Undoes Dumpling's `%XX` escaping of names in file names (mydumper names have no escapes and stay as they are). */
export function unescapeFileName(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x25 && i + 2 < raw.length && /^[0-9A-Fa-f]{2}$/.test(String.fromCharCode(raw[i + 1]!, raw[i + 2]!))) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The name the first CREATE statement of a small schema file creates (undefined if it has none). */
async function createdName(file: string): Promise<{ schema?: string | undefined; name: string } | undefined> {
  for (const s of splitStatements(await readFile(file), {}, 'latin1')) {
    const k = classifyStatement(s);
    if (k !== 'create-table' && k !== 'create-database') continue;
    const head = parseCreateHead(s);
    if (head) return { schema: head.name.schema, name: head.name.name };
  }
  return undefined;
}

/** Parses mydumper/Dumpling `metadata`: the `SHOW MASTER STATUS:` block (Log, Pos, GTID; a GTID set may go on over several lines). */
export function parseMetadata(text: string): DumpMetadata | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^\s*SHOW MASTER STATUS:/.test(l));
  if (at < 0) return undefined;
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') break;
    const kv = /^\s*([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (kv) {
      if (!/^\s/.test(line) && /STATUS$|^Finished|^Started/.test(kv[1]!)) break; // next block
      last = kv[1]!.trim();
      fields.set(last, kv[2]!.trim());
    } else if (last === 'GTID') {
      fields.set('GTID', `${fields.get('GTID') ?? ''}${line.trim()}`);
    }
  }
  const log = fields.get('Log') || undefined;
  const pos = fields.get('Pos');
  const gtid = fields.get('GTID') || undefined;
  if (!log && !gtid) return undefined;
  return { binlogName: log, binlogPos: pos && /^\d+$/.test(pos) ? Number(pos) : undefined, gtid };
}

/** Scans `dir`; a missing dir or one that is not a directory is 34014. */
export async function scanDumpDir(dir: string): Promise<DumpDir> {
  let names: string[];
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw new Error('not a directory');
    names = await readdir(dir);
  } catch (e) {
    throw DmError.of(E.LoadUnitDumpDirNotFound, [dir], { cause: e });
  }
  names.sort();

  // 1. databases: {db}-schema-create.sql
  const schemas: SchemaFile[] = [];
  const fileDbToSchema = new Map<string, string>();
  for (const f of names) {
    if (!f.endsWith('-schema-create.sql')) continue;
    const fileDb = f.slice(0, -'-schema-create.sql'.length);
    const created = await createdName(path.join(dir, f)).catch(() => undefined);
    const schema = created?.name ?? unescapeFileName(fileDb);
    fileDbToSchema.set(fileDb, schema);
    schemas.push({ file: f, schema });
  }
  const fileDbs = [...fileDbToSchema.keys()].sort((a, b) => b.length - a.length);

  /** Splits `{db}.{tbl}` of a file name: the longest known database prefix wins, else the first dot. */
  const splitBase = (base: string): { fileDb: string; fileTable: string } | undefined => {
    for (const d of fileDbs) if (base.startsWith(`${d}.`) && base.length > d.length + 1) return { fileDb: d, fileTable: base.slice(d.length + 1) };
    const dot = base.indexOf('.');
    if (dot <= 0 || dot === base.length - 1) return undefined;
    return { fileDb: base.slice(0, dot), fileTable: base.slice(dot + 1) };
  };

  // 2. tables: {db}.{tbl}-schema.sql
  const tables: TableFile[] = [];
  const seen = new Map<string, TableFile>();
  const baseToTable = new Map<string, TableFile>();
  for (const f of names) {
    if (!f.endsWith('-schema.sql') || f.endsWith('-schema-create.sql')) continue;
    if (IGNORED_SCHEMA_SUFFIXES.some((s) => f.endsWith(s))) continue;
    const base = f.slice(0, -'-schema.sql'.length);
    const parts = splitBase(base);
    if (!parts) throw DmError.of(E.CheckpointInvalidTableFile, [f]);
    const created = await createdName(path.join(dir, f)).catch(() => undefined);
    const schema = fileDbToSchema.get(parts.fileDb) ?? created?.schema ?? unescapeFileName(parts.fileDb);
    const table = created?.name ?? unescapeFileName(parts.fileTable);
    const tf: TableFile = { file: f, schema, table };
    const key = JSON.stringify([schema, table]);
    const dup = seen.get(key);
    if (dup) throw DmError.of(E.LoadUnitDuplicateTableFile, [`${f} and ${dup.file} both create ${schema}.${table}`]);
    seen.set(key, tf);
    tables.push(tf);
    baseToTable.set(base, tf);
  }

  // 3. data files: {db}.{tbl}.sql | {db}.{tbl}.{n}.sql | .csv
  const dataFiles: DataFile[] = [];
  const orphanDataFiles: DataFile[] = [];
  const compressedFiles: DataFile[] = [];
  for (const name of names) {
    // compressed data (Dumpling --compress, mydumper -c) is recognised in order to be refused, never skipped
    const comp = /\.(gz|gzip|zst|zstd|snappy)$/i.exec(name);
    const f = comp ? name.slice(0, comp.index) : name;
    const format = f.endsWith('.sql') ? 'sql' : f.endsWith('.csv') ? 'csv' : undefined;
    if (!format) continue;
    if (f.endsWith('-schema-create.sql') || (format === 'sql' && /-schema(-[a-z-]+)?\.sql$/.test(f))) continue;
    const stem = f.slice(0, -4);
    let tf = baseToTable.get(stem);
    if (!tf) {
      const m = /^(.*)\.(\d+)$/.exec(stem);
      if (m) tf = baseToTable.get(m[1]!);
    }
    const st = await stat(path.join(dir, name));
    if (!st.isFile()) continue;
    if (tf) {
      (comp ? compressedFiles : dataFiles).push({ file: name, schema: tf.schema, table: tf.table, size: st.size, format });
    } else {
      const m = /^(.*?)(?:\.(\d+))?$/.exec(stem);
      const parts = splitBase(m?.[1] ?? stem);
      if (!parts) continue; // not a data file name at all (e.g. a stray `notes.sql`)
      (comp ? compressedFiles : orphanDataFiles).push({
        file: name,
        schema: fileDbToSchema.get(parts.fileDb) ?? unescapeFileName(parts.fileDb),
        table: unescapeFileName(parts.fileTable),
        size: st.size,
        format,
      });
    }
  }

  let metadataText: string | undefined;
  let metadata: DumpMetadata | undefined;
  if (names.includes('metadata')) {
    metadataText = await readFile(path.join(dir, 'metadata'), 'utf8');
    metadata = parseMetadata(metadataText);
  }
  return { dir, schemas, tables, dataFiles, orphanDataFiles, compressedFiles, metadata, metadataText };
}
