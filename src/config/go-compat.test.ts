import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, compileGoRegexp, formatGoDuration, isValidBinlogFilename, parseFileSize, parseGoDuration } from './go-compat.js';

test('Go durations', () => {
  assert.equal(parseGoDuration('5m'), 300_000);
  assert.equal(parseGoDuration('5m0s'), 300_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('300ms'), 300);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('2us'), 0.002);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-1s'), -1000);
  for (const bad of ['5', '5 m', 'm', '', '1d', '1h 30m', 'abc']) assert.throws(() => parseGoDuration(bad), /not a duration/);
  assert.equal(formatGoDuration(300_000), '5m0s');
  assert.equal(formatGoDuration(1000), '1s');
  assert.equal(formatGoDuration(10), '10ms');
  assert.equal(formatGoDuration(3_723_500), '1h2m3.5s');
  assert.equal(formatGoDuration(0), '0s');
});

test('Dumpling file sizes: bare integers are MiB, units are binary', () => {
  const MiB = 1024 * 1024;
  assert.equal(parseFileSize('64'), 64 * MiB);
  assert.equal(parseFileSize('0'), 0);
  assert.equal(parseFileSize('512KiB'), 512 * 1024);
  assert.equal(parseFileSize('1.5GiB'), 1.5 * 1024 * MiB);
  assert.equal(parseFileSize('100 MB'), 100 * MiB);
  assert.equal(parseFileSize('2g'), 2 * 1024 * MiB);
  assert.equal(parseFileSize('1.5'), 1); // Go: a fraction without a unit is bytes
  for (const bad of ['-1', '64x', 'MB', '1.2.3', '', ' 64']) assert.throws(() => parseFileSize(bad), /not a size/);
});

test('binlog file names', () => {
  assert.ok(isValidBinlogFilename('mysql-bin.000001'));
  assert.ok(isValidBinlogFilename('binlog.000123'));
  assert.ok(!isValidBinlogFilename('mysql-bin.000000'));
  assert.ok(!isValidBinlogFilename('mysql-bin'));
  assert.ok(!isValidBinlogFilename('my.sql-bin.000001'));
  assert.ok(!isValidBinlogFilename('mysql-bin.abc'));
});

test('Go regular expressions: inline flags, named groups, RE2-only syntax', () => {
  assert.ok(compileGoRegexp('(?i)^drop').regexp.test('DROP TABLE'));
  assert.equal(compileGoRegexp('(?P<t>.+)_new').captureGroups, 1);
  assert.ok(compileGoRegexp('(?P<t>.+)_new').regexp.test('abc_new'));
  assert.equal(compileGoRegexp('^_(.+)_(?:new|gho)$').captureGroups, 1);
  assert.equal(compileGoRegexp('^_(.+)_(new|gho)$').captureGroups, 2);
  assert.ok(compileGoRegexp('\\Aabc\\z').regexp.test('abc'));
  assert.ok(compileGoRegexp('^DROP\\s+PROCEDURE', 'i').regexp.test('drop  procedure p'));
  assert.throws(() => compileGoRegexp('^(?!tmp)'), /look-ahead/);
  assert.throws(() => compileGoRegexp('(?<=a)b'), /look-ahead\/look-behind/);
  assert.throws(() => compileGoRegexp('(a)\\1'), /back-references/);
  assert.throws(() => compileGoRegexp('(?U)a+'), /flag "U"/);
  assert.throws(() => compileGoRegexp('a(b'));
  assert.doesNotThrow(() => compileGoRegexp('\\(?=x'), 'an escaped parenthesis is not a group');
});

test('typo suggestions', () => {
  assert.equal(closest('sourceid', ['source-id', 'from', 'flavor']), 'source-id');
  assert.equal(closest('passwrd', ['host', 'password']), 'password');
  assert.equal(closest('zzzzzz', ['host', 'password']), undefined);
});
