import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blankSubtask } from './test-subtask.js';
import { migratedTablesOf, shardGroups } from './table-inventory.js';

test('block-allow list and routes pick and name the migrated tables; shard groups span sources', () => {
  const cfg = blankSubtask({
    blockAllowList: { name: 'ba', doDbs: ['shard_*'], ignoreDbs: [], doTables: [], ignoreTables: [] },
    routeRules: [{ name: 'r', schemaPattern: 'shard_*', tablePattern: 't*', targetSchema: 'merged', targetTable: 't' }],
  });
  const s1 = migratedTablesOf({ sourceId: 's1', cfg }, [
    { schema: 'shard_1', table: 't1' },
    { schema: 'shard_1', table: 'other' },
    { schema: 'mysql', table: 'user' },
    { schema: 'app', table: 'x' },
  ]);
  assert.deepEqual(s1.map((m) => `${m.upstream.schema}.${m.upstream.table}->${m.target.schema}.${m.target.table}`), ['shard_1.other->shard_1.other', 'shard_1.t1->merged.t']);
  const s2 = migratedTablesOf({ sourceId: 's2', cfg }, [{ schema: 'shard_2', table: 't2' }]);
  const groups = shardGroups([...s2, ...s1]);
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0]!.members.map((m) => `${m.sourceId}:${m.upstream.table}`), ['s1:t1', 's2:t2']);
});

test('targets differing only in case are DM 26001', () => {
  const cfg = blankSubtask({ routeRules: [{ name: 'r', schemaPattern: 'a', tablePattern: 'x', targetSchema: 'm', targetTable: 'T' }] });
  assert.throws(() => migratedTablesOf({ sourceId: 's1', cfg }, [{ schema: 'a', table: 'x' }, { schema: 'm', table: 't' }]), /code=26001/);
});
