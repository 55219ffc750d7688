/**
 * Rows decoded with the schema *as of their binlog position*: a live MariaDB table is altered (columns added,
 * dropped, changed, reordered) and renamed between inserts; replaying the binlog through the schema tracker,
 * every row event decodes with the column names, types and charsets it was written with — checked against
 * the values that were inserted. Decoding old events with today's schema would mislabel or fail them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MariaDbServer, stopAllServers } from '../harness/mariadb-server.js';
import { readBinlogFile } from '../../src/binlog/binlog-file-reader.js';
import { TableMapCache } from '../../src/binlog/table-map-cache.js';
import { decodeRows } from '../../src/binlog/row-decoder.js';
import type { Row } from '../../src/binlog/row-value.js';
import { SchemaTracker } from '../../src/units/sync/schema-tracker.js';

let server: MariaDbServer;

before(async () => {
  server = await MariaDbServer.start();
});

after(() => stopAllServers());

test('each row event decodes with the table definition of its binlog position', async () => {
  const start = await server.masterStatus();
  await server.sql(`SET SESSION sql_mode = ''; CREATE DATABASE app;
    CREATE TABLE app.t (id INT UNSIGNED PRIMARY KEY, a INT, b VARCHAR(20) CHARACTER SET latin1);
    INSERT INTO app.t VALUES (4294967295, -1, 'Grüße');
    ALTER TABLE app.t ADD COLUMN c DECIMAL(6,2) AFTER id, DROP COLUMN a;
    INSERT INTO app.t VALUES (2, 12.5, 'zwei');
    ALTER TABLE app.t CHANGE b label ENUM('x','y') NULL, ADD d DATETIME(3) FIRST;
    INSERT INTO app.t VALUES ('2026-01-02 03:04:05.678', 3, -0.5, 'y');
    RENAME TABLE app.t TO app.t2;
    USE app;
    INSERT INTO t2 VALUES (NULL, 4, 0, NULL);
    FLUSH BINARY LOGS`);

  const tracker = new SchemaTracker();
  const tables = new TableMapCache();
  const seen: Array<{ table: string; names: (string | undefined)[]; row: Row }> = [];
  let ddls = 0;
  for await (const ev of readBinlogFile(server.binlogPath(start.file), { start: start.position })) {
    const b = ev.body;
    if (b.kind === 'query' && !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(b.query.trim())) {
      tracker.applyDdl(b.query, b.schema);
      ddls++;
    }
    tables.observe(ev);
    if (b.kind === 'rows') {
      const tm = tables.get(b.tableId)!;
      const schema = tracker.requireTableSchema(tm.schema, tm.table);
      const d = decodeRows(b, tm, schema);
      if (d.action !== 'insert') continue;
      for (const row of d.rows) seen.push({ table: `${tm.schema}.${tm.table}`, names: schema.columns.map((c) => c.name), row });
    }
  }
  assert.equal(ddls, 5, 'CREATE DATABASE, CREATE TABLE, two ALTERs, RENAME were tracked');
  assert.deepEqual(
    seen.map((s) => ({ table: s.table, row: Object.fromEntries(s.names.map((n, i): [string, unknown] => [String(n), s.row[i]])) })),
    [
      { table: 'app.t', row: { id: 4294967295, a: -1, b: 'Grüße' } },
      { table: 'app.t', row: { id: 2, c: '12.50', b: 'zwei' } },
      { table: 'app.t', row: { d: '2026-01-02 03:04:05.678', id: 3, c: '-0.50', label: 'y' } },
      { table: 'app.t2', row: { d: null, id: 4, c: '0.00', label: null } },
    ],
  );
  // what the tracker holds now is what the server has
  const [live] = await server.sql<{ 'Create Table': string }>('SHOW CREATE TABLE app.t2');
  const fromServer = new SchemaTracker();
  fromServer.setTable('app', live!['Create Table']);
  assert.deepEqual(tracker.requireTableSchema('app', 't2'), fromServer.requireTableSchema('app', 't2'));
});
