import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinlogFormatChecker } from './binlog-format-checker.js';
import { BinlogRowImageChecker } from './binlog-row-image-checker.js';
import type { SourceUnderCheck, SqlRunner } from './checker.js';
import { blankSubtask } from './test-subtask.js';

function source(vars: Record<string, string>, version = '10.11.6-MariaDB'): SourceUnderCheck {
  const sql: SqlRunner = (q, params) => {
    if (q.startsWith('SELECT VERSION()')) return Promise.resolve([{ v: version }]);
    const name = String(params?.[0]);
    return Promise.resolve(name in vars ? [{ Variable_name: name, Value: vars[name] }] : []);
  };
  return { sourceId: 's1', cfg: blankSubtask(), sql, address: '127.0.0.1:3306' };
}

test('binlog_format must be ROW; the result carries DM instruction and address', async () => {
  const [ok] = await new BinlogFormatChecker(source({ binlog_format: 'ROW' })).run();
  assert.deepEqual(ok, { name: 'mysql_binlog_format', desc: 'check whether mysql binlog_format is ROW', state: 'success', extra: 'address of db instance - 127.0.0.1:3306' });
  const [bad] = await new BinlogFormatChecker(source({ binlog_format: 'MIXED' })).run();
  assert.equal(bad?.state, 'fail');
  assert.equal(bad?.errors?.[0]?.short_error, 'binlog_format is MIXED, and should be ROW');
});

test('binlog_row_image must be FULL, except on servers without it; query errors are failures', async () => {
  assert.equal((await new BinlogRowImageChecker(source({ binlog_row_image: 'MINIMAL' })).run())[0]?.state, 'fail');
  assert.equal((await new BinlogRowImageChecker(source({ binlog_row_image: 'MINIMAL' }, '5.5.60-log')).run())[0]?.state, 'success');
  const broken: SourceUnderCheck = { ...source({}), sql: () => Promise.reject(new Error('Access denied')) };
  const [r] = await new BinlogRowImageChecker(broken).run();
  assert.deepEqual(r?.errors, [{ severity: 'fail', short_error: 'Access denied' }]);
});
