import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../observability/dm-error.js';
import { parseDbAddress, parseSourceAddress, redactAddress } from './db-address.js';

test('addresses: host:port:user[:password], passwords with colons, IPv6, default password', () => {
  assert.deepEqual(parseDbAddress('db1:3306:root', 't', 'envpw'), { host: 'db1', port: 3306, user: 'root', password: 'envpw' });
  assert.deepEqual(parseDbAddress('db1:3306:root:pa:ss', 't'), { host: 'db1', port: 3306, user: 'root', password: 'pa:ss' });
  assert.deepEqual(parseDbAddress('[::1]:4000:dm:', 't', 'x'), { host: '::1', port: 4000, user: 'dm', password: '' });
  assert.deepEqual(parseSourceAddress('s1=10.0.0.1:3307:u:p'), { sourceId: 's1', db: { host: '10.0.0.1', port: 3307, user: 'u', password: 'p' } });
});

test('bad addresses are coded errors that never show the password', () => {
  for (const bad of ['db1', 'db1:x:root:secretpw', 'db1:99999:root:secretpw', 'db1:3306::secretpw', ':3306:root']) {
    assert.throws(
      () => parseDbAddress(bad, '--target'),
      (e) => e instanceof DmError && e.code === 52001 && !e.message.includes('secretpw'),
      bad,
    );
  }
  assert.throws(() => parseSourceAddress('db1:3306:root'), (e) => e instanceof DmError && e.code === 52001);
  assert.equal(redactAddress('s1=h:1:u:secret:more'), 's1=h:1:u:******');
  assert.equal(redactAddress('h:1:u'), 'h:1:u');
});
