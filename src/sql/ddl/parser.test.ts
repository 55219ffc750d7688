import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { CreateTableStatement } from './ast.js';
import { DdlParseError, tokenize } from './lexer.js';
import { parseDDL, parseDDLs } from './parser.js';
import { printStatement } from './printer.js';

const CORPUS: string[] = [
  // sysbench
  `CREATE TABLE sbtest1 (
    id INTEGER NOT NULL AUTO_INCREMENT,
    k INTEGER DEFAULT '0' NOT NULL,
    c CHAR(120) DEFAULT '' NOT NULL,
    pad CHAR(60) DEFAULT '' NOT NULL,
    PRIMARY KEY (id)
  ) ENGINE=InnoDB`,
  // mysqldump with executable comments
  `/*!40101 SET @saved_cs_client     = @@character_set_client */`,
  `CREATE TABLE \`t\` (
  \`id\` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  \`name\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL COMMENT 'it''s a \\\\ name',
  \`created\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`uk_name\` (\`name\`(20)) USING BTREE,
  KEY \`idx_created\` (\`created\` DESC) COMMENT 'idx'
) ENGINE=InnoDB AUTO_INCREMENT=5 /*!40101 DEFAULT CHARSET=utf8mb4 */ COMMENT='x'`,
  // every type
  `CREATE TABLE IF NOT EXISTS db.all_types (
    a TINYINT(1) SIGNED, b SMALLINT UNSIGNED ZEROFILL, c MEDIUMINT, d INT(11), e BIGINT UNSIGNED,
    f DECIMAL(10,2) UNSIGNED, g NUMERIC(5), h FLOAT(7,3), i DOUBLE PRECISION, j REAL, k BIT(8), l BOOL, m BOOLEAN,
    n DATE, o TIME(6), p DATETIME(6), q TIMESTAMP NULL DEFAULT NULL, r YEAR(4),
    s CHAR(3) BINARY, t VARCHAR(10) CHARSET latin1, u TINYTEXT, v TEXT(100), w MEDIUMTEXT, x LONGTEXT COLLATE utf8mb4_general_ci,
    y BINARY(16), z VARBINARY(32), aa TINYBLOB, ab BLOB, ac MEDIUMBLOB, ad LONGBLOB,
    ae ENUM('a','b''c','') DEFAULT 'a', af SET('x','y') NOT NULL, ag JSON, ah GEOMETRY, ai POINT NOT NULL SRID 4326,
    aj NATIONAL VARCHAR(5), ak NCHAR(2), al LONG VARCHAR, am SERIAL, an DECIMAL(65,30) DEFAULT -1.5,
    ao BIT(1) DEFAULT b'1', ap VARBINARY(4) DEFAULT 0x00ff, aq VARCHAR(5) DEFAULT _utf8mb4'x',
    ar INT AS (a + 1) VIRTUAL, as_ INT GENERATED ALWAYS AS (d * 2) STORED NOT NULL, at INT INVISIBLE,
    au JSON DEFAULT (JSON_ARRAY()), av BINARY(16) DEFAULT (uuid_to_bin(uuid())),
    SPATIAL KEY sp (ai), FULLTEXT KEY ft (u) WITH PARSER ngram,
    CONSTRAINT fk_1 FOREIGN KEY (d) REFERENCES other (id) ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT chk CHECK (a > 0) NOT ENFORCED, CHECK (b < 10),
    INDEX func_idx ((lower(t)), d)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 PARTITION BY HASH (d) PARTITIONS 4`,
  // awkward identifiers
  'CREATE TABLE `we``ird`.`tab le` (`col``1` INT, `select` VARCHAR(3), `ünï` TEXT, `1abc` INT, KEY `key` (`select`))',
  'CREATE TABLE 1abc (x INT)',
  // MariaDB
  `CREATE OR REPLACE TABLE t (a INT PERSISTENT_ignored_comment_free INT)`,
  `CREATE TABLE t (a INT, b INT AS (a*2) PERSISTENT, c INT KEY, d VARCHAR(4) UNIQUE)`,
  'ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT AFTER b, DROP COLUMN IF EXISTS d, MODIFY COLUMN IF EXISTS e BIGINT',
  'ALTER ONLINE TABLE t ADD INDEX IF NOT EXISTS i (a)',
  'CREATE TABLE t (a INT) /*M!100100 ENCRYPTED=YES */',
  // ALTER
  `ALTER TABLE db.t ADD a INT NOT NULL DEFAULT 0 FIRST, DROP b, MODIFY c VARCHAR(10) AFTER a, CHANGE d e TEXT,
   RENAME COLUMN f TO g, ADD PRIMARY KEY (a), ADD UNIQUE uk (c), ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p(id),
   DROP INDEX i, DROP KEY k, DROP PRIMARY KEY, DROP FOREIGN KEY fk, RENAME INDEX x TO y, RENAME TO db2.t2,
   ALTER COLUMN a SET DEFAULT 5, ALTER a DROP DEFAULT, ENGINE=InnoDB, DEFAULT CHARSET utf8mb4, ALGORITHM=INPLACE, LOCK=NONE,
   ADD COLUMN (x INT, y INT), ADD FULLTEXT INDEX ft (c), CONVERT TO CHARACTER SET utf8mb4, ADD CONSTRAINT c1 CHECK (a > 1)`,
  'ALTER TABLE t PARTITION BY HASH(a) PARTITIONS 4',
  'ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (2000))',
  'ALTER TABLE t',
  // others
  'DROP TABLE IF EXISTS a, b.c, `d`',
  'DROP TEMPORARY TABLE t RESTRICT',
  'RENAME TABLE a TO b, db.c TO db.d',
  'TRUNCATE t',
  'TRUNCATE TABLE db.t',
  'CREATE UNIQUE INDEX i ON t (a, b(10) DESC) USING BTREE',
  'CREATE INDEX i USING HASH ON db.t (a) ALGORITHM=INPLACE',
  'DROP INDEX i ON db.t',
  'CREATE DATABASE IF NOT EXISTS `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 */',
  'CREATE SCHEMA s',
  'DROP SCHEMA IF EXISTS s',
  'CREATE TABLE t2 LIKE t1',
  'CREATE TABLE t2 (LIKE db.t1)',
  'CREATE TEMPORARY TABLE IF NOT EXISTS t (a INT) SELECT 1 AS a',
  // unsupported
  'CREATE VIEW v AS SELECT 1',
  'ALTER DATABASE d CHARACTER SET utf8mb4',
  'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1',
  'GRANT ALL ON *.* TO u',
];

