/**
 * `handle-error` for a task run without a cluster: the operators live in the downstream, in
 * `{meta-schema}.{task}_syncer_handle_error`, one row per (source, binlog position of the DDL event):
 *
 * - `error`: the sync unit stopped on this DDL (written by the unit, with the message);
 * - `skip`: do not execute this DDL downstream (the schema tracker still follows it);
 * - `replace`: execute these statements instead.
 *
 * `dm handle-error` without `--binlog-pos` turns the source's `error` row into an operator; with one, it adds
 * an operator for that position ahead of time. The unit consumes an operator when it reaches its DDL.
 * Positions are `file:pos` of the DDL event's start (as query-status shows it); the end position is accepted too.
 */
import type mysql from 'mysql2/promise';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import { isMissingTable } from '../../mysql/server-error.js';

type Queryable = Pick<mysql.Connection, 'query'>;

export type OperatorKind = 'error' | 'skip' | 'replace';

export interface ErrorOperator {
  readonly position: string;
  readonly op: OperatorKind;
  readonly sqls: readonly string[];
  readonly message: string;
}


export class ErrorOperatorStore {
  readonly table: string;

  constructor(
    readonly metaSchema: string,
    readonly taskName: string,
    readonly sourceId: string,
  ) {
    this.table = quoteTable(metaSchema, `${taskName}_syncer_handle_error`);
  }

  async ensureTable(conn: Queryable): Promise<void> {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteId(this.metaSchema)}`);
    await conn.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
  \`id\` VARCHAR(32) NOT NULL COMMENT 'source id',
  \`position\` VARCHAR(160) NOT NULL COMMENT 'binlog file:pos of the DDL event',
  \`op\` VARCHAR(16) NOT NULL,
  \`sqls\` LONGTEXT NOT NULL COMMENT 'JSON array (replace)',
  \`message\` TEXT,
  \`update_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (\`id\`, \`position\`)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`);
  }

  async list(conn: Queryable): Promise<ErrorOperator[]> {
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT position, op, sqls, message FROM ${this.table} WHERE id = ? ORDER BY position`, [this.sourceId]);
      return rows.map((r) => ({ position: String(r.position), op: String(r.op) as OperatorKind, sqls: JSON.parse(String(r.sqls)) as string[], message: r.message == null ? '' : String(r.message) }));
    } catch (e) {
      if (isMissingTable(e)) return [];
      throw e;
    }
  }

  /** The operator (skip/replace) for a DDL at either of its positions, if any. */
  async find(conn: Queryable, positions: readonly string[]): Promise<ErrorOperator | undefined> {
    const all = await this.list(conn);
    return all.find((o) => o.op !== 'error' && positions.includes(o.position));
  }

  async put(conn: Queryable, position: string, op: OperatorKind, sqls: readonly string[], message = ''): Promise<void> {
    await this.ensureTable(conn);
    await conn.query(
      `INSERT INTO ${this.table} (id, position, op, sqls, message) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE op = VALUES(op), sqls = VALUES(sqls), message = VALUES(message)`,
      [this.sourceId, position, op, JSON.stringify(sqls), message],
    );
  }

  async remove(conn: Queryable, position: string): Promise<void> {
    try {
      await conn.query(`DELETE FROM ${this.table} WHERE id = ? AND position = ?`, [this.sourceId, position]);
    } catch (e) {
      if (!isMissingTable(e)) throw e;
    }
  }

  /** Removes the `error` rows (the unit got past them). */
  async clearErrors(conn: Queryable): Promise<void> {
    try {
      await conn.query(`DELETE FROM ${this.table} WHERE id = ? AND op = 'error'`, [this.sourceId]);
    } catch (e) {
      if (!isMissingTable(e)) throw e;
    }
  }

  async clear(conn: Queryable): Promise<void> {
    try {
      await conn.query(`DELETE FROM ${this.table} WHERE id = ?`, [this.sourceId]);
    } catch (e) {
      if (!isMissingTable(e)) throw e;
    }
  }
}
