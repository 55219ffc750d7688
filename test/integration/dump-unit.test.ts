/**
 * Dump unit against real MariaDB servers: an upstream and a second server the dumps are loaded into.
 * - every column type, awkward names, empty/keyless tables and a > 16 MB row survive dump + load byte for
 *   byte (rows compared as the raw text-protocol bytes both servers send);
 * - consistency while a writer keeps inserting: the loaded dump holds exactly the writer's rows whose GTID
 *   is covered by the metadata position (auto, flush, lock, snapshot), and the file/pos agree with the GTID;
 * - chunking by rows writes several files per table; myloader 0.10 loads our dump; our parser reads
 *   mydumper's metadata; FTWRL without RELOAD fails with 32004 while `auto` still dumps lock-free; abort.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { MariaDbServer, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { ALLOW_ALL, type TableFilter } from '../../src/filter/table-filter.js';
import { quoteId, quoteTable } from '../../src/mysql/identifier.js';
import { isDmError } from '../../src/observability/dm-error.js';
import { DumpUnit, type DumpStatus, type DumpUnitOptions } from '../../src/units/dump/dump-unit.js';
import { parseDumpFileName } from '../../src/units/dump/dump-files.js';
import { parseDumpMetadata } from '../../src/units/dump/metadata-file.js';

/** An external tool (mariadb, mydumper, myloader) that has not finished by then is killed: the test fails with its output instead of blocking the event loop. */
const TOOL_TIMEOUT_MS = 180_000;
import { rawQuery } from '../../src/units/dump/raw-query.js';

let src: MariaDbServer;
let dst: MariaDbServer;
const dirs: string[] = [];

before(async () => {
  [src, dst] = await Promise.all([MariaDbServer.start(), MariaDbServer.start({ noBinlog: true })]);
});

