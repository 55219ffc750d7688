import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DmError } from '../../observability/dm-error.js';
import { isDecimal, toStr, type Value } from './evaluator.js';
import { compileExpression, compileExpressionFilter } from './expression-filter.js';
import { ExpressionError } from './lexer.js';
import { parseExpression } from './parser.js';

const COLS = ['a', 'b', 'c', 's', 'd', 'ts', 'n'];
function ev(sql: string, row: unknown[] = []): Value {
  return compileExpression(sql, COLS).evaluate(row as never);
}
function t(sql: string, row: unknown[] = []): boolean | null {
  return compileExpression(sql, COLS).test(row as never);
}
function str(v: Value): string | null {
  return v === null ? null : toStr(v);
}

test('spec example: insert-value-expr c % 2 = 0 skips even c, keeps odd', () => {
  const f = compileExpressionFilter({ schema: 'db', table: 't', insertValueExpr: 'c % 2 = 0' }, ['a', 'b', 'c']);
  assert.equal(f.skipInsert([1, 2, 4]), true);
  assert.equal(f.skipInsert([1, 2, 3]), false);
  assert.equal(f.skipInsert([1, 2, null]), false);
  assert.equal(f.skipInsert([1, 2, 10n]), true);
  assert.equal(f.skipUpdate([1, 2, 4], [1, 2, 4]), false);
  assert.equal(f.skipDelete([1, 2, 4]), false);
});

test('update: both expressions must be true; one alone decides', () => {
  const both = compileExpressionFilter({ schema: 'db', table: 't', updateOldValueExpr: 'a = 1', updateNewValueExpr: 'a = 2' }, ['a']);
  assert.equal(both.skipUpdate([1], [2]), true);
  assert.equal(both.skipUpdate([1], [3]), false);
  assert.equal(both.skipUpdate([0], [2]), false);
  const onlyNew = compileExpressionFilter({ schema: 'db', table: 't', updateNewValueExpr: 'a > 5' }, ['a']);
  assert.equal(onlyNew.skipUpdate([0], [6]), true);
  assert.equal(onlyNew.skipUpdate([9], [1]), false);
  const del = compileExpressionFilter({ schema: 'db', table: 't', deleteValueExpr: "name LIKE 'tmp%'" }, ['id', 'name']);
  assert.equal(del.skipDelete([1, 'TMP_x']), true);
  assert.equal(del.skipDelete([1, 'x']), false);
});

test('NULL semantics: NULL = NULL is NULL, row kept; <=> and IS NULL', () => {
  assert.equal(t('NULL = NULL'), null);
  assert.equal(t('a = NULL', [null]), null);
  const f = compileExpressionFilter({ schema: 'db', table: 't', insertValueExpr: 'a = b' }, ['a', 'b']);
  assert.equal(f.skipInsert([null, null]), false);
  assert.equal(t('NULL <=> NULL'), true);
  assert.equal(t('a <=> 1', [null]), false);
  assert.equal(t('a IS NULL', [null]), true);
  assert.equal(t('a IS NOT NULL', [null]), false);
  assert.equal(t('a IS NULL', [undefined]), true, 'column missing from the image counts as NULL');
  assert.equal(t('NULL AND 0'), false);
  assert.equal(t('NULL OR 1'), true);
  assert.equal(t('NULL AND 1'), null);
  assert.equal(t('NOT NULL'), null);
  assert.equal(t('NULL XOR 1'), null);
  assert.equal(t('NULL IS UNKNOWN'), true);
  assert.equal(t('(1 = 1) IS TRUE'), true);
  assert.equal(t('0 IS NOT FALSE'), false);
  assert.equal(t('NULL IS NOT TRUE'), true);
});

test("string ↔ number coercion: '1'+'1' = 2, 'abc' = 0", () => {
  assert.equal(t("'1' + '1' = 2"), true);
  assert.equal(str(ev("'1' + '1'")), '2');
  assert.equal(t("'abc' + 0 = 0"), true);
  assert.equal(t("'abc' = 0"), true);
  assert.equal(t("'12abc' + 1 = 13"), true);
  assert.equal(t("a = '5'", [5]), true);
  assert.equal(t("'1e2' + 0 = 100"), true);
});

