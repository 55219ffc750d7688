import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashExpr, planLayout, rowTextExpr, valueExpr, type ColumnInfo, type IndexInfo, type TableInfo } from './table-layout.js';

const col = (name: string, dataType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  dataType,
  columnType: dataType,
  charset: ['varchar', 'char', 'text', 'json', 'enum'].includes(dataType) ? 'utf8mb4' : null,
  collation: ['varchar', 'char', 'text', 'json', 'enum'].includes(dataType) ? 'utf8mb4_general_ci' : null,
  nullable: true,
  ...extra,
});
const pk = (...columns: string[]): IndexInfo => ({ name: 'PRIMARY', unique: true, columns, prefix: false });
const table = (columns: ColumnInfo[], indexes: IndexInfo[] = [], name = 't'): TableInfo => ({ schema: 'db', table: name, columns, indexes, estimatedRows: 0 });
const idCol = col('id', 'int', { nullable: false });

test('values are normalised per type: FLOAT widened, BIT as number, non-utf8mb4 text converted', () => {
  assert.equal(valueExpr(col('f', 'float')), '(`f` + 0e0)');
  assert.equal(valueExpr(col('d', 'double')), '`d`');
  assert.equal(valueExpr(col('b', 'bit')), '(`b` + 0)');
  assert.equal(valueExpr(col('s', 'varchar')), '`s`');
  assert.equal(valueExpr(col('l', 'varchar', { charset: 'latin1' })), 'CONVERT(`l` USING utf8mb4)');
  assert.equal(valueExpr(col('x`y', 'blob')), '`x``y`');
  assert.equal(rowTextExpr(['`a`', '`b`'], ['`b`']), "CONCAT_WS('#', `a`, `b`, CONCAT(ISNULL(`b`)))");
  assert.equal(rowTextExpr(['`a`'], []), "CONCAT_WS('#', `a`)");
  assert.equal(hashExpr('x', 'crc32'), 'CRC32(x)');
  assert.match(hashExpr('x', 'md5'), /^CAST\(CONV\(LEFT\(MD5\(x\), 16\), 16, 10\) AS UNSIGNED\)$/);
});

test('compared columns: the downstream ones every shard has; upstream-only columns are a schema difference', () => {
  const down = table([idCol, col('a', 'int'), col('extra', 'int', { nullable: false })], [pk('id')]);
  const s1 = table([col('ID', 'int', { nullable: false }), col('A', 'int')], [pk('ID')]);
  const s2 = table([idCol, col('a', 'int'), col('gone', 'int')], [pk('id')]);
  const l = planLayout(down, [{ label: 's1 t', info: s1 }, { label: 's2 t', info: s2 }]);
  assert.deepEqual(l.columns, ['id', 'a']);
  assert.equal(l.schemaDifferent, true);
  assert.ok(l.notes.some((n) => /`gone` of s2 t does not exist downstream/.test(n)));
  assert.ok(l.notes.some((n) => /downstream column `extra`/.test(n)));
  // each side spells its own column names; the NULL flag covers a column nullable anywhere
  assert.equal(l.shards[0]!.rowText, "CONCAT_WS('#', `ID`, `A`, CONCAT(ISNULL(`A`)))");
  assert.equal(l.downstream.keyText, "CONCAT_WS('#', `id`)");
  assert.deepEqual(l.shards[0]!.keyColumns, ['`ID`']);
  assert.equal(l.method, 'range');
});

test('key: primary key first, else the narrowest unique NOT NULL key; none means a multiset compare', () => {
  const cols = [col('a', 'int', { nullable: false }), col('b', 'int', { nullable: false }), col('c', 'int')];
  const uk = (name: string, ...columns: string[]): IndexInfo => ({ name, unique: true, columns, prefix: false });
  const withUk = table(cols, [uk('u_ab', 'a', 'b'), uk('u_b', 'b'), uk('u_c', 'c')]);
  const l1 = planLayout(withUk, [{ label: 's', info: withUk }]);
  assert.deepEqual(l1.key, ['b']);
  const noKey = table(cols, [uk('u_c', 'c'), { name: 'k', unique: false, columns: ['a'], prefix: false }]);
  const l2 = planLayout(noKey, [{ label: 's', info: noKey }]);
  assert.equal(l2.key, undefined);
  assert.equal(l2.method, 'bucket');
  assert.equal(l2.downstream.keyText, l2.downstream.rowText);
});

test('range chunking only when every side orders the key alike and has an index on it', () => {
  const down = table([idCol, col('v', 'int')], [pk('id')]);
  const noIndex = table([idCol, col('v', 'int')], []);
  assert.equal(planLayout(down, [{ label: 's', info: noIndex }]).method, 'bucket');
  const strDown = table([col('k', 'varchar', { nullable: false })], [pk('k')]);
  const strBin = table([col('k', 'varchar', { nullable: false, collation: 'utf8mb4_bin' })], [pk('k')]);
  const l = planLayout(strDown, [{ label: 's', info: strBin }]);
  assert.equal(l.method, 'bucket');
  assert.ok(l.notes.some((n) => /collation utf8mb4_bin in s but utf8mb4_general_ci downstream/.test(n)));
  const nullableUp = table([col('id', 'int', { nullable: true })], [{ name: 'i', unique: false, columns: ['id'], prefix: false }]);
  assert.equal(planLayout(down, [{ label: 's', info: nullableUp }]).method, 'bucket');
  const bigintUp = table([col('id', 'bigint', { nullable: false })], [pk('id')]);
  assert.equal(planLayout(down, [{ label: 's', info: bigintUp }]).method, 'range');
  const floatKey = table([col('f', 'float', { nullable: false })], [pk('f')]);
  assert.equal(planLayout(floatKey, [{ label: 's', info: floatKey }]).method, 'bucket');
  // ENUM sorts by member number but compares with a string parameter as text
  const enumKey = table([col('e', 'enum', { nullable: false })], [pk('e')]);
  assert.equal(planLayout(enumKey, [{ label: 's', info: enumKey }]).method, 'bucket');
  const binKey = table([col('u', 'binary', { nullable: false })], [pk('u')]);
  assert.equal(planLayout(binKey, [{ label: 's', info: binKey }]).method, 'range');
});
