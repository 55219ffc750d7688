import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { encryptPassword } from './password-crypto.js';
import { sampleSourceConfig } from './sample-configs.js';
import { loadSourceConfig, parseSourceConfig } from './source-config.js';
import { throwsDm } from './test-support.js';

const FROM = 'from: {host: 127.0.0.1, port: 3306, user: root}\n';
const parse = (text: string) => parseSourceConfig(text, 'source.yaml');

test('spec §1.6 sample (DM dm/config/source.yaml) parses with DM defaults', () => {
  const c = parse(`
server-id: 101
source-id: mysql-replica-01
flavor: mysql
enable-relay: false
enable-gtid: false
from:
  host: 127.0.0.1
  user: root
  password: Up8156jArvIPymkVC+5LxkAT6rek
  port: 3306
`);
  assert.equal(c.sourceId, 'mysql-replica-01');
  assert.equal(c.serverId, 101);
  assert.equal(c.flavor, 'mysql');
  assert.equal(c.enableGtid, false);
  assert.equal(c.enableRelay, false);
  assert.deepEqual({ ...c.from, session: { ...c.from.session } }, {
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '1234', // DM's encrypted sample password
    session: { time_zone: '+00:00' },
    maxAllowedPacket: undefined,
    security: undefined,
  });
  assert.equal(c.relayDir, 'relay-dir');
  assert.deepEqual({ ...c.purge }, { interval: 3600, expires: 0, remainSpace: 15 });
  assert.equal(c.checker.checkEnable, true);
  assert.equal(c.checker.backoffRollbackMs, 300_000);
  assert.equal(c.checker.backoffMaxMs, 300_000);
  assert.equal(c.checker.backoffMinMs, 1000);
  assert.equal(c.checker.checkIntervalMs, 5000);
  assert.equal(c.caseSensitive, false);
  assert.deepEqual(c.filters, []);
  assert.deepEqual(c.warnings, []);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.from) && Object.isFrozen(c.checker));
});

test('every source.yaml key DM accepts is accepted', () => {
  const c = parse(`
source-id: all-keys
enable-gtid: true
enable-relay: false
auto-fix-gtid: false
relay-binlog-name: mysql-bin.000002
relay-binlog-gtid: "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14"
relay-dir: /data/relay
meta-dir: ./meta
flavor: MySQL
server-id: 4294967295
charset: utf8mb4
from:
  host: db.example.com
  port: 3307
  user: dm
  password: "123456"
  max-allowed-packet: 67108864
  session: {sql_mode: "ANSI_QUOTES", tidb_skip_utf8_check: 1, TIME_ZONE: "+08:00"}
  security: {ssl-ca: /c/ca.pem, ssl-cert: /c/cert.pem, ssl-key: /c/key.pem, cert-allowed-cn: [dm]}
purge: {interval: 60, expires: 24, remain-space: 10}
checker: {check-enable: false, backoff-rollback: 1m, backoff-max: 10m, check-interval: 1s, backoff-min: 2s, backoff-jitter: false, backoff-factor: 3}
tracer: {enable: false}
case-sensitive: true
filters:
  - schema-pattern: "*"
    sql-pattern: ["^ALTER\\\\s+EVENT"]
    action: Ignore
  - {schema-pattern: "db_*", table-pattern: "t?", events: ["Truncate Table", "drop table"], action: Do}
`);
  assert.equal(c.flavor, 'mysql');
  assert.equal(c.serverId, 4294967295);
  assert.equal(c.relayBinlogGtid, '3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14');
  assert.equal(c.from.password, '123456');
  assert.equal(c.from.maxAllowedPacket, 67108864);
  assert.deepEqual({ ...c.from.session }, { sql_mode: 'ANSI_QUOTES', tidb_skip_utf8_check: '1', TIME_ZONE: '+00:00' });
  assert.equal(c.from.security?.sslCa, '/c/ca.pem');
  assert.equal(c.purge.expires, 24);
  assert.equal(c.checker.checkEnable, false);
  assert.equal(c.checker.backoffMaxMs, 600_000);
  // DM fixes the hidden checker keys
  assert.equal(c.checker.backoffMinMs, 1000);
  assert.equal(c.checker.backoffFactor, 2);
  assert.equal(c.filters.length, 2);
  assert.deepEqual(c.filters[1]?.events, ['truncate table', 'drop table']);
  assert.equal(c.filters[0]?.name, 'source-filter-0');
  assert.ok(c.warnings.some((w) => w.includes('tracer')));
});

test('unset flavor and server-id are left for detection; enable-gtid defaults to false', () => {
  const c = parse(`source-id: s1\n${FROM}`);
  assert.equal(c.flavor, undefined);
  assert.equal(c.serverId, undefined);
  assert.equal(c.enableGtid, false);
  assert.equal(c.from.password, '');
});

