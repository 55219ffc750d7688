import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planChecks } from './check-plan.js';

const base = { shardMode: '' as const, isSharding: false, ignoreCheckingItems: [] as string[] };

test('items follow the task mode as in DM', () => {
  assert.deepEqual(planChecks({ ...base, taskMode: 'full' }), { sourceItems: ['version', 'dump_privilege'], taskItems: ['table_schema'] });
  assert.deepEqual(planChecks({ ...base, taskMode: 'incremental' }), {
    sourceItems: ['version', 'server_id', 'binlog_enable', 'binlog_format', 'binlog_row_image', 'replication_privilege', 'binlog_db'],
    taskItems: [],
  });
  assert.equal(planChecks({ ...base, taskMode: 'all' }).sourceItems.length, 8);
});

test('shard checks only for sharding tasks that dump', () => {
  assert.deepEqual(planChecks({ ...base, taskMode: 'all', shardMode: 'pessimistic' }).taskItems, ['table_schema', 'schema_of_shard_tables', 'auto_increment_ID']);
  assert.deepEqual(planChecks({ ...base, taskMode: 'incremental', shardMode: 'optimistic' }).taskItems, []);
});

test('ignore-checking-items removes items; all removes everything', () => {
  const p = planChecks({ ...base, taskMode: 'all', isSharding: true, ignoreCheckingItems: ['auto_increment_ID', 'binlog_db', 'version'] });
  assert.ok(!p.sourceItems.includes('binlog_db') && !p.sourceItems.includes('version'));
  assert.deepEqual(p.taskItems, ['table_schema', 'schema_of_shard_tables']);
  assert.deepEqual(planChecks({ ...base, taskMode: 'all', ignoreCheckingItems: ['all'] }), { sourceItems: [], taskItems: [] });
});
