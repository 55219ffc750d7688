/**
 * ReplicaClient against real MariaDB servers: the raw events received must be the bytes of the binlog files
 * on disk (except what the server makes up: the fake ROTATE, the re-sent FORMAT_DESCRIPTION, artificial
 * GTID_LIST, heartbeats), in order, exactly once — also when the dump thread is killed mid-stream.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import zlib from 'node:zlib';
import { MariaDbServer, freePort, stopAllServers } from '../harness/mariadb-server.js';
import { ReplicaClient, type RawEvent, type ReplicaClientOptions } from '../../src/binlog/replica-client.js';
import { checkBinlogSettings } from '../../src/binlog/upstream-check.js';
import { DmError } from '../../src/observability/dm-error.js';
import { EventFlag, EventType } from '../../src/binlog/event-type.js';

let server: MariaDbServer;
let nextReplicaId = 5000;

before(async () => {
  server = await MariaDbServer.start();
});

after(async () => {
  await stopAllServers();
});

function clientFor(s: MariaDbServer, opts: Partial<ReplicaClientOptions> & Pick<ReplicaClientOptions, 'start'>): ReplicaClient {
  // A short heartbeat also makes the server notice closed replicas quickly (a waiting dump thread only
  // sees the socket is gone when it writes), so they do not pin binlog files against PURGE.
  return new ReplicaClient({ ...s.config(), serverId: nextReplicaId++, reconnect: { maxRetries: 5, backoffMs: 50 }, heartbeatPeriodMs: 1000, ...opts });
}

interface FileEvent {
  file: string;
  start: number;
  end: number;
  type: number;
  raw: Buffer;
}

/** The events of a binlog file on disk, from offset 4, complete ones only. */
function walkBinlog(s: MariaDbServer, file: string): FileEvent[] {
  const buf = readFileSync(s.binlogPath(file));
  assert.ok(buf.subarray(0, 4).equals(Buffer.from([0xfe, 0x62, 0x69, 0x6e])), `${file} has the binlog magic`);
  const out: FileEvent[] = [];
  let p = 4;
  while (p + 19 <= buf.length) {
    const size = buf.readUInt32LE(p + 9);
    if (p + size > buf.length) break;
    out.push({ file, start: p, end: p + size, type: buf[p + 4]!, raw: buf.subarray(p, p + size) });
    p += size;
  }
  return out;
}

function crcOk(raw: Buffer): boolean {
  return zlib.crc32(raw.subarray(0, raw.length - 4)) === raw.readUInt32LE(raw.length - 4);
}

/** The server re-sends the FDE with BINLOG_IN_USE cleared (and log_pos 0 when not starting at 4): compare the rest. */
function sameFde(received: Buffer, onDisk: Buffer): boolean {
  return received.length === onDisk.length && received.subarray(4, 13).equals(onDisk.subarray(4, 13)) && received.subarray(19, received.length - 4).equals(onDisk.subarray(19, onDisk.length - 4));
}

const isArtificial = (e: RawEvent): boolean => e.logPos === 0 || (e.flags & EventFlag.ARTIFICIAL) !== 0;
const isHeartbeat = (e: RawEvent): boolean => e.typeCode === EventType.HEARTBEAT || e.typeCode === EventType.HEARTBEAT_V2;

/** Consumes events until `done(ev)` says so; fails (and stops the client) after `timeoutMs`. */
async function collect(client: ReplicaClient, done: (ev: RawEvent, all: RawEvent[]) => boolean, timeoutMs = 30_000, perEvent?: (ev: RawEvent) => Promise<void> | void): Promise<RawEvent[]> {
  const all: RawEvent[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void client.stop();
  }, timeoutMs);
  // Not for-await: leaving that loop would call return(), which stops the client.
  const it = client.events();
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const ev = r.value;
      all.push(ev);
      if (perEvent) await perEvent(ev);
      if (done(ev, all)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  assert.equal(timedOut, false, `timed out after ${timeoutMs} ms with ${all.length} event(s)`);
  return all;
}

