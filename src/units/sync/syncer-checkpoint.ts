/**
 * The sync unit's checkpoints in the downstream (spec §5.5, DM's `{meta-schema}.{task}_syncer_checkpoint`):
 *
 * - `{task}_syncer_checkpoint` — DM's table. The global row (`cp_schema = ''`) holds the position every
 *   earlier transaction is applied at, the safe-mode exit point, and the tracker's database list; one row per
 *   tracked table holds its CREATE TABLE as of that position (so after a restart old events decode with the
 *   old definition). Written by {@link SyncerCheckpointStore.flush} on the flush interval, after each DDL,
 *   on pause and stop.
 * - `{task}_syncer_applied` — dm-ts's own. One row per executor, rewritten *in the same transaction* as every
 *   batch the executor commits: the watermark (all transactions up to it were applied) at that moment and the
 *   ids of the upstream transactions past the watermark it has applied. After a crash the union of these rows
 *   says exactly which transactions after the global checkpoint are already downstream, so replay skips them
 *   and applies the rest once: exact, not merely idempotent.
 *
 * Invariant: the global position never passes a transaction that is not committed downstream.
 */
import type mysql from 'mysql2/promise';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import { isLockConflict, isMissingTable } from '../../mysql/server-error.js';
import type { SchemaTrackerState } from './schema-tracker.js';
import type { BinlogLocation } from './binlog-location.js';
import { laterLocation } from './binlog-location.js';

type Queryable = Pick<mysql.Connection, 'query'>;

export interface GlobalCheckpoint {
  readonly location: BinlogLocation;
  /** Safe mode stays on until the stream passes this point (absent: no exit point). */
  readonly exitSafe?: BinlogLocation | undefined;
  readonly tracker: SchemaTrackerState;
}

/** What an executor row says: everything up to `watermark` is applied, and these transactions after it. */
export interface ApplyMark {
  readonly executor: number;
  readonly watermark: BinlogLocation;
  /** End of the latest transaction this executor committed. */
  readonly last: BinlogLocation;
  readonly applied: readonly string[];
}

export interface SyncerCheckpoint {
  readonly global?: GlobalCheckpoint | undefined;
  readonly marks: readonly ApplyMark[];
}


function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
}

function loc(name: unknown, pos: unknown, gtid: unknown): BinlogLocation {
  return { file: text(name), pos: pos == null ? 0 : Number(pos), gtid: text(gtid) };
}

export class SyncerCheckpointStore {
  readonly table: string;
  readonly appliedTable: string;

  constructor(
    readonly metaSchema: string,
    readonly taskName: string,
    readonly sourceId: string,
  ) {
    this.table = quoteTable(metaSchema, `${taskName}_syncer_checkpoint`);
    this.appliedTable = quoteTable(metaSchema, `${taskName}_syncer_applied`);
  }

