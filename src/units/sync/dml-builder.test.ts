import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDelete, buildInsert, buildUpdate, type DmlTarget } from './dml-builder.js';
import { DmError } from '../../observability/dm-error.js';

const T: DmlTarget = { schema: 'db', table: 'we`ird', columns: [{ name: 'id' }, { name: 'v' }, { name: 'n' }], key: [0] };
const NOKEY: DmlTarget = { ...T, key: [] };

test('INSERT / REPLACE, one or several rows, values as parameters', () => {
  assert.deepEqual(buildInsert(T, [[1n, 'a', null]], false), { sql: 'INSERT INTO `db`.`we``ird` (`id`,`v`,`n`) VALUES (?,?,?)', params: ['1', 'a', null] });
  const m = buildInsert(T, [[1, 'a', null], [2, Buffer.from([0]), 3]], true);
  assert.equal(m.sql, 'REPLACE INTO `db`.`we``ird` (`id`,`v`,`n`) VALUES (?,?,?),(?,?,?)');
  assert.deepEqual(m.params, [1, 'a', null, 2, Buffer.from([0]), 3]);
});

test('UPDATE by the old key; safe mode is DELETE old key + REPLACE new row', () => {
  const change = { before: [1, 'a', null], after: [2, 'b', 5] };
  assert.deepEqual(buildUpdate(T, change, false), [{ sql: 'UPDATE `db`.`we``ird` SET `id` = ?, `v` = ?, `n` = ? WHERE `id` = ? LIMIT 1', params: [2, 'b', 5, 1] }]);
  const safe = buildUpdate(T, change, true);
  assert.deepEqual(safe.map((s) => s.sql), ['DELETE FROM `db`.`we``ird` WHERE `id` = ? LIMIT 1', 'REPLACE INTO `db`.`we``ird` (`id`,`v`,`n`) VALUES (?,?,?)']);
  assert.deepEqual(safe[0]!.params, [1]);
});

test('a table without a key is identified by every column, NULL-safely', () => {
  assert.deepEqual(buildDelete(NOKEY, [1, null, 'x']), { sql: 'DELETE FROM `db`.`we``ird` WHERE `id` <=> ? AND `v` <=> ? AND `n` <=> ? LIMIT 1', params: [1, null, 'x'] });
});

test('a row image missing columns (not FULL) and a column-count mismatch are coded errors', () => {
  assert.throws(() => buildInsert(T, [[1, undefined, 2]], false), (e: unknown) => e instanceof DmError && e.code === 11126);
  assert.throws(() => buildDelete(NOKEY, [1, undefined, 2]), (e: unknown) => e instanceof DmError && e.code === 11126);
  assert.throws(() => buildInsert(T, [[1, 2]], false), (e: unknown) => e instanceof DmError && e.code === 36027);
});
