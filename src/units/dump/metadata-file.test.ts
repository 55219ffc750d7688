import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDmError } from '../../observability/dm-error.js';
import { formatDumpMetadata, metadataTime, parseDumpMetadata, type DumpMetadata } from './metadata-file.js';

test('format writes Dumpling text; parse reads it back', () => {
  const m: DumpMetadata = {
    startedAt: '2020-11-10 10:40:19',
    finishedAt: '2020-11-10 10:40:20',
    position: { file: 'mysql-bin.000001', pos: 2022, gtid: '09bec856-ba95-11ea-850a-58f2b4af5188:1-9' },
  };
  const text = formatDumpMetadata(m);
  assert.equal(
    text,
    'Started dump at: 2020-11-10 10:40:19\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 2022\n\tGTID:09bec856-ba95-11ea-850a-58f2b4af5188:1-9\n\nFinished dump at: 2020-11-10 10:40:20\n',
  );
  assert.deepEqual(parseDumpMetadata(text), m);
});

test('end position (consistency none) is written as the AFTER CONNECTION POOL ESTABLISHED block', () => {
  const m: DumpMetadata = {
    startedAt: '2021-01-01 00:00:00',
    finishedAt: '2021-01-01 00:00:05',
    position: { file: 'mysql-bin.000003', pos: 4, gtid: '0-1-100' },
    endPosition: { file: 'mysql-bin.000004', pos: 1280, gtid: '0-1-140,1-2-7' },
  };
  const text = formatDumpMetadata(m);
  assert.match(text, /SHOW MASTER STATUS: \/\* AFTER CONNECTION POOL ESTABLISHED \*\/\n\tLog: mysql-bin.000004\n\tPos: 1280\n\tGTID:0-1-140,1-2-7\n\n/);
  assert.deepEqual(parseDumpMetadata(text), m);
});

test('mydumper 0.10 output (as written by Debian 12 mydumper against MariaDB)', () => {
  const text = 'Started dump at: 2026-11-21 05:53:17\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 773\n\tGTID:0-1-2\n\nFinished dump at: 2026-11-21 05:53:19\n';
  assert.deepEqual(parseDumpMetadata(text), {
    startedAt: '2026-11-21 05:53:17',
    finishedAt: '2026-11-21 05:53:19',
    position: { file: 'mysql-bin.000001', pos: 773, gtid: '0-1-2' },
  });
  // mydumper prints (null) when the server has no GTID variable
  assert.equal(parseDumpMetadata(text.replace('GTID:0-1-2', 'GTID:(null)')).position.gtid, '');
});

test('mydumper 0.9 (space indentation, replica block)', () => {
  const text = `Started dump at: 2018-12-27 19:51:22
SHOW MASTER STATUS:
        Log: mysql-bin.000003
        Pos: 3295817
        GTID:

SHOW SLAVE STATUS:
        Host: 10.128.27.98
        Log: mysql-bin.000003
        Pos: 329635
        GTID:

Finished dump at: 2018-12-27 19:51:22`;
  const m = parseDumpMetadata(text);
  assert.deepEqual(m.position, { file: 'mysql-bin.000003', pos: 3295817, gtid: '' });
  assert.deepEqual(m.replicas, [{ file: 'mysql-bin.000003', pos: 329635, gtid: '', host: '10.128.27.98' }]);
  assert.equal(m.endPosition, undefined);
  assert.equal(m.finishedAt, '2018-12-27 19:51:22');
});

