import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../observability/dm-error.js';
import { PatternFilter, PatternRouter, parseRouteRule, splitQualified, wildcardRegExp } from './table-patterns.js';

test('wildcards: * ? [..], anchored, case-insensitive, regex characters literal', () => {
  assert.ok(wildcardRegExp('shard_*').test('shard_01'));
  assert.ok(wildcardRegExp('shard_*').test('SHARD_x'));
  assert.ok(!wildcardRegExp('shard_*').test('xshard_01'));
  assert.ok(wildcardRegExp('t?').test('t1'));
  assert.ok(!wildcardRegExp('t?').test('t12'));
  assert.ok(wildcardRegExp('t[0-3]').test('t2'));
  assert.ok(!wildcardRegExp('t[0-3]').test('t7'));
  assert.ok(wildcardRegExp('t[!0-3]').test('t7'));
  assert.ok(wildcardRegExp('a.b+(c)$').test('a.b+(c)$'));
  assert.ok(!wildcardRegExp('a.b').test('axb'));
  assert.ok(wildcardRegExp('tä*').test('TÄble'));
});

test('qualified names: plain, backquoted with dots and doubled backquotes, errors', () => {
  assert.deepEqual(splitQualified('db.t', 'x'), { schema: 'db', table: 't' });
  assert.deepEqual(splitQualified('db', 'x'), { schema: 'db', table: undefined });
  assert.deepEqual(splitQualified('`my.db`.`we``ird t`', 'x'), { schema: 'my.db', table: 'we`ird t' });
  for (const bad of ['', 'a.b.c', 'db.', '`db', '`a`x.b']) assert.throws(() => splitQualified(bad, 'x'), (e) => e instanceof DmError && e.code === 52001, bad);
});

test('filter: patterns on schema and table, system schemas never', () => {
  const f = new PatternFilter(['app.*', 'shard_?.orders']);
  assert.ok(f.matchTable('app', 'users'));
  assert.ok(f.matchTable('shard_1', 'orders'));
  assert.ok(!f.matchTable('shard_1', 'items'));
  assert.ok(!f.matchTable('other', 'users'));
  const all = new PatternFilter([]);
  assert.ok(all.empty && all.matchTable('x', 'y'));
  assert.ok(!all.matchTable('mysql', 'user') && !all.matchSchema('INFORMATION_SCHEMA'));
});

test('routes: table rules beat schema rules, unmatched names stay, conflicts are errors', () => {
  const r = new PatternRouter([
    parseRouteRule('shard_*.orders_*=merged.orders'),
    parseRouteRule('shard_*=merged'),
    parseRouteRule('`odd.db`.`t 1`=`x y`.`z`'),
  ]);
  assert.deepEqual(r.route('shard_1', 'orders_07'), { schema: 'merged', table: 'orders' });
  assert.deepEqual(r.route('shard_2', 'users'), { schema: 'merged', table: 'users' });
  assert.deepEqual(r.route('odd.db', 't 1'), { schema: 'x y', table: 'z' });
  assert.deepEqual(r.route('app', 'users'), { schema: 'app', table: 'users' });
  assert.equal(r.routeSchema('shard_9'), 'merged');
  const conflict = new PatternRouter([parseRouteRule('a*.t=x.t'), parseRouteRule('ab.t*=y.t')]);
  assert.throws(() => conflict.route('ab', 't'), (e) => e instanceof DmError && e.code === 52003 && /ab\.t matches 2 route rules/.test(e.message));
  assert.throws(() => parseRouteRule('a.b'), (e) => e instanceof DmError && e.code === 52001);
  assert.throws(() => parseRouteRule('a.b=x*.y'), (e) => e instanceof DmError && e.code === 52001);
});