function strip(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x)) as unknown;
}

test('round trip parse → print → parse for the corpus', () => {
  for (const sql of CORPUS) {
    if (sql.includes('PERSISTENT_ignored')) continue;
    const a = parseDDL(sql);
    const printed = printStatement(a);
    const b = parseDDL(printed);
    assert.deepEqual(strip(b), strip(a), `${sql}\n→ ${printed}`);
    assert.equal(printStatement(b), printed);
  }
});

test('statement kinds', () => {
  const kinds = CORPUS.filter((s) => !s.includes('PERSISTENT_ignored')).map((s) => parseDDL(s).type);
  assert.deepEqual(kinds.slice(0, 4), ['createTable', 'unsupported', 'createTable', 'createTable']);
  assert.equal(parseDDL('CREATE VIEW v AS SELECT 1').type, 'unsupported');
  assert.deepEqual(parseDDL('GRANT ALL ON *.* TO u;'), { type: 'unsupported', text: 'GRANT ALL ON *.* TO u' });
  assert.equal(parseDDLs('DROP TABLE a; DROP TABLE b;').length, 2);
});

test('column details', () => {
  const st = parseDDL(CORPUS[2]!) as CreateTableStatement;
  const [id, name, created] = st.columns;
  assert.deepEqual(id, { name: 'id', type: { name: 'BIGINT', length: '20', unsigned: true }, notNull: true, autoIncrement: true });
  assert.deepEqual(name, {
    name: 'name',
    type: { name: 'VARCHAR', length: '255', charset: 'utf8mb4', collate: 'utf8mb4_bin' },
    default: 'NULL',
    comment: "it's a \\ name",
  });
  assert.equal(created?.default, 'CURRENT_TIMESTAMP(3)');
  assert.equal(created?.onUpdate, 'CURRENT_TIMESTAMP(3)');
  assert.equal(st.options, 'ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COMMENT=\'x\'');
  assert.deepEqual(st.constraints[1], { kind: 'unique', name: 'uk_name', columns: [{ column: 'name', length: '20' }], options: 'USING BTREE' });
  const all = parseDDL(CORPUS[3]!) as CreateTableStatement;
  const col = (n: string) => all.columns.find((c) => c.name === n)!;
  assert.deepEqual(col('ae').type.values, ['a', "b'c", '']);
  assert.deepEqual(col('as_').generated, { expr: 'd * 2', stored: true });
  assert.equal(col('au').default, '(JSON_ARRAY())');
  assert.equal(col('aq').default, "_utf8mb4'x'");
  assert.equal(col('an').default, '-1.5');
  assert.equal(col('at').invisible, true);
  assert.equal(col('i').type.name, 'DOUBLE PRECISION');
  assert.deepEqual(all.constraints.map((c) => c.kind), ['spatial', 'fulltext', 'foreign', 'check', 'check', 'index']);
  assert.deepEqual(all.constraints[5]?.columns, [{ expr: 'lower(t)' }, { column: 'd' }]);
  const weird = parseDDL(CORPUS[4]!) as CreateTableStatement;
  assert.deepEqual(weird.table, { schema: 'we`ird', name: 'tab le' });
  assert.match(printStatement(weird), /^CREATE TABLE `we``ird`\.`tab le` \(\n {2}`col``1` INT/);
});

test('lexer: comments, strings, executable comments', () => {
  const toks = tokenize("a -- c\n # x\n /* y */ b /*!50001 c */ 'it\\'s' \"d\"\"q\" _latin1'z' N'n' 1.5e3 0x1F @@v `q``x`");
  assert.deepEqual(
    toks.map((t) => [t.kind, t.value]),
    [
      ['word', 'a'], ['word', 'b'], ['word', 'c'], ['string', "it's"], ['string', 'd"q'], ['string', 'z'], ['string', 'n'],
      ['number', '1.5e3'], ['hex', '0x1F'], ['var', '@@v'], ['quoted', 'q`x'], ['eof', ''],
    ],
  );
  assert.equal(toks[5]?.charset, 'latin1');
  assert.equal(tokenize('a--b').length, 5); // "--" without a space is two minus operators
});

test('invalid SQL throws with position', () => {
  const cases: [string, number, number][] = [
    ['CREATE TABLE t (a INT,', 1, 23],
    ['CREATE TABLE t (a VARCHAR(x))', 1, 27],
    ['ALTER TABLE t ADD COLUMN', 1, 25],
    ["CREATE TABLE t (a INT COMMENT 'x)", 1, 31],
    ['CREATE TABLE t (\n  a INT NOT NUL\n)', 2, 13],
    ['DROP TABLE a b', 1, 14],
    ['RENAME TABLE a b', 1, 16],
    ['CREATE TABLE t (a INT) /*!40101 x', 1, 34],
  ];
  for (const [sql, line, column] of cases) {
    assert.throws(
      () => parseDDL(sql),
      (e: unknown) => e instanceof DdlParseError && e.line === line && e.column === column,
      sql,
    );
  }
  assert.throws(() => parseDDL('CREATE TABLE t (a INT NOT NUL)'), /expected NULL, found 'NUL' at line 1 column 27/);
});
