/**
 * The load unit's checkpoint: `{meta-schema}.{task}_loader_checkpoint` in the downstream, one row per
 * (source id, data file) with the byte offset applied so far and the file size (DM's table, spec §5.3.4).
 *
 * Exactness: a data batch covering bytes [from, to) of a file commits in the same downstream transaction as
 * `UPDATE … SET offset = to WHERE … AND offset = from`, so after any crash the row says exactly which bytes
 * are in the downstream. The `offset = from` guard also makes an out-of-order or repeated batch fail loudly
 * (34018) instead of moving the checkpoint wrongly.
 */
import type mysql from 'mysql2/promise';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import { isMissingTable } from '../../mysql/server-error.js';
import { utf8ToLatin1 } from './sql-statement.js';

export interface FileCheckpoint {
  /** Data file name relative to the dump dir. */
  readonly filename: string;
  /** Upstream schema and table of the file. */
  readonly schema: string;
  readonly table: string;
  offset: number;
  readonly endPos: number;
}

/** Something that can run SQL: a mysql2 connection (control connection, utf8mb4). */
type Queryable = Pick<mysql.Connection, 'query'>;

/** An SQL string literal that is the same string whatever the session's character set: `_utf8mb4 X'…'`. */
export function utf8Literal(s: string): string {
  return `_utf8mb4 X'${Buffer.from(s, 'utf8').toString('hex')}'`;
}

export class LoaderCheckpointStore {
  readonly table: string;

  constructor(
    readonly metaSchema: string,
    readonly taskName: string,
    readonly sourceId: string,
  ) {
    this.table = quoteTable(metaSchema, `${taskName}_loader_checkpoint`);
  }

  /** The DDL of the checkpoint table (DM's columns; `filename` compares byte-exact). */
  createTableSql(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.table} (
  \`id\` VARCHAR(32) NOT NULL COMMENT 'source id',
  \`filename\` VARCHAR(255) COLLATE utf8mb4_bin NOT NULL COMMENT 'data file, relative to the dump dir',
  \`cp_schema\` VARCHAR(128) NOT NULL COMMENT 'upstream schema',
  \`cp_table\` VARCHAR(128) NOT NULL COMMENT 'upstream table',
  \`offset\` BIGINT NOT NULL COMMENT 'bytes of the file applied downstream',
  \`end_pos\` BIGINT NOT NULL COMMENT 'file size',
  \`create_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  \`update_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY \`uk_id_f\` (\`id\`, \`filename\`)
) DEFAULT CHARSET = utf8mb4`;
  }

  async ensureTable(conn: Queryable): Promise<void> {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteId(this.metaSchema)}`);
    await conn.query(this.createTableSql());
  }

  /** This source's rows, by file name; empty when the table does not exist. */
  async load(conn: Queryable): Promise<Map<string, FileCheckpoint>> {
    const out = new Map<string, FileCheckpoint>();
    let rows: mysql.RowDataPacket[];
    try {
      [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT \`filename\`, \`cp_schema\`, \`cp_table\`, \`offset\`, \`end_pos\` FROM ${this.table} WHERE \`id\` = ? ORDER BY \`filename\``,
        [this.sourceId],
      );
    } catch (e) {
      if (isMissingTable(e)) return out;
      throw e;
    }
    for (const r of rows) {
      out.set(String(r.filename), {
        filename: String(r.filename),
        schema: String(r.cp_schema),
        table: String(r.cp_table),
        offset: Number(r.offset),
        endPos: Number(r.end_pos),
      });
    }
    return out;
  }

  /** True when there is no row for this task and source (the unit has not started loading). */
  async isFresh(conn: Queryable): Promise<boolean> {
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT 1 FROM ${this.table} WHERE \`id\` = ? LIMIT 1`, [this.sourceId]);
      return rows.length === 0;
    } catch (e) {
      if (isMissingTable(e)) return true;
      throw e;
    }
  }

  /** Adds rows (offset 0) for files that have none, in one transaction; existing rows are left alone. */
  async addFiles(conn: Queryable, files: readonly FileCheckpoint[]): Promise<void> {
    if (files.length === 0) return;
    await conn.query('START TRANSACTION');
    try {
      for (let i = 0; i < files.length; i += 500) {
        const part = files.slice(i, i + 500);
        const values = part.map((f) => [this.sourceId, f.filename, f.schema, f.table, f.offset, f.endPos]);
        await conn.query(`INSERT IGNORE INTO ${this.table} (\`id\`, \`filename\`, \`cp_schema\`, \`cp_table\`, \`offset\`, \`end_pos\`) VALUES ?`, [values]);
      }
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * The statement that moves a file's checkpoint from `from` to `to`, to run inside the batch's transaction
   * on a load connection. It is a latin1 (byte) string: names travel as their UTF-8 bytes and values as
   * charset-independent literals, whatever `SET NAMES` the dump file chose.
   */
  advanceSql(filename: string, from: number, to: number): string {
    return utf8ToLatin1(
      `UPDATE ${this.table} SET \`offset\` = ${to} WHERE \`id\` = ${utf8Literal(this.sourceId)} AND \`filename\` = ${utf8Literal(filename)} AND \`offset\` = ${from}`,
    );
  }

  /** Deletes this source's rows (`stop-task --remove-meta`, tests). */
  async clear(conn: Queryable): Promise<void> {
    try {
      await conn.query(`DELETE FROM ${this.table} WHERE \`id\` = ?`, [this.sourceId]);
    } catch (e) {
      if (!isMissingTable(e)) throw e;
    }
  }
}