/** Until the client has delivered everything up to the server's current binlog position. */
function untilMasterPos(client: ReplicaClient, target: { file: string; position: number }): (ev: RawEvent) => boolean {
  return () => client.position.file === target.file && client.position.position >= target.position;
}

/** Asserts that the received real events are exactly the file events (same bytes, same order, none twice). */
function assertMatchesFiles(s: MariaDbServer, received: RawEvent[], expected: FileEvent[]): void {
  const real = received.filter((e) => !isHeartbeat(e) && !isArtificial(e));
  assert.equal(real.length, expected.length, `received ${real.length} real events, the files hold ${expected.length}`);
  for (let i = 0; i < real.length; i++) {
    const r = real[i]!;
    const f = expected[i]!;
    const where = `event #${i} (type ${r.typeCode}) ${r.file}:${r.logPos}`;
    assert.equal(r.file, f.file, `${where}: file`);
    assert.equal(r.logPos, f.end, `${where}: end position`);
    assert.equal(r.eventSize, f.end - f.start, `${where}: size`);
    if (r.typeCode === EventType.FORMAT_DESCRIPTION) assert.ok(sameFde(r.raw, f.raw), `${where}: FDE bytes`);
    else assert.ok(r.raw.equals(f.raw), `${where}: bytes equal the file`);
  }
  for (const e of received) {
    assert.equal(e.checksumAlg, 1, 'CRC32 binlog');
    assert.ok(crcOk(e.raw), `CRC32 of type ${e.typeCode} at ${e.file}:${e.logPos}`);
  }
  void s;
}