after(async () => {
  await stopAllServers();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function onlySchemas(...names: string[]): TableFilter {
  return { matchSchema: (s) => names.includes(s), matchTable: (s) => names.includes(s) };
}

function newDir(): string {
  const d = scratchDir('dump');
  dirs.push(d);
  return path.join(d, 'out');
}

async function runDump(opts: Partial<DumpUnitOptions> & { filter: TableFilter }, server = src): Promise<{ unit: DumpUnit; dir: string; progress: DumpStatus[] }> {
  const dir = opts.outputDir ?? newDir();
  const progress: DumpStatus[] = [];
  const unit = new DumpUnit({
    source: server.config(),
    outputDir: dir,
    threads: 2,
    rows: 0,
    chunkFilesizeMB: 64,
    statementSize: 1_000_000,
    consistency: 'auto',
    onProgress: (s) => progress.push(s),
    ...opts,
  });
  await unit.init();
  const r = await unit.process(new AbortController().signal);
  await unit.close();
  assert.deepEqual(
    r.errors.map((e) => e.message),
    [],
  );
  assert.equal(r.interrupted, false);
  return { unit, dir, progress };
}

/** Loads a dump directory into `server` with the `mariadb` command-line client, file by file. */
function loadWithClient(dir: string, server: MariaDbServer): void {
  const files = readdirSync(dir).sort();
  const run = (file: string, db: string | undefined): void => {
    const fd = openSync(path.join(dir, file), 'r');
    try {
      const args = ['-h', server.host, '-P', String(server.port), '-u', server.user, `-p${server.password}`, '--binary-mode'];
      if (db !== undefined) args.push(db);
      const r = spawnSync('mariadb', args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' });
      assert.equal(r.status, 0, `mariadb < ${file}: ${r.stderr}`);
    } finally {
      closeSync(fd);
    }
  };
  const parsed = files.map((f) => ({ f, p: parseDumpFileName(f) }));
  for (const { f, p } of parsed) if (p?.kind === 'schema-create') run(f, undefined);
  for (const { f, p } of parsed) if (p?.kind === 'table-schema') run(f, p.db);
  for (const { f, p } of parsed) if (p?.kind === 'data') run(f, p.db);
  for (const { f, p } of parsed) if (p?.kind === 'view-schema') run(f, p.db);
}

async function rawConn(server: MariaDbServer): Promise<Connection> {
  const c = await server.connect();
  await c.query("SET SESSION character_set_results = binary, time_zone = '+00:00'");
  return c;
}

/** Every row of a table as the exact bytes the server sends (sha256 of each payload), in a total order. */
async function tableDigest(server: MariaDbServer, db: string, table: string): Promise<string[]> {
  const c = await rawConn(server);
  try {
    const [cols] = await c.query('SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, table]);
    const n = Number((cols as Array<{ n: unknown }>)[0]!.n);
    const order = Array.from({ length: n }, (_, i) => i + 1).join(',');
    const out: string[] = [];
    await rawQuery(c, `SELECT * FROM ${quoteTable(db, table)} ORDER BY ${order}`, {
      onRow: (b, s, e) => out.push(createHash('sha256').update(b.subarray(s, e)).digest('hex')),
    });
    return out;
  } finally {
    await c.end();
  }
}

async function assertSameTables(db: string, tables: string[], dstDb = db): Promise<void> {
  for (const t of tables) {
    const [a, b] = await Promise.all([tableDigest(src, db, t), tableDigest(dst, dstDb, t)]);
    assert.equal(b.length, a.length, `${db}.${t}: row count`);
    assert.deepEqual(b, a, `${db}.${t}: rows differ`);
  }
}

async function dropOn(server: MariaDbServer, ...dbs: string[]): Promise<void> {
  for (const d of dbs) await server.sql(`DROP DATABASE IF EXISTS ${quoteId(d)}`);
}

const TYPES_DB = 'dump_types';
const AWK_DB = 'dm `dump` ü';

test('every type, awkward names, empty, keyless and wide tables round-trip byte for byte', async () => {
  await src.sql(`
    SET SESSION sql_mode = '', time_zone = '+00:00';
    CREATE DATABASE ${TYPES_DB} CHARACTER SET utf8mb4;
    CREATE TABLE ${TYPES_DB}.types (
      id INT PRIMARY KEY,
      ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
      d65 DECIMAL(65,30), d10 DECIMAL(10,0), d52u DECIMAL(5,2) UNSIGNED, f FLOAT, dbl DOUBLE,
      b1 BIT(1), b13 BIT(13), b64 BIT(64), y YEAR, dt DATE, t0 TIME, t6 TIME(6), dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6),
      ts0 TIMESTAMP NULL, ts6 TIMESTAMP(6) NULL,
      c10 CHAR(10), vc VARCHAR(300), cl CHAR(5) CHARACTER SET latin1, vl VARCHAR(20) CHARACTER SET latin1,
      cu CHAR(4) CHARACTER SET ucs2, v16 VARCHAR(10) CHARACTER SET utf16, vgbk VARCHAR(10) CHARACTER SET gbk,
      vsj VARCHAR(10) CHARACTER SET sjis, v3 VARCHAR(10) CHARACTER SET utf8mb3,
      bin BINARY(4), vbin VARBINARY(20), tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, tb TINYBLOB, bl BLOB, lb LONGBLOB,
      e ENUM('a','b','ü-ümlaut'), s SET('x','y','ß'), el ENUM('é','ö') CHARACTER SET latin1, sl SET('à','b') CHARACTER SET latin1,
      j JSON, g GEOMETRY, pt POINT, ip INET6, u UUID,
      gen INT AS (i + 1) VIRTUAL, gens VARCHAR(400) AS (CONCAT(vc, 'x')) STORED
    );
    INSERT INTO ${TYPES_DB}.types (id) VALUES (1);
    INSERT INTO ${TYPES_DB}.types (id, ti, tiu, si, mi, i, iu, bi, biu, d65, d10, d52u, f, dbl, b1, b13, b64, y, dt, t0, t6, dt0, dt3, dt6, ts0, ts6,
      c10, vc, cl, vl, cu, v16, vgbk, vsj, v3, bin, vbin, tt, tx, mt, tb, bl, lb, e, s, el, sl, j, g, pt, ip, u) VALUES
      (2, -128, 0, -32768, -8388608, -2147483648, 0, -9223372036854775808, 0, '-${'9'.repeat(35)}.${'9'.repeat(30)}', -9999999999, 0.00,
       -3.40282e38, -1.7976931348623157e308, b'0', b'0', b'0', 1901, '1000-01-01', '-838:59:59', '-838:59:58.999999', '1000-01-01 00:00:00',
       '1000-01-01 00:00:00.001', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001',
       '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'a', '', 'é', '', '{}', ST_GeomFromText('POINT(0 0)'), POINT(-1.5, 2.25), '::', '00000000-0000-0000-0000-000000000000'),
      (3, 127, 255, 32767, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, '${'9'.repeat(35)}.${'9'.repeat(30)}', 9999999999, 999.99,
       3.40282e38, 1.7976931348623157e308, b'1', b'1111111111111', b'1111111111111111111111111111111111111111111111111111111111111111', 2155, '9999-12-31',
       '838:59:59', '838:59:59.000000', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999',
       'ab\\'c\\\\d', CONCAT('quote '' backslash \\\\ nl', CHAR(10), 'cr', CHAR(13), 'nul', CHAR(0), 'ctrlz', CHAR(26), ' emoji 😀 表'), 'éàü', 'Grüße ÿ',
       'é表', '😀ü', '中文字', 'ｶﾀｶﾅ日本', 'ü€', UNHEX('00FF0A27'), UNHEX('5C27220D0A1A00FF'), 'tiny', REPEAT('text ', 1000), REPEAT('ü', 50000),
       UNHEX('00'), UNHEX(REPEAT('DEADBEEF', 1000)), UNHEX(REPEAT('00FF', 100000)), 'ü-ümlaut', 'x,y,ß', 'ö', 'à,b',
       '{"k": "v\\\\n\\\\"q", "ü": [1, 2.5, null, true], "nested": {"a": {"b": "😀"}}}', ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), POINT(1e300, -1e-300),
       'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
      (4, 0, 1, 0, 0, 0, 1, 0, 1, '0.000000000000000000000000000001', 0, 0.01, 1.17549e-38, 2.2250738585072014e-308, b'1', b'1010101010101', b'1000000000000000000000000000000000000000000000000000000000000001',
       0, '0000-00-00', '00:00:00', '-00:00:00.000001', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '2000-02-29 12:34:56.123456', '2000-01-01 00:00:00', '2000-01-01 00:00:00.5',
       ' lead', 'trail  ', 'a b', 'x', 'a', 'b', 'c', 'd', 'e', '', '', '', '', '', '', '', '', 'b', 'y', 'é', 'b', '"str"', NULL, NULL, '2001:db8::1', '123e4567-e89b-12d3-a456-426614174000'),
      (5, NULL, NULL, NULL, NULL, 7, NULL, NULL, NULL, NULL, NULL, NULL, 1/3, 1/3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '1999-12-31 23:59:59', NULL,
       'NULL', 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, '[]', NULL, NULL, NULL, NULL);
    CREATE TABLE ${TYPES_DB}.empty_t (id INT PRIMARY KEY, v VARCHAR(10));
    CREATE TABLE ${TYPES_DB}.nokey (a INT, b VARCHAR(10), c BLOB);
    INSERT INTO ${TYPES_DB}.nokey VALUES (1, 'x', NULL), (1, 'x', NULL), (NULL, NULL, UNHEX('00')), (2, 'y\\n', '');
    CREATE TABLE ${TYPES_DB}.wide (id INT PRIMARY KEY, lb LONGBLOB, lt LONGTEXT);
    INSERT INTO ${TYPES_DB}.wide VALUES (1, RANDOM_BYTES(1024), REPEAT(CONCAT('''', CHAR(10), '\\\\', CHAR(0)), 300000));
    UPDATE ${TYPES_DB}.wide SET lb = REPEAT(lb, 20 * 1024) WHERE id = 1;
    INSERT INTO ${TYPES_DB}.wide VALUES (2, '', 'small');
    CREATE VIEW ${TYPES_DB}.v_types AS SELECT id, vc FROM ${TYPES_DB}.types WHERE id > 1;
    CREATE DATABASE ${quoteId(AWK_DB)};
    CREATE TABLE ${quoteTable(AWK_DB, 'select')} (\`key\` INT PRIMARY KEY, \`col with space\` VARCHAR(20), \`c\`\`bq\` INT, \`ñame\` TEXT);
    INSERT INTO ${quoteTable(AWK_DB, 'select')} VALUES (1, 'a b', 2, 'ñ'), (2, NULL, NULL, '表');
    CREATE TABLE ${quoteTable(AWK_DB, 'a.b/c-schema')} (\`order\` BIGINT UNSIGNED PRIMARY KEY, \`x.y\` INT);
    INSERT INTO ${quoteTable(AWK_DB, 'a.b/c-schema')} VALUES (18446744073709551615, 1), (0, 2);
    CREATE TABLE ${quoteTable(AWK_DB, '空 白')} (id INT);
  `);
  const { unit, dir, progress } = await runDump({ filter: onlySchemas(TYPES_DB, AWK_DB), threads: 3, statementSize: 4096 });
  const files = readdirSync(dir).sort();
  for (const f of [
    'metadata',
    `${TYPES_DB}-schema-create.sql`,
    `${TYPES_DB}.types-schema.sql`,
    `${TYPES_DB}.types.0000000000000.sql`,
    `${TYPES_DB}.empty_t-schema.sql`,
    `${TYPES_DB}.v_types-schema-view.sql`,
    'dm `dump` ü-schema-create.sql',
    'dm `dump` ü.select-schema.sql',
    'dm `dump` ü.a%2Eb%2Fc%2Dschema-schema.sql',
    'dm `dump` ü.a%2Eb%2Fc%2Dschema.0000000000000.sql',
    'dm `dump` ü.空 白-schema.sql',
  ]) {
    assert.ok(files.includes(f), `missing ${f} in ${files.join(', ')}`);
  }
  // no data file for empty tables
  assert.ok(!files.some((f) => f.startsWith(`${TYPES_DB}.empty_t.`) || f.startsWith('dm `dump` ü.空 白.')));
  // generated columns are not in the INSERTs
  const typesData = readFileSync(path.join(dir, `${TYPES_DB}.types.0000000000000.sql`), 'utf8');
  assert.ok(!typesData.includes('`gen`') && typesData.includes('`u`'));
  const st = unit.status();
  assert.equal(st.totalTables, 7);
  assert.equal(st.completedTables, 7);
  assert.equal(st.finishedRows, 5 + 4 + 2 + 2 + 2);
  assert.equal(st.progress, '100.00 %');
  assert.ok(progress.length > 0 && progress.at(-1)!.progress === '100.00 %');
  assert.ok(unit.metadata()?.position.file.startsWith('mysql-bin.'));

  loadWithClient(dir, dst);
  await assertSameTables(TYPES_DB, ['types', 'empty_t', 'nokey', 'wide']);
  await assertSameTables(AWK_DB, ['select', 'a.b/c-schema', '空 白']);
  const view = await dst.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${TYPES_DB}.v_types`);
  assert.equal(Number(view[0]!.n), 4);
  await dropOn(dst, TYPES_DB, AWK_DB);
});

test('chunking by rows writes several files per table, statements and files within their limits', async () => {
  const db = 'dump_chunks';
  await src.sql(`
    CREATE DATABASE ${db};
    CREATE TABLE ${db}.big (id BIGINT PRIMARY KEY, v VARCHAR(100));
    INSERT INTO ${db}.big SELECT seq * 3, REPEAT(CHAR(65 + seq % 26), seq % 90) FROM ${db}.seq_1_to_20000;
    CREATE TABLE ${db}.uk (a INT NOT NULL, b INT, UNIQUE KEY (a));
    INSERT INTO ${db}.uk SELECT seq, seq FROM ${db}.seq_1_to_5000;
    ANALYZE TABLE ${db}.big, ${db}.uk;
  `);
  const { dir } = await runDump({ filter: onlySchemas(db), rows: 2000, threads: 2, statementSize: 10_000, chunkFilesizeMB: 0.02 });
  const files = readdirSync(dir).filter((f) => f.startsWith(`${db}.big.`));
  const chunks = new Set(files.map((f) => parseDumpFileName(f)).map((p) => (p?.kind === 'data' ? p.index.slice(0, 9) : '')));
  assert.ok(chunks.size >= 5, `chunks: ${[...chunks].join(',')}`);
  assert.ok(files.length > chunks.size, 'files roll over within chunks');
  assert.ok(readdirSync(dir).filter((f) => f.startsWith(`${db}.uk.`)).length >= 2, 'split on the unique NOT NULL key');
  for (const f of files) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    for (const s of text.split(/(?<=;\n)/)) {
      if (s.startsWith('INSERT')) assert.ok(Buffer.byteLength(s) <= 10_000, `${f}: statement of ${Buffer.byteLength(s)} bytes`);
    }
  }
  loadWithClient(dir, dst);
  await assertSameTables(db, ['big', 'uk']);
  await dropOn(dst, db);
});

/** Keeps inserting one row per transaction; records the GTID sequence number of each. */
function startWriter(db: string): { stop: () => Promise<Array<{ id: number; seq: number }>> } {
  let running = true;
  const done = (async () => {
    const c = await src.connect();
    const log: Array<{ id: number; seq: number }> = [];
    try {
      while (running) {
        const [res] = await c.query(`INSERT INTO ${db}.w (v) VALUES (REPEAT('w', 50)); SELECT LAST_INSERT_ID() AS id, @@last_gtid AS g`);
        const row = (res as unknown as Array<Array<{ id: number; g: string }>>)[1]![0]!;
        const parts = row.g.split('-');
        assert.equal(parts[0], '0');
        log.push({ id: Number(row.id), seq: Number(parts[2]) });
      }
    } finally {
      await c.end();
    }
    return log;
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

const CONSISTENCY_CASES = [
  { mode: 'auto', name: 'auto', method: 'backup-stage' },
  { mode: 'flush', name: 'flush', method: 'flush' },
  { mode: 'lock', name: 'lock', method: 'lock' },
  { mode: 'snapshot', name: 'snapshot', method: 'snapshot' },
] as const;

for (const c of CONSISTENCY_CASES) {
  const mode = c.mode;
  test(`consistency ${c.name}: the dump holds exactly the rows the metadata position covers, under concurrent inserts`, async () => {
    const db = `dump_consist_${c.name.replace(/-/g, '_')}`;
    await src.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.w (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(60)); INSERT INTO ${db}.w (v) SELECT 'seed' FROM ${db}.seq_1_to_3000`);
    const writer = startWriter(db);
    await new Promise((r) => setTimeout(r, 300));
    const { unit, dir } = await runDump({ filter: onlySchemas(db), consistency: mode, threads: 3, rows: 500 });
    if ('method' in c) assert.equal(unit.consistencyMethod, c.method);
    await new Promise((r) => setTimeout(r, 200));
    const log = await writer.stop();
    assert.ok(log.length > 20, `writer made ${log.length} inserts`);

    const md = parseDumpMetadata(readFileSync(path.join(dir, 'metadata'), 'utf8'));
    assert.deepEqual(md, unit.metadata());
    const snapSeq = Number(md.position.gtid.split(',').find((g) => g.startsWith('0-'))!.split('-')[2]);
    // file/pos and GTID name the same point of the binlog
    const [g] = await src.sql<{ g: string }>('SELECT BINLOG_GTID_POS(?, ?) AS g', [md.position.file, md.position.pos]);
    assert.equal(g!.g, md.position.gtid);
    const covered = log.filter((l) => l.seq <= snapSeq);
    assert.ok(covered.length > 0 && covered.length < log.length, `snapshot inside the writes (${covered.length}/${log.length}) via ${unit.consistencyMethod}`);

    loadWithClient(dir, dst);
    const [r] = await dst.sql<{ n: string; m: string }>(`SELECT COUNT(*) AS n, MAX(id) AS m FROM ${db}.w`);
    assert.equal(Number(r!.n), 3000 + covered.length);
    assert.equal(Number(r!.m), covered.at(-1)!.id);
    await dropOn(dst, db);
    await src.sql(`DROP DATABASE ${db}`);
  });
}

test('consistency none: start and end positions in the metadata, end after the start', async () => {
  const db = 'dump_none';
  await src.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.w (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(60)); INSERT INTO ${db}.w (v) SELECT 'seed' FROM ${db}.seq_1_to_2000`);
  const writer = startWriter(db);
  await new Promise((r) => setTimeout(r, 200));
  const { dir, unit } = await runDump({ filter: onlySchemas(db), consistency: 'none', threads: 2 });
  await writer.stop();
  const text = readFileSync(path.join(dir, 'metadata'), 'utf8');
  assert.match(text, /SHOW MASTER STATUS: \/\* AFTER CONNECTION POOL ESTABLISHED \*\//);
  const md = parseDumpMetadata(text);
  assert.ok(md.endPosition);
  assert.equal(unit.consistencyMethod, 'none');
  const seq = (gtid: string): number => Number(gtid.split('-')[2]);
  assert.ok(seq(md.endPosition.gtid) > seq(md.position.gtid), `${md.position.gtid} → ${md.endPosition.gtid}`);
  await src.sql(`DROP DATABASE ${db}`);
});

test('myloader 0.10 loads our dump; our parser reads mydumper 0.10 metadata', { skip: !existsSync('/usr/bin/myloader') && 'mydumper package not installed' }, async () => {
  const db = 'dump_myloader';
  await src.sql(`
    CREATE DATABASE ${db};
    CREATE TABLE ${db}.t (id INT PRIMARY KEY, s VARCHAR(100), l VARCHAR(20) CHARACTER SET latin1, b BLOB, d DATETIME(6), j JSON, x DECIMAL(30,10));
    INSERT INTO ${db}.t SELECT seq, CONCAT('row ', seq, IF(seq % 7 = 0, ';\\n'';\\\\', ''), ' ü😀'), IF(seq % 3 = 0, 'é', 'plain'),
      IF(seq % 5 = 0, UNHEX('00FF0A3B0D'), NULL), '2020-01-02 03:04:05.123456', JSON_OBJECT('k', seq), seq / 7 FROM ${db}.seq_1_to_3000;
    CREATE TABLE ${db}.nokey (a TEXT);
    INSERT INTO ${db}.nokey VALUES ('x;'), (CONCAT('line;', CHAR(10), 'next;')), (NULL);
  `);
  const { dir } = await runDump({ filter: onlySchemas(db), rows: 1000, statementSize: 2000 });
  const r = spawnSync('myloader', ['-h', dst.host, '-P', String(dst.port), '-u', dst.user, '-p', dst.password, '-d', dir, '-t', '2', '-o'], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' });
  assert.equal(r.status, 0, `myloader: ${r.stderr}`);
  await assertSameTables(db, ['t', 'nokey']);
  await dropOn(dst, db);

  // mydumper's metadata, parsed by us, names the position SHOW MASTER STATUS reports (no writes meanwhile)
  const out = newDir();
  const m = spawnSync('mydumper', ['-h', src.host, '-P', String(src.port), '-u', src.user, '-p', src.password, '-B', db, '-o', out], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' });
  assert.equal(m.status, 0, `mydumper: ${m.stderr}`);
  const md = parseDumpMetadata(readFileSync(path.join(out, 'metadata'), 'utf8'));
  const ms = await src.masterStatus();
  assert.deepEqual(md.position, { file: ms.file, pos: ms.position, gtid: ms.gtid });
  assert.match(md.finishedAt ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  await src.sql(`DROP DATABASE ${db}`);
});

test('FTWRL without RELOAD fails with 32004; auto dumps lock-free with the same account', async () => {
  const db = 'dump_priv';
  await src.sql(`
    CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY); INSERT INTO ${db}.t VALUES (1), (2);
    CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY 'dumper-pw';
    GRANT SELECT, SHOW VIEW, BINLOG MONITOR ON *.* TO 'dumper'@'127.0.0.1';
  `);
  const source = { ...src.config(), user: 'dumper', password: 'dumper-pw' };
  const unit = new DumpUnit({ source, outputDir: newDir(), threads: 2, rows: 0, chunkFilesizeMB: 64, statementSize: 1_000_000, consistency: 'flush', filter: onlySchemas(db) });
  await unit.init();
  const r = await unit.process(new AbortController().signal);
  await unit.close();
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 32004);
  assert.match(r.errors[0]!.message, /consistency none/);

  const { unit: auto, dir } = await runDump({ source, filter: onlySchemas(db), consistency: 'auto', threads: 2 });
  assert.equal(auto.consistencyMethod, 'snapshot');
  assert.ok(readdirSync(dir).includes(`${db}.t.0000000000000.sql`));
  await src.sql(`DROP USER 'dumper'@'127.0.0.1'; DROP DATABASE ${db}`);
});

test('connection failure is 10001 without the password; abort interrupts and closes every connection', async () => {
  const bad = new DumpUnit({
    source: { host: '127.0.0.1', port: 1, user: 'root', password: 'secret-pw-123' },
    outputDir: newDir(),
    threads: 1,
    rows: 0,
    chunkFilesizeMB: 64,
    statementSize: 0,
    consistency: 'auto',
    filter: ALLOW_ALL,
  });
  const r = await bad.process(new AbortController().signal);
  assert.equal(r.errors[0]?.code, 10001);
  assert.ok(!r.errors[0]?.message.includes('secret-pw-123'));

  const db = 'dump_abort';
  await src.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY, v TEXT); INSERT INTO ${db}.t SELECT seq, REPEAT('v', 500) FROM ${db}.seq_1_to_100000`);
  const ids = async (): Promise<Set<number>> => new Set((await src.sql<{ id: number }>("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = 'root'")).map((r2) => Number(r2.id)));
  const before = await ids();
  const ctl = new AbortController();
  const unit = new DumpUnit({
    source: src.config(),
    outputDir: newDir(),
    threads: 2,
    rows: 10000,
    chunkFilesizeMB: 64,
    statementSize: 0,
    consistency: 'auto',
    filter: onlySchemas(db),
    onProgress: (s) => {
      if (s.finishedBytes > 0) ctl.abort();
    },
  });
  const res = await unit.process(ctl.signal);
  assert.equal(res.interrupted, true);
  assert.deepEqual(res.errors, []);
  await unit.close();
  await new Promise((r2) => setTimeout(r2, 200));
  const leftover = [...(await ids())].filter((id) => !before.has(id));
  assert.deepEqual(leftover, []);
  assert.equal(unit.metadata(), undefined);
  await src.sql(`DROP DATABASE ${db}`);
});

