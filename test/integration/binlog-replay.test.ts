/**
 * The decode → schema tracker → DML builder path, end to end on live servers (the core of the coming sync
 * unit): an upstream workload (inserts, updates including primary-key changes, deletes, a table without a key,
 * many column types, DDL in between) is read back from the binlog and applied to a downstream; `dm diff`
 * then finds every table equal. A second replay of the whole binlog in safe mode over the finished downstream
 * converges to the same rows (idempotent), for the tables with a key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { MariaDbServer, stopAllServers } from '../harness/mariadb-server.js';
import { readBinlogFile } from '../../src/binlog/binlog-file-reader.js';
import { TableMapCache } from '../../src/binlog/table-map-cache.js';
import { decodeRows } from '../../src/binlog/row-decoder.js';
import { SchemaTracker } from '../../src/units/sync/schema-tracker.js';
import { buildDelete, buildInsert, buildUpdate, type DmlTarget } from '../../src/units/sync/dml-builder.js';
import { openConnection } from '../../src/mysql/db-config.js';
import { buildDiffPlan } from '../../src/diff/diff-plan.js';
import { runDiff } from '../../src/diff/diff-runner.js';
import { ALLOW_ALL, IDENTITY_ROUTER, type TableFilter } from '../../src/filter/table-filter.js';

let up: MariaDbServer;
let down: MariaDbServer;
let start: { file: string; position: number };

before(async () => {
  [up, down] = await Promise.all([MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
  start = await up.masterStatus();
  await up.sql(`SET SESSION sql_mode = '';
    CREATE DATABASE r;
    CREATE TABLE r.t (id INT PRIMARY KEY, name VARCHAR(30) CHARACTER SET utf8mb4, amount DECIMAL(12,3), at DATETIME(6), ts TIMESTAMP(3) NULL,
      b BLOB, j JSON, big BIGINT UNSIGNED, f FLOAT, e ENUM('x','y'), bits BIT(10), cl CHAR(4) CHARACTER SET latin1);
    INSERT INTO r.t SELECT seq, CONCAT('n', seq, ' ✓'), seq / 8, '2026-01-01 00:00:00.000001' + INTERVAL seq MINUTE, FROM_UNIXTIME(1700000000 + seq),
      UNHEX(REPEAT('00FF', seq % 5)), JSON_OBJECT('k', seq), 18446744073709551615 - seq, seq / 3, IF(seq % 2, 'x', 'y'), seq, 'é€' FROM r.seq_1_to_300;
    UPDATE r.t SET name = CONCAT(name, ' upd'), amount = amount * 2 WHERE id % 3 = 0;
    UPDATE r.t SET id = id + 1000 WHERE id % 10 = 0;
    DELETE FROM r.t WHERE id % 7 = 0;
    ALTER TABLE r.t ADD COLUMN extra VARCHAR(10) DEFAULT 'd' AFTER name, DROP COLUMN f;
    INSERT INTO r.t (id, name, extra, amount) VALUES (5000, 'after alter', 'x', 1.5);
    UPDATE r.t SET extra = 'changed' WHERE id < 20;
    CREATE TABLE r.nokey (a INT, b VARCHAR(5));
    INSERT INTO r.nokey VALUES (1, 'x'), (1, 'x'), (2, NULL), (NULL, 'z');
    DELETE FROM r.nokey WHERE a = 1 LIMIT 1;
    UPDATE r.nokey SET b = 'w' WHERE a IS NULL;
    FLUSH BINARY LOGS`);
});

after(() => stopAllServers());

/** Replays the upstream binlog into the downstream; returns the number of row changes applied. */
async function replay(
  conn: Connection,
  opts: { safeMode: boolean; executeDdl: boolean; only?: (table: string) => boolean; rowsFrom?: number },
): Promise<{ applied: number; afterAlter: number }> {
  let afterAlter = 0;
  const tracker = new SchemaTracker();
  const tables = new TableMapCache();
  let applied = 0;
  for await (const ev of readBinlogFile(up.binlogPath(start.file), { start: start.position })) {
    const b = ev.body;
    if (b.kind === 'query' && !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(b.query.trim())) {
      tracker.applyDdl(b.query, b.schema);
      if (/^ALTER TABLE r\.t\b/i.test(b.query.trim())) afterAlter = ev.offset + ev.header.eventSize;
      if (opts.executeDdl && !/^FLUSH/i.test(b.query.trim())) {
        // a CREATE DATABASE event names the new database as its default one: it cannot be USEd yet
        if (b.schema) await conn.query(`USE \`${b.schema}\``).catch((e: { errno?: number }) => {
          if (e.errno !== 1049) throw e;
        });
        await conn.query(b.query);
      }
      continue;
    }
    tables.observe(ev);
    if (b.kind !== 'rows') continue;
    const tm = tables.get(b.tableId)!;
    if (opts.only && !opts.only(tm.table)) continue;
    // like a sync resuming from a checkpoint: the tracker followed every DDL, rows apply from `rowsFrom` on
    if (opts.rowsFrom !== undefined && ev.offset < opts.rowsFrom) continue;
    const schema = tracker.requireTableSchema(tm.schema, tm.table);
    const target: DmlTarget = { schema: tm.schema, table: tm.table, columns: schema.columns, key: schema.primaryKey ?? [] };
    const d = decodeRows(b, tm, schema);
    let stmts;
    if (d.action === 'update') stmts = d.rows.flatMap((c) => buildUpdate(target, c, opts.safeMode));
    else if (d.action === 'insert') stmts = [buildInsert(target, d.rows, opts.safeMode)];
    else stmts = d.rows.map((r) => buildDelete(target, r));
    await conn.query('START TRANSACTION');
    for (const s of stmts) await conn.query(s.sql, s.params);
    await conn.query('COMMIT');
    applied += d.rows.length;
  }
  return { applied, afterAlter };
}

