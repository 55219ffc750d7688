/**
 * Restores databases and tables from a dump's schema files, with routing applied: the name in
 * `CREATE DATABASE <d>` / `CREATE TABLE <t>` is replaced by the routed downstream name (every other byte of
 * the definition is kept, sent under the file's own SET statements).
 *
 * Re-running is safe: databases are created `IF NOT EXISTS`; a table that already exists (a resumed load, or
 * a shard merge where several upstream tables map to one downstream table, or a table the user created in
 * advance) is compared with the dump's definition — equal definitions are silently accepted, different ones
 * are kept as they are and reported as a warning (DM lets users pre-create downstream tables on purpose).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import type { TableName, TableRouter } from '../../filter/table-filter.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { splitStatements } from './sql-splitter.js';
import { classifyStatement, excerpt, parseCreateHead, rewriteCreateDatabase, rewriteCreateTable, setNamesCharset, utf8ToLatin1 } from './sql-statement.js';
import { BASE_SESSION, isServerError, withStatement, type LoadConnection, type SessionState } from './load-connection.js';
import type { SchemaFile, TableFile } from './dump-dir-scanner.js';

const ER_TABLE_EXISTS_ERROR = 1050;

interface ParsedSchemaFile {
  session: SessionState;
  /** The CREATE statement (latin1 byte string) and its parsed head. */
  create?: { sql: string; head: NonNullable<ReturnType<typeof parseCreateHead>> } | undefined;
}

async function parseSchemaFile(dir: string, file: string, want: 'table' | 'database', schema: string, table: string): Promise<ParsedSchemaFile> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, file));
  } catch (e) {
    throw DmError.of(E.LoadUnitReadSchemaFile, [file], { cause: e });
  }
  let session = BASE_SESSION;
  let create: ParsedSchemaFile['create'];
  for (const s of splitStatements(buf, {}, 'latin1')) {
    const kind = classifyStatement(s);
    if (kind === 'empty' || kind === 'ignorable' || kind === 'drop') continue; // never DROP what a resumed load made
    if (kind === 'set') {
      session = withStatement(session, s, setNamesCharset(s));
      continue;
    }
    const head = kind === 'create-table' || kind === 'create-database' ? parseCreateHead(s) : undefined;
    if (!head || head.kind !== want || create) {
      throw DmError.of(E.LoadUnitNotCreateTable, [`${excerpt(s)} (in ${file})`, schema, table]);
    }
    create = { sql: s, head };
  }
  return { session, create };
}

export interface SchemaRestorerOptions {
  dir: string;
  router: TableRouter;
  metaSchema: string;
  /** Control connection (utf8mb4) used for SHOW CREATE TABLE. */
  control: Pick<mysql.Connection, 'query'>;
  warn: (msg: string) => void;
  /** Compare an existing table's definition with the dump's (a fresh load); a resumed load created it itself. */
  compareExisting: boolean;
  /** Identifies the unit (task and source) for the name of its scratch table. */
  scratchKey: string;
}