test('DECIMAL exactness and division', () => {
  assert.equal(t('0.1 + 0.2 = 0.3'), true);
  const v = ev('0.1 + 0.2');
  assert.ok(isDecimal(v));
  assert.equal(str(v), '0.3');
  assert.equal(t('d * 3 = 0.3', [0, 0, 0, '', '0.100']), true);
  assert.equal(str(ev('1 / 3')), '0.3333');
  assert.equal(str(ev('7 / 2')), '3.5');
  assert.equal(ev('1 / 0'), null);
  assert.equal(ev('1 DIV 0'), null);
  assert.equal(ev('5 % 0'), null);
  assert.equal(ev('7 DIV 2'), 3n);
  assert.equal(ev('-7 % 3'), -1n);
  assert.equal(ev('7 MOD 3'), 1n);
  assert.equal(str(ev('5.5 % 2')), '1.5');
  assert.equal(typeof ev('1e0 + 1'), 'number', 'float literals are DOUBLE');
  assert.equal(t('0.1e0 + 0.2e0 = 0.3'), false, 'DOUBLE arithmetic is inexact like MySQL');
});

test('BIGINT beyond 2^53 stays exact', () => {
  const big = 9007199254740993n; // 2^53 + 1
  assert.equal(t('a = 9007199254740993', [big]), true);
  assert.equal(t('a = 9007199254740992', [big]), false);
  assert.equal(t('a + 1 = 9007199254740994', [big]), true);
  assert.equal(ev('a * 2', [18446744073709551615n]), 36893488147419103230n);
  assert.equal(t("a = '9007199254740993'", [big]), true);
});

test('string comparison is case-insensitive (utf8mb4_0900_ai_ci-like); binary is not', () => {
  assert.equal(t("s = 'HELLO'", [0, 0, 0, 'hello']), true);
  assert.equal(t("'abc' < 'ABD'"), true);
  assert.equal(t("'Straße' = 'STRASSE'"), true);
  assert.equal(t("s = 'HELLO'", [0, 0, 0, Buffer.from('hello')]), false);
  assert.equal(t("ts > '2021-01-01 00:00:00'", [0, 0, 0, '', '', '2021-06-01 12:00:00']), true);
  assert.equal(t("ts BETWEEN '2021-01-01' AND '2021-12-31'", [0, 0, 0, '', '', '2021-06-01']), true);
});

test('LIKE with % and _, NOT LIKE, ESCAPE', () => {
  assert.equal(t("'abcde' LIKE 'a%e'"), true);
  assert.equal(t("'abcde' LIKE 'A_C%'"), true);
  assert.equal(t("'abcde' LIKE 'a_e'"), false);
  assert.equal(t("'a.c' LIKE 'a.c'"), true);
  assert.equal(t("'abc' LIKE 'a.c'"), false);
  assert.equal(t("'50%' LIKE '50\\%'"), true);
  assert.equal(t("'500' LIKE '50\\%'"), false);
  assert.equal(t("'a_b' LIKE 'a|_b' ESCAPE '|'"), true);
  assert.equal(t("'axb' LIKE 'a|_b' ESCAPE '|'"), false);
  assert.equal(t("'abc' NOT LIKE 'x%'"), true);
  assert.equal(t("NULL LIKE '%'"), null);
  assert.equal(t("'line1\nline2' LIKE 'line1%'"), true);
});

