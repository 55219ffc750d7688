import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlSplitter, splitStatements } from './sql-splitter.js';

const TRICKY = [
  "/*!40101 SET NAMES binary*/;",
  "/*!40014 SET FOREIGN_KEY_CHECKS=0*/;",
  "INSERT INTO `t;1` VALUES (1,'a;b','c\\';d',\"e\\\";f\",'g''h;'),(2,'x\\\\',NULL);",
  "-- a comment; with a semicolon\nINSERT INTO t VALUES (3);",
  "# hash comment;\nINSERT INTO t VALUES (4);",
  "/* block ; comment */ INSERT INTO t VALUES (5, '*/;');",
  "INSERT INTO t VALUES (6--1);",
  "INSERT INTO t VALUES ('multi\nline;\nstring', 0x3B3B);",
  "INSERT INTO `we``ird;` VALUES ('\u00e9\u540d;\ud83d\ude00');",
  "INSERT INTO t VALUES ('a\\\\');",
  "INSERT INTO t VALUES ('\\\\'';');",
];

function ends(text: Buffer, chunk: number): number[] {
  const sp = new SqlSplitter();
  const out: number[] = [];
  for (let i = 0; i < text.length; i += chunk) sp.feed(text.subarray(i, Math.min(text.length, i + chunk)), i, out);
  assert.ok(sp.atTopLevel, 'ends at top level');
  return out;
}

test('splits statements, ignoring ; inside strings, identifiers and comments', () => {
  const stmts = splitStatements(TRICKY.join('\n'));
  assert.equal(stmts.length, TRICKY.length);
  stmts.forEach((s, i) => assert.equal(s.trim(), TRICKY[i]));
});

test('the split does not depend on where chunks end (every chunk size)', () => {
  const text = Buffer.from(TRICKY.join('\n'), 'utf8');
  const whole = ends(text, text.length);
  assert.equal(whole.length, TRICKY.length);
  for (let chunk = 1; chunk <= 40; chunk++) assert.deepEqual(ends(text, chunk), whole, `chunk size ${chunk}`);
});

test('a backslash at the end of a chunk escapes the first byte of the next one', () => {
  const text = Buffer.from("INSERT INTO t VALUES ('a\\';b');SELECT 1;");
  for (let cut = 1; cut < text.length; cut++) {
    const sp = new SqlSplitter();
    const out: number[] = [];
    sp.feed(text.subarray(0, cut), 0, out);
    sp.feed(text.subarray(cut), cut, out);
    assert.deepEqual(out, [text.indexOf(';SELECT') + 1, text.length], `cut at ${cut}`);
  }
});

test('NO_BACKSLASH_ESCAPES: a backslash is an ordinary character', () => {
  const s = splitStatements("INSERT INTO t VALUES ('a\\');SELECT 1;", { noBackslashEscapes: true });
  assert.deepEqual(s, ["INSERT INTO t VALUES ('a\\');", 'SELECT 1;']);
});

test('reports what an unterminated input ends inside of', () => {
  for (const [text, inside] of [
    ["INSERT INTO t VALUES ('abc", "'"],
    ['INSERT INTO t VALUES ("abc', '"'],
    ['INSERT INTO `abc', '`'],
    ['INSERT /* abc', '/*'],
  ] as const) {
    const sp = new SqlSplitter();
    sp.feed(Buffer.from(text), 0, []);
    assert.equal(sp.atTopLevel, false, text);
    assert.ok(sp.openConstruct?.includes(inside), `${text}: ${sp.openConstruct}`);
  }
  const sp = new SqlSplitter();
  sp.feed(Buffer.from('SELECT 1; -- trailing comment'), 0, []);
  assert.equal(sp.atTopLevel, true);
});

test('trailing text without a semicolon is a statement; whitespace is not', () => {
  assert.deepEqual(splitStatements('SELECT 1;\nSELECT 2'), ['SELECT 1;', '\nSELECT 2']);
  assert.deepEqual(splitStatements('SELECT 1;\n\n'), ['SELECT 1;']);
});
