import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BlockAllowList, DecisionCache, isSystemSchema, type BlockAllowListRules } from './block-allow-list.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

type Name = [schema: string, table: string];

/** The names of `input` the list keeps, like DM's `Filter.Apply`. */
function apply(rules: BlockAllowListRules, input: Name[], caseSensitive = false): Name[] {
  const ba = new BlockAllowList(rules, caseSensitive);
  return input.filter(([s, t]) => ba.matchTable(s, t));
}

describe('block-allow list', () => {
  test('§5.7 worked example: only forum.messages and forum_backup_2018.messages migrate', () => {
    const ba = new BlockAllowList(
      {
        doDbs: ['forum_backup_2018', 'forum'],
        ignoreDbs: ['~^forum_backup_'],
        doTables: [
          { dbName: 'logs', tblName: '~_2018$' },
          { dbName: '~^forum.*', tblName: 'messages' },
        ],
        ignoreTables: [{ dbName: '~.*', tblName: '^messages.*' }],
      },
      false,
    );
    const expect: [string, string, boolean, 'schema' | 'table'][] = [
      ['logs', 'messages_2016', false, 'schema'],
      ['logs', 'messages_2017', false, 'schema'],
      ['logs', 'messages_2018', false, 'schema'],
      ['forum_backup_2016', 'messages', false, 'schema'],
      ['forum_backup_2017', 'messages', false, 'schema'],
      ['forum', 'users', false, 'table'],
      ['forum', 'messages', true, 'table'],
      ['forum_backup_2018', 'messages', true, 'table'],
    ];
    for (const [schema, table, migrate, level] of expect) {
      assert.equal(ba.matchTable(schema, table), migrate, `${schema}.${table}`);
      const why = ba.explain(schema, table);
      assert.equal(why.migrate, migrate, `${schema}.${table}`);
      assert.equal(why.level, level, `${schema}.${table}: ${why.reason}`);
    }
    // ignore-dbs is not consulted because do-dbs is set: the 2018 backup schema passes the schema level
    assert.equal(ba.matchSchema('forum_backup_2018'), true);
    assert.equal(ba.matchSchema('logs'), false);
    assert.match(ba.explain('forum', 'users').reason, /matches no do-tables/);
  });

  test('seed rule-1: wildcards with sets in do-dbs and do-tables', () => {
    const rules = {
      doDbs: ['test*'],
      doTables: [
        { dbName: 'test[123]', tblName: 't[1-5]' },
        { dbName: 'test', tblName: 't' },
      ],
    };
    assert.deepEqual(
      apply(rules, [['test1', 't3'], ['test3', 't5'], ['test4', 't1'], ['test1', 't6'], ['test', 't'], ['other', 't'], ['test', 't1']]),
      [['test1', 't3'], ['test3', 't5'], ['test', 't']],
    );
  });

  test('seed rule-2: do-tables set → ignore-tables never consulted', () => {
    const ba = new BlockAllowList(
      {
        doDbs: ['~^test.*'],
        ignoreDbs: ['mysql'],
        doTables: [
          { dbName: '~^test.*', tblName: '~^t.*' },
          { dbName: 'test', tblName: 't' },
        ],
        ignoreTables: [{ dbName: 'test', tblName: 'log' }],
      },
      false,
    );
    assert.equal(ba.matchTable('test_db', 'tbl'), true);
    assert.equal(ba.matchTable('test', 't'), true);
    assert.equal(ba.matchTable('test', 'log'), false);
    assert.equal(ba.explain('test', 'log').reason, 'test.log matches no do-tables');
    assert.equal(ba.matchTable('prod', 't'), false);
  });

  test('DM filter_test.go vectors', () => {
    // no rules
    assert.deepEqual(apply({}, [['foo', 'bar'], ['foo', '']]), [['foo', 'bar'], ['foo', '']]);
    // both do-dbs and ignore-dbs: only do-dbs counts
    assert.deepEqual(apply({ ignoreDbs: ['foo'], doDbs: ['foo'] }, [['foo', 'bar'], ['foo', ''], ['foo1', 'bar'], ['foo1', '']]), [['foo', 'bar'], ['foo', '']]);
    assert.deepEqual(apply({ ignoreDbs: ['foo1'] }, [['foo', 'bar'], ['foo', ''], ['foo1', 'bar'], ['foo1', '']]), [['foo', 'bar'], ['foo', '']]);
    // do-tables: the schema itself ("" table) passes, it is decided at the schema level only
    assert.deepEqual(apply({ doTables: [{ dbName: 'foo', tblName: 'bar1' }] }, [['foo', 'bar'], ['foo', 'bar1'], ['foo', ''], ['fff', 'bar1']]), [['foo', 'bar1'], ['foo', '']]);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: 'foo', tblName: 'bar' }] }, [['foo', 'bar'], ['foo', 'bar1'], ['foo', ''], ['fff', 'bar1']]), [['foo', 'bar1'], ['foo', ''], ['fff', 'bar1']]);
    // all regex
    assert.deepEqual(
      apply({ doDbs: ['~^foo'], ignoreTables: [{ dbName: '~^foo', tblName: '~^sbtest-\\d' }] }, [['foo', 'sbtest'], ['foo1', 'sbtest-1'], ['foo2', ''], ['fff', 'bar']]),
      [['foo', 'sbtest'], ['foo2', '']],
    );
    // `*`, `?`, `[...]`; no escapes
    assert.deepEqual(
      apply({ ignoreDbs: ['foo[bar]', 'foo?', 'special\\'] }, [['foor', 'a'], ['foo[bar]', 'b'], ['fo', 'c'], ['foo?', 'd'], ['special\\', 'e']]),
      [['foo[bar]', 'b'], ['fo', 'c']],
    );
    // wildcard db + regex table, regex db + wildcard table
    assert.deepEqual(apply({ ignoreTables: [{ dbName: 'a?b?', tblName: '~f[0-9]' }] }, [['abbd', 'f1'], ['aaaa', 'f2'], ['5', '5'], ['abbc', 'fa']]), [['aaaa', 'f2'], ['5', '5'], ['abbc', 'fa']]);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: '~t[0-8]', tblName: 'a??' }] }, [['t1', 'a01'], ['t9', 'a02'], ['5', '5'], ['t9', 'a001']]), [['t9', 'a02'], ['5', '5'], ['t9', 'a001']]);
  });

  test('case-insensitive (default false): patterns and names compared lowercased', () => {
    const rules = { ignoreDbs: ['~^FOO'], ignoreTables: [{ dbName: '~.*', tblName: '~FoO$' }] };
    const input: Name[] = [['FOO1', 'a'], ['foo2', 'b'], ['BoO3', 'cFoO'], ['Foo4', 'dfoo'], ['5', '5']];
    assert.deepEqual(apply(rules, input, false), [['5', '5']]);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: 'a*', tblName: 'A*' }] }, [['aB', 'Ab'], ['AaB', 'aab'], ['acB', 'Afb']], false), []);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: 'Foo', tblName: 'bAr' }] }, [['foo', 'bar'], ['FOO', 'BAR'], ['foo', 'bar1']], false), [['foo', 'bar1']]);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: '~t[0-8]', tblName: 'A??' }] }, [['t1', 'a01'], ['t9', 'A02'], ['5', '5'], ['T9', 'a001']], false), [['t9', 'A02'], ['5', '5'], ['T9', 'a001']]);
  });

  test('case-sensitive: exact case', () => {
    const rules = { ignoreDbs: ['~^FOO'], ignoreTables: [{ dbName: '~.*', tblName: '~FoO$' }] };
    const input: Name[] = [['FOO1', 'a'], ['foo2', 'b'], ['BoO3', 'cFoo'], ['Foo4', 'dfoo'], ['5', '5']];
    assert.deepEqual(apply(rules, input, true), [['foo2', 'b'], ['BoO3', 'cFoo'], ['Foo4', 'dfoo'], ['5', '5']]);
    assert.deepEqual(apply({ ignoreTables: [{ dbName: 'a*', tblName: 'A*' }] }, [['aB', 'Ab'], ['AaB', 'aab'], ['acB', 'Afb']], true), [['AaB', 'aab']]);
    assert.deepEqual(apply({ doDbs: ['Shop'] }, [['Shop', 't'], ['shop', 't']], true), [['Shop', 't']]);
  });

  test('system schemas are never migrated, whatever the rules say', () => {
    for (const rules of [{}, { doDbs: ['mysql', 'sys', '*'] }, { doTables: [{ dbName: '*', tblName: '*' }] }]) {
      const ba = new BlockAllowList(rules, false);
      for (const s of ['mysql', 'MySQL', 'information_schema', 'PERFORMANCE_SCHEMA', 'sys', 'metrics_schema', 'inspection_schema', 'dm_heartbeat']) {
        assert.equal(ba.matchSchema(s), false, s);
        assert.equal(ba.matchTable(s, 'user'), false, s);
        assert.equal(ba.explain(s, 'user').level, 'system');
      }
      assert.equal(ba.matchTable('mysql_app', 'user'), true);
    }
    assert.equal(isSystemSchema('INFORMATION_SCHEMA'), true);
    assert.equal(isSystemSchema('mysqlx'), false);
  });

  test('matchSchema uses the schema level only', () => {
    const ba = new BlockAllowList({ doTables: [{ dbName: 'foo', tblName: 'bar1' }] }, false);
    assert.equal(ba.matchSchema('fff'), true, 'do-tables do not filter CREATE DATABASE');
    assert.equal(ba.matchTable('fff', 'x'), false);
    const ignore = new BlockAllowList({ ignoreDbs: ['tmp_*'] }, false);
    assert.equal(ignore.matchSchema('tmp_1'), false);
    assert.equal(ignore.matchSchema('TMP_2'), false);
    assert.equal(ignore.matchSchema('app'), true);
  });

  test('a do-tables item matches only when its own db-name and tbl-name both match', () => {
    // (DM's trie lets the tbl-name of one `~db` item pair with the db regex of another; not here)
    const ba = new BlockAllowList(
      {
        doTables: [
          { dbName: '~^a', tblName: 'x' },
          { dbName: '~^b', tblName: 'y' },
        ],
      },
      false,
    );
    assert.equal(ba.matchTable('a1', 'x'), true);
    assert.equal(ba.matchTable('b1', 'y'), true);
    assert.equal(ba.matchTable('a1', 'y'), false);
    assert.equal(ba.matchTable('b1', 'x'), false);
  });

  test('`?` and `[!...]`', () => {
    const ba = new BlockAllowList({ doDbs: ['shard_?'], ignoreTables: [{ dbName: '*', tblName: 'tmp_[!0-9]*' }] }, true);
    assert.equal(ba.matchTable('shard_1', 'tmp_1'), true);
    assert.equal(ba.matchTable('shard_1', 'tmp_x'), false);
    assert.equal(ba.matchTable('shard_12', 'orders'), false);
    assert.equal(ba.matchTable('shard_a', 'orders'), true);
  });

  test('unicode names', () => {
    const ba = new BlockAllowList({ doDbs: ['数据库_*'], doTables: [{ dbName: '数据库_?', tblName: '表[一二]' }, { dbName: '~^数据库', tblName: '~^订单_\\d+$' }] }, false);
    assert.equal(ba.matchTable('数据库_甲', '表一'), true);
    assert.equal(ba.matchTable('数据库_甲', '表三'), false);
    assert.equal(ba.matchTable('数据库_甲乙', '表一'), false);
    assert.equal(ba.matchTable('数据库_甲乙', '订单_12'), true);
    assert.equal(ba.matchTable('其他', '表一'), false);
    const cs = new BlockAllowList({ doDbs: ['Ünï*'] }, false);
    assert.equal(cs.matchSchema('üNÏcode'), true);
  });

  test('invalid rules are coded errors (20044 by default, the caller may choose 26006 / 36060)', () => {
    const code = (rules: BlockAllowListRules, errorDef = E.ConfigGenBAList): number => {
      try {
        new BlockAllowList(rules, false, { errorDef });
      } catch (e) {
        assert.ok(e instanceof DmError, String(e));
        return e.code;
      }
      return 0;
    };
    assert.equal(code({ doDbs: ['t_*_x'] }), 20044);
    assert.equal(code({ doDbs: [''] }), 20044);
    assert.equal(code({ doTables: [{ dbName: 'a', tblName: '' }] }), 20044);
    assert.equal(code({ ignoreTables: [{ dbName: '', tblName: 'a' }] }, E.TaskCheckGenBAList), 26006);
    assert.equal(code({ ignoreDbs: ['~^(?!test)'] }, E.SyncerUnitGenBAList), 36060);
    assert.throws(
      () => new BlockAllowList({ doDbs: ['ok', '~^(?!test).*'] }, false),
      (e: unknown) =>
        e instanceof DmError &&
        /^\[code=20044:class=config:scope=internal:level=high\] generate block allow list error: do-dbs\[1\] "~\^\(\?!test\)\.\*": error parsing regexp: invalid or unsupported Perl syntax: `\(\?!`, Workaround: Please check the `block-allow-list`/.test(e.message),
    );
  });

  test('decisions are cached per (schema, table) within a bound, and stay right after eviction', () => {
    const ba = new BlockAllowList({ doDbs: ['keep_*'] }, false, { cacheLimit: 3 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) {
        assert.equal(ba.matchTable(`keep_${i}`, 't'), true);
        assert.equal(ba.matchTable(`drop_${i}`, 't'), false);
        assert.equal(ba.matchSchema(`drop_${i}`), false);
      }
    }
    const cache = new DecisionCache<number>(3);
    cache.set('a', '1', 1);
    cache.set('a', '2', 2);
    cache.set('b', '1', 3);
    cache.set('b', '1', 4); // overwrite: no growth
    assert.equal(cache.size, 3);
    cache.set('c', '1', 5); // evicts the oldest: a.1
    assert.equal(cache.size, 3);
    assert.equal(cache.get('a', '1'), undefined);
    assert.equal(cache.get('a', '2'), 2);
    assert.equal(cache.get('b', '1'), 4);
    assert.equal(cache.get('c', '1'), 5);
  });
});
