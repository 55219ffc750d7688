import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import {
  formatMasterConfig,
  MASTER_FLAGS,
  parseMasterConfig,
  printSampleConfig,
  sampleMasterConfig,
  type MasterConfig,
} from './master-config.js';
import { throwsDm } from './test-support.js';
import { formatFlagHelp, parseGoFlags } from './go-flags.js';
import { splitHostPort } from './cluster-addr.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dm-master-config-'));
let n = 0;
function file(text: string): string {
  const p = path.join(dir, `m${n++}.toml`);
  writeFileSync(p, text);
  return p;
}
const hostname = (): string => 'host1';
function cfg(...argv: string[]): MasterConfig {
  const r = parseMasterConfig(argv, { hostname });
  assert.equal(r.kind, 'config');
  return (r as { config: MasterConfig }).config;
}

test('DM defaults (spec §1.2/§1.3) with only --master-addr', () => {
  const c = cfg('--master-addr=127.0.0.1:8261');
  assert.equal(c.name, 'dm-master-host1');
  assert.equal(c.dataDir, 'default.dm-master-host1');
  assert.equal(c.masterAddr, '127.0.0.1:8261');
  assert.equal(c.advertiseAddr, '127.0.0.1:8261');
  assert.equal(c.peerUrls, 'http://127.0.0.1:8291');
  assert.equal(c.advertisePeerUrls, 'http://127.0.0.1:8291');
  assert.equal(c.initialCluster, 'dm-master-host1=http://127.0.0.1:8291');
  assert.equal(c.initialClusterState, 'new');
  assert.equal(c.join, '');
  assert.equal(c.rpcTimeout, '30s');
  assert.equal(c.rpcTimeoutMs, 30_000);
  assert.equal(c.rpcRateLimit, 10);
  assert.equal(c.rpcRateBurst, 40);
  assert.equal(c.maxTxnOps, 2048);
  assert.equal(c.maxRequestBytes, 1.5 * 1024 * 1024);
  assert.equal(c.autoCompactionMode, 'periodic');
  assert.equal(c.autoCompactionRetention, '1h');
  assert.equal(c.quotaBackendBytes, 2 * 1024 ** 3);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.logFormat, 'text');
  assert.equal(c.logFile, '');
  assert.equal(c.openapi, false);
  assert.deepEqual(c.certAllowedCn, []);
  assert.equal(c.sslCa, '');
  assert.equal(c.secretKeyPath, '');
  assert.equal(c.secretKey, undefined);
  assert.deepEqual(c.warnings, []);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.certAllowedCn) && Object.isFrozen(c.warnings));
});

test('the default name uses os.hostname()', () => {
  const r = parseMasterConfig(['--master-addr=127.0.0.1:8261']);
  assert.equal(r.kind, 'config');
  if (r.kind === 'config') assert.match(r.config.name, /^dm-master-.+/);
});

test('-V, --print-sample-config and -h/--help are requests, checked before the config file', () => {
  assert.deepEqual(parseMasterConfig(['-V']), { kind: 'version' });
  assert.deepEqual(parseMasterConfig(['--V', '--config=/nonexistent']), { kind: 'version' });
  assert.deepEqual(parseMasterConfig(['--print-sample-config']), { kind: 'sample-config' });
  assert.deepEqual(parseMasterConfig(['-print-sample-config=true']), { kind: 'sample-config' });
  assert.deepEqual(parseMasterConfig(['--help']), { kind: 'help' });
  assert.deepEqual(parseMasterConfig(['-h']), { kind: 'help' });
});

test('Go flag syntax: -name, --name, =value, separate value, -- ends the flags', () => {
  const c = cfg('-master-addr', '10.0.0.1:8261', '--name=m1', '-L=debug', '--log-format', 'json', '--openapi');
  assert.equal(c.masterAddr, '10.0.0.1:8261');
  assert.equal(c.name, 'm1');
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.logFormat, 'json');
  assert.equal(c.openapi, true);
  const g = parseGoFlags(['--openapi=false', '--', '--name=x'], MASTER_FLAGS);
  assert.equal(g.values.get('openapi'), false);
  assert.deepEqual(g.rest, ['--name=x']);
  assert.equal(parseGoFlags(['--max-txn-ops=0x10'], MASTER_FLAGS).values.get('max-txn-ops'), 16);
});