export class SchemaRestorer {
  /** Comparisons create a scratch table in the meta schema; one at a time (constraint names are per schema). */
  private cmpLock: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SchemaRestorerOptions) {}

  /** CREATE DATABASE IF NOT EXISTS for the routed name of each schema (once per downstream name). */
  async restoreDatabases(conn: LoadConnection, schemas: readonly SchemaFile[], extraTargets: readonly string[]): Promise<void> {
    const done = new Set<string>();
    for (const sf of schemas) {
      const target = this.opts.router.routeSchema(sf.schema);
      if (done.has(target)) continue;
      const parsed = await parseSchemaFile(this.opts.dir, sf.file, 'database', sf.schema, '');
      const ctx = `restore database ${quoteId(target)} from ${sf.file}`;
      await conn.applySession(parsed.session, ctx);
      const sql = parsed.create ? rewriteCreateDatabase(parsed.create.sql, parsed.create.head, target) : utf8ToLatin1(`CREATE DATABASE IF NOT EXISTS ${quoteId(target)}`);
      await conn.exec(sql, ctx);
      done.add(target);
    }
    for (const target of extraTargets) {
      if (done.has(target)) continue;
      await conn.applySession(BASE_SESSION, `create database ${quoteId(target)}`);
      await conn.exec(utf8ToLatin1(`CREATE DATABASE IF NOT EXISTS ${quoteId(target)}`), `create database ${quoteId(target)}`);
      done.add(target);
    }
  }

  /** Creates the routed table of `tf` (see the module comment for an existing table). */
  async restoreTable(conn: LoadConnection, tf: TableFile, target: TableName): Promise<void> {
    const parsed = await parseSchemaFile(this.opts.dir, tf.file, 'table', tf.schema, tf.table);
    if (!parsed.create) throw DmError.of(E.LoadUnitNotCreateTable, [`(no CREATE TABLE in ${tf.file})`, tf.schema, tf.table]);
    const ctx = `restore table ${quoteTable(target.schema, target.table)} from ${tf.file}`;
    await conn.applySession(parsed.session, ctx);
    // unqualified names inside the definition (foreign key references) resolve in the target schema
    await conn.exec(utf8ToLatin1(`USE ${quoteId(target.schema)}`), ctx);
    const sql = rewriteCreateTable(parsed.create.sql, parsed.create.head, target.schema, target.table);
    try {
      await conn.raw(sql);
      return;
    } catch (e) {
      if (!isServerError(e) || e.errno !== ER_TABLE_EXISTS_ERROR) throw conn.mapError(e, ctx, sql);
    }
    if (!this.opts.compareExisting) return;
    const same = await this.sameDefinition(conn, parsed.create.sql, parsed.create.head, target, ctx);
    if (!same) {
      this.opts.warn(
        `table ${quoteTable(target.schema, target.table)} already exists with a definition different from ${tf.file}; data is loaded into the existing table`,
      );
    }
  }

  /** Creates the dump's definition under a scratch name in the meta schema and compares SHOW CREATE TABLE outputs. */
  private async sameDefinition(
    conn: LoadConnection,
    createSql: string,
    head: NonNullable<ReturnType<typeof parseCreateHead>>,
    target: TableName,
    ctx: string,
  ): Promise<boolean> {
    const prev = this.cmpLock;
    let release!: () => void;
    this.cmpLock = new Promise((r) => (release = r));
    await prev;
    // one name per task and source: a scratch table left by a killed run is dropped by the next comparison
    const scratch = `_dm_load_cmp_${createHash('sha1').update(this.opts.scratchKey).digest('hex').slice(0, 16)}`;
    const drop = utf8ToLatin1(`DROP TABLE IF EXISTS ${quoteTable(this.opts.metaSchema, scratch)}`);
    try {
      await conn.exec(drop, ctx);
      await conn.exec(rewriteCreateTable(createSql, head, this.opts.metaSchema, scratch), ctx);
      try {
        const a = await this.showCreate(target.schema, target.table);
        const b = await this.showCreate(this.opts.metaSchema, scratch);
        return normalizeCreate(a) === normalizeCreate(b);
      } finally {
        await conn.exec(drop, ctx);
      }
    } finally {
      release();
    }
  }

  private async showCreate(schema: string, table: string): Promise<string> {
    const [rows] = await this.opts.control.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${quoteTable(schema, table)}`);
    const r = rows[0];
    return r ? String(r['Create Table'] ?? '') : '';
  }
}

/** SHOW CREATE TABLE text without the table name and the AUTO_INCREMENT counter. */
export function normalizeCreate(s: string): string {
  return s
    .replace(/^CREATE TABLE `(?:[^`]|``)*`/, 'CREATE TABLE t')
    .replace(/ AUTO_INCREMENT=\d+/, '')
    .trim();
}
