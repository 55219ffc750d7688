import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsDm } from '../config/test-support.js';
import { extractGlobalFlags, parseCtlConfigFile, parseRpcTimeout, resolveCtlSettings } from './ctl-settings.js';

const noFile = (p: string): string => {
  throw new Error(`unexpected read of ${p}`);
};

test('global flags are taken out anywhere in the argv, in every spelling', () => {
  assert.deepEqual(extractGlobalFlags(['--master-addr', 'a:1', 'query-status', 'task']), { flags: { masterAddr: 'a:1' }, rest: ['query-status', 'task'] });
  assert.deepEqual(extractGlobalFlags(['query-status', 'task', '--master-addr=a:1']), { flags: { masterAddr: 'a:1' }, rest: ['query-status', 'task'] });
  assert.deepEqual(extractGlobalFlags(['-master-addr', 'a:1', 'stop-task', '-s', 's1', 't', '--rpc-timeout', '30s']), {
    flags: { masterAddr: 'a:1', rpcTimeout: '30s' },
    rest: ['stop-task', '-s', 's1', 't'],
  });
  assert.deepEqual(extractGlobalFlags(['--config=dmctl.toml', 'list-member', '--master']).flags, { config: 'dmctl.toml' });
  assert.deepEqual(extractGlobalFlags(['list-member', '--master']).rest, ['list-member', '--master'], '--master is list-member\'s flag, not --master-addr');
  // the last occurrence wins; a flag at the very end without a value is empty
  assert.deepEqual(extractGlobalFlags(['--master-addr', 'a:1', '--master-addr', 'b:2']).flags, { masterAddr: 'b:2' });
  assert.deepEqual(extractGlobalFlags(['query-status', '--master-addr']).flags, { masterAddr: '' });
  // after `--` nothing is touched
  assert.deepEqual(extractGlobalFlags(['binlog', 'replace', '--', '--master-addr', 'x']).rest, ['binlog', 'replace', '--', '--master-addr', 'x']);
});

test("DM's --flag=true|false booleans become commander's flags", () => {
  assert.deepEqual(extractGlobalFlags(['binlog-schema', 'update', '--flush=false', '--sync=true', 't', 'd', 'tb', 'f']).rest, ['binlog-schema', 'update', '--no-flush', '--sync', 't', 'd', 'tb', 'f']);
  assert.deepEqual(extractGlobalFlags(['start-task', '--remove-meta=false', 'task.yaml']).rest, ['start-task', 'task.yaml']);
  assert.deepEqual(extractGlobalFlags(['query-status', '--more=1']).rest, ['query-status', '--more']);
  assert.deepEqual(extractGlobalFlags(['binlog-schema', 'update', '--flush=true']).rest, ['binlog-schema', 'update', '--flush']);
});

test('settings: flag over config file over DM_MASTER_ADDR; rpc-timeout defaults to 10m', () => {
  assert.deepEqual(resolveCtlSettings({}, {}, noFile), { masterAddr: '', rpcTimeoutMs: 600_000, rpcTimeoutText: '10m' });
  assert.equal(resolveCtlSettings({}, { DM_MASTER_ADDR: 'env:1' }, noFile).masterAddr, 'env:1');
  assert.equal(resolveCtlSettings({ masterAddr: 'flag:1' }, { DM_MASTER_ADDR: 'env:1' }, noFile).masterAddr, 'flag:1');
  const fromFile = resolveCtlSettings({ config: 'c.toml' }, { DM_MASTER_ADDR: 'env:1' }, () => 'master-addr = "file:1"\nrpc-timeout = "30s"\n');
  assert.deepEqual(fromFile, { masterAddr: 'file:1', rpcTimeoutMs: 30_000, rpcTimeoutText: '30s' });
  assert.equal(resolveCtlSettings({ config: 'c.toml', rpcTimeout: '1m' }, {}, () => 'rpc-timeout = "30s"').rpcTimeoutMs, 60_000);
});

test('rpc-timeout is a positive Go duration', () => {
  assert.equal(parseRpcTimeout('10m'), 600_000);
  assert.equal(parseRpcTimeout('1h30m'), 5_400_000);
  assert.equal(parseRpcTimeout('500ms'), 500);
  throwsDm(() => parseRpcTimeout('30'), 48103, 'invalid --rpc-timeout "30"', 'not a duration');
  throwsDm(() => parseRpcTimeout('0s'), 48103, 'must be positive');
  throwsDm(() => resolveCtlSettings({ rpcTimeout: 'soon' }, {}, noFile), 48103);
});

test('dmctl config file: only its keys, as strings; TLS flags are refused with a coded error', () => {
  throwsDm(() => parseCtlConfigFile('c.toml', 'bogus = "x"'), 48106, 'c.toml', "unknown key 'bogus'");
  throwsDm(() => parseCtlConfigFile('c.toml', 'rpc-timeout = 5'), 48106, 'must be a string');
  throwsDm(() => parseCtlConfigFile('c.toml', 'master-addr = '), 48106, 'c.toml');
  throwsDm(() => resolveCtlSettings({ sslCa: 'ca.pem' }, {}, noFile), 48002, 'NODE_EXTRA_CA_CERTS');
  throwsDm(() => resolveCtlSettings({ config: 'c.toml' }, {}, () => 'ssl-cert = "c.pem"'), 48002);
});