test('IN with NULL, NOT IN, BETWEEN', () => {
  assert.equal(t('2 IN (1, 2, 3)'), true);
  assert.equal(t('2 IN (1, NULL)'), null);
  assert.equal(t('1 IN (1, NULL)'), true);
  assert.equal(t('NULL IN (1, 2)'), null);
  assert.equal(t('2 NOT IN (1, NULL)'), null);
  assert.equal(t('2 NOT IN (1, 3)'), true);
  assert.equal(t("'B' IN ('a', 'b')"), true);
  assert.equal(t('5 BETWEEN 1 AND 10'), true);
  assert.equal(t('5 NOT BETWEEN 1 AND 4'), true);
  assert.equal(t('5 BETWEEN NULL AND 4'), false);
  assert.equal(t('5 BETWEEN NULL AND 10'), null);
  assert.equal(t('a BETWEEN 1 AND 10 AND b = 2', [5, 2]), true);
});

test('precedence and operators', () => {
  assert.equal(ev('1 + 2 * 3'), 7n);
  assert.equal(ev('(1 + 2) * 3'), 9n);
  assert.equal(ev('-2 * -3'), 6n);
  assert.equal(ev('10 - 2 - 3'), 5n);
  assert.equal(t('1 = 1 AND 2 = 3 OR 1'), true);
  assert.equal(t('1 || 0 && 0'), true);
  assert.equal(t('!0'), true);
  assert.equal(t('NOT 1 = 2'), true);
  assert.equal(t('1 XOR 1'), false);
  assert.equal(t('1 <> 2 AND 1 != 2'), true);
  assert.equal(t('a*a + b*b = c*c', [3, 4, 5]), true);
  assert.equal(t('`a` = 1 AND t.b = 2', [1, 2]), true);
  assert.equal(ev('0x41'), 65n);
  assert.equal(ev("X'0100'"), 256n);
  assert.equal(ev("b'101'"), 5n);
  assert.equal(ev('TRUE + TRUE'), 2n);
  assert.equal(ev(`'it''s' = "it\\'s"`), 1n);
  assert.equal(ev('CASE WHEN a > 1 THEN 10 ELSE 20 END', [2]), 10n);
  assert.equal(ev("CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", [2]), 'two');
  assert.equal(ev('CASE a WHEN 1 THEN 1 END', [3]), null);
});

test('functions', () => {
  assert.equal(ev('ABS(-5)'), 5n);
  assert.equal(str(ev('ABS(-1.50)')), '1.5');
  assert.equal(ev('CEIL(1.2)'), 2n);
  assert.equal(ev('CEILING(-1.2)'), -1n);
  assert.equal(ev('FLOOR(-1.2)'), -2n);
  assert.equal(str(ev('ROUND(2.5)')), '3');
  assert.equal(str(ev('ROUND(1.2345, 2)')), '1.23');
  assert.equal(ev('ROUND(1234, -2)'), 1200n);
  assert.equal(str(ev('TRUNCATE(1.999, 1)')), '1.9');
  assert.equal(ev('MOD(10, 3)'), 1n);
  assert.equal(ev("LENGTH('héllo')"), 6n);
  assert.equal(ev("CHAR_LENGTH('héllo')"), 5n);
  assert.equal(ev("LOWER('AbC')"), 'abc');
  assert.equal(ev("UCASE('AbC')"), 'ABC');
  assert.equal(ev("CONCAT('a', 1, 'b')"), 'a1b');
  assert.equal(ev("CONCAT('a', NULL)"), null);
  assert.equal(ev("CONCAT_WS('-', 'a', NULL, 'b')"), 'a-b');
  assert.equal(ev("SUBSTRING('hello', 2, 3)"), 'ell');
  assert.equal(ev("SUBSTR('hello', -3)"), 'llo');
  assert.equal(ev("SUBSTRING('hello', 0)"), '');
  assert.equal(ev("TRIM('  x  ')"), 'x');
  assert.equal(ev("LEFT('hello', 2)"), 'he');
  assert.equal(ev("RIGHT('hello', 2)"), 'lo');
  assert.equal(ev("REPLACE('a-b-c', '-', '+')"), 'a+b+c');
  assert.equal(ev('COALESCE(NULL, NULL, 3)'), 3n);
  assert.equal(ev('IFNULL(NULL, 2)'), 2n);
  assert.equal(ev("IF(1 > 2, 'y', 'n')"), 'n');
  assert.equal(ev('IF(NULL, 1, 0)'), 0n);
  assert.equal(ev('IF(1, 1, 1 / 0)'), 1n);
  assert.equal(ev('NULLIF(1, 1)'), null);
  assert.equal(ev('NULLIF(1, 2)'), 1n);
  assert.equal(ev('GREATEST(1, 5, 3)'), 5n);
  assert.equal(ev('LEAST(4, 2, 3)'), 2n);
});

