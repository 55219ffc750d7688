/**
 * GTID sets against real server output: PREVIOUS_GTIDS_LOG_EVENT (MySQL 5.7 … 9.6, tagged and
 * untagged) and MariaDB GTID_LIST_EVENT bodies taken from the shared binlog fixtures, checked against
 * the text the servers' own tools printed (mysqlbinlog dumps next to the files).
 *
 * The fixtures live outside the repo (/work/shared/binlog-fixtures); every test skips when absent.
 * The event walker below is deliberately minimal (test-only): it is not the project's binlog reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { MariadbGtidSet, type MariadbGtid } from './mariadb-gtid-set.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

const FIXTURES = path.resolve(repoRoot(), '../shared/binlog-fixtures');
const skip = existsSync(FIXTURES) ? false : `binlog fixtures not found at ${FIXTURES} (shared directory absent): skipping`;
const fixture = (rel: string): string => path.join(FIXTURES, rel);

const TYPE_FORMAT_DESCRIPTION = 15;
const TYPE_GTID = 33;
const TYPE_PREVIOUS_GTIDS = 35;
const TYPE_MARIADB_GTID = 162;
const TYPE_MARIADB_GTID_LIST = 163;
const HEADER = 19;

interface RawEvent {
  readonly type: number;
  readonly serverId: number;
  readonly offset: number;
  /** Bytes after the common header, checksum removed. */
  readonly body: Buffer;
}

/** Walks a v4 binlog file; stops quietly at a truncated tail. Verifies CRC32s when present. */
function walk(file: Buffer): { version: string; events: RawEvent[] } {
  assert.ok(file.subarray(0, 4).equals(Buffer.from([0xfe, 0x62, 0x69, 0x6e])), 'binlog magic');
  const events: RawEvent[] = [];
  let version = '';
  let crcLen = 0;
  let p = 4;
  while (p + HEADER <= file.length) {
    const type = file[p + 4]!;
    const size = file.readUInt32LE(p + 9);
    if (size < HEADER || p + size > file.length) break;
    const ev = file.subarray(p, p + size);
    if (type === TYPE_FORMAT_DESCRIPTION) {
      const body = ev.subarray(HEADER);
      version = body.subarray(2, 52).toString('latin1').replace(/\0[\s\S]*$/, '');
      // Servers that know checksums (MySQL 5.6.1+, MariaDB 5.3+) end the FDE with the algorithm byte
      // and a 4-byte checksum slot; the algorithm applies to every event of the file, the FDE included.
      crcLen = checksumCapable(version) && body[body.length - 5] === 1 ? 4 : 0;
    }
    if (crcLen) assert.ok(checksumOk(ev, type), `CRC32 of event at ${p}`);
    events.push({ type, serverId: ev.readUInt32LE(5), offset: p, body: ev.subarray(HEADER, size - crcLen) });
    p += size;
  }
  return { version, events };
}

/**
 * The server flips LOG_EVENT_BINLOG_IN_USE_F (bit 0 of the FDE's flags) in place when it closes the
 * file, without rewriting the checksum, so an FDE's CRC matches one of the two flag states.
 */
function checksumOk(ev: Buffer, type: number): boolean {
  const want = ev.readUInt32LE(ev.length - 4);
  if (crc32(ev.subarray(0, ev.length - 4)) === want) return true;
  if (type !== TYPE_FORMAT_DESCRIPTION) return false;
  const flipped = Buffer.from(ev.subarray(0, ev.length - 4));
  flipped[17] = flipped[17]! ^ 1;
  return crc32(flipped) === want;
}

function checksumCapable(version: string): boolean {
  if (/mariadb/i.test(version)) return true; // every MariaDB that writes GTID events is 10.0+
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const v = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  return v >= 50601;
}

function read(rel: string): { version: string; events: RawEvent[] } {
  return walk(readFileSync(fixture(rel)));
}

function only(events: RawEvent[], type: number): RawEvent {
  const found = events.filter((e) => e.type === type);
  assert.equal(found.length, 1, `exactly one event of type ${type}`);
  return found[0]!;
}