test('flags override the file; file values override the defaults', () => {
  const p = file(`
name = "from-file"
master-addr = "127.0.0.1:8261"
log-level = "warn"
rpc-timeout = "1m"
data-dir = "/data/file"
cert-allowed-cn = ["a", "b"]
`);
  const c = cfg(`--config=${p}`, '--name=from-flag', '-L', 'error', '--cert-allowed-cn=c', '--cert-allowed-cn', 'd');
  assert.equal(c.configFile, p);
  assert.equal(c.name, 'from-flag');
  assert.equal(c.logLevel, 'error');
  assert.equal(c.rpcTimeoutMs, 60_000);
  assert.equal(c.dataDir, '/data/file');
  assert.equal(c.initialCluster, 'from-flag=http://127.0.0.1:8291');
  assert.deepEqual(c.certAllowedCn, ['c', 'd']);
  assert.deepEqual(cfg(`--config=${p}`).certAllowedCn, ['a', 'b']);
  // the flag may come before or after --config
  assert.equal(cfg('--name=first', `--config=${p}`).name, 'first');
});

test('the sample config parses back to the defaults it documents', () => {
  const text = sampleMasterConfig();
  const c = cfg(`--config=${file(text)}`);
  assert.equal(c.name, 'dm-master');
  assert.equal(c.masterAddr, ':8261');
  assert.equal(c.advertiseAddr, '127.0.0.1:8261');
  assert.equal(c.logFile, 'dm-master.log');
  assert.equal(c.dataDir, 'default.dm-master');
  assert.equal(c.initialCluster, 'dm-master=http://127.0.0.1:8291');
  const d = cfg('--master-addr=127.0.0.1:8261', '--name=dm-master', '--log-file=dm-master.log');
  const { configFile: _a, masterAddr: _b, ...fromSample } = c;
  const { configFile: _c, masterAddr: _d, ...fromDefaults } = d;
  assert.deepEqual(fromSample, fromDefaults);
  // every commented-out key is a real key with its default value
  const commented = text
    .split('\n')
    .filter((l) => /^# [a-z0-9-]+ = /.test(l))
    .map((l) => l.slice(2).replace(/\s+#.*$/, ''))
    .join('\n');
  const e = cfg(`--config=${file(commented)}`, '--master-addr=127.0.0.1:8261', '--name=dm-master', '--log-file=dm-master.log', '--ssl-ca=', '--ssl-cert=', '--ssl-key=');
  assert.equal(e.quotaBackendBytes, d.quotaBackendBytes);
  assert.equal(e.maxRequestBytes, d.maxRequestBytes);
  let printed = '';
  printSampleConfig({ write: (s: string) => (printed += s) });
  assert.equal(printed, text);
});

test('the effective config prints as dm-master.toml that parses back to the same config', () => {
  const c = cfg('--master-addr=127.0.0.1:8261', '--join=10.0.0.2:8261', '--openapi');
  const text = formatMasterConfig(c);
  assert.ok(parseToml(text));
  const again = cfg(`--config=${file(text)}`);
  assert.deepEqual({ ...again, configFile: '' }, { ...c, configFile: '' });
});

test('rpc-rate-limit / rpc-rate-burst <= 0 fall back to the defaults with a warning (DM)', () => {
  const c = cfg(`--config=${file('master-addr = "127.0.0.1:8261"\nrpc-rate-limit = -1.5\nrpc-rate-burst = 0\n')}`);
  assert.equal(c.rpcRateLimit, 10);
  assert.equal(c.rpcRateBurst, 40);
  assert.equal(c.warnings.length, 2);
  assert.match(c.warnings.join('\n'), /invalid rpc-rate-limit -1.5/);
  const d = cfg(`--config=${file('master-addr = "127.0.0.1:8261"\nrpc-rate-limit = 2\nrpc-rate-burst = 7\n')}`);
  assert.equal(d.rpcRateLimit, 2);
  assert.equal(d.rpcRateBurst, 7);
});

test('quota-backend-bytes below 500 MiB is raised to 500 MiB with a warning', () => {
  const c = cfg('--master-addr=127.0.0.1:8261', '--quota-backend-bytes=1024');
  assert.equal(c.quotaBackendBytes, 500 * 1024 * 1024);
  assert.match(c.warnings[0] ?? '', /quota-backend-bytes is too low/);
});

test('URL schemes: added to peer URLs, initial-cluster and join; https with ssl-ca', () => {
  const c = cfg('--master-addr=127.0.0.1:8261', '--peer-urls=127.0.0.1:8291', '--initial-cluster=a=127.0.0.1:8291,b=http://10.0.0.2:8291', '--join=127.0.0.1:8261,https://10.0.0.2:8261');
  assert.equal(c.peerUrls, 'http://127.0.0.1:8291');
  assert.equal(c.advertisePeerUrls, 'http://127.0.0.1:8291');
  assert.equal(c.initialCluster, 'a=http://127.0.0.1:8291,b=http://10.0.0.2:8291');
  assert.equal(c.join, 'http://127.0.0.1:8261,http://10.0.0.2:8261');
  const t = cfg('--master-addr=http://127.0.0.1:8261', '--ssl-ca=/ca.pem', '--advertise-peer-urls=http://10.0.0.1:8291');
  assert.equal(t.masterAddr, '127.0.0.1:8261');
  assert.equal(t.peerUrls, 'http://127.0.0.1:8291'); // DM: the default is used as is
  assert.equal(t.advertisePeerUrls, 'https://10.0.0.1:8291');
  assert.equal(t.initialCluster, 'dm-master-host1=https://10.0.0.1:8291');
  const s = cfg('--master-addr=127.0.0.1:8261', '--ssl-ca=/ca.pem', '--peer-urls=127.0.0.1:8291,127.0.0.1:8292');
  assert.equal(s.peerUrls, 'https://127.0.0.1:8291,https://127.0.0.1:8292');
  assert.equal(s.initialCluster, 'dm-master-host1=https://127.0.0.1:8291,dm-master-host1=https://127.0.0.1:8292');
});

test('[experimental] openapi = true turns openapi on with DM\'s warning; top-level openapi works', () => {
  const c = cfg(`--config=${file('master-addr = "127.0.0.1:8261"\n[experimental]\nopenapi = true\n')}`);
  assert.equal(c.openapi, true);
  assert.match(c.warnings[0] ?? '', /openapi is a GA feature/);
  assert.equal(cfg(`--config=${file('master-addr = "127.0.0.1:8261"\nopenapi = true\n')}`).openapi, true);
});

test('38010: bad flags', () => {
  throwsDm(() => parseMasterConfig(['--bogus']), 38010, 'flag provided but not defined: -bogus');
  throwsDm(() => parseMasterConfig(['--master-addr']), 38010, 'flag needs an argument: -master-addr');
  throwsDm(() => parseMasterConfig(['--openapi=maybe']), 38010, 'invalid boolean value "maybe" for -openapi');
  throwsDm(() => parseMasterConfig(['--max-txn-ops=-1']), 38010, 'invalid value "-1" for flag -max-txn-ops');
  throwsDm(() => parseMasterConfig(['---x']), 38010, 'bad flag syntax: ---x');
});

test('38012: a positional argument is an invalid flag', () => {
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', 'extra', '--name=x']), 38012, "'extra' is an invalid flag");
});

test('38011: unknown keys in the file, every one named with file:line:col', () => {
  const p = file('master-addr = "127.0.0.1:8261"\nmaster_addr = "x"\n\n[experimental]\nopenapi = true\nfoo = 1\n');
  throwsDm(() => parseMasterConfig([`--config=${p}`]), 38011, `master_addr (${p}:2:1; did you mean "master-addr"?)`, `experimental.foo (${p}:6:1)`, 'master config contained unknown configuration options');
  throwsDm(() => parseMasterConfig([`--config=${file('[security]\nssl-ca = "x"\n')}`]), 38011, 'security');
});

test('38013: unreadable file, TOML syntax error, wrong value types', () => {
  throwsDm(() => parseMasterConfig(['--config=/nonexistent/dm-master.toml']), 38013, 'no such file');
  const bad = file('name = "a"\nrpc-timeout = \n');
  throwsDm(() => parseMasterConfig([`--config=${bad}`]), 38013, `${bad}:2:`);
  throwsDm(() => parseMasterConfig([`--config=${file('name = "a"\nrpc-rate-burst = "40"\n')}`]), 38013, 'rpc-rate-burst: expected an integer, got the string "40"', ':2:1');
  throwsDm(() => parseMasterConfig([`--config=${file('max-txn-ops = -5\n')}`]), 38013, 'max-txn-ops: expected a non-negative integer');
  throwsDm(() => parseMasterConfig([`--config=${file('openapi = "yes"\n')}`]), 38013, 'openapi: expected true or false');
  throwsDm(() => parseMasterConfig([`--config=${file('cert-allowed-cn = "dm"\n')}`]), 38013, 'cert-allowed-cn: expected an array of strings');
  throwsDm(() => parseMasterConfig([`--config=${file('experimental = 1\n')}`]), 38013, 'experimental: expected a table');
});

test('38014: rpc-timeout must be a Go duration', () => {
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--rpc-timeout=30']), 38010, 'not defined: -rpc-timeout');
  throwsDm(() => parseMasterConfig([`--config=${file('master-addr = "127.0.0.1:8261"\nrpc-timeout = "30"\n')}`]), 38014, 'parse rpc timeout str', '"30" is not a duration');
  assert.equal(cfg(`--config=${file('master-addr = "127.0.0.1:8261"\nrpc-timeout = "1m30s"\n')}`).rpcTimeoutMs, 90_000);
});

test('38035: master-addr is required and needs a host unless advertise-addr is set', () => {
  throwsDm(() => parseMasterConfig([]), 38035, "host:port '' not valid", 'master-addr is required');
  throwsDm(() => parseMasterConfig(['--master-addr=8261']), 38035, 'missing port in address');
  throwsDm(() => parseMasterConfig(['--master-addr=:8261']), 38035, "master-addr (:8261) must include the 'host' part");
  throwsDm(() => parseMasterConfig(['--master-addr=0.0.0.0:8261']), 38035, "must include the 'host' part (should not be '0.0.0.0')");
  assert.equal(cfg('--master-addr=0.0.0.0:8261', '--advertise-addr=10.0.0.1:8261').advertiseAddr, '10.0.0.1:8261');
  assert.equal(cfg('--master-addr=[::1]:8261').advertiseAddr, '[::1]:8261');
});

test('38042: advertise-addr must be host:port with a host other than 0.0.0.0', () => {
  throwsDm(() => parseMasterConfig(['--master-addr=:8261', '--advertise-addr=0.0.0.0:8261']), 38042, 'advertise address 0.0.0.0:8261 not valid');
  throwsDm(() => parseMasterConfig(['--master-addr=:8261', '--advertise-addr=:8261']), 38042);
  throwsDm(() => parseMasterConfig(['--master-addr=:8261', '--advertise-addr=10.0.0.1']), 38042, 'missing port');
  assert.equal(cfg('--master-addr=:8261', '--advertise-addr=http://10.0.0.1:8261').advertiseAddr, '10.0.0.1:8261');
});

test('38037: etcd settings DM checks when it starts the embedded etcd', () => {
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--auto-compaction-mode=daily']), 38037, 'auto-compaction-mode');
  throwsDm(() => parseMasterConfig([`--config=${file('master-addr = "127.0.0.1:8261"\ninitial-cluster-state = "old"\n')}`]), 38037, 'initial-cluster-state');
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--initial-cluster=nourl']), 38037, 'initial-cluster');
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--peer-urls=127.0.0.1']), 38037, 'peer-urls');
});

test('11104: log level and format', () => {
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '-L', 'verbose']), 11104, 'invalid log level "verbose"');
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--log-format=xml']), 11104, 'invalid log format "xml"');
  assert.equal(cfg('--master-addr=127.0.0.1:8261', '-L', 'WARN').logLevel, 'warn');
});