let alterEnd = 0;

async function assertEqual(filter: TableFilter = ALLOW_ALL): Promise<void> {
  const plan = await buildDiffPlan([{ sourceId: 'up', db: up.config(), filter, router: IDENTITY_ROUTER }], down.config());
  const result = await runDiff(plan, { chunkSize: 50 });
  assert.ok(result.equal, JSON.stringify(result.tables.filter((t) => t.status !== 'equal').map((t) => ({ t: t.target, s: t.status, d: t.rowDiffs.slice(0, 3) }))));
  assert.ok(result.summary.tables >= 1);
}

test('replaying the binlog through tracker + DML builder makes the downstream equal (dm diff)', async () => {
  const conn = await openConnection({ ...down.config(), session: { time_zone: '+00:00', sql_mode: '' } });
  try {
    const r = await replay(conn, { safeMode: false, executeDdl: true });
    // 300 inserts, 100 updates, 30 key changes, 42 deletes, then 1 insert + 16 updates (ids < 20 still there) and 6 on `nokey`
    assert.equal(r.applied, 495, `row changes applied: ${r.applied}`);
    alterEnd = r.afterAlter;
    assert.ok(alterEnd > 0);
  } finally {
    await conn.end();
  }
  await assertEqual();
});

test('safe mode: replaying again from an earlier position over the result converges to the same rows (tables with a key)', async () => {
  const conn = await openConnection({ ...down.config(), session: { time_zone: '+00:00', sql_mode: '' } });
  try {
    // a table without any key cannot be made idempotent (REPLACE has nothing to replace on) — DM has the same limit
    const r = await replay(conn, { safeMode: true, executeDdl: false, only: (t) => t !== 'nokey', rowsFrom: alterEnd });
    assert.equal(r.applied, 17, 'the insert and the 16 updates after the ALTER were applied a second time');
  } finally {
    await conn.end();
  }
  await assertEqual({ matchSchema: (s) => s === 'r', matchTable: (s, t) => s === 'r' && t === 't' });
});