test('source.yaml validation uses DM codes and names the key', () => {
  throwsDm(() => parse(FROM), 40005, 'source.yaml', 'source-id');
  throwsDm(() => parse(`source-id: ""\n${FROM}`), 40005);
  throwsDm(() => parse(`source-id: ${'x'.repeat(33)}\n${FROM}`), 40006, 'more than max allowed value 32');
  assert.equal(parse(`source-id: ${'x'.repeat(32)}\n${FROM}`).sourceId.length, 32);
  throwsDm(() => parse(`source-id: s\nrelay-binlog-name: mysql-bin\n${FROM}`), 40007, 'relay-binlog-name mysql-bin not valid', 'source.yaml:2:1');
  throwsDm(() => parse(`source-id: s\nflavor: oracle\n${FROM}`), 11010, 'flavor oracle not supported', 'allowed: mysql');
  throwsDm(() => parse(`source-id: s\nflavor: mariadb\nrelay-binlog-gtid: "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14"\n${FROM}`), 11009, 'relay-binlog-gtid');
  throwsDm(() => parse(`source-id: s\nchecker: {backoff-max: 500ms}\n${FROM}`), 20043, '`backoff-max` value 500ms is less than `backoff-min` value 1s');
  throwsDm(() => parse(`source-id: s\nchecker: {backoff-max: 5}\n${FROM}`), 20003, 'checker.backoff-max', 'expected a duration');
  throwsDm(() => parse(`source-id: s\nfilters: [{schema-pattern: a, events: [insert]}]\n${FROM}`), 20037, 'action');
  throwsDm(() => parse(`source-id: s\nfilters: [{schema-pattern: a, events: [inserts], action: Do}]\n${FROM}`), 20037, 'event type "inserts" not valid', 'filters[0].events[0]');
  throwsDm(() => parse(`source-id: s\nfilters: [{schema-pattern: a, action: Do}, {schema-pattern: A, action: Ignore}]\n${FROM}`), 20037, 'already exists');
  throwsDm(() => parse(`source-id: s\nfilters: [{schema-pattern: a, sql-pattern: ["(?!x)"], action: Do}]\n${FROM}`), 20037, 'sql-pattern[0]');
  throwsDm(() => parse(`source-id: s\nenable-gtid: maybe\n${FROM}`), 20003, 'enable-gtid: expected true or false, got "maybe"');
  throwsDm(() => parse(`source-id: s\nserver-id: -1\n${FROM}`), 20003, 'server-id');
  throwsDm(() => parse(`source-id: s\npurge: {interval: -5}\n${FROM}`), 20003, 'purge.interval', 'non-negative');
  throwsDm(() => parse(`source-id: s\nsource_id: t\n${FROM}`), 20003, 'source_id: unknown key (did you mean "source-id"?)');
  throwsDm(() => parse(`source-id: s\nfrom: {host: h, user: u}\n`), 20003, 'from.port: required');
  throwsDm(() => parse(`source-id: s\nfrom: {port: 1, user: u}\n`), 20003, 'from.host: required');
  throwsDm(() => parse(`source-id: s\n`), 20003, 'from.host: required');
  throwsDm(() => parse(`source-id: s\nfrom: {host: h, port: 1, user: u, session: {"a; drop": 1}}\n`), 20003, 'session variable name');
});

test('passwords: decrypted when encrypted, plaintext otherwise, never printed', () => {
  const secret = 'S3cr3t!pw';
  const enc = parse(`source-id: s\nfrom: {host: h, port: 1, user: u, password: "${encryptPassword(secret)}"}\n`);
  assert.equal(enc.from.password, secret);
  const plain = parse(`source-id: s\nfrom: {host: h, port: 1, user: u, password: "${secret}"}\n`);
  assert.equal(plain.from.password, secret);
  for (const shown of [JSON.stringify(plain), inspect(plain, { depth: 10 }), JSON.stringify(plain.from), inspect(plain.from), String(JSON.stringify({ wrapped: plain }))]) {
    assert.ok(!shown.includes(secret), shown);
    assert.ok(shown.includes('******'));
  }
  // a copy made with spread keeps the password (the data), only printing hooks are not copied
  assert.equal({ ...plain.from }.password, secret);
  const e = throwsDm(() => parse(`source-id: s\nfrom: {host: h, port: nope, user: u, password: "${secret}"}\n`), 20003);
  assert.ok(!e.message.includes(secret));
});

test('loadSourceConfig reads a file; the sample source config parses', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dm-src-'));
  const file = path.join(dir, 'source.yaml');
  writeFileSync(file, sampleSourceConfig());
  const c = loadSourceConfig(file);
  assert.equal(c.sourceId, 'mysql-replica-01');
  assert.equal(c.from.password, '123456');
  assert.equal(c.fileName, file);
  throwsDm(() => loadSourceConfig(path.join(dir, 'missing.yaml')), 20018, 'missing.yaml');
});
