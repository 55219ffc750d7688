/**
 * Type matrix against a live MariaDB: a table with every column type, rows with edge values (NULL, min/max,
 * zero dates, fsp 0–6, multibyte and 4-byte UTF-8 in several charsets, empty and > 16 MB blobs, nested and
 * unicode JSON), inserted, updated and deleted. Every decoded value — from the binlog file on disk and from
 * the live replica stream — must equal what `SELECT` returns for it at that moment.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { MariaDbServer, stopAllServers } from '../harness/mariadb-server.js';
import { readBinlogFile } from '../../src/binlog/binlog-file-reader.js';
import { EventDecoder } from '../../src/binlog/event-decoder.js';
import { ReplicaClient } from '../../src/binlog/replica-client.js';
import { TableMapCache } from '../../src/binlog/table-map-cache.js';
import { decodeRows } from '../../src/binlog/row-decoder.js';
import type { BinlogEvent, DecodedRows } from '../../src/binlog/events.js';
import type { Row, RowValue } from '../../src/binlog/row-value.js';
import type { TableSchema } from '../../src/binlog/table-schema.js';
import { fetchTableSchema } from '../../src/mysql/information-schema.js';

const COLUMNS: Array<[name: string, type: string]> = [
  ['id', 'INT NOT NULL PRIMARY KEY'],
  ['ti', 'TINYINT'], ['tiu', 'TINYINT UNSIGNED'], ['si', 'SMALLINT'], ['siu', 'SMALLINT UNSIGNED'],
  ['mi', 'MEDIUMINT'], ['miu', 'MEDIUMINT UNSIGNED'], ['i', 'INT'], ['iu', 'INT UNSIGNED'],
  ['bi', 'BIGINT'], ['biu', 'BIGINT UNSIGNED'],
  ['d65', 'DECIMAL(65,30)'], ['d10', 'DECIMAL(10,0)'], ['d52u', 'DECIMAL(5,2) UNSIGNED'], ['d3810', 'DECIMAL(38,10)'], ['d11', 'DECIMAL(1,1)'],
  ['f', 'FLOAT'], ['dbl', 'DOUBLE'],
  ['b1', 'BIT(1)'], ['b13', 'BIT(13)'], ['b64', 'BIT(64)'],
  ['y', 'YEAR'], ['dt', 'DATE'],
  ['t0', 'TIME'], ['t1', 'TIME(1)'], ['t3', 'TIME(3)'], ['t6', 'TIME(6)'],
  ['dt0', 'DATETIME'], ['dt1', 'DATETIME(1)'], ['dt2', 'DATETIME(2)'], ['dt3', 'DATETIME(3)'], ['dt4', 'DATETIME(4)'], ['dt5', 'DATETIME(5)'], ['dt6', 'DATETIME(6)'],
  ['ts0', 'TIMESTAMP NULL'], ['ts3', 'TIMESTAMP(3) NULL'], ['ts6', 'TIMESTAMP(6) NULL'],
  ['c10', 'CHAR(10) CHARACTER SET utf8mb4'], ['c255', 'CHAR(255) CHARACTER SET utf8mb4'], ['cl', 'CHAR(5) CHARACTER SET latin1'],
  ['cu', 'CHAR(4) CHARACTER SET ucs2'], ['vc', 'VARCHAR(300) CHARACTER SET utf8mb4'], ['vl', 'VARCHAR(20) CHARACTER SET latin1'],
  ['v16', 'VARCHAR(10) CHARACTER SET utf16'], ['vgbk', 'VARCHAR(10) CHARACTER SET gbk'], ['vsj', 'VARCHAR(10) CHARACTER SET sjis'],
  ['v3', 'VARCHAR(10) CHARACTER SET utf8mb3'],
  ['bin', 'BINARY(4)'], ['vbin', 'VARBINARY(20)'],
  ['tt', 'TINYTEXT'], ['tx', 'TEXT'], ['mt', 'MEDIUMTEXT'], ['lt', 'LONGTEXT'],
  ['tb', 'TINYBLOB'], ['bl', 'BLOB'], ['mb', 'MEDIUMBLOB'], ['lb', 'LONGBLOB'],
  ['e', "ENUM('a','b','c','ü-ümlaut')"], ['s', "SET('x','y','z','ß')"],
  ['j', 'JSON'],
  ['g', 'GEOMETRY'], ['pt', 'POINT'],
];

const COLS = COLUMNS.map(([n]) => n);

// Each row: column → SQL expression (omitted columns are NULL).
const ROWS: Array<Record<string, string>> = [
  { id: '1' }, // all NULL
  {
    id: '2', ti: '-128', tiu: '0', si: '-32768', siu: '0', mi: '-8388608', miu: '0', i: '-2147483648', iu: '0',
    bi: '-9223372036854775808', biu: '0', d65: `'-${'9'.repeat(35)}.${'9'.repeat(30)}'`, d10: "'-9999999999'", d52u: "'0.00'",
    d3810: "'-1234567890123456789012345678.0123456789'", d11: "'-0.9'", f: '-3.40282e38', dbl: '-1.7976931348623157e308',
    b1: "b'0'", b13: "b'0'", b64: "b'0'", y: '1901', dt: "'1000-01-01'", t0: "'-838:59:59'", t1: "'-00:00:00.1'", t3: "'-12:34:56.789'",
    t6: "'-838:59:58.999999'", dt0: "'1000-01-01 00:00:00'", dt1: "'1000-01-01 00:00:00.1'", dt2: "'1000-01-01 00:00:00.01'",
    dt3: "'1000-01-01 00:00:00.001'", dt4: "'1000-01-01 00:00:00.0001'", dt5: "'1000-01-01 00:00:00.00001'", dt6: "'1000-01-01 00:00:00.000001'",
    ts0: "'1970-01-01 00:00:01'", ts3: "'1970-01-01 00:00:01.001'", ts6: "'1970-01-01 00:00:01.000001'",
    c10: "''", c255: "''", cl: "''", cu: "''", vc: "''", vl: "''", v16: "''", vgbk: "''", vsj: "''", v3: "''", bin: "''", vbin: "''",
    tt: "''", tx: "''", mt: "''", lt: "''", tb: "''", bl: "''", mb: "''", lb: "''", e: "'a'", s: "''", j: "'{}'",
    g: "ST_GeomFromText('POINT(0 0)')", pt: "ST_GeomFromText('POINT(-1.5 2.25)')",
  },
  {
    id: '3', ti: '127', tiu: '255', si: '32767', siu: '65535', mi: '8388607', miu: '16777215', i: '2147483647', iu: '4294967295',
    bi: '9223372036854775807', biu: '18446744073709551615', d65: `'${'9'.repeat(35)}.${'9'.repeat(30)}'`, d10: "'9999999999'", d52u: "'999.99'",
    d3810: "'9999999999999999999999999999.9999999999'", d11: "'0.9'", f: '3.40282e38', dbl: '1.7976931348623157e308',
    b1: "b'1'", b13: "b'1111111111111'", b64: "b'1111111111111111111111111111111111111111111111111111111111111111'", y: '2155',
    dt: "'9999-12-31'", t0: "'838:59:59'", t1: "'838:59:58.9'", t3: "'23:59:59.999'", t6: "'838:59:58.999999'",
    dt0: "'9999-12-31 23:59:59'", dt1: "'9999-12-31 23:59:59.9'", dt2: "'9999-12-31 23:59:59.99'", dt3: "'9999-12-31 23:59:59.999'",
    dt4: "'9999-12-31 23:59:59.9999'", dt5: "'9999-12-31 23:59:59.99999'", dt6: "'9999-12-31 23:59:59.999999'",
    ts0: "'2038-01-19 03:14:07'", ts3: "'2038-01-19 03:14:07.999'", ts6: "'2038-01-19 03:14:07.999999'",
    c10: "'abcdefghij'", c255: `'${'é'.repeat(255)}'`, cl: "'€ÿàé'", cu: "'Ωж中'", vc: `'${'😀'.repeat(300)}'`, vl: "'Grüße €'", v16: "'𝄞 clef'",
    vgbk: "'中文字符'", vsj: "'日本語ｶﾅ'", v3: "'ü€'", bin: 'X\'00FF7F80\'', vbin: "X'000102FEFF'",
    tt: `'${'t'.repeat(255)}'`, tx: "'text with \\n newline and \\t tab'", mt: "REPEAT('m', 70000)", lt: "REPEAT('Ω', 100000)",
    tb: 'UNHEX(REPEAT(\'AB\', 255))', bl: "UNHEX(REPEAT('00FF', 1000))", mb: "REPEAT('x', 70000)", lb: "REPEAT('L', 17 * 1024 * 1024)",
    e: "'ü-ümlaut'", s: "'x,y,z,ß'", j: `'{"a": [1, 2.5, "x", {"b": null, "c": true}], "ü": "😀", "n": -12345678901234}'`,
    g: "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')", pt: "ST_GeomFromText('POINT(1e300 -1e-300)')",
  },
  {
    // zero and partly-zero temporal values (allowed with sql_mode='')
    id: '4', y: '0', dt: "'0000-00-00'", dt0: "'0000-00-00 00:00:00'", dt6: "'0000-00-00 00:00:00.000000'", dt3: "'2020-00-00 00:00:00.000'",
    ts0: "'0000-00-00 00:00:00'", ts6: "'0000-00-00 00:00:00.000000'", t6: "'00:00:00.000000'", t0: "'-00:00:01'",
    d65: "'0'", d10: "'0'", d3810: "'-0.0000000001'", f: '0', dbl: '-0', e: "''", s: "'z'",
    j: "'[]'", c10: "'  lead'", vc: "'trail  '", cl: "'a'",
  },
];

const UPDATES = `UPDATE t.m SET ti = ti - 1, tiu = 7, bi = 42, biu = 1, d3810 = '0.5', f = 1.5, dbl = 2.25, b13 = b'1010', y = 2000,
  dt = '2024-02-29', t3 = '01:02:03.004', dt6 = '2024-02-29 12:34:56.123456', ts3 = '2024-02-29 12:34:56.789', vc = 'updated ✓',
  lt = 'short now', lb = '', e = 'b', s = 'y', j = '{"updated": [true]}', pt = ST_GeomFromText('POINT(3 4)') WHERE id IN (2, 3, 4)`;

let server: MariaDbServer;
let conn: Connection;

before(async () => {
  server = await MariaDbServer.start();
  conn = await server.connect();
  await conn.query("SET SESSION sql_mode = '', time_zone = '+00:00'");
});

after(async () => {
  await conn?.end();
  await stopAllServers();
});

/** What SELECT returns, in the representation row-value.ts promises for the column type. */
async function snapshot(): Promise<Map<number, Row>> {
  const [rows] = await conn.query({ sql: `SELECT ${COLS.map((n) => `\`${n}\``).join(', ')} FROM t.m ORDER BY id`, rowsAsArray: true, typeCast: castForCompare });
  const out = new Map<number, Row>();
  for (const r of rows as unknown as RowValue[][]) out.set(Number(r[0]), r);
  return out;
}

/** mysql2 field → the decoder's representation, from the raw text/bytes the server sent. */
const BINARY_COLUMNS = new Set(COLUMNS.filter(([, ty]) => /^(BINARY|VARBINARY|TINYBLOB|BLOB|MEDIUMBLOB|LONGBLOB)/.test(ty)).map(([n]) => n));

function castForCompare(field: { name: string; type: string; string(): string | null; buffer(): Buffer | null }, _next: () => unknown): RowValue {
  switch (field.type) {
    case 'TINY':
    case 'SHORT':
    case 'INT24':
    case 'LONG':
    case 'YEAR': {
      const s = field.string();
      return s === null ? null : Number(s);
    }
    case 'LONGLONG': {
      const s = field.string();
      return s === null ? null : BigInt(s);
    }
    case 'NEWDECIMAL':
    case 'DATE':
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      return field.string();
    case 'FLOAT': {
      const s = field.string();
      return s === null ? null : Math.fround(Number(s));
    }
    case 'DOUBLE': {
      const s = field.string();
      return s === null ? null : Number(s);
    }
    case 'BIT':
    case 'GEOMETRY':
      return field.buffer();
    default: {
      // binary strings → bytes, else text (the connection charset is utf8mb4)
      return BINARY_COLUMNS.has(field.name) ? field.buffer() : field.string();
    }
  }
}

function normalise(v: RowValue | undefined, colType: string): unknown {
  if (v === undefined || v === null) return v;
  if (/^FLOAT/.test(colType) && typeof v === 'number') return Math.fround(v);
  if (/^(ENUM|SET)/.test(colType) && v === '') return '';
  if (/^JSON/.test(colType) && typeof v === 'string') return v; // MariaDB stores JSON as text: byte-exact
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  return v;
}

function assertRowEqual(decoded: Row, expected: Row, what: string): void {
  const problems: string[] = [];
  for (let i = 0; i < COLUMNS.length; i++) {
    const [name, type] = COLUMNS[i]!;
    const got = normalise(decoded[i], type);
    const want = normalise(expected[i], type);
    try {
      assert.deepEqual(got, want);
    } catch {
      const show = (v: unknown): string => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v)).slice(0, 120);
      problems.push(`column ${name} (${type}): decoded ${show(got)}, SELECT gives ${show(want)}`);
    }
  }
  assert.deepEqual(problems, [], `${what}:\n  ${problems.join('\n  ')}`);
}

interface RowsSeen {
  inserts: Row[];
  updates: Array<{ before: Row; after: Row }>;
  deletes: Row[];
}

async function collect(events: AsyncIterable<BinlogEvent>, schema: TableSchema, seen: RowsSeen): Promise<void> {
  const tables = new TableMapCache();
  for await (const ev of events) {
    tables.observe(ev);
    if (ev.body.kind !== 'rows') continue;
    const tm = tables.require(ev as BinlogEvent & { body: typeof ev.body });
    if (tm.schema !== 't' || tm.table !== 'm') continue;
    const d: DecodedRows = decodeRows(ev.body, tm, schema);
    if (d.action === 'update') seen.updates.push(...d.rows);
    else (d.action === 'insert' ? seen.inserts : seen.deletes).push(...d.rows);
  }
}

test('every column type decodes to exactly what SELECT returns (file and live stream)', async () => {
  await conn.query('CREATE DATABASE t');
  await conn.query(`CREATE TABLE t.m (${COLUMNS.map(([n, ty]) => `\`${n}\` ${ty}`).join(', ')}) DEFAULT CHARSET = utf8mb4`);
  const start = await server.masterStatus();
  for (const r of ROWS) {
    const cols = Object.keys(r);
    await conn.query(`INSERT INTO t.m (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES (${cols.map((c) => r[c]).join(', ')})`);
  }
  const afterInsert = await snapshot();
  assert.equal(afterInsert.size, ROWS.length);
  await conn.query(UPDATES);
  const afterUpdate = await snapshot();
  await conn.query('DELETE FROM t.m WHERE id IN (1, 3)');
  await conn.query('DELETE FROM t.m');
  await conn.query('FLUSH BINARY LOGS');

  const schema = await fetchTableSchema(conn, 't', 'm');
  assert.ok(schema);

  const check = (seen: RowsSeen, source: string): void => {
    assert.equal(seen.inserts.length, ROWS.length, `${source}: inserts`);
    for (const r of seen.inserts) assertRowEqual(r, afterInsert.get(Number(r[0]))!, `${source} insert id=${String(r[0])}`);
    assert.equal(seen.updates.length, 3, `${source}: updates`);
    for (const u of seen.updates) {
      assertRowEqual(u.before, afterInsert.get(Number(u.before[0]))!, `${source} update before id=${String(u.before[0])}`);
      assertRowEqual(u.after, afterUpdate.get(Number(u.after[0]))!, `${source} update after id=${String(u.after[0])}`);
    }
    assert.equal(seen.deletes.length, ROWS.length, `${source}: deletes`);
    for (const d of seen.deletes) assertRowEqual(d, afterUpdate.get(Number(d[0]))!, `${source} delete id=${String(d[0])}`);
  };

  // 1. from the binlog file on disk
  const fromFile: RowsSeen = { inserts: [], updates: [], deletes: [] };
  await collect(readBinlogFile(server.binlogPath(start.file)), schema, fromFile);
  check(fromFile, 'file');

  // 2. from the live stream, as a replica (the > 16 MB row crosses several protocol packets)
  const client = new ReplicaClient({ ...server.config(), serverId: 777, start: { file: start.file, position: start.position } });
  await client.start();
  const decoder = new EventDecoder({ checksumAlg: client.checksumAlg, file: start.file });
  const live: RowsSeen = { inserts: [], updates: [], deletes: [] };
  async function* decoded(): AsyncGenerator<BinlogEvent> {
    for await (const raw of client) {
      decoder.file = raw.file;
      const ev = decoder.decode(raw.raw, raw.logPos > 0 ? raw.logPos - raw.eventSize : 0);
      yield ev;
      // FLUSH BINARY LOGS ends the first file: stop at its ROTATE
      if (ev.body.kind === 'rotate' && !ev.body.fake) break;
    }
  }
  try {
    await collect(decoded(), schema, live);
  } finally {
    await client.stop();
  }
  check(live, 'stream');
  assert.equal(path.basename(server.binlogPath(start.file)), start.file);
});