/** Server ids of the replicas registered on the server (COM_REGISTER_SLAVE; gone when the dump ends). */
async function replicaIds(s: MariaDbServer): Promise<number[]> {
  const rows = await s.sql<{ Server_id: number | string }>('SHOW SLAVE HOSTS');
  return rows.map((r) => Number(r.Server_id));
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP proxy to the server whose connections the test can reset (RST), like a network failure. */
async function startProxy(targetPort: number, fromServer?: (chunk: Buffer) => Buffer): Promise<{ port: number; reset(): void; close(): void }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const sock of [client, upstream]) {
      sockets.add(sock);
      sock.on('error', () => undefined); // resets are the point of this proxy
      sock.on('close', () => {
        sockets.delete(sock);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    if (fromServer) upstream.on('data', (chunk: Buffer) => client.write(fromServer(chunk)));
    else upstream.pipe(client);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    reset: () => {
      for (const sock of sockets) sock.resetAndDestroy();
    },
    close: () => {
      for (const sock of sockets) sock.destroy();
      srv.close();
    },
  };
}

async function dumpThreadIds(s: MariaDbServer): Promise<number[]> {
  const rows = await s.sql<{ ID: number | string }>("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
  return rows.map((r) => Number(r.ID));
}

async function expectDmError(p: Promise<unknown>, code: number, password?: string): Promise<DmError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DmError, `expected a DmError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (password) {
      assert.ok(!e.message.includes(password), 'password in message');
      assert.ok(!JSON.stringify(e.toJSON()).includes(password), 'password in JSON');
      assert.ok(!String(e.stack).includes(password), 'password in stack');
    }
    return e;
  }
  assert.fail(`expected DmError ${code}`);
}

void describe('ReplicaClient', () => {
  void it('streams from file/position: in order, the bytes of the files, across a rotation, CRC32 verified', async () => {
    await server.sql('CREATE DATABASE s1; CREATE TABLE s1.t (id INT PRIMARY KEY, v VARCHAR(50)) ENGINE=InnoDB');
    const first = await server.masterStatus();
    for (let i = 0; i < 20; i++) await server.sql('INSERT INTO s1.t VALUES (?, ?)', [i, `row ${i}`]);
    await server.sql('BEGIN; UPDATE s1.t SET v = CONCAT(v, "!") WHERE id < 10; DELETE FROM s1.t WHERE id = 19; COMMIT');
    await server.sql('FLUSH BINARY LOGS');
    for (let i = 20; i < 30; i++) await server.sql('INSERT INTO s1.t VALUES (?, ?)', [i, `row ${i}`]);
    const end = await server.masterStatus();
    assert.notEqual(end.file, first.file);

    const client = clientFor(server, { start: { file: first.file, position: 4 } });
    await client.start();
    assert.equal(client.flavor, 'mariadb');
    assert.equal(client.upstream?.binlogFormat, 'ROW');
    const got = await collect(client, untilMasterPos(client, end));
    await client.stop();

    // The stream opens with the fake rotate naming the file (position 4), then the file's FDE.
    assert.equal(got[0]!.typeCode, EventType.ROTATE);
    assert.equal(got[0]!.logPos, 0);
    assert.equal(got[0]!.file, first.file);
    assert.equal(got[1]!.typeCode, EventType.FORMAT_DESCRIPTION);
    const files = [first.file, end.file];
    const expected = files.flatMap((f) => walkBinlog(server, f)).filter((e) => e.file !== end.file || e.end <= end.position);
    assertMatchesFiles(server, got, expected);
    // Exactly one FDE per file, one fake rotate.
    assert.equal(got.filter((e) => e.typeCode === EventType.FORMAT_DESCRIPTION).length, 2);
    assert.equal(got.filter((e) => e.typeCode === EventType.ROTATE && e.logPos === 0).length, 1);
    assert.deepEqual(client.position, { file: end.file, position: end.position });
    // MariaDB follows the real ROTATE with a fake one for the same file: not delivered (nothing new).
    assert.equal(client.stats.duplicatesDropped, 1);
  });

  void it('starts in the middle of a file: fake rotate, FDE (log_pos 0), then the events from that position', async () => {
    await server.sql('CREATE DATABASE s2; CREATE TABLE s2.t (id INT PRIMARY KEY) ENGINE=InnoDB');
    const mid = await server.masterStatus();
    for (let i = 0; i < 5; i++) await server.sql('INSERT INTO s2.t VALUES (?)', [i]);
    const end = await server.masterStatus();
    const client = clientFor(server, { start: { file: mid.file, position: mid.position } });
    await client.start();
    const got = await collect(client, untilMasterPos(client, end));
    await client.stop();
    assert.equal(got[0]!.typeCode, EventType.ROTATE);
    assert.equal(got[0]!.raw.readUInt32LE(19), mid.position, 'fake rotate carries the start position');
    assert.equal(got[1]!.typeCode, EventType.FORMAT_DESCRIPTION);
    assert.equal(got[1]!.logPos, 0);
    const expected = walkBinlog(server, mid.file).filter((e) => e.start >= mid.position && e.end <= end.position);
    assertMatchesFiles(server, got, expected);
  });

  void it('streams from a MariaDB GTID position and tracks the executed GTID set', async () => {
    await server.sql('CREATE DATABASE g1; CREATE TABLE g1.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB');
    const at = await server.masterStatus();
    await server.sql('INSERT INTO g1.t VALUES (1, "a")');
    await server.sql('BEGIN; INSERT INTO g1.t VALUES (2, "b"); INSERT INTO g1.t VALUES (3, "c"); COMMIT');
    await server.sql('CREATE TABLE g1.u (id INT) ENGINE=MyISAM');
    await server.sql('INSERT INTO g1.u VALUES (1)'); // non-transactional: ends with a COMMIT query
    await server.sql('ALTER TABLE g1.t ADD COLUMN w INT');
    const end = await server.masterStatus();

    const client = clientFor(server, { start: { gtidSet: at.gtid } });
    await client.start();
    assert.equal(client.gtidSet, at.gtid);
    const got = await collect(client, untilMasterPos(client, end));
    await client.stop();
    assert.equal(client.gtidSet, end.gtid, 'executed set after the last transaction');
    // The first transaction delivered is the one after the start GTID.
    const firstGtid = got.find((e) => e.typeCode === EventType.MARIADB_GTID)!;
    const seq = firstGtid.raw.readBigUInt64LE(19);
    assert.equal(`0-${firstGtid.serverId}-${seq}`, `0-${server.serverId}-${BigInt(at.gtid.split('-')[2]!) + 1n}`);
    // Real events from the first transaction on are the file's bytes.
    const firstIdx = got.indexOf(firstGtid);
    const fromFile = walkBinlog(server, at.file).filter((e) => e.start >= at.position && e.end <= end.position);
    assertMatchesFiles(server, got.slice(firstIdx), fromFile);
    for (const e of got) assert.ok(crcOk(e.raw));
  });

  void it('delivers heartbeats when idle without moving the position', async () => {
    const at = await server.masterStatus();
    const client = clientFor(server, { start: { file: at.file, position: at.position }, heartbeatPeriodMs: 1000 });
    await client.start();
    const t0 = Date.now();
    let beats = 0;
    const got = await collect(client, (ev) => isHeartbeat(ev) && ++beats >= 2, 10_000);
    const elapsed = Date.now() - t0;
    await client.stop();
    assert.ok(elapsed >= 1000 && elapsed < 8000, `two heartbeats in ${elapsed} ms`);
    const hb = got.filter(isHeartbeat);
    assert.equal(hb.length, 2);
    for (const h of hb) {
      assert.equal(h.typeCode, EventType.HEARTBEAT);
      assert.ok(crcOk(h.raw));
      assert.equal(h.raw.toString('utf8', 19, h.raw.length - 4), at.file, 'heartbeat names the current file');
    }
    assert.deepEqual(client.position, { file: at.file, position: at.position });
    assert.equal(client.stats.heartbeats, 2);
  });

  void it('receives an event larger than 16 MB (split over several protocol packets)', async () => {
    await server.sql('CREATE DATABASE b1; CREATE TABLE b1.t (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB');
    const at = await server.masterStatus();
    await server.sql("INSERT INTO b1.t VALUES (1, REPEAT('x', 17 * 1024 * 1024))");
    await server.sql('INSERT INTO b1.t VALUES (2, "small")');
    const end = await server.masterStatus();
    const client = clientFor(server, { start: { file: at.file, position: at.position } });
    await client.start();
    const got = await collect(client, untilMasterPos(client, end), 60_000);
    await client.stop();
    const big = got.filter((e) => e.eventSize > 16 * 1024 * 1024);
    assert.equal(big.length, 1);
    assert.equal(big[0]!.typeCode, EventType.WRITE_ROWS_V1);
    const expected = walkBinlog(server, at.file).filter((e) => e.start >= at.position && e.end <= end.position);
    assertMatchesFiles(server, got, expected);
  });

  for (const mode of ['position', 'gtid'] as const) {
    void it(`resumes after the dump thread is killed mid-stream (${mode} mode): every event exactly once`, async () => {
      const db = `r_${mode}`;
      let attempts = 0;
      await server.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB`);
      const at = await server.masterStatus();
      const client = clientFor(server, {
        start: mode === 'position' ? { file: at.file, position: at.position } : { gtidSet: at.gtid },
        // A small queue and a slow consumer: the socket is paused, the server blocks in the middle of
        // transactions (more data than the socket buffers hold), so kills cut transactions.
        maxQueueEvents: 16,
        reconnect: { maxRetries: 20, backoffMs: 20 },
        onReconnect: () => attempts++,
      });
      await client.start();
      // Dump threads of earlier (stopped) clients end at their next heartbeat: wait, so only ours is left.
      await waitFor(async () => (await dumpThreadIds(server)).length === 1, 'only our dump thread is left');

      const TRX = 100;
      const ROWS_PER_TRX = 20;
      let writerDone = false;
      const killed: number[] = [];
      const writer = (async () => {
        const conn = await server.connect();
        try {
          for (let t = 0; t < TRX; t++) {
            const stmts = Array.from({ length: ROWS_PER_TRX }, (_, i) => `INSERT INTO ${db}.t VALUES (${t * ROWS_PER_TRX + i}, REPEAT('v', 4000))`);
            await conn.query(`BEGIN; ${stmts.join('; ')}; COMMIT`);
            if (t % 25 === 12) {
              // Kill the dump thread serving us now (waiting for the reconnect after the previous kill).
              for (let i = 0; i < 250; i++) {
                const ids = (await dumpThreadIds(server)).filter((id) => !killed.includes(id));
                if (ids.length === 1) {
                  await server.sql(`KILL ${ids[0]}`);
                  killed.push(ids[0]!);
                  break;
                }
                await new Promise((r) => setTimeout(r, 20));
              }
            }
          }
        } finally {
          await conn.end();
          writerDone = true;
        }
      })();

      let end: { file: string; position: number; gtid: string } | undefined;
      let n = 0;
      const got = await collect(
        client,
        () => end !== undefined && client.position.file === end.file && client.position.position >= end.position,
        120_000,
        async () => {
          if (++n % 5 === 0) await new Promise((r) => setTimeout(r, 1));
          // Learn the final position once the writer is done.
          if (writerDone && !end) end = await server.masterStatus();
        },
      );
      await writer;
      await client.stop();
      assert.ok(killed.length >= 4, `killed ${killed.length} dump threads`);
      // Every kill costs a reconnect attempt; a kill can also hit a new session before its first event,
      // then one reconnect takes several attempts.
      assert.ok(attempts >= killed.length, `${attempts} reconnect attempts for ${killed.length} kills`);
      assert.ok(client.stats.reconnects >= 1, `reconnected ${client.stats.reconnects} times`);

      // GTID mode also receives the file's header events (FDE, GTID_LIST, checkpoint) before the start.
      const fromStart = got.filter((e) => e.file !== at.file || e.logPos > at.position);
      const real = fromStart.filter((e) => !isHeartbeat(e) && !isArtificial(e));
      const expected = walkBinlog(server, at.file).filter((e) => e.start >= at.position && e.end <= end!.position);
      // Same (file, position) sequence as the file: nothing lost, nothing repeated.
      assert.deepEqual(
        real.map((e) => `${e.file}:${e.logPos}`),
        expected.map((e) => `${e.file}:${e.end}`),
      );
      assertMatchesFiles(server, fromStart, expected);
      // Every row exactly once: one WRITE_ROWS per row inserted, one XID per transaction.
      assert.equal(real.filter((e) => e.typeCode === EventType.WRITE_ROWS_V1).length, TRX * ROWS_PER_TRX);
      assert.equal(real.filter((e) => e.typeCode === EventType.XID).length, TRX);
      const [{ n: rows }] = (await server.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db}.t`)) as [{ n: number }];
      assert.equal(Number(rows), TRX * ROWS_PER_TRX);
      // The fake rotate and the FDE are not delivered again after reconnects.
      assert.equal(got.filter((e) => e.typeCode === EventType.ROTATE && e.logPos === 0).length, 1);
      assert.equal(got.filter((e) => e.typeCode === EventType.FORMAT_DESCRIPTION).length, 1);
      assert.ok(client.stats.duplicatesDropped >= 2 * client.stats.reconnects, JSON.stringify(client.stats));
      if (mode === 'gtid') assert.equal(client.gtidSet, end!.gtid);
      assert.deepEqual(client.position, { file: end!.file, position: end!.position });
      console.log(`# ${mode}: ${got.length} events, ${killed.length} kills, stats ${JSON.stringify(client.stats)}`);
    });
  }

  for (const mode of ['position', 'gtid'] as const) {
    void it(`resumes inside a transaction bigger than the socket buffers (${mode} mode)`, async () => {
      const db = `big_${mode}`;
      await server.sql(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB`);
      const at = await server.masterStatus();
      const client = clientFor(server, { start: mode === 'position' ? { file: at.file, position: at.position } : { gtidSet: at.gtid }, maxQueueEvents: 16 });
      await client.start();
      // One ~24 MB transaction of 3000 rows events (more than the socket buffers hold), then small ones.
      const rows = Array.from({ length: 3000 }, (_, i) => `INSERT INTO ${db}.t VALUES (${i}, REPEAT('b', 8000))`);
      await server.sql(`BEGIN; ${rows.join('; ')}; COMMIT`);
      for (let i = 0; i < 5; i++) await server.sql(`INSERT INTO ${db}.t VALUES (${10_000 + i}, 'small')`);
      const end = await server.masterStatus();

      const it = client.events();
      const got: RawEvent[] = [];
      // Take events until inside the big transaction, then stall: the queue fills, the socket pauses, the
      // server blocks in the middle of the transaction. Kill its dump thread there, then drain.
      while (got.filter((e) => e.typeCode === EventType.WRITE_ROWS_V1).length < 10) got.push((await it.next()).value as RawEvent);
      await new Promise((r) => setTimeout(r, 300));
      await waitFor(async () => (await dumpThreadIds(server)).length === 1, 'only our dump thread is left');
      const ids = await dumpThreadIds(server);
      await server.sql(`KILL ${ids[0]}`);
      got.push(...(await collect(client, untilMasterPos(client, end), 60_000)));
      await client.stop();

      assert.equal(client.stats.reconnects, 1);
      const fromStart = got.filter((e) => e.file !== at.file || e.logPos > at.position);
      const expected = walkBinlog(server, at.file).filter((e) => e.start >= at.position && e.end <= end.position);
      assertMatchesFiles(server, fromStart, expected);
      assert.equal(fromStart.filter((e) => e.typeCode === EventType.WRITE_ROWS_V1).length, 3005);
      if (mode === 'gtid') {
        // The cut transaction was re-sent from its GTID event; what had been received already was dropped.
        assert.ok(client.stats.partialTransactionEventsDropped > 10, JSON.stringify(client.stats));
        assert.equal(client.gtidSet, end.gtid);
      } else {
        assert.equal(client.stats.partialTransactionEventsDropped, 0);
      }
      console.log(`# ${mode}: stats ${JSON.stringify(client.stats)}`);
    });
  }

  void it('resumes after the network connection is reset (TCP proxy), and a later auth failure ends the stream at once', async () => {
    await server.sql(
      "CREATE DATABASE n1; CREATE TABLE n1.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB; SET sql_log_bin = 0; CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl-pw-1234'; GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'repl'@'127.0.0.1'; SET sql_log_bin = 1",
    );
    const proxy = await startProxy(server.port);
    try {
      const at = await server.masterStatus();
      const reconnects: string[] = [];
      const client = new ReplicaClient({
        host: '127.0.0.1',
        port: proxy.port,
        user: 'repl',
        password: 'repl-pw-1234',
        serverId: nextReplicaId++,
        heartbeatPeriodMs: 1000,
        start: { file: at.file, position: at.position },
        reconnect: { maxRetries: 10, backoffMs: 20 },
        onReconnect: (i) => reconnects.push(i.cause.message),
      });
      await client.start();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 10; i++) await server.sql(`INSERT INTO n1.t VALUES (${round * 10 + i}, REPEAT('n', 100))`);
        proxy.reset();
      }
      const end = await server.masterStatus();
      const got = await collect(client, untilMasterPos(client, end));
      assert.ok(client.stats.reconnects >= 1, JSON.stringify(client.stats));
      assert.ok(reconnects.every((m) => /ECONNRESET|Connection lost/.test(m)), reconnects.join('; '));
      const expected = walkBinlog(server, at.file).filter((e) => e.start >= at.position && e.end <= end.position);
      assertMatchesFiles(server, got, expected);

      // The password changes upstream; the next reconnect is refused: a DmError, not a retry loop.
      await server.sql("SET sql_log_bin = 0; ALTER USER 'repl'@'127.0.0.1' IDENTIFIED BY 'other-pw-5678'; SET sql_log_bin = 1");
      const attemptsBefore = reconnects.length;
      proxy.reset();
      const e = await expectDmError(collect(client, () => false, 10_000), 10001, 'repl-pw-1234');
      assert.match(e.message, /Access denied/);
      assert.equal(reconnects.length, attemptsBefore + 1, 'one attempt, no retry loop');
      await client.stop();
    } finally {
      proxy.close();
      await server.sql("SET sql_log_bin = 0; DROP USER 'repl'@'127.0.0.1'; SET sql_log_bin = 1");
    }
  });

  void it('a corrupted event (CRC32 mismatch) → 30015 naming the file and position, no retry', async () => {
    await server.sql('CREATE DATABASE c1; CREATE TABLE c1.t (id INT PRIMARY KEY, v VARCHAR(50)) ENGINE=InnoDB');
    const at = await server.masterStatus();
    // Flips one byte of a marker string in whatever the server sends (the row and the annotate event).
    const marker = Buffer.from('CORRUPT-ME-X');
    const proxy = await startProxy(server.port, (chunk) => {
      const i = chunk.indexOf(marker);
      if (i >= 0) chunk[i + marker.length - 1] = 0x59; // 'Y'
      return chunk;
    });
    try {
      const client = new ReplicaClient({ ...server.config(), port: proxy.port, serverId: nextReplicaId++, start: { file: at.file, position: at.position } });
      await client.start();
      await server.sql("INSERT INTO c1.t VALUES (1, 'CORRUPT-ME-X')");
      const e = await expectDmError(collect(client, () => false, 10_000), 30015);
      assert.match(e.message, /CRC32 checksum mismatch/);
      assert.match(e.message, new RegExp(`${at.file.replace(/\./g, '\\.')}:\\d+`));
      assert.equal(client.stats.reconnects, 0);
      await client.stop();
    } finally {
      proxy.close();
    }
  });

  void it('stop() ends a waiting iterator and closes the socket; breaking out of for-await stops too', async () => {
    const at = await server.masterStatus();
    await server.sql('SELECT 1'); // the harness pool's sockets exist before counting
    const handlesBefore = tcpHandles();
    const client = clientFor(server, { start: { file: at.file, position: at.position } });
    const id = nextReplicaId - 1;
    await client.start();
    assert.equal(tcpHandles(), handlesBefore + 1);
    const it = client.events();
    await it.next(); // fake rotate
    await it.next(); // FDE
    const pending = it.next(); // nothing more to come: waits
    assert.ok((await replicaIds(server)).includes(id), 'registered as a replica');
    await client.stop();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.deepEqual(await it.next(), { done: true, value: undefined });
    assert.equal(tcpHandles(), handlesBefore, 'the dump socket is closed when stop() resolves');
    // The server's dump thread ends at its next write (a heartbeat within 1 s).
    for (let i = 0; i < 50 && (await replicaIds(server)).includes(id); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!(await replicaIds(server)).includes(id), 'the server dropped the replica');

    const c2 = clientFor(server, { start: { file: at.file, position: at.position } });
    await c2.start();
    let n = 0;
    for await (const ev of c2) {
      void ev;
      if (++n === 2) break; // return() → stop()
    }
    assert.equal(tcpHandles(), handlesBefore);
    await c2.stop(); // idempotent
    assert.deepEqual(await c2.events().next(), { done: true, value: undefined });
  });

  void it('wrong password → 10001 DBDriverError, without the password in the message', async () => {
    const password = 'not-the-password-XYZ123';
    const client = new ReplicaClient({ ...server.config(), password, serverId: nextReplicaId++, start: { file: 'mysql-bin.000001', position: 4 } });
    const e = await expectDmError(client.start(), 10001, password);
    assert.match(e.message, /Access denied/);
    assert.ok(e.cause instanceof Error && /Access denied/.test(e.cause.message), 'original message as cause');
    await client.stop();
  });

  void it('unreachable port / silent server → 10001 DBDriverError, no reconnect loop', async () => {
    const port = await freePort();
    const client = new ReplicaClient({ host: '127.0.0.1', port, user: 'root', password: 'secret-pw-123', serverId: nextReplicaId++, start: { file: 'mysql-bin.000001', position: 4 } });
    const e = await expectDmError(client.start(), 10001, 'secret-pw-123');
    assert.match(e.message, /ECONNREFUSED/);
    await client.stop();

    // A TCP server that accepts and never speaks: the connect timeout applies.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const addr = silent.address() as net.AddressInfo;
      const c2 = new ReplicaClient({ host: '127.0.0.1', port: addr.port, user: 'root', password: 'secret-pw-123', serverId: nextReplicaId++, connectTimeoutMs: 300, start: { file: 'mysql-bin.000001', position: 4 } });
      const t0 = Date.now();
      await expectDmError(c2.start(), 10001, 'secret-pw-123');
      assert.ok(Date.now() - t0 < 5000);
      await c2.stop();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  void it('binlog_format=STATEMENT → 36014, binlog_row_image=MINIMAL → 11126', async () => {
    const stmt = await MariaDbServer.start({ binlogFormat: 'STATEMENT' });
    try {
      const at = await stmt.masterStatus();
      const e = await expectDmError(clientFor(stmt, { start: { file: at.file, position: 4 } }).start(), 36014, stmt.password);
      assert.match(e.message, /binlog_format is STATEMENT/);
      assert.match(e.message, /binlog_format=ROW/);
      await expectDmError(checkBinlogSettings(stmt.config()), 36014);
    } finally {
      await stmt.stop();
    }
    const minimal = await MariaDbServer.start({ binlogRowImage: 'MINIMAL' });
    try {
      const at = await minimal.masterStatus();
      const e = await expectDmError(clientFor(minimal, { start: { file: at.file, position: 4 } }).start(), 11126, minimal.password);
      assert.match(e.message, /binlog_row_image is MINIMAL/);
    } finally {
      await minimal.stop();
    }
  });

  void it('a purged binlog position → 30015 with the workaround, no reconnect loop', async () => {
    await server.sql('CREATE DATABASE p1; CREATE TABLE p1.t (id INT) ENGINE=InnoDB; INSERT INTO p1.t VALUES (1)');
    const old = await server.masterStatus();
    await server.sql('FLUSH BINARY LOGS');
    const now = await server.masterStatus();
    // Dump threads of earlier clients that the server has not reaped yet would keep their files.
    for (const id of await dumpThreadIds(server)) await server.sql(`KILL ${id}`).catch(() => undefined);
    await waitFor(async () => (await dumpThreadIds(server)).length === 0, 'killed dump threads exit');
    // MariaDB keeps a file until its binlog checkpoint is written (InnoDB flushed its commits): retry.
    await waitFor(async () => {
      await server.sql(`PURGE BINARY LOGS TO '${now.file}'`);
      const logs = await server.sql<{ Log_name: string }>('SHOW BINARY LOGS');
      return logs.length === 1 && logs[0]!.Log_name === now.file;
    }, 'older binlogs are purged');
    const client = clientFor(server, { start: { file: old.file, position: 4 } });
    const t0 = Date.now();
    const e = await expectDmError(client.start(), 30015, server.password);
    assert.ok(Date.now() - t0 < 5000, 'fails at once');
    assert.match(e.message, /purged/);
    assert.match(e.message, new RegExp(old.file.replace(/\./g, '\\.')));
    assert.match(e.message, /--remove-meta/);
    assert.match(e.message, /expire_logs_days/);
    await client.stop();

    // In GTID mode: a state older than the oldest binlog.
    const g = clientFor(server, { start: { gtidSet: `0-${server.serverId}-1` } });
    const ge = await expectDmError(g.start(), 30015);
    assert.match(ge.message, /purged/);
    await g.stop();
  });
});
