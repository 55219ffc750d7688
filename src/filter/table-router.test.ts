import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TableRouterImpl, type RouteRule } from './table-router.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

function routeAll(router: TableRouterImpl, cases: [string, string, string, string][]): void {
  for (const [schema, table, toSchema, toTable] of cases) {
    assert.deepEqual(router.route(schema, table), { schema: toSchema, table: toTable }, `${schema}.${table}`);
  }
}

function buildError(rules: RouteRule[], caseSensitive = false, errorDef = E.ConfigGenTableRouter): DmError {
  try {
    new TableRouterImpl(rules, caseSensitive, { errorDef });
  } catch (e) {
    assert.ok(e instanceof DmError, String(e));
    return e;
  }
  assert.fail('expected the rules to be refused');
}

function routeError(f: () => unknown): DmError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DmError, String(e));
    return e;
  }
  assert.fail('expected a routing error');
}

describe('table router', () => {
  test('seed: merge sharded schemas and tables (rule-1 table level, rule-2 schema level)', () => {
    const router = new TableRouterImpl(
      [
        { schemaPattern: 'test_*', tablePattern: 't_*', targetSchema: 'test', targetTable: 't' },
        { schemaPattern: 'test_*', targetSchema: 'test' },
      ],
      false,
    );
    routeAll(router, [
      ['test_1', 't_1', 'test', 't'],
      ['test_2', 't_99', 'test', 't'],
      ['test_1', 'other', 'test', 'other'], // only the schema-level rule: table name kept
      ['prod', 't_1', 'prod', 't_1'], // no rule: unchanged
    ]);
    assert.equal(router.routeSchema('test_3'), 'test', 'CREATE/DROP DATABASE test_3 → test');
    assert.equal(router.routeSchema('prod'), 'prod');
  });

  test('seed: merge sharded schemas only (one schema-level rule)', () => {
    const router = new TableRouterImpl([{ schemaPattern: 'test_*', targetSchema: 'test' }], false);
    routeAll(router, [
      ['test_1', 't_1', 'test', 't_1'],
      ['test_2', 't_2', 'test', 't_2'],
    ]);
  });

  test('§5.8 incorrect routing: test_1_bak.t_1_bak matches two table rules → 11043', () => {
    const router = new TableRouterImpl(
      [
        { schemaPattern: 'test_*', tablePattern: 't_*', targetSchema: 'test', targetTable: 't' },
        { schemaPattern: 'test_1_bak', tablePattern: 't_1_bak', targetSchema: 'test', targetTable: 't_bak' },
      ],
      false,
    );
    const e = routeError(() => router.route('test_1_bak', 't_1_bak'));
    assert.equal(e.code, 11043);
    assert.match(e.message, /^\[code=11043:class=functional:scope=internal:level=high\] generate table router: `test_1_bak`\.`t_1_bak` matches 2 table route rules which is more than one\. /);
    assert.match(e.message, /The first two rules are \{schema-pattern: "test_\*", table-pattern: "t_\*", target-schema: "test", target-table: "t"\}, \{schema-pattern: "test_1_bak"/);
    // cached conflicts throw again; other names still route
    assert.equal(routeError(() => router.route('test_1_bak', 't_1_bak')).code, 11043);
    assert.deepEqual(router.route('test_1', 't_1'), { schema: 'test', table: 't' });
    assert.deepEqual(router.route('test_1_bak', 'x'), { schema: 'test_1_bak', table: 'x' });
    assert.equal(router.matchingRules('test_1_bak', 't_1_bak').tableRules.length, 2);
  });

  test('table-level rules take priority; two schema-level matches are an error only when no table rule decides', () => {
    const router = new TableRouterImpl(
      [
        { schemaPattern: 'test_*', targetSchema: 'a' },
        { schemaPattern: 'test_1*', targetSchema: 'b' },
        { schemaPattern: 'test_1*', tablePattern: 'orders', targetSchema: 'c', targetTable: 'all_orders' },
      ],
      false,
    );
    assert.deepEqual(router.route('test_1', 'orders'), { schema: 'c', table: 'all_orders' });
    const e = routeError(() => router.route('test_1', 'users'));
    assert.equal(e.code, 11043);
    assert.match(e.message, /`test_1`\.`users` matches 2 schema route rules which is more than one/);
    assert.equal(routeError(() => router.routeSchema('test_12')).code, 11043);
    assert.deepEqual(router.route('test_2', 'users'), { schema: 'a', table: 'users' });
    assert.equal(router.routeSchema('test_2'), 'a');
  });

  test('routeSchema ignores table-level rules, even `*` ones', () => {
    const router = new TableRouterImpl([{ schemaPattern: 'shop_*', tablePattern: '*', targetSchema: 'shop' }], false);
    assert.equal(router.routeSchema('shop_1'), 'shop_1');
    assert.deepEqual(router.route('shop_1', 'x'), { schema: 'shop', table: 'x' });
  });

  test('FAQ: `table_parttern_[0-63]` routes only _0 … _6', () => {
    const router = new TableRouterImpl([{ schemaPattern: 'db', tablePattern: 'table_parttern_[0-63]', targetSchema: 'db', targetTable: 'merged' }], false);
    const routed = Array.from({ length: 64 }, (_, i) => `table_parttern_${i}`).filter((t) => router.route('db', t).table === 'merged');
    assert.deepEqual(routed, ['table_parttern_0', 'table_parttern_1', 'table_parttern_2', 'table_parttern_3', 'table_parttern_4', 'table_parttern_5', 'table_parttern_6']);
  });

  test('DM router_test.go TestRoute (case-insensitive) and TestCaseSensitive', () => {
    const rules: RouteRule[] = [
      { schemaPattern: 'Test_1_*', tablePattern: 'abc*', targetSchema: 't1', targetTable: 'abc' },
      { schemaPattern: 'test_1_*', tablePattern: 'test*', targetSchema: 't2', targetTable: 'test' },
      { schemaPattern: 'test_1_*', tablePattern: '', targetSchema: 'test', targetTable: '' },
      { schemaPattern: 'test_2_*', tablePattern: 'abc*', targetSchema: 't1', targetTable: 'abc' },
      { schemaPattern: 'test_2_*', tablePattern: 'test*', targetSchema: 't2', targetTable: 'test' },
    ];
    routeAll(new TableRouterImpl(rules, false), [
      ['test_1_a', 'abc1', 't1', 'abc'],
      ['test_2_a', 'abc2', 't1', 'abc'],
      ['test_1_a', 'test1', 't2', 'test'],
      ['test_2_a', 'test2', 't2', 'test'],
      ['test_1_a', 'xyz', 'test', 'xyz'],
      ['test_3_a', '', 'test_3_a', ''],
    ]);
    routeAll(new TableRouterImpl(rules, true), [
      ['test_1_a', 'abc1', 'test', 'abc1'], // `Test_1_*` does not match `test_1_a` case-sensitively
      ['test_2_a', 'abc2', 't1', 'abc'],
      ['test_1_a', 'test1', 't2', 'test'],
      ['test_2_a', 'test2', 't2', 'test'],
      ['test_1_a', 'xyz', 'test', 'xyz'],
    ]);
    // adding any of them again is a duplicate
    for (const rule of rules) assert.equal(buildError([...rules, rule]).code, 20045);
  });

  test('case-insensitive matching keeps targets as written and upstream names as spelled', () => {
    const router = new TableRouterImpl(
      [
        { schemaPattern: 'Shop_*', tablePattern: 'Orders_?', targetSchema: 'Shop', targetTable: 'AllOrders' },
        { schemaPattern: 'SHOP_*', targetSchema: 'ShopMerged' },
      ],
      false,
    );
    assert.deepEqual(router.route('shop_1', 'ORDERS_1'), { schema: 'Shop', table: 'AllOrders' });
    assert.deepEqual(router.route('SHOP_2', 'Users'), { schema: 'ShopMerged', table: 'Users' });
    assert.equal(router.routeSchema('Shop_3'), 'ShopMerged');
    const cs = new TableRouterImpl([{ schemaPattern: 'Shop_*', targetSchema: 'Shop' }], true);
    assert.deepEqual(cs.route('shop_1', 't'), { schema: 'shop_1', table: 't' });
    assert.deepEqual(cs.route('Shop_1', 't'), { schema: 'Shop', table: 't' });
  });

  test('duplicates: same pattern pair twice (after lowercasing when case-insensitive) → 20045', () => {
    const dup = buildError([
      { schemaPattern: 'test_*', tablePattern: 't_*', targetSchema: 'a' },
      { schemaPattern: 'test_*', tablePattern: 't_*', targetSchema: 'b' },
    ]);
    assert.equal(dup.code, 20045);
    assert.match(dup.message, /generate table router error: rule \{schema-pattern: "test_\*", table-pattern: "t_\*", target-schema: "b"\}: pattern already exists/);
    assert.equal(buildError([{ schemaPattern: 'db', targetSchema: 'a' }, { schemaPattern: 'db', targetSchema: 'b' }]).code, 20045);
    assert.equal(buildError([{ schemaPattern: 'Test_*', targetSchema: 'a' }, { schemaPattern: 'test_*', targetSchema: 'b' }], false).code, 20045);
    assert.equal(buildError([{ schemaPattern: 'db_[ab]', targetSchema: 'a' }, { schemaPattern: 'db_[ba]', targetSchema: 'b' }]).code, 20045);
    // not duplicates: different case when case-sensitive; same schema pattern at the two levels; different tables
    new TableRouterImpl([{ schemaPattern: 'Test_*', targetSchema: 'a' }, { schemaPattern: 'test_*', targetSchema: 'b' }], true);
    new TableRouterImpl(
      [
        { schemaPattern: 'test_*', targetSchema: 'a' },
        { schemaPattern: 'test_*', tablePattern: 't_*', targetSchema: 'a' },
        { schemaPattern: 'test_*', tablePattern: 'u_*', targetSchema: 'a' },
      ],
      false,
    );
  });

  test('invalid rules → 20045 by default, or the caller’s code (26003 check-task, 36031 sync)', () => {
    const bad = buildError([{ schemaPattern: 'test_*', tablePattern: 't_*_x', targetSchema: 'a' }]);
    assert.equal(bad.code, 20045);
    assert.match(bad.message, /pattern t_\*_x not valid/);
    assert.match(buildError([{ schemaPattern: '', targetSchema: 'a' }]).message, /schema pattern of table route rule should not be empty/);
    assert.match(buildError([{ schemaPattern: 'a', targetSchema: '' }]).message, /target schema of table route rule should not be empty/);
    assert.equal(buildError([{ schemaPattern: 'a**', targetSchema: 'x' }], false, E.TaskCheckGenTableRouter).code, 26003);
    assert.equal(buildError([{ schemaPattern: '*a', targetSchema: 'x' }], false, E.SyncerUnitGenTableRouter).code, 36031);
  });

  test('`?`, `[!...]`, and `~` is a literal in routes (no regex)', () => {
    const router = new TableRouterImpl(
      [
        { schemaPattern: 'db_?', tablePattern: 'log_[!0-9]*', targetSchema: 'logs', targetTable: 'named' },
        { schemaPattern: '~^x', targetSchema: 'tilde' },
      ],
      true,
    );
    assert.deepEqual(router.route('db_1', 'log_a1'), { schema: 'logs', table: 'named' });
    assert.deepEqual(router.route('db_1', 'log_12'), { schema: 'db_1', table: 'log_12' });
    assert.deepEqual(router.route('db_12', 'log_a'), { schema: 'db_12', table: 'log_a' });
    assert.equal(router.routeSchema('xyz'), 'xyz');
    assert.equal(router.routeSchema('~^x'), 'tilde');
  });

  test('a schema-level rule with a target-table renames every table it routes (DM allows it)', () => {
    const router = new TableRouterImpl([{ schemaPattern: 'one_*', targetSchema: 'one', targetTable: 'only' }], false);
    assert.deepEqual(router.route('one_1', 'a'), { schema: 'one', table: 'only' });
    assert.equal(router.routeSchema('one_1'), 'one');
  });

  test('unicode names', () => {
    const router = new TableRouterImpl([{ schemaPattern: '分库_?', tablePattern: '订单_*', targetSchema: '总库', targetTable: '订单' }], false);
    assert.deepEqual(router.route('分库_甲', '订单_2024'), { schema: '总库', table: '订单' });
    assert.deepEqual(router.route('分库_甲乙', '订单_2024'), { schema: '分库_甲乙', table: '订单_2024' });
  });

  test('no rules, no schema: names unchanged', () => {
    const router = new TableRouterImpl([], false);
    assert.deepEqual(router.route('a', 'b'), { schema: 'a', table: 'b' });
    const star = new TableRouterImpl([{ schemaPattern: '*', targetSchema: 'all' }], false);
    assert.deepEqual(star.route('', 't'), { schema: '', table: 't' });
    assert.deepEqual(star.route('x', 't'), { schema: 'all', table: 't' });
  });

  test('results stay right past the cache bound', () => {
    const router = new TableRouterImpl([{ schemaPattern: 's_*', tablePattern: 't_*', targetSchema: 's', targetTable: 't' }], false, { cacheLimit: 2 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(router.route(`s_${i}`, `t_${i}`), { schema: 's', table: 't' });
        assert.deepEqual(router.route(`s_${i}`, `u_${i}`), { schema: `s_${i}`, table: `u_${i}` });
      }
    }
  });
});
