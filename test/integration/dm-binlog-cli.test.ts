/**
 * `dm binlog` as a user runs it: decode a binlog file and a live stream to JSON lines whose rows equal what
 * was written; bad input (wrong password, corrupt event, not a binlog, unreachable server) gives a coded
 * DM-style error on stderr, exit code 1, and never the password.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MariaDbServer, freePort, scratchDir, stopAllServers } from '../harness/mariadb-server.js';
import { runDm, type DmRun } from '../harness/dm-cli.js';

function dm(args: string[], env: Record<string, string> = {}): Promise<DmRun> {
  return runDm(args, { env });
}

type Line = Record<string, unknown> & { type: string; rows?: unknown[] };

function lines(out: string): Line[] {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);
}

let server: MariaDbServer;
let file: string;
let startPos: number;
const scratch = scratchDir('dm-binlog-cli');

before(async () => {
  server = await MariaDbServer.start();
  const st = await server.masterStatus();
  file = st.file;
  startPos = st.position;
  await server.sql(`CREATE DATABASE cli; CREATE TABLE cli.t (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(8,2), at DATETIME(3));
    INSERT INTO cli.t VALUES (1, 'ünïcode ✓', 12.50, '2026-01-02 03:04:05.678'), (2, NULL, -0.01, '1999-12-31 23:59:59.999');
    UPDATE cli.t SET name = 'renamed' WHERE id = 2; DELETE FROM cli.t WHERE id = 1;`);
});

after(async () => {
  await stopAllServers();
  rmSync(scratch, { recursive: true, force: true });
});

function checkRows(ls: Line[]): void {
  const rows = ls.filter((l) => l.table === 'cli.t');
  const ins = rows.find((l) => l.action === 'insert');
  const upd = rows.find((l) => l.action === 'update');
  const del = rows.find((l) => l.action === 'delete');
  assert.ok(ins && upd && del, 'insert, update and delete events present');
  assert.deepEqual(ins.rows, [
    { id: 1, name: 'ünïcode ✓', amount: '12.50', at: '2026-01-02 03:04:05.678' },
    { id: 2, name: null, amount: '-0.01', at: '1999-12-31 23:59:59.999' },
  ]);
  assert.deepEqual(upd.rows, [
    { before: { id: 2, name: null, amount: '-0.01', at: '1999-12-31 23:59:59.999' }, after: { id: 2, name: 'renamed', amount: '-0.01', at: '1999-12-31 23:59:59.999' } },
  ]);
  assert.deepEqual(del.rows, [{ id: 1, name: 'ünïcode ✓', amount: '12.50', at: '2026-01-02 03:04:05.678' }]);
  for (const l of rows) assert.match(String(l.gtid), /^0-\d+-\d+$/, 'rows carry their transaction GTID');
}

test('decodes a binlog file to JSON lines (column names from the live server)', async () => {
  const r = await dm(['binlog', server.binlogPath(file), '--host', server.host, '-P', String(server.port), '-u', server.user], { DM_PASSWORD: server.password });
  assert.equal(r.code, 0, r.stderr);
  const ls = lines(r.stdout);
  assert.equal(ls[0]!.type, 'FORMAT_DESCRIPTION');
  assert.equal(ls[0]!.pos, 4);
  for (let i = 1; i < ls.length; i++) assert.equal(ls[i]!.pos, ls[i - 1]!.end_pos, 'events are contiguous');
  checkRows(ls);
});

test('decodes the live stream as a replica from a position, until the end', async () => {
  const r = await dm(['binlog', '--host', server.host, '-P', String(server.port), '-u', server.user, '--start-file', file, '--start-pos', String(startPos), '--to-end'], {
    DM_PASSWORD: server.password,
  });
  assert.equal(r.code, 0, r.stderr);
  const ls = lines(r.stdout);
  assert.equal(ls[0]!.type, 'ROTATE');
  assert.equal(ls[0]!.fake, true);
  checkRows(ls);
});

test('wrong password: coded error 10001, exit 1, password never printed', async () => {
  const secret = 'Sup3r-Secret-pw';
  const r = await dm(['binlog', '--host', server.host, '-P', String(server.port), '-u', server.user, '-p', secret, '--to-end']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\[code=10001:class=database:scope=not-set:level=high\]/);
  assert.match(r.stderr, /Access denied/);
  assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), 'password leaked');
});

test('unreachable server: coded error 10001', async () => {
  const port = await freePort();
  const r = await dm(['binlog', '--host', '127.0.0.1', '-P', String(port), '-u', 'root', '--to-end'], { DM_PASSWORD: 'x' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\[code=10001:/);
});

test('corrupt event: coded error 11054 naming file and offset; not a binlog: 11027', async () => {
  const copy = path.join(scratch, 'corrupt-bin.000001');
  copyFileSync(server.binlogPath(file), copy);
  const bytes = readFileSync(copy);
  // flip a byte inside the body of the event that starts at startPos (the checksum catches it)
  bytes[startPos + 25] = bytes[startPos + 25]! ^ 0xff;
  writeFileSync(copy, bytes);
  const r = await dm(['binlog', copy]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`\\[code=11054:class=functional:scope=internal:level=high\\] decode .*corrupt-bin\\.000001:${startPos}.*checksum mismatch`));
  const junk = path.join(scratch, 'not-a-binlog');
  writeFileSync(junk, 'hello');
  const r2 = await dm(['binlog', junk]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /\[code=11027:/);
});

test('--help describes the command', async () => {
  const r = await dm(['binlog', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Decode binlog files, or a live binlog stream/);
  assert.match(r.stdout, /--gtid <set>/);
});
