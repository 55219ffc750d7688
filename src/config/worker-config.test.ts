import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatFlagHelp } from './go-flags.js';
import { formatWorkerConfig, parseWorkerConfig, printSampleConfig, sampleWorkerConfig, WORKER_FLAGS, type WorkerConfig } from './worker-config.js';
import { throwsDm } from './test-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dm-worker-config-'));
let n = 0;
function file(text: string): string {
  const p = path.join(dir, `w${n++}.toml`);
  writeFileSync(p, text);
  return p;
}
function cfg(...argv: string[]): WorkerConfig {
  const r = parseWorkerConfig(argv);
  assert.equal(r.kind, 'config');
  return (r as { config: WorkerConfig }).config;
}
const MIN = ['--worker-addr=127.0.0.1:8262', '--join=127.0.0.1:8261'];

test('DM defaults (spec §1.4/§1.5) with only --worker-addr and --join', () => {
  const c = cfg(...MIN);
  assert.equal(c.workerAddr, '127.0.0.1:8262');
  assert.equal(c.advertiseAddr, '127.0.0.1:8262');
  assert.equal(c.name, '127.0.0.1:8262');
  assert.equal(c.join, 'http://127.0.0.1:8261');
  assert.equal(c.keepAliveTtl, 60);
  assert.equal(c.relayKeepAliveTtl, 1800);
  assert.equal(c.relayDir, '');
  assert.equal(c.logLevel, 'info');
  assert.equal(c.logFormat, 'text');
  assert.equal(c.logFile, '');
  assert.equal(c.sslCa, '');
  assert.deepEqual(c.certAllowedCn, []);
  assert.match(c.warnings[0] ?? '', /worker name is not given, we will set AdvertiseAddr 127.0.0.1:8262 as the worker name/);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.certAllowedCn));
});

test('-V, --print-sample-config and --help are requests', () => {
  assert.deepEqual(parseWorkerConfig(['-V']), { kind: 'version' });
  assert.deepEqual(parseWorkerConfig(['--print-sample-config']), { kind: 'sample-config' });
  assert.deepEqual(parseWorkerConfig(['-help']), { kind: 'help' });
});

test('flags override the file; the name defaults to advertise-addr', () => {
  const p = file(`
name = "w-file"
worker-addr = ":8262"
advertise-addr = "10.0.0.5:8262"
join = "10.0.0.1:8261,10.0.0.2:8261"
keepalive-ttl = 10
relay-keepalive-ttl = 100
relay-dir = "/data/relay"
cert-allowed-cn = ["dm"]
`);
  const f = cfg(`--config=${p}`);
  assert.equal(f.name, 'w-file');
  assert.equal(f.join, 'http://10.0.0.1:8261,http://10.0.0.2:8261');
  assert.equal(f.keepAliveTtl, 10);
  assert.equal(f.relayKeepAliveTtl, 100);
  assert.equal(f.relayDir, '/data/relay');
  assert.deepEqual(f.certAllowedCn, ['dm']);
  assert.deepEqual(f.warnings, []);
  const c = cfg(`-config`, p, '--name=w-flag', '--keepalive-ttl', '30', '-relay-keepalive-ttl=0x10', '--advertise-addr=10.0.0.6:8262', '-L=debug');
  assert.equal(c.name, 'w-flag');
  assert.equal(c.keepAliveTtl, 30);
  assert.equal(c.relayKeepAliveTtl, 16);
  assert.equal(c.advertiseAddr, '10.0.0.6:8262');
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.relayDir, '/data/relay');
  const noName = cfg(`--config=${file('worker-addr = ":8262"\nadvertise-addr = "10.0.0.5:8262"\njoin = "m:8261"\n')}`);
  assert.equal(noName.name, '10.0.0.5:8262');
});

test('join gets https:// with ssl-ca', () => {
  assert.equal(cfg('--worker-addr=127.0.0.1:8262', '--join=http://127.0.0.1:8261', '--ssl-ca=/ca.pem').join, 'https://127.0.0.1:8261');
});