test('Dumpling: MySQL GTID sets over several lines, with and without the empty line after them', () => {
  const gtid = '5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,5b642cb6-9b43-11ea-8914-0242ac170003:1-7,97b5142f-e19c-11e8-808c-0242ac110005:1-13';
  const withBlank = `Started dump at: 2020-05-21 18:14:49
SHOW MASTER STATUS:
\tLog: mysql-bin.000003
\tPos: 1274
\tGTID:5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,
5b642cb6-9b43-11ea-8914-0242ac170003:1-7,
97b5142f-e19c-11e8-808c-0242ac110005:1-13

SHOW SLAVE STATUS:
\tConnection name: ms1
\tHost: 192.168.100.100
\tLog: mysql-bin.000003
\tPos: 700
\tGTID:5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,
5b642cb6-9b43-11ea-8914-0242ac170003:1-7

SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */
\tLog: mysql-bin.000004
\tPos: 4
\tGTID:5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,
5b642cb6-9b43-11ea-8914-0242ac170003:1-9

Finished dump at: 2020-05-21 18:14:49`;
  const m = parseDumpMetadata(withBlank);
  assert.deepEqual(m.position, { file: 'mysql-bin.000003', pos: 1274, gtid });
  assert.deepEqual(m.endPosition, { file: 'mysql-bin.000004', pos: 4, gtid: '5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,5b642cb6-9b43-11ea-8914-0242ac170003:1-9' });
  assert.equal(m.replicas?.[0]?.connectionName, 'ms1');
  assert.equal(m.replicas?.[0]?.host, '192.168.100.100');

  const noBlank = `Started dump at: 2020-05-21 18:02:33
SHOW MASTER STATUS:
\t\tLog: mysql-bin.000003
\t\tPos: 1274
\t\t GTID:5b5a8e4e-9b43-11ea-900d-0242ac170002:1-10,
5b642cb6-9b43-11ea-8914-0242ac170003:1-7,
97b5142f-e19c-11e8-808c-0242ac110005:1-13
Finished dump at: 2020-05-21 18:02:44`;
  const m2 = parseDumpMetadata(noBlank);
  assert.deepEqual(m2.position, { file: 'mysql-bin.000003', pos: 1274, gtid });
  assert.equal(m2.finishedAt, '2020-05-21 18:02:44');
});

test('Dumpling without GTID lines; the spec example with "GTID: " and a space', () => {
  const m = parseDumpMetadata(`Started dump at: 2020-09-30 12:16:49
SHOW MASTER STATUS:
\tLog: mysql-bin-changelog.000003
\tPos: 12470000

SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */
\tLog: mysql-bin-changelog.000003
\tPos: 12470000

Finished dump at: 2020-09-30 12:16:49
`);
  assert.deepEqual(m.position, { file: 'mysql-bin-changelog.000003', pos: 12470000, gtid: '' });
  assert.deepEqual(m.endPosition, m.position);
  const spec = parseDumpMetadata('Started dump at: 2020-11-10 10:40:19\nSHOW MASTER STATUS:\n        Log: mysql-bin.000001\n        Pos: 2022\n        GTID: 09bec856-ba95-11ea-850a-58f2b4af5188:1-9\nFinished dump at: 2020-11-10 10:40:20\n');
  assert.equal(spec.position.gtid, '09bec856-ba95-11ea-850a-58f2b4af5188:1-9');
});

test('no position → 11123, bad position → 11001', () => {
  for (const text of ['Started dump at: 2020-12-02 17:13:56\nFinished dump at: 2020-12-02 17:13:56\n', 'Started dump at: x\nSHOW MASTER STATUS:\n\nFinished dump at: y\n']) {
    assert.throws(
      () => parseDumpMetadata(text),
      (e: unknown) => isDmError(e) && e.code === 11123,
    );
  }
  assert.throws(
    () => parseDumpMetadata('SHOW MASTER STATUS:\n\tLog: a.000001\n\tPos: x12\n'),
    (e: unknown) => isDmError(e) && e.code === 11001,
  );
});

test('metadataTime is local YYYY-MM-DD HH:MM:SS', () => {
  assert.equal(metadataTime(new Date(2021, 0, 2, 3, 4, 5)), '2021-01-02 03:04:05');
});

test('a dump without binlog writes an empty block that readers reject', () => {
  const text = formatDumpMetadata({ startedAt: 'a', finishedAt: 'b', position: { file: '', pos: 0, gtid: '' } });
  assert.equal(text, 'Started dump at: a\nSHOW MASTER STATUS:\n\nFinished dump at: b\n');
});
