import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsDm } from '../../config/test-support.js';
import { fakeEnv, fakeMaster, memFiles } from '../ctl-test-support.js';
import { binlogCommand, binlogRequest } from './binlog-command.js';
import { checkBinlogPos, extractSqls, handleErrorRequest, trimQuoteMark } from './handle-error-command.js';

const files = memFiles({ 'task.yaml': 'name: t1\n' });

test('SQL arguments are joined and split on ; outside quotes (DM ExtractSQLsFromArgs)', () => {
  assert.deepEqual(extractSqls(['ALTER TABLE t ADD c INT;', 'ALTER TABLE t ADD d INT;']), ['ALTER TABLE t ADD c INT', 'ALTER TABLE t ADD d INT']);
  assert.deepEqual(extractSqls(['"ALTER TABLE t COMMENT \'a;b\'"']), ["ALTER TABLE t COMMENT 'a;b'"]);
  assert.deepEqual(extractSqls(['ALTER', 'TABLE', 't', 'ADD', 'c', 'INT']), ['ALTER TABLE t ADD c INT']);
  assert.throws(() => extractSqls([' ; ']), /no valid SQLs/);
  assert.equal(trimQuoteMark('"x"'), 'x');
  assert.equal(trimQuoteMark('"'), '"');
});

test('binlog positions are checked: file:pos, relay file names included', () => {
  assert.equal(checkBinlogPos(undefined), '');
  assert.equal(checkBinlogPos('mysql-bin.000003:1234'), 'mysql-bin.000003:1234');
  assert.equal(checkBinlogPos('"mysql-bin|000001.000003:3270"'), 'mysql-bin|000001.000003:3270');
  throwsDm(() => checkBinlogPos('mysql-bin.000003'), 11049, 'mysql-bin.000003');
  throwsDm(() => checkBinlogPos('f:12x'), 11049);
});

test('handle-error requests', () => {
  assert.deepEqual(handleErrorRequest(['t1', 'skip'], { sources: [] }, files), { op: 'skip', task: 't1', sources: [], binlogPos: '', sqls: [] });
  assert.deepEqual(handleErrorRequest(['task.yaml', 'replace', 'ALTER TABLE t ADD c INT; ALTER TABLE t ADD d INT'], { sources: ['s1'], binlogPos: 'f.000001:4' }, files), {
    op: 'replace',
    task: 't1',
    sources: ['s1'],
    binlogPos: 'f.000001:4',
    sqls: ['ALTER TABLE t ADD c INT', 'ALTER TABLE t ADD d INT'],
  });
  assert.deepEqual(handleErrorRequest(['t1', 'revert'], { sources: [] }, files).op, 'revert');
  assert.deepEqual(handleErrorRequest(['t1', 'list'], { sources: [] }, files).op, 'list');
  assert.throws(() => handleErrorRequest(['t1'], { sources: [] }, files), /operation/);
  assert.throws(() => handleErrorRequest(['t1', 'ignore'], { sources: [] }, files), /invalid operation 'ignore'/);
  assert.throws(() => handleErrorRequest(['t1', 'skip', 'x'], { sources: [] }, files), /replace-sqls can not be used for 'skip' op/);
  assert.throws(() => handleErrorRequest(['t1', 'replace'], { sources: [] }, files), /must specify the replace-sqls/);
});

test('binlog requests', () => {
  assert.deepEqual(binlogRequest('skip', ['t1'], { sources: ['s1'], binlogPos: 'f:4' }, files), { op: 'skip', task: 't1', sources: ['s1'], binlogPos: 'f:4', sqls: [] });
  assert.deepEqual(binlogRequest('replace', ['task.yaml', 'alter table t add c int;', 'alter table t add d int'], { sources: [] }, files).sqls, ['alter table t add c int', 'alter table t add d int']);
  assert.deepEqual(binlogRequest('inject', ['t1', 'alter table t add c int'], { sources: [] }, files).op, 'inject');
  assert.deepEqual(binlogRequest('list', ['t1'], { sources: [] }, files).op, 'list');
  assert.deepEqual(binlogRequest('revert', ['t1'], { sources: [] }, files).op, 'revert');
  assert.throws(() => binlogRequest('skip', [], { sources: [] }, files), /task name/);
  assert.throws(() => binlogRequest('skip', ['t1', 'x'], { sources: [] }, files), /only the task name/);
  assert.throws(() => binlogRequest('replace', ['t1'], { sources: [] }, files), /needs the statements/);
});

test('binlog -b is accepted before or after the subcommand', async () => {
  const m = fakeMaster();
  await binlogCommand(fakeEnv(m, files)).parseAsync(['-b', 'f:1', 'skip', 't1'], { from: 'user' });
  await binlogCommand(fakeEnv(m, files)).parseAsync(['revert', 't1', '--binlog-pos', 'f:2'], { from: 'user' });
  assert.deepEqual(m.calls.map((c) => [c.method, (c.req as { binlogPos: string }).binlogPos]), [
    ['HandleError', 'f:1'],
    ['HandleError', 'f:2'],
  ]);
});
