import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasBinlogRowImage, judgeVersion, parseServerVersion } from './server-version.js';

test('versions of every flavour parse', () => {
  assert.deepEqual(parseServerVersion('5.7.18-log'), { flavor: 'mysql', major: 5, minor: 7, patch: 18 });
  assert.deepEqual(parseServerVersion('5.5.5-10.4.8-MariaDB'), { flavor: 'mariadb', major: 10, minor: 4, patch: 8 });
  assert.equal(parseServerVersion('10.11.19-MariaDB-0+deb12u1')?.flavor, 'mariadb');
  assert.equal(parseServerVersion('8.0.11-TiDB-v7.5.0')?.flavor, 'tidb');
  assert.equal(parseServerVersion('garbage'), undefined);
});

test('supported ranges: MySQL 5.6+ (8.0 warns), MariaDB 10.1.2+', () => {
  assert.equal(judgeVersion('5.6.0').state, 'success');
  assert.equal(judgeVersion('5.7.40-log').state, 'success');
  assert.equal(judgeVersion('5.5.62').state, 'fail');
  assert.equal(judgeVersion('8.0.33').state, 'warn');
  assert.equal(judgeVersion('10.1.2-MariaDB').state, 'success');
  assert.equal(judgeVersion('10.1.1-MariaDB').state, 'fail');
  assert.equal(judgeVersion('10.0.38-MariaDB').state, 'fail');
  assert.equal(judgeVersion('8.0.11-TiDB-v7.5.0').state, 'warn');
});

test('binlog_row_image exists from MySQL 5.6.2 and MariaDB 10.1.6', () => {
  assert.equal(hasBinlogRowImage(parseServerVersion('5.6.1')!), false);
  assert.equal(hasBinlogRowImage(parseServerVersion('5.6.2')!), true);
  assert.equal(hasBinlogRowImage(parseServerVersion('10.1.5-MariaDB')!), false);
  assert.equal(hasBinlogRowImage(parseServerVersion('10.1.6-MariaDB')!), true);
});
