/**
 * MariaDB binlog variants the fixture files do not cover, produced by a live server:
 * - `log_bin_compress=ON`: QUERY_COMPRESSED and *_ROWS_COMPRESSED events;
 * - `binlog_row_metadata=FULL`: TABLE_MAP optional metadata gives names, signedness, charsets, ENUM/SET
 *   members, primary key — rows decode correctly with no caller-supplied schema;
 * - `binlog_row_image=MINIMAL` / `NOBLOB`: absent columns are `undefined`, and `isFullImage` says so.
 * Decoded rows are compared with what SELECT returned.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MariaDbServer, stopAllServers } from '../harness/mariadb-server.js';
import { readBinlogFile } from '../../src/binlog/binlog-file-reader.js';
import { TableMapCache } from '../../src/binlog/table-map-cache.js';
import { decodeRows, isFullImage, schemaFromTableMap } from '../../src/binlog/row-decoder.js';
import type { BinlogEvent, DecodedRows, RowsBody, TableMapBody } from '../../src/binlog/events.js';
import type { RowValue } from '../../src/binlog/row-value.js';

const TABLE = `CREATE TABLE v.t (
  id INT UNSIGNED NOT NULL PRIMARY KEY, big BIGINT UNSIGNED, name VARCHAR(50) CHARACTER SET latin1,
  u VARCHAR(50) CHARACTER SET utf8mb4, e ENUM('red','green','blue'), s SET('a','b','c'), amount DECIMAL(12,3),
  doc LONGTEXT, img BLOB) DEFAULT CHARSET = utf8mb4`;

const INSERT = `INSERT INTO v.t VALUES
  (1, 18446744073709551615, 'Grüße €', 'emoji 😀', 'green', 'a,c', '-123456789.125', REPEAT('compressible ', 200), X'00FF'),
  (2, 0, '', '', 'red', '', '0.000', NULL, NULL)`;

interface Seen {
  tm: TableMapBody;
  rows: RowsBody;
  type: string;
}

async function rowsEvents(server: MariaDbServer, file: string): Promise<{ seen: Seen[]; types: Set<string> }> {
  const tables = new TableMapCache();
  const seen: Seen[] = [];
  const types = new Set<string>();
  for await (const ev of readBinlogFile(server.binlogPath(file)) as AsyncIterable<BinlogEvent>) {
    types.add(ev.type);
    tables.observe(ev);
    if (ev.body.kind === 'rows') {
      const tm = tables.get(ev.body.tableId);
      assert.ok(tm, `TABLE_MAP for ${ev.type} at ${ev.offset}`);
      if (tm.schema === 'v') seen.push({ tm, rows: ev.body, type: ev.type });
    }
  }
  return { seen, types };
}

const servers: Record<string, MariaDbServer> = {};

before(async () => {
  [servers.full, servers.minimal, servers.noblob] = await Promise.all([
    MariaDbServer.start({ extraArgs: ['--log-bin-compress=ON', '--log-bin-compress-min-len=10', '--binlog-row-metadata=FULL'] }),
    MariaDbServer.start({ binlogRowImage: 'MINIMAL' }),
    MariaDbServer.start({ binlogRowImage: 'NOBLOB' }),
  ]);
});

after(() => stopAllServers());

test('compressed events and full row metadata decode without a caller schema', async () => {
  const s = servers.full!;
  const start = await s.masterStatus();
  await s.sql(`CREATE DATABASE v; ${TABLE}; ${INSERT}; UPDATE v.t SET amount = amount * 2, e = 'blue' WHERE id = 1; DELETE FROM v.t WHERE id = 2`);
  const [expected] = [await s.sql<Record<string, unknown>>('SELECT id, CAST(big AS CHAR) big, name, u, e, s, CAST(amount AS CHAR) amount, doc, HEX(img) img FROM v.t ORDER BY id')];
  await s.sql('FLUSH BINARY LOGS');
  const { seen, types } = await rowsEvents(s, start.file);
  assert.ok(types.has('MARIADB_QUERY_COMPRESSED'), `compressed query events present: ${[...types].join(', ')}`);
  assert.ok([...types].some((t) => t.includes('ROWS_COMPRESSED')), 'compressed rows events present');
  const decoded = seen.map((x) => ({ d: decodeRows(x.rows, x.tm), schema: schemaFromTableMap(x.tm) }));
  const schema = decoded[0]!.schema;
  assert.deepEqual(schema.columns.map((c) => c.name), ['id', 'big', 'name', 'u', 'e', 's', 'amount', 'doc', 'img']);
  assert.deepEqual(schema.primaryKey, [0]);
  const ins = decoded.find((x) => x.d.action === 'insert')!.d as Extract<DecodedRows, { action: 'insert' | 'delete' }>;
  const upd = decoded.find((x) => x.d.action === 'update')!.d as Extract<DecodedRows, { action: 'update' }>;
  const r1 = ins.rows[0]!;
  assert.equal(r1[1], 18446744073709551615n, 'BIGINT UNSIGNED from SIGNEDNESS metadata');
  assert.equal(r1[2], 'Grüße €', 'latin1 (cp1252) from charset metadata');
  assert.equal(r1[3], 'emoji 😀');
  assert.equal(r1[4], 'green', 'ENUM member names from metadata');
  assert.equal(r1[5], 'a,c', 'SET member names from metadata');
  assert.equal(r1[6], '-123456789.125');
  assert.equal(r1[7], 'compressible '.repeat(200));
  assert.deepEqual(r1[8], Buffer.from([0x00, 0xff]));
  const after = upd.rows[0]!.after;
  const e = expected[0]!;
  const got: RowValue[] = after.map((v) => (v === undefined ? null : v));
  assert.deepEqual(
    [String(got[0]), String(got[1]), got[2], got[3], got[4], got[5], got[6], got[7], Buffer.isBuffer(got[8]) ? got[8].toString('hex').toUpperCase() : got[8]],
    [String(e.id), e.big, e.name, e.u, e.e, e.s, e.amount, e.doc, e.img],
  );
});

test('MINIMAL and NOBLOB row images: absent columns are undefined, isFullImage is false', async () => {
  for (const [name, s] of [['MINIMAL', servers.minimal!], ['NOBLOB', servers.noblob!]] as const) {
    const start = await s.masterStatus();
    await s.sql(`CREATE DATABASE v; ${TABLE}; ${INSERT}; UPDATE v.t SET amount = 1 WHERE id = 1; DELETE FROM v.t WHERE id = 2`);
    await s.sql('FLUSH BINARY LOGS');
    const { seen } = await rowsEvents(s, start.file);
    const upd = seen.find((x) => x.rows.action === 'update')!;
    const del = seen.find((x) => x.rows.action === 'delete')!;
    assert.equal(isFullImage(upd.rows), false, `${name}: update image is not full`);
    const u = decodeRows(upd.rows, upd.tm) as Extract<DecodedRows, { action: 'update' }>;
    const before = u.rows[0]!.before;
    const afterRow = u.rows[0]!.after;
    if (name === 'MINIMAL') {
      // before image: the primary key only; after image: the changed column only
      assert.deepEqual(before.map((v) => v !== undefined), [true, false, false, false, false, false, false, false, false]);
      assert.deepEqual(afterRow.map((v) => v !== undefined), [false, false, false, false, false, false, true, false, false]);
      assert.equal(afterRow[6], '1.000');
      const d = decodeRows(del.rows, del.tm) as Extract<DecodedRows, { action: 'insert' | 'delete' }>;
      assert.equal(d.rows[0]![0], 2);
      assert.equal(d.rows[0]![1], undefined);
    } else {
      // NOBLOB: every column but the BLOB/TEXT ones that did not change
      assert.equal(before[7], undefined, 'LONGTEXT absent');
      assert.equal(before[8], undefined, 'BLOB absent');
      // no charset metadata on this server and no caller schema: text comes back as bytes (cp1252 here)
      assert.deepEqual(before[2], Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x80]));
      assert.equal(afterRow[6], '1.000');
    }
    const ins = seen.find((x) => x.rows.action === 'insert')!;
    assert.equal(isFullImage(ins.rows), true, `${name}: an INSERT image is full`);
  }
});