/** `uuid:gno` of a MySQL GTID_LOG_EVENT body (flags u8, sid 16 bytes, gno u64). */
function mysqlGtidOf(body: Buffer): string {
  const h = body.subarray(1, 17).toString('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return `${uuid}:${body.readBigUInt64LE(17)}`;
}

/** A MariaDB GTID_EVENT body: seq_no u64, domain_id u32, flags …; the server id is the header's. */
function mariadbGtidOf(ev: RawEvent): MariadbGtid {
  return { domainId: ev.body.readUInt32LE(8), serverId: ev.serverId, seqNo: ev.body.readBigUInt64LE(0) };
}

void test('MySQL 9.6.0 tagged PREVIOUS_GTIDS (binlog_transaction_with_GTID_TAG)', { skip }, () => {
  const { version, events } = read('rust_mysql_common/binlog_transaction_with_GTID_TAG.000001');
  assert.equal(version, '9.6.0');
  const body = only(events, TYPE_PREVIOUS_GTIDS).body;
  assert.equal(body[0], 1, 'tagged format marker in the first byte');
  assert.equal(body[7], 1, 'tagged format marker in the eighth byte');
  const set = MysqlGtidSet.decode(body);
  assert.equal(set.toString(), '55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2');
  assert.ok(set.hasTags());
  assert.ok(set.containsGtid('55778904-0299-11f1-b1b8-4ef0c4956feb', 13n));
  assert.ok(set.containsGtid('55778904-0299-11f1-b1b8-4ef0c4956feb', 2n, 'mytag'));
  assert.ok(!set.containsGtid('55778904-0299-11f1-b1b8-4ef0c4956feb', 3n, 'mytag'));
  assert.deepEqual(set.encode(), body, 'our tagged encoding is byte-identical to the server’s');
});

void test('MySQL 8.0.40 untagged PREVIOUS_GTIDS (binlog_transaction_previous_GTID_no_tag)', { skip }, () => {
  const { version, events } = read('rust_mysql_common/binlog_transaction_previous_GTID_no_tag.000001');
  assert.equal(version, '8.0.40');
  const body = only(events, TYPE_PREVIOUS_GTIDS).body;
  const set = MysqlGtidSet.decode(body);
  assert.equal(set.toString(), 'b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2');
  assert.ok(!set.hasTags());
  assert.deepEqual(set.encode(), body);
});

void test('MySQL 5.7.30 empty PREVIOUS_GTIDS and GTID events match mysqlbinlog (mysql-cdc-rs 33_35)', { skip }, () => {
  const dir = 'mysql-cdc-rs/5.7/33_35_gtid_prev_gtid';
  const dump = readFileSync(fixture(`${dir}/dump.txt`), 'utf8');
  const { version, events } = read(`${dir}/log.bin`);
  assert.equal(version, '5.7.30-log');

  const printed = /Previous-GTIDs\r?\n# (.*)\r?\n/.exec(dump)?.[1];
  assert.equal(printed, '[empty]');
  const prev = MysqlGtidSet.decode(only(events, TYPE_PREVIOUS_GTIDS).body);
  assert.ok(prev.isEmpty());
  assert.equal(prev.toString(), '');

  const expectedGtids = [...dump.matchAll(/GTID_NEXT= '([^']+)'/g)].map((m) => m[1]!).filter((g) => g !== 'AUTOMATIC');
  const seen = events.filter((e) => e.type === TYPE_GTID).map((e) => mysqlGtidOf(e.body));
  assert.deepEqual(seen, expectedGtids);
  const executed = prev.clone();
  for (const g of seen) executed.add(g);
  assert.equal(executed.toString(), '80549ecc-d2f2-11ea-b790-0242ac130002:1-3');
});

void test('MySQL 5.7.32 PREVIOUS_GTIDS and GTID events match mysqlbinlog (binlog-parser gtid-fixtures)', { skip }, () => {
  const text = readFileSync(fixture('binlog-parser/gtid-fixtures/plaintext-mysql-bin.01'), 'utf8');
  const { version, events } = read('binlog-parser/gtid-fixtures/mysql-bin.01');
  assert.equal(version, '5.7.32-log');

  const printed = /Previous-GTIDs\r?\n# (.*)\r?\n/.exec(text)?.[1];
  assert.equal(printed, '10440e47-3885-11eb-ac5b-0242ac110002:1-5');
  const body = only(events, TYPE_PREVIOUS_GTIDS).body;
  const prev = MysqlGtidSet.decode(body);
  assert.equal(prev.toString(), printed);
  assert.deepEqual(prev.encode(), body);
  assert.ok(MysqlGtidSet.parse(printed).equals(prev));

  const expectedGtids = [...text.matchAll(/GTID_NEXT= '([^']+)'/g)].map((m) => m[1]!).filter((g) => g !== 'AUTOMATIC');
  const seen = events.filter((e) => e.type === TYPE_GTID).map((e) => mysqlGtidOf(e.body));
  assert.deepEqual(seen, expectedGtids);
  assert.ok(seen.length > 5);
  const executed = prev.clone();
  for (const g of seen) {
    assert.ok(!prev.contains(MysqlGtidSet.parse(g)), `${g} is new in this file`);
    executed.add(g);
  }
  assert.equal(executed.toString(), `10440e47-3885-11eb-ac5b-0242ac110002:1-${5 + seen.length}`);
  assert.ok(executed.contains(prev) && !prev.contains(executed));
});

void test('MariaDB 10.0.15 GTID_LIST and GTID events match mysqlbinlog (binlog-parser fixtures 07)', { skip }, () => {
  const text = readFileSync(fixture('binlog-parser/fixtures/plaintext-mysql-bin.07'), 'utf8');
  const { version, events } = read('binlog-parser/fixtures/mysql-bin.07');
  assert.match(version, /^10\.0\.15-MariaDB/);

  const printed = /Gtid list \[([^\]]*)\]/.exec(text)?.[1];
  assert.equal(printed, '0-3704-2814');
  const list = MariadbGtidSet.decodeGtidList(only(events, TYPE_MARIADB_GTID_LIST).body);
  assert.equal(list.flags, 0);
  assert.deepEqual(list.gtids, [{ domainId: 0, serverId: 3704, seqNo: 2814n }]);
  const pos = MariadbGtidSet.fromGtids(list.gtids);
  assert.equal(pos.toString(), printed);
  assert.ok(MariadbGtidSet.parse(printed).equals(pos));

  const expected = [...text.matchAll(/\tGTID (\d+-\d+-\d+)/g)].map((m) => m[1]!);
  const seen = events.filter((e) => e.type === TYPE_MARIADB_GTID).map(mariadbGtidOf);
  assert.deepEqual(seen.map((g) => `${g.domainId}-${g.serverId}-${g.seqNo}`), expected);
  assert.ok(expected.length >= 2);
  const start = pos.clone();
  for (const g of seen) assert.ok(pos.addGtid(g), 'each GTID moves the position');
  assert.equal(pos.toString(), expected[expected.length - 1]);
  assert.ok(pos.contains(start) && !start.contains(pos));
});