test('secret-key-path: 64 hex characters, the key itself is never printed (53001 otherwise)', () => {
  const key = 'a'.repeat(64);
  const good = file(`${key}\n`);
  const c = cfg('--master-addr=127.0.0.1:8261', `--secret-key-path=${good}`);
  assert.equal(c.secretKey?.length, 32);
  assert.ok(!JSON.stringify(c).includes('170'));
  assert.ok(!inspect(c).includes('170') && !Object.keys(c).includes('secretKey'));
  assert.ok(!formatMasterConfig(c).includes(key));
  assert.match(formatMasterConfig(c), /secret-key = "\*\*\*\*\*\*"/);
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', `--secret-key-path=${file('abcd')}`]), 53001, 'hex string of length 64');
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', `--secret-key-path=${file('xyz!')}`]), 53001, 'not a hex string');
  throwsDm(() => parseMasterConfig(['--master-addr=127.0.0.1:8261', '--secret-key-path=/nonexistent/key']), 53001, 'no such file');
});

test('--help lists every flag with DM\'s usage text', () => {
  const help = formatFlagHelp('dm-master', MASTER_FLAGS);
  for (const f of MASTER_FLAGS) {
    assert.ok(help.includes(`  -${f.name}`), f.name);
    assert.ok(help.includes(f.usage), f.usage);
  }
  assert.match(help, /-peer-urls string\n\s+URLs for peer traffic \(default "http:\/\/127.0.0.1:8291"\)/);
});

test("splitHostPort follows Go's net.SplitHostPort", () => {
  assert.deepEqual(splitHostPort(':8261'), { host: '', port: '8261' });
  assert.deepEqual(splitHostPort('[::1]:1'), { host: '::1', port: '1' });
  assert.deepEqual(splitHostPort('h:'), { host: 'h', port: '' });
  assert.throws(() => splitHostPort('::1:1'), /too many colons/);
  assert.throws(() => splitHostPort('h'), /missing port/);
});