test('date functions on decoded temporal strings', () => {
  const row = [0, 0, 0, '', '', '2021-03-15 10:20:30.5'];
  assert.equal(ev('YEAR(ts)', row), 2021n);
  assert.equal(ev('MONTH(ts)', row), 3n);
  assert.equal(ev('DAY(ts)', row), 15n);
  assert.equal(ev('HOUR(ts)', row), 10n);
  assert.equal(ev('MINUTE(ts)', row), 20n);
  assert.equal(ev('SECOND(ts)', row), 30n);
  assert.equal(ev('DATE(ts)', row), '2021-03-15');
  assert.equal(ev("DATEDIFF('2021-03-01', '2021-02-01')"), 28n);
  assert.equal(ev("DATEDIFF('2020-03-01 23:00:00', '2020-02-28')"), 2n);
  assert.equal(ev("TIMESTAMPDIFF(MONTH, '2021-01-31', '2021-02-28')"), 0n);
  assert.equal(ev("TIMESTAMPDIFF(MONTH, '2021-01-15', '2021-03-15')"), 2n);
  assert.equal(ev("TIMESTAMPDIFF(YEAR, '2000-02-29', '2021-02-28')"), 20n);
  assert.equal(ev("TIMESTAMPDIFF(HOUR, '2021-01-01 00:00:00', '2021-01-02 01:30:00')"), 25n);
  assert.equal(ev("TIMESTAMPDIFF(SECOND, '2021-01-02', '2021-01-01')"), -86400n);
  assert.equal(ev("YEAR('not a date')"), null);
  assert.equal(ev("DATEDIFF('0000-00-00', '2021-01-01')"), null);
  assert.equal(ev('YEAR(NULL)'), null);
});

test('syntax errors', () => {
  for (const bad of ['', '1 +', '(1', "'abc", 'a IN ()', 'a BETWEEN 1', '1 2', 'a IS 5', 'CASE END', '`a']) {
    assert.throws(() => parseExpression(bad), ExpressionError, bad);
  }
});

test('compile errors are coded DM errors naming the problem', () => {
  const rule = { name: 'even-c', schema: 'db', table: 't', insertValueExpr: 'nope = 1' };
  assert.throws(
    () => compileExpressionFilter(rule, ['a', 'c']),
    (e: unknown) => e instanceof DmError && e.def.code === 20041 && /unknown column `nope`/.test(e.message) && e.message.includes('even-c'),
  );
  assert.throws(() => compileExpressionFilter({ schema: 'db', table: 't', deleteValueExpr: 'a = NOW()' }, ['a']), /not deterministic/);
  assert.throws(() => compileExpressionFilter({ schema: 'db', table: 't', deleteValueExpr: 'FOO(a)' }, ['a']), /unknown function FOO/);
  assert.throws(() => compileExpressionFilter({ schema: 'db', table: 't', deleteValueExpr: 'ABS(a, a)' }, ['a']), /parameter count/);
  assert.throws(() => compileExpressionFilter({ schema: 'db', table: 't', deleteValueExpr: 'a = ' }, ['a']), (e: unknown) => e instanceof DmError && e.def.code === 20041);
  // column names are case-insensitive
  assert.equal(compileExpressionFilter({ schema: 'db', table: 't', insertValueExpr: 'ID = 1' }, ['id']).skipInsert([1]), true);
  // no expression for the kind → never skipped
  const f = compileExpressionFilter({ schema: 'db', table: 't', insertValueExpr: '' }, ['a']);
  assert.equal(f.skipInsert([1]), false);
  assert.equal(f.skipUpdate([1], [1]), false);
});
