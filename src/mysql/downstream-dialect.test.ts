import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectFromVersion } from './downstream-dialect.js';

test('dialect from the version string', () => {
  assert.equal(dialectFromVersion('5.7.25-TiDB-v7.5.0').kind, 'tidb');
  assert.equal(dialectFromVersion('10.11.19-MariaDB-0+deb12u1-log').kind, 'mariadb');
  assert.equal(dialectFromVersion('8.0.36').kind, 'mysql');
  assert.deepEqual(dialectFromVersion('5.7.25-TiDB-v7.5.0').sessionDefaults(), { time_zone: '+00:00', tidb_txn_mode: 'optimistic' });
  assert.deepEqual(dialectFromVersion('8.0.36').sessionDefaults(), { time_zone: '+00:00' });
  assert.equal(dialectFromVersion('5.7.25-TiDB-v7.5.0').atomicLoadData, false);
  assert.equal(dialectFromVersion('10.11.19-MariaDB').atomicLoadData, true);
});