void test('MariaDB 10.5.15 empty GTID_LIST (rust_mysql_common mariadb-bin)', { skip }, () => {
  const { version, events } = read('rust_mysql_common/mariadb-bin.000001');
  assert.match(version, /^10\.5\.15-MariaDB/);
  const list = MariadbGtidSet.decodeGtidList(only(events, TYPE_MARIADB_GTID_LIST).body);
  assert.deepEqual(list, { flags: 0, gtids: [] });
  assert.ok(MariadbGtidSet.fromGtids(list.gtids).isEmpty());
});

void test('every PREVIOUS_GTIDS / GTID_LIST in the fixtures decodes, and PREVIOUS_GTIDS re-encodes byte for byte', { skip }, () => {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else files.push(full);
    }
  };
  visit(FIXTURES);
  let previous = 0;
  let nonEmpty = 0;
  let lists = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    if (buf.length < 4 + HEADER || buf.readUInt32BE(0) !== 0xfe62696e) continue;
    if (buf[4 + 4] !== TYPE_FORMAT_DESCRIPTION) continue; // pre-v4 binlogs: no GTIDs, other header size
    for (const ev of walk(buf).events) {
      if (ev.type === TYPE_PREVIOUS_GTIDS) {
        const set = MysqlGtidSet.decode(ev.body);
        assert.deepEqual(set.encode(), ev.body, `${path.relative(FIXTURES, f)} @${ev.offset}`);
        assert.ok(MysqlGtidSet.parse(set.toString()).equals(set));
        previous++;
        if (!set.isEmpty()) nonEmpty++;
      } else if (ev.type === TYPE_MARIADB_GTID_LIST) {
        MariadbGtidSet.decodeGtidList(ev.body);
        lists++;
      }
    }
  }
  assert.ok(previous >= 30, `found ${previous} PREVIOUS_GTIDS events`);
  assert.ok(nonEmpty >= 7, `found ${nonEmpty} non-empty PREVIOUS_GTIDS events`);
  assert.ok(lists >= 2, `found ${lists} GTID_LIST events`);
});
