import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BinlogEventFilter, EVENT_CLASSES } from './binlog-event-filter.js';
import type { BinlogEventRule, FilterAction } from '../config/rules.js';
import { BINLOG_EVENTS } from '../config/rules.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

function rule(name: string, r: { schema: string; table?: string; events?: string[]; sql?: string[]; action: FilterAction }): BinlogEventRule {
  return { name, schemaPattern: r.schema, tablePattern: r.table ?? '', events: r.events ?? [], sqlPattern: r.sql ?? [], action: r.action };
}

const ev = (schema: string, table: string, event: string, sql?: string) => ({ schema, table, event, sql });

describe('binlog event filter: seed examples', () => {
  test('filter all sharding deletion operations (test_*.t_* truncate/drop/delete, test_* drop database)', () => {
    const f = new BinlogEventFilter(
      [
        rule('filter-table-rule', { schema: 'test_*', table: 't_*', events: ['truncate table', 'drop table', 'delete'], action: 'Ignore' }),
        rule('filter-schema-rule', { schema: 'test_*', events: ['drop database'], action: 'Ignore' }),
      ],
      false,
    );
    assert.equal(f.filter(ev('test_1', 't_1', 'truncate table', 'TRUNCATE TABLE t_1')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', 'drop table', 'DROP TABLE t_1')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', 'delete')), 'ignore');
    assert.equal(f.filter(ev('test_1', '', 'drop database', 'DROP DATABASE test_1')), 'ignore');
    // a schema-level rule applies to the tables of the schema too
    assert.equal(f.filter(ev('test_1', 'other', 'drop database')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', 'insert')), 'do');
    assert.equal(f.filter(ev('test_1', 't_1', 'update')), 'do');
    assert.equal(f.filter(ev('test_1', 't_1', 'create table', 'CREATE TABLE t_1 (id int)')), 'do');
    assert.equal(f.filter(ev('test_1', 'x_1', 'drop table', 'DROP TABLE x_1')), 'do');
    assert.equal(f.filter(ev('prod', 't_1', 'delete')), 'do');
    // case-insensitive by default
    assert.equal(f.filter(ev('TEST_1', 'T_1', 'delete')), 'ignore');
    assert.equal(f.explain(ev('test_1', 't_1', 'delete')).rule?.name, 'filter-table-rule');
  });

  test('seed rule-1: events and sql-pattern on test_*.t_*', () => {
    const f = new BinlogEventFilter(
      [rule('rule-1', { schema: 'test_*', table: 't_*', events: ['truncate table', 'drop table'], sql: ['^DROP\\s+PROCEDURE', '^CREATE\\s+PROCEDURE'], action: 'Ignore' })],
      false,
    );
    assert.equal(f.filter(ev('test_a', 't_b', 'truncate table', 'TRUNCATE TABLE t_b')), 'ignore');
    assert.equal(f.filter(ev('test_a', 't_b', '', 'drop  procedure p1')), 'ignore');
    assert.equal(f.filter(ev('test_a', 't_b', 'alter table', 'ALTER TABLE t_b ADD c INT')), 'do');
  });

  test('only migrate sharding DML: DM applies the schema-level Do rule to table events too', () => {
    const f = new BinlogEventFilter(
      [
        rule('do-table-rule', { schema: 'test_*', table: 't_*', events: ['create table', 'all dml'], action: 'Do' }),
        rule('do-schema-rule', { schema: 'test_*', events: ['create database'], action: 'Do' }),
      ],
      false,
    );
    assert.equal(f.filter(ev('test_1', '', 'create database', 'CREATE DATABASE test_1')), 'do');
    assert.equal(f.filter(ev('test_1', '', 'drop database', 'DROP DATABASE test_1')), 'ignore');
    // DM's exact semantics: do-schema-rule is visited first and does not list `insert` → ignored
    assert.equal(f.filter(ev('test_1', 't_1', 'insert')), 'ignore');
    assert.equal(f.explain(ev('test_1', 't_1', 'insert')).rule?.name, 'do-schema-rule');
    // untouched schemas migrate everything
    assert.equal(f.filter(ev('prod', 't_1', 'drop table')), 'do');
  });

  test('only migrate sharding DML: the table-level Do rule alone', () => {
    const f = new BinlogEventFilter([rule('do-table-rule', { schema: 'test_*', table: 't_*', events: ['create table', 'all dml'], action: 'Do' })], false);
    for (const e of ['insert', 'update', 'delete']) assert.equal(f.filter(ev('test_1', 't_1', e)), 'do', e);
    assert.equal(f.filter(ev('test_1', 't_1', 'create table', 'CREATE TABLE t_1 (a int)')), 'do');
    assert.equal(f.filter(ev('test_1', 't_1', 'drop table', 'DROP TABLE t_1')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', 'alter table', 'ALTER TABLE t_1 ADD b INT')), 'ignore');
    assert.equal(f.filter(ev('test_1', 'u_1', 'drop table')), 'do');
  });

  test('filter-procedure-rule: sql-pattern ^DROP\\s+PROCEDURE / ^CREATE\\s+PROCEDURE, case-insensitive', () => {
    const f = new BinlogEventFilter(
      [rule('filter-procedure-rule', { schema: 'test_*', table: 't_*', sql: ['^DROP\\s+PROCEDURE', '^CREATE\\s+PROCEDURE'], action: 'Ignore' })],
      false,
    );
    assert.equal(f.filter(ev('test_1', 't_1', '', 'DROP PROCEDURE p')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', '', 'create\tprocedure p() begin end')), 'ignore');
    assert.equal(f.filter(ev('test_1', 't_1', '', 'DROP TABLE t_1')), 'do');
    // anchored at the statement start
    assert.equal(f.filter(ev('test_1', 't_1', '', '/* x */ DROP PROCEDURE p')), 'do');
    // row events carry no SQL: the sql-pattern is not consulted
    assert.equal(f.filter(ev('test_1', 't_1', 'insert')), 'do');
  });

  test('global rule (schema-pattern "*") with sql-pattern for statements the parser cannot parse', () => {
    const f = new BinlogEventFilter(
      [rule('filter-partition-rule', { schema: '*', sql: ['ALTER\\s+TABLE[\\s\\S]*ADD\\s+PARTITION', 'ALTER\\s+TABLE[\\s\\S]*DROP\\s+PARTITION'], action: 'Ignore' })],
      false,
    );
    // unparsable: no schema, no table, no event type
    assert.equal(f.filter(ev('', '', '', 'ALTER TABLE `db`.`t` ADD PARTITION (PARTITION p3 VALUES LESS THAN (30))')), 'ignore');
    assert.equal(f.filter(ev('', '', '', 'alter table t\n drop partition p1')), 'ignore');
    assert.equal(f.filter(ev('db', 't', 'alter table', 'ALTER TABLE t ADD COLUMN c INT')), 'do');
    assert.equal(f.filter(ev('db', 't', 'insert')), 'do');
  });

  test('user/store example: rules for user.log, user and store', () => {
    const f = new BinlogEventFilter(
      [
        rule('log-filter-rule', { schema: 'user', table: 'log', events: ['truncate table', 'drop table', 'delete'], action: 'Ignore' }),
        rule('user-filter-rule', { schema: 'user', events: ['drop database'], action: 'Ignore' }),
        rule('store-filter-rule', { schema: 'store', events: ['drop database', 'truncate table', 'drop table', 'delete'], action: 'Ignore' }),
      ],
      false,
    );
    assert.equal(f.filter(ev('user', 'log', 'delete')), 'ignore');
    assert.equal(f.filter(ev('user', 'log', 'insert')), 'do');
    assert.equal(f.filter(ev('user', 'information', 'delete')), 'do');
    assert.equal(f.filter(ev('user', '', 'drop database', 'DROP DATABASE user')), 'ignore');
    assert.equal(f.filter(ev('store', 'store_bj', 'delete')), 'ignore');
    assert.equal(f.filter(ev('store', 'store_bj', 'truncate table', 'TRUNCATE TABLE store_bj')), 'ignore');
    assert.equal(f.filter(ev('store', 'store_bj', 'update')), 'do');
    assert.equal(f.filter(ev('store', '', 'drop database')), 'ignore');
    assert.equal(f.filter(ev('salesdb', 'sales', 'delete')), 'do');
  });
});

describe('binlog event filter: semantics', () => {
  test('no rule matches → do; no rules at all → do', () => {
    assert.equal(new BinlogEventFilter([], false).filter(ev('a', 'b', 'drop table', 'DROP TABLE b')), 'do');
    const f = new BinlogEventFilter([rule('r', { schema: 'x', events: ['all'], action: 'Ignore' })], false);
    assert.equal(f.filter(ev('y', 'b', 'delete')), 'do');
  });

  test('a Do list that allows only inserts', () => {
    const f = new BinlogEventFilter([rule('only-insert', { schema: 'db', table: 't', events: ['insert'], action: 'Do' })], false);
    assert.equal(f.filter(ev('db', 't', 'insert')), 'do');
    assert.equal(f.filter(ev('db', 't', 'update')), 'ignore');
    assert.equal(f.filter(ev('db', 't', 'delete')), 'ignore');
    assert.equal(f.filter(ev('db', 't', 'create table', 'CREATE TABLE t (a int)')), 'ignore');
    // an unknown event type (unparsable statement) is not decided by `events`
    assert.equal(f.filter(ev('db', 't', '', 'CREATE PROCEDURE p() BEGIN END')), 'do');
    assert.equal(f.filter(ev('db', 'u', 'update')), 'do');
  });

  test('Ignore wins over Do whatever the order', () => {
    for (const order of [0, 1]) {
      const rs = [
        rule('do', { schema: 'db', table: 't*', events: ['all'], action: 'Do' }),
        rule('ignore', { schema: 'db', table: 't1', events: ['delete'], action: 'Ignore' }),
      ];
      const f = new BinlogEventFilter(order === 0 ? rs : rs.reverse(), false);
      assert.equal(f.filter(ev('db', 't1', 'delete')), 'ignore');
      assert.equal(f.filter(ev('db', 't1', 'insert')), 'do');
      assert.equal(f.filter(ev('db', 't2', 'delete')), 'do');
    }
  });

  test('Error action', () => {
    const f = new BinlogEventFilter([rule('stop', { schema: 'db', events: ['drop table'], sql: ['^TRUNCATE'], action: 'Error' })], false);
    assert.equal(f.filter(ev('db', 't', 'drop table', 'DROP TABLE t')), 'error');
    assert.equal(f.filter(ev('db', 't', '', 'truncate t')), 'error');
    assert.equal(f.filter(ev('db', 't', 'insert')), 'do');
  });

  test('Do rule with only sql-pattern: a known event type not listed is ignored (DM)', () => {
    const f = new BinlogEventFilter([rule('do-sql', { schema: 'db', sql: ['^CREATE'], action: 'Do' })], false);
    assert.equal(f.filter(ev('db', 't', 'create table', 'CREATE TABLE t (a int)')), 'ignore');
    assert.equal(f.filter(ev('db', 't', '', 'CREATE PROCEDURE p() BEGIN END')), 'do');
    assert.equal(f.filter(ev('db', 't', '', 'DROP PROCEDURE p')), 'ignore');
  });

  test('Do rule: event listed but SQL not matching sql-pattern → ignore', () => {
    const f = new BinlogEventFilter([rule('do-both', { schema: 'db', events: ['alter table'], sql: ['ADD\\s+COLUMN'], action: 'Do' })], false);
    assert.equal(f.filter(ev('db', 't', 'alter table', 'ALTER TABLE t ADD COLUMN c INT')), 'do');
    assert.equal(f.filter(ev('db', 't', 'alter table', 'ALTER TABLE t DROP COLUMN c')), 'ignore');
  });

  test('event classes: all, all dml, all ddl, none*, incompatible ddl changes', () => {
    const mk = (events: string[]) => new BinlogEventFilter([rule('r', { schema: 'db', events, action: 'Ignore' })], false);
    const all = mk(['all']);
    for (const e of ['insert', 'create table', 'drop table', 'modify column']) assert.equal(all.filter(ev('db', 't', e)), 'ignore', e);
    const dml = mk(['all dml']);
    assert.equal(dml.filter(ev('db', 't', 'update')), 'ignore');
    assert.equal(dml.filter(ev('db', 't', 'create table')), 'do');
    const ddl = mk(['all ddl']);
    for (const e of ['create database', 'drop database', 'create table', 'truncate table', 'rename table', 'create index', 'drop index', 'alter table', 'drop column']) {
      assert.equal(ddl.filter(ev('db', 't', e)), 'ignore', e);
    }
    assert.equal(ddl.filter(ev('db', 't', 'insert')), 'do');
    // `none` stops the scan: later entries are not looked at
    assert.equal(mk(['none', 'insert']).filter(ev('db', 't', 'insert')), 'do');
    assert.equal(mk(['insert', 'none']).filter(ev('db', 't', 'insert')), 'ignore');
    assert.equal(mk(['none ddl', 'drop table']).filter(ev('db', 't', 'drop table')), 'do');
    assert.equal(mk(['none ddl', 'insert']).filter(ev('db', 't', 'insert')), 'ignore');
    assert.equal(mk(['none dml', 'insert']).filter(ev('db', 't', 'insert')), 'do');
    const incompatible = mk(['incompatible ddl changes']);
    for (const e of ['drop table', 'truncate table', 'drop column', 'modify column', 'rename table', 'drop database']) {
      assert.equal(incompatible.filter(ev('db', 't', e)), 'ignore', e);
    }
    for (const e of ['create table', 'alter table', 'create index', 'insert']) assert.equal(incompatible.filter(ev('db', 't', e)), 'do', e);
  });

  test('schema aliases are the same event on both sides', () => {
    const f = new BinlogEventFilter([rule('r', { schema: 'db', events: ['create schema', 'DROP DATABASE'], action: 'Ignore' })], false);
    assert.equal(f.filter(ev('db', '', 'create database')), 'ignore');
    assert.equal(f.filter(ev('db', '', 'drop schema')), 'ignore');
    assert.equal(f.filter(ev('db', '', 'alter schema')), 'do');
  });

  test('table-level rules: empty table pattern vs "*"', () => {
    const f = new BinlogEventFilter(
      [rule('tbl', { schema: 'db', table: 't_*', events: ['all'], action: 'Ignore' }), rule('any', { schema: 'x', table: '*', events: ['all'], action: 'Ignore' })],
      false,
    );
    // a schema statement (no table) is not matched by `t_*`, but is by `*` (DM's trie)
    assert.equal(f.filter(ev('db', '', 'drop database')), 'do');
    assert.equal(f.filter(ev('x', '', 'drop database')), 'ignore');
  });

  test('case-sensitive', () => {
    const f = new BinlogEventFilter([rule('r', { schema: 'Test_*', table: 'T', events: ['delete'], action: 'Ignore' })], true);
    assert.equal(f.filter(ev('Test_1', 'T', 'delete')), 'ignore');
    assert.equal(f.filter(ev('test_1', 'T', 'delete')), 'do');
    assert.equal(f.filter(ev('Test_1', 't', 'delete')), 'do');
    const ci = new BinlogEventFilter([rule('r', { schema: 'Test_*', table: 'T', events: ['delete'], action: 'Ignore' })], false);
    assert.equal(ci.filter(ev('test_1', 't', 'delete')), 'ignore');
    // sql-pattern is case-insensitive even when names are case-sensitive (DM prepends (?i))
    const s = new BinlogEventFilter([rule('r', { schema: '*', sql: ['^drop\\s+procedure'], action: 'Ignore' })], true);
    assert.equal(s.filter(ev('', '', '', 'DROP PROCEDURE p')), 'ignore');
  });

  test('sql-patterns are OR-joined and searched unanchored', () => {
    const f = new BinlogEventFilter([rule('r', { schema: '*', sql: ['PROCEDURE', 'FUNCTION'], action: 'Ignore' })], false);
    assert.equal(f.filter(ev('', '', '', 'create definer=x function f()')), 'ignore');
    assert.equal(f.filter(ev('', '', '', 'drop procedure p')), 'ignore');
    assert.equal(f.filter(ev('', '', '', 'drop trigger tr')), 'do');
    // repeated calls are stable (no stateful RegExp)
    assert.equal(f.filter(ev('', '', '', 'drop procedure p')), 'ignore');
  });

  test('order between Ignore and Error: schema level first, then trie order (* before literal)', () => {
    const f = new BinlogEventFilter(
      [
        rule('exact-error', { schema: 'db', table: 't1', events: ['drop table'], action: 'Error' }),
        rule('star-ignore', { schema: 'db', table: 't*', events: ['drop table'], action: 'Ignore' }),
        rule('schema-error', { schema: 'other', events: ['drop table'], action: 'Error' }),
        rule('other-ignore', { schema: 'other', table: 't1', events: ['drop table'], action: 'Ignore' }),
      ],
      false,
    );
    assert.equal(f.explain(ev('db', 't1', 'drop table')).rule?.name, 'star-ignore');
    assert.equal(f.filter(ev('db', 't1', 'drop table')), 'ignore');
    assert.equal(f.filter(ev('other', 't1', 'drop table')), 'error');
    const g = new BinlogEventFilter(
      [rule('lit', { schema: 'db1', events: ['all'], action: 'Error' }), rule('q', { schema: 'db?', events: ['all'], action: 'Ignore' }), rule('s', { schema: 'db*', events: ['all'], action: 'Error' })],
      false,
    );
    assert.equal(g.explain(ev('db1', '', 'drop database')).rule?.name, 's');
    const h = new BinlogEventFilter([rule('lit', { schema: 'db1', events: ['all'], action: 'Error' }), rule('q', { schema: 'db?', events: ['all'], action: 'Ignore' })], false);
    assert.equal(h.filter(ev('db1', 'x', 'insert')), 'ignore');
  });

  test('every statement event of BINLOG_EVENTS is classified; classes are not statement events', () => {
    for (const e of BINLOG_EVENTS) {
      const isClass = ['all', 'all dml', 'all ddl', 'none', 'none ddl', 'none dml', 'incompatible ddl changes', 'create schema', 'drop schema', 'alter schema'].includes(e);
      assert.equal(EVENT_CLASSES.has(e), !isClass, e);
    }
  });
});

describe('binlog event filter: errors', () => {
  const code = (fn: () => unknown): number | undefined => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof DmError, String(e));
      return e.def.code;
    }
    return undefined;
  };

  test('invalid rules → 20037', () => {
    const bad: BinlogEventRule[] = [
      rule('empty-schema', { schema: '', events: ['all'], action: 'Ignore' }),
      rule('no-action', { schema: 'db', events: ['all'], action: '' as FilterAction }),
      rule('bad-event', { schema: 'db', events: ['drop tabel'], action: 'Ignore' }),
      rule('bad-pattern', { schema: 'db*x', events: ['all'], action: 'Ignore' }),
      rule('bad-regex', { schema: 'db', sql: ['^(?!DROP)'], action: 'Ignore' }),
    ];
    for (const r of bad) assert.equal(code(() => new BinlogEventFilter([r], false)), E.ConfigBinlogEventFilter.code, r.name);
  });

  test('two rules with the same patterns → 20037 (DM: already exists)', () => {
    const rs = [rule('a', { schema: 'Db', table: 't', events: ['all'], action: 'Ignore' }), rule('b', { schema: 'db', table: 't', events: ['insert'], action: 'Do' })];
    assert.equal(code(() => new BinlogEventFilter(rs, false)), E.ConfigBinlogEventFilter.code);
    assert.equal(code(() => new BinlogEventFilter(rs, true)), undefined);
  });

  test('an unknown event or a class as the event → 11072', () => {
    const f = new BinlogEventFilter([], false);
    assert.equal(code(() => f.filter(ev('db', 't', 'upsert'))), E.BinlogEventTypeNotValid.code);
    assert.equal(code(() => f.filter(ev('db', 't', 'all dml'))), E.BinlogEventTypeNotValid.code);
  });
});
