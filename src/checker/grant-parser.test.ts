import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGrant } from './grant-parser.js';

test('global, database and table grants with aliases folded', () => {
  assert.deepEqual(parseGrant("GRANT RELOAD, BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `u`@`127.0.0.1` IDENTIFIED BY PASSWORD '*ABCDEF'"), {
    privileges: [{ name: 'RELOAD' }, { name: 'REPLICATION CLIENT' }, { name: 'REPLICATION SLAVE' }],
    level: { kind: 'global' },
  });
  assert.deepEqual(parseGrant('GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%` WITH GRANT OPTION'), { privileges: [{ name: 'ALL' }], level: { kind: 'db', db: 'shop' } });
  assert.deepEqual(parseGrant('GRANT SELECT (`a`, `b`), INSERT ON `we``ird`.`t.1` TO u@h'), {
    privileges: [{ name: 'SELECT', columns: ['a', 'b'] }, { name: 'INSERT' }],
    level: { kind: 'table', db: 'we`ird', table: 't.1' },
  });
});

test('roles, proxies, routines and cloud privileges are tolerated', () => {
  assert.deepEqual(parseGrant('GRANT `app_role` TO `u`@`%`'), { privileges: [], level: { kind: 'other' } });
  assert.deepEqual(parseGrant("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"), { privileges: [], level: { kind: 'other' } });
  assert.deepEqual(parseGrant('GRANT EXECUTE ON PROCEDURE `db`.`p` TO u@h')?.level, { kind: 'other' });
  assert.deepEqual(parseGrant('GRANT SELECT, INVOKE LAMBDA, SELECT INTO S3 ON *.* TO u@h')?.privileges.map((p) => p.name), ['SELECT', 'INVOKE LAMBDA', 'SELECT INTO S3']);
  assert.equal(parseGrant('REVOKE ALL ON *.* FROM u'), undefined);
});