test('DmError shape for a failing query (missing table between listing and reading is reported, not thrown)', async () => {
  // a `where` that the server rejects makes every chunk query fail with a coded error
  const db = 'dump_err';
  await src.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY); INSERT INTO ${db}.t VALUES (1)`);
  const unit = new DumpUnit({ source: src.config(), outputDir: newDir(), threads: 1, rows: 0, chunkFilesizeMB: 64, statementSize: 0, consistency: 'auto', where: 'no_such_column > 0', filter: onlySchemas(db) });
  const r = await unit.process(new AbortController().signal);
  await unit.close();
  assert.equal(r.errors.length, 1);
  assert.ok(isDmError(r.errors[0]));
  assert.equal(r.errors[0]?.code, 32001);
  assert.match(r.errors[0]?.message ?? '', /no_such_column/);
  await src.sql(`DROP DATABASE ${db}`);
});

test('a table renamed after the tables were listed: the dump starts again from a new snapshot and holds the renamed table', async () => {
  const db = 'dump_ddl';
  await src.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO ${db}.t VALUES (1,'a'),(2,'b'),(3,'c')`);
  // The test's session write-locks the table, so the dump lists it and then waits for it; the test then
  // renames it under its lock and unlocks: the waiting read finds the table gone (1146).
  const holder = await rawConn(src);
  await holder.query(`LOCK TABLES ${db}.t WRITE`);
  const logs: string[] = [];
  const dir = newDir();
  const unit = new DumpUnit({ source: src.config(), outputDir: dir, threads: 2, rows: 0, chunkFilesizeMB: 64, statementSize: 0, consistency: 'snapshot', filter: onlySchemas(db), onLog: (m) => logs.push(m) });
  await unit.init();
  const running = unit.process(new AbortController().signal);
  const waiting = async (): Promise<boolean> => {
    const [rows] = await holder.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock%'`);
    return Number((rows as Array<{ n: number }>)[0]?.n) > 0;
  };
  for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await waiting(), 'the dump never waited for the locked table');
  await holder.query(`ALTER TABLE ${db}.t RENAME TO ${db}.t2`);
  await holder.query('UNLOCK TABLES');
  await holder.end();
  const r = await running;
  await unit.close();
  assert.deepEqual(r.errors.map((e) => e.message), []);
  assert.ok(logs.some((m) => /schema changed during the dump .*1146|schema changed during the dump .*doesn't exist/.test(m)), logs.join('\n'));
  const files = readdirSync(dir);
  assert.ok(files.includes(`${db}.t2-schema.sql`), files.join(' '));
  assert.ok(!files.some((f) => f.startsWith(`${db}.t.`) || f === `${db}.t-schema.sql`), files.join(' '));
  const dataText = files.filter((f) => f.startsWith(`${db}.t2.`) && f.endsWith('.sql')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');
  for (const v of ["'a'", "'b'", "'c'"]) assert.ok(dataText.includes(v), dataText);
  await src.sql(`DROP DATABASE ${db}`);
});