  async ensureTables(conn: Queryable): Promise<void> {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteId(this.metaSchema)}`);
    await conn.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
  \`id\` VARCHAR(32) NOT NULL,
  \`cp_schema\` VARCHAR(128) NOT NULL,
  \`cp_table\` VARCHAR(128) NOT NULL,
  \`binlog_name\` VARCHAR(128),
  \`binlog_pos\` INT UNSIGNED,
  \`binlog_gtid\` TEXT,
  \`exit_safe_binlog_name\` VARCHAR(128) DEFAULT '',
  \`exit_safe_binlog_pos\` INT UNSIGNED DEFAULT 0,
  \`exit_safe_binlog_gtid\` TEXT,
  \`table_info\` JSON NOT NULL,
  \`is_global\` BOOLEAN,
  \`create_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  \`update_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY \`uk_id_schema_table\` (\`id\`, \`cp_schema\`, \`cp_table\`)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`);
    await conn.query(`CREATE TABLE IF NOT EXISTS ${this.appliedTable} (
  \`id\` VARCHAR(32) NOT NULL COMMENT 'source id',
  \`executor\` INT NOT NULL,
  \`watermark_name\` VARCHAR(128) NOT NULL,
  \`watermark_pos\` INT UNSIGNED NOT NULL,
  \`watermark_gtid\` TEXT,
  \`last_name\` VARCHAR(128) NOT NULL,
  \`last_pos\` INT UNSIGNED NOT NULL,
  \`last_gtid\` TEXT,
  \`applied\` LONGTEXT NOT NULL COMMENT 'JSON array of upstream transaction ids applied after the watermark',
  \`update_time\` TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (\`id\`, \`executor\`)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`);
  }

  /** The saved state; `global` absent when the unit never flushed (fresh). */
  async load(conn: Queryable): Promise<SyncerCheckpoint> {
    let rows: mysql.RowDataPacket[];
    try {
      [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos, exit_safe_binlog_gtid, table_info, is_global
         FROM ${this.table} WHERE id = ?`,
        [this.sourceId],
      );
    } catch (e) {
      if (isMissingTable(e)) return { marks: [] };
      throw e;
    }
    let global: GlobalCheckpoint | undefined;
    const tables: SchemaTrackerState['tables'] = [];
    let databases: SchemaTrackerState['databases'] = {};
    for (const r of rows) {
      const info = (typeof r.table_info === 'string' ? JSON.parse(r.table_info) : r.table_info) as Record<string, unknown>;
      if (Number(r.is_global) === 1) {
        const exit = loc(r.exit_safe_binlog_name, r.exit_safe_binlog_pos, r.exit_safe_binlog_gtid);
        databases = (info.databases ?? {}) as SchemaTrackerState['databases'];
        global = {
          location: loc(r.binlog_name, r.binlog_pos, r.binlog_gtid),
          exitSafe: exit.file || exit.gtid ? exit : undefined,
          tracker: { databases, tables },
        };
      } else if (typeof info.create === 'string') {
        tables.push({ schema: String(r.cp_schema), table: String(r.cp_table), create: info.create });
      }
    }
    if (global) global = { ...global, tracker: { databases, tables } };
    const marks = await this.loadMarks(conn);
    return { global, marks };
  }

  /**
   * Writes the global checkpoint and the tracked tables in one transaction (tables no longer tracked are
   * removed). Callers guarantee every transaction before `cp.location` is committed downstream.
   */
  async flush(conn: Queryable, cp: GlobalCheckpoint): Promise<void> {
    const l = cp.location;
    const x = cp.exitSafe;
    const rows: unknown[][] = [
      [this.sourceId, '', '', l.file, l.pos, l.gtid, x?.file ?? '', x?.pos ?? 0, x?.gtid ?? '', JSON.stringify({ databases: cp.tracker.databases }), 1],
      ...cp.tracker.tables.map((t) => [this.sourceId, t.schema, t.table, l.file, l.pos, l.gtid, '', 0, '', JSON.stringify({ create: t.create }), 0]),
    ];
    // several sources share the table: their flushes may deadlock on index gaps; the loser retries
    for (let attempt = 0; ; attempt++) {
      await conn.query('START TRANSACTION');
      try {
        await conn.query(`DELETE FROM ${this.table} WHERE id = ?`, [this.sourceId]);
        for (let i = 0; i < rows.length; i += 200) {
          await conn.query(
            `INSERT INTO ${this.table} (id, cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos, exit_safe_binlog_gtid, table_info, is_global) VALUES ?`,
            [rows.slice(i, i + 200)],
          );
        }
        await conn.query('COMMIT');
        return;
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        if (!isLockConflict(e) || attempt >= 8) throw e;
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
  }

  /**
   * The statement that records an executor's progress, run inside the batch's transaction; values are inlined
   * with the driver's `escape` (no placeholder scan: it runs once per batch).
   */
  markSql(escape: (v: unknown) => string, mark: ApplyMark): string {
    const w = mark.watermark;
    const l = mark.last;
    const values = [this.sourceId, mark.executor, w.file, w.pos, w.gtid, l.file, l.pos, l.gtid, JSON.stringify(mark.applied)].map(escape).join(', ');
    return `INSERT INTO ${this.appliedTable} (id, executor, watermark_name, watermark_pos, watermark_gtid, last_name, last_pos, last_gtid, applied) VALUES (${values})
 ON DUPLICATE KEY UPDATE watermark_name = VALUES(watermark_name), watermark_pos = VALUES(watermark_pos), watermark_gtid = VALUES(watermark_gtid),
 last_name = VALUES(last_name), last_pos = VALUES(last_pos), last_gtid = VALUES(last_gtid), applied = VALUES(applied)`;
  }

  /** Reads one executor's row (to learn whether a batch whose COMMIT got no answer did commit). */
  async loadMark(conn: Queryable, executor: number): Promise<ApplyMark | undefined> {
    return (await this.loadMarks(conn, executor))[0];
  }

  private async loadMarks(conn: Queryable, executor?: number): Promise<ApplyMark[]> {
    try {
      const [m] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT executor, watermark_name, watermark_pos, watermark_gtid, last_name, last_pos, last_gtid, applied FROM ${this.appliedTable} WHERE id = ?${executor === undefined ? '' : ' AND executor = ?'}`,
        executor === undefined ? [this.sourceId] : [this.sourceId, executor],
      );
      return m.map((r) => ({
        executor: Number(r.executor),
        watermark: loc(r.watermark_name, r.watermark_pos, r.watermark_gtid),
        last: loc(r.last_name, r.last_pos, r.last_gtid),
        applied: JSON.parse(String(r.applied)) as string[],
      }));
    } catch (e) {
      if (isMissingTable(e)) return [];
      throw e;
    }
  }

  /** The tracked tables saved with the checkpoint (`binlog-schema list`). */
  async listTables(conn: Queryable): Promise<Array<{ schema: string; table: string; create: string }>> {
    const cp = await this.load(conn);
    return cp.global ? [...cp.global.tracker.tables] : [];
  }

  /**
   * Sets (or, with `create` undefined, deletes) one table's saved definition (`binlog-schema update/delete`).
   * The unit reads it when it next starts. Returns false when there is no checkpoint (or no such table to delete).
   */
  async setTable(conn: Queryable, schema: string, table: string, create: string | undefined): Promise<boolean> {
    const cp = await this.load(conn);
    if (!cp.global) return false;
    if (create === undefined) {
      const [r] = await conn.query<mysql.ResultSetHeader>(`DELETE FROM ${this.table} WHERE id = ? AND cp_schema = ? AND cp_table = ? AND is_global = 0`, [this.sourceId, schema, table]);
      return r.affectedRows > 0;
    }
    const l = cp.global.location;
    await conn.query(
      `INSERT INTO ${this.table} (id, cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos, exit_safe_binlog_gtid, table_info, is_global)
       VALUES (?, ?, ?, ?, ?, ?, '', 0, '', ?, 0) ON DUPLICATE KEY UPDATE table_info = VALUES(table_info)`,
      [this.sourceId, schema, table, l.file, l.pos, l.gtid, JSON.stringify({ create })],
    );
    return true;
  }

  /** Deletes this source's rows in both tables (`--remove-meta`, a fresh start). */
  async clear(conn: Queryable): Promise<void> {
    for (const t of [this.table, this.appliedTable]) {
      try {
        await conn.query(`DELETE FROM ${t} WHERE id = ?`, [this.sourceId]);
      } catch (e) {
        if (!isMissingTable(e)) throw e;
      }
    }
  }
}

/** The exit point implied by the executors' rows: the latest transaction any of them applied. */
export function latestApplied(marks: readonly ApplyMark[]): BinlogLocation | undefined {
  let out: BinlogLocation | undefined;
  for (const m of marks) if (m.last.file || m.last.gtid) out = out ? laterLocation(out, m.last) : m.last;
  return out;
}
