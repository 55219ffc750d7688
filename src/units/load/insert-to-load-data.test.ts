import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsertConverter, type ColumnInfo } from './insert-to-load-data.js';
import { findInsertTarget, utf8ToLatin1 } from './sql-statement.js';

const col = (name: string, type: string, generated = false): ColumnInfo => ({ name, type, generated });
const COLS = [col('id', 'int'), col('s', 'varchar'), col('b', 'blob'), col('d', 'double')];

function convert(sqls: string[], cols: ColumnInfo[] = COLS, charset = 'binary'): { sql: string; tsv: string; latin1: string; rows: number } | undefined {
  const stmts = sqls.map((s) => {
    const bytes = Buffer.from(s, 'utf8');
    const t = findInsertTarget(bytes.toString('latin1'));
    assert.ok(t, s);
    return { bytes, after: t.end };
  });
  const r = new InsertConverter().convert(stmts, cols, charset, '`d`.`t`');
  if (!r) return undefined;
  const all = Buffer.concat(r.data);
  return { sql: r.sql, tsv: all.toString('utf8'), latin1: all.toString('latin1'), rows: r.rows };
}

test('rows become tab-separated lines with LOAD DATA escapes', () => {
  const r = convert([
    "INSERT INTO `t` VALUES (1,'plain',NULL,1.5e3),(2,\"dq \\\"x\\\" 'y'\",'a\\\\b',-2),(3,'it''s','tab\\there\\nnl',0.25);",
    "INSERT INTO `t` VALUES\n(4,'',0x00FF5C09,NULL),(5,'\\0\\Z\\b\\r',X'41',1)\n;",
  ]);
  assert.ok(r);
  assert.equal(r.rows, 5);
  assert.equal(
    r.latin1,
    [
      '1\tplain\t\\N\t1.5e3',
      '2\tdq "x" \'y\'\ta\\\\b\t-2',
      "3\tit's\ttab\\there\\nnl\t0.25",
      '4\t\t\\0\u00ff\\\\\\t\t\\N',
      '5\t\\0\u001a\b\r\tA\t1',
      '',
    ].join('\n'),
  );
  assert.match(r.sql, /^LOAD DATA LOCAL INFILE '[^']+' INTO TABLE `d`\.`t` CHARACTER SET binary FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'/);
  assert.match(r.sql, /\(`id`, `s`, `b`, `d`\)$/);
});

test('explicit column lists are kept; multibyte text is copied as is', () => {
  const r = convert(["INSERT INTO t (`s`, `id`) VALUES ('名字 😀', 7);"]);
  assert.ok(r);
  assert.equal(r.tsv, '名字 😀\t7\n');
  assert.match(utf8ToLatin1(r.sql), /\(`s`, `id`\)$/);
});

test('raw tabs and newlines inside strings are escaped (or the batch falls back when there is no room)', () => {
  const r = convert(["INSERT INTO t VALUES (1,'a\tb\nc',NULL,NULL),(2,'x',NULL,NULL);"]);
  if (r) assert.equal(r.tsv, '1\ta\\tb\\nc\t\\N\t\\N\n2\tx\t\\N\t\\N\n');
  const few = convert(["INSERT INTO t VALUES (1,'\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t',NULL,NULL);"]);
  assert.equal(few, undefined, 'more expansion than slack: not convertible, sent as INSERT');
});

test('\\% and \\_ keep their backslash, as in SQL', () => {
  const r = convert(["INSERT INTO `a_long_table_name_for_room` VALUES (1,'50\\% a\\_b',NULL,NULL);"]);
  assert.ok(r);
  assert.equal(r.tsv, '1\t50\\\\% a\\\\_b\t\\N\t\\N\n');
});

test('adjacent string literals are concatenated', () => {
  const r = convert(["INSERT INTO t VALUES (1,'ab' 'cd',NULL,NULL);"]);
  assert.ok(r);
  assert.equal(r.tsv, '1\tabcd\t\\N\t\\N\n');
});

test('values whose meaning would change are not converted', () => {
  const no = (sql: string, cols = COLS, charset = 'binary'): void => assert.equal(convert([sql], cols, charset), undefined, sql);
  no('INSERT IGNORE INTO t VALUES (1,NULL,NULL,NULL);');
  no('REPLACE INTO t VALUES (1,NULL,NULL,NULL);');
  no('INSERT INTO t VALUES (1,NULL,NULL,NULL) ON DUPLICATE KEY UPDATE id=1;');
  no('INSERT INTO t VALUES (0x41,NULL,NULL,NULL);'); // hex into INT is a number
  no('INSERT INTO t VALUES (1.5,NULL,NULL,NULL);'); // fraction into INT rounds
  no('INSERT INTO t VALUES (1e3,NULL,NULL,NULL);'); // exponent into INT
  no("INSERT INTO t VALUES (1,5,NULL,NULL);"); // number into VARCHAR is normalised by SQL
  no('INSERT INTO t VALUES (1,NOW(),NULL,NULL);');
  no("INSERT INTO t VALUES (1,_latin1'x',NULL,NULL);");
  no("INSERT INTO t VALUES (1,NULL,_binary'x',NULL);", COLS, 'utf8mb4');
  no('INSERT INTO t VALUES (1,NULL,NULL);'); // arity
  no('INSERT INTO t VALUES (1,NULL,NULL,NULL,5);');
  no('INSERT INTO t (nope) VALUES (1);');
  no("INSERT INTO t VALUES (1,b'01',NULL,NULL);");
  no('INSERT INTO t VALUES (1,NULL,NULL,NULL);', [col('id', 'int'), col('s', 'varchar'), col('b', 'bit'), col('d', 'double')]);
  no('INSERT INTO t VALUES (1,NULL,NULL,NULL);', [col('id', 'int'), col('s', 'varchar'), col('b', 'blob'), col('d', 'double', true)]);
  // two statements with different column lists
  assert.equal(convert(['INSERT INTO t (id) VALUES (1);', 'INSERT INTO t (s) VALUES (NULL);']), undefined);
  // _binary into a blob under SET NAMES binary is fine
  const ok = convert(["INSERT INTO t VALUES (1,NULL,_binary 'x\\0',NULL);"]);
  assert.ok(ok);
  assert.equal(ok.tsv, '1\t\\N\tx\\0\t\\N\n');
});