test('the sample config parses back to the defaults it documents', () => {
  const text = sampleWorkerConfig();
  const c = cfg(`--config=${file(text)}`);
  assert.equal(c.workerAddr, ':8262');
  assert.equal(c.advertiseAddr, '127.0.0.1:8262');
  assert.equal(c.join, 'http://127.0.0.1:8261');
  assert.equal(c.logFile, 'dm-worker.log');
  assert.equal(c.relayDir, '/tmp/relay');
  assert.equal(c.keepAliveTtl, 60);
  assert.equal(c.relayKeepAliveTtl, 1800);
  const commented = text
    .split('\n')
    .filter((l) => /^# [a-z-]+ = /.test(l) && !/ssl|cert/.test(l))
    .map((l) => l.slice(2))
    .join('\n');
  const d = cfg(`--config=${file(commented)}`, ...MIN);
  assert.equal(d.keepAliveTtl, 60);
  assert.equal(d.relayKeepAliveTtl, 1800);
  assert.equal(d.name, 'dm-worker-1');
  let printed = '';
  printSampleConfig({ write: (s: string) => (printed += s) });
  assert.equal(printed, text);
});

test('the effective config prints as dm-worker.toml that parses back to the same config', () => {
  const c = cfg(...MIN, '--name=w1', '--cert-allowed-cn=a', '--cert-allowed-cn=b');
  const again = cfg(`--config=${file(formatWorkerConfig(c))}`);
  assert.deepEqual({ ...again, configFile: '' }, { ...c, configFile: '' });
});

test('40001: bad flags', () => {
  throwsDm(() => parseWorkerConfig(['--master-addr=x']), 40001, 'flag provided but not defined: -master-addr');
  throwsDm(() => parseWorkerConfig(['--keepalive-ttl=abc']), 40001, 'invalid value "abc" for flag -keepalive-ttl');
  throwsDm(() => parseWorkerConfig(['--join']), 40001, 'flag needs an argument: -join');
});

test('40002: a positional argument is an invalid flag', () => {
  throwsDm(() => parseWorkerConfig([...MIN, 'start']), 40002, "'start' is an invalid flag");
});

test('40003: unreadable file, syntax error, wrong types', () => {
  throwsDm(() => parseWorkerConfig(['--config=/nonexistent.toml']), 40003, 'toml decode file', 'no such file');
  throwsDm(() => parseWorkerConfig([`--config=${file('join = [\n')}`]), 40003, ':1:');
  throwsDm(() => parseWorkerConfig([`--config=${file('name = "w"\nkeepalive-ttl = "60s"\n')}`]), 40003, 'keepalive-ttl: expected an integer, got the string "60s"', ':2:1');
  throwsDm(() => parseWorkerConfig([`--config=${file('keepalive-ttl = 1.5\n')}`]), 40003, 'expected an integer, got the float 1.5');
});

test('40004: unknown keys, named with file:line:col', () => {
  const p = file('worker-addr = ":8262"\nsource-id = "mysql-1"\n[experimental]\nopenapi = true\n');
  throwsDm(() => parseWorkerConfig([`--config=${p}`]), 40004, 'worker config contains unknown configuration options', `source-id (${p}:2:1)`, 'experimental');
});

test('40069: worker-addr and advertise-addr', () => {
  throwsDm(() => parseWorkerConfig(['--join=m:8261']), 40069, "host:port '' not valid", 'worker-addr is required');
  throwsDm(() => parseWorkerConfig(['--worker-addr=:8262', '--join=m:8261']), 40069, "worker-addr (:8262) must include the 'host' part");
  throwsDm(() => parseWorkerConfig(['--worker-addr=0.0.0.0:8262', '--join=m:8261']), 40069);
  throwsDm(() => parseWorkerConfig(['--worker-addr=:8262', '--advertise-addr=0.0.0.0:8262', '--join=m:8261']), 40069, "advertise-addr (0.0.0.0:8262) must include the 'host' part");
  throwsDm(() => parseWorkerConfig(['--worker-addr=:8262', '--advertise-addr=host', '--join=m:8261']), 40069, 'missing port');
  assert.equal(cfg('--worker-addr=:8262', '--advertise-addr=http://10.0.0.1:8262', '--join=m:8261').advertiseAddr, '10.0.0.1:8262');
});

test('53002: join is required', () => {
  throwsDm(() => parseWorkerConfig(['--worker-addr=127.0.0.1:8262']), 53002, '`join` is empty');
});

test('11104: log level', () => {
  throwsDm(() => parseWorkerConfig([...MIN, '-L=trace']), 11104, 'invalid log level "trace"');
});

test("--help lists every flag with DM's usage text", () => {
  const help = formatFlagHelp('dm-worker', WORKER_FLAGS);
  for (const f of WORKER_FLAGS) {
    assert.ok(help.includes(`  -${f.name}`), f.name);
    assert.ok(help.includes(f.usage), f.usage);
  }
  assert.match(help, /-keepalive-ttl int\n\s+dm-worker's TTL for keepalive with etcd \(in seconds\) \(default 60\)/);
});
