import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../../observability/dm-error.js';
import { emptyGtidSet, isGtidFlavor, parseGtidSet, type GtidFlavor, type GtidSet } from './gtid-set.js';
import { MariadbGtidSet } from './mariadb-gtid-set.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

function throwsCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof DmError && e.code === code, `expected DmError ${code}`);
}

void test('parseGtidSet dispatches on flavor; the empty string is the empty set', () => {
  const m = parseGtidSet('mysql', `${U1}:1-3`);
  assert.ok(m instanceof MysqlGtidSet);
  assert.equal(m.flavor, 'mysql');
  const d = parseGtidSet('mariadb', '0-1-5');
  assert.ok(d instanceof MariadbGtidSet);
  assert.equal(d.flavor, 'mariadb');
  for (const f of ['mysql', 'mariadb'] as const) {
    const e = parseGtidSet(f, '');
    assert.ok(e.isEmpty());
    assert.equal(e.toString(), '');
    assert.ok(e.equals(emptyGtidSet(f)));
    assert.equal(emptyGtidSet(f).flavor, f);
  }
});

void test('flavor-specific errors', () => {
  throwsCode(() => parseGtidSet('mysql', '0-1-5'), 11059);
  throwsCode(() => parseGtidSet('mariadb', `${U1}:1`), 11060);
  throwsCode(() => parseGtidSet('MySQL' as GtidFlavor, ''), 11010);
  throwsCode(() => emptyGtidSet('tidb' as GtidFlavor), 11010);
  assert.ok(isGtidFlavor('mysql') && isGtidFlavor('mariadb'));
  assert.ok(!isGtidFlavor('MySQL') && !isGtidFlavor(undefined));
});

void test('the interface is enough to track a position generically', () => {
  const cases: Array<[GtidFlavor, string, string[], string]> = [
    ['mysql', `${U1}:1-3`, [`${U1}:4`, `${U1}:5`, `${U1}:t:1`], `${U1}:1-5:t:1`],
    ['mariadb', '0-1-3', ['0-1-4', '0-1-5', '1-2-1'], '0-1-5,1-2-1'],
  ];
  for (const [flavor, start, adds, want] of cases) {
    const pos: GtidSet = parseGtidSet(flavor, start);
    const before = pos.clone();
    for (const g of adds) pos.add(g);
    assert.equal(pos.toString(), want);
    assert.ok(pos.contains(before) && !before.contains(pos));
    assert.ok(before.union(pos).equals(pos));
    assert.ok(parseGtidSet(flavor, pos.toString()).equals(pos), 'text round trip');
  }
});
