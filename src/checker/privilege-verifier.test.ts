import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGrant, type ParsedGrant } from './grant-parser.js';
import { dbPatternMatches, describeMissing, missingPrivileges } from './privilege-verifier.js';

const grants = (...lines: string[]): ParsedGrant[] => lines.map((l) => parseGrant(l)!);
const t = (schema: string, table: string): { schema: string; table: string } => ({ schema, table });

test('global privileges only count on *.*; SUPER gives REPLICATION CLIENT; ALL gives everything', () => {
  const req = [{ privilege: 'REPLICATION CLIENT' }, { privilege: 'REPLICATION SLAVE' }];
  assert.deepEqual(missingPrivileges(grants('GRANT ALL PRIVILEGES ON `db`.* TO u@h'), req).map((m) => m.privilege), ['REPLICATION CLIENT', 'REPLICATION SLAVE']);
  assert.deepEqual(missingPrivileges(grants('GRANT SUPER, REPLICATION SLAVE ON *.* TO u@h'), req), []);
  assert.deepEqual(missingPrivileges(grants('GRANT ALL PRIVILEGES ON *.* TO u@h'), req), []);
});

test('table privileges count on the table, a matching database pattern, or globally — not on some columns', () => {
  const req = [{ privilege: 'SELECT', tables: [t('db_1', 'a'), t('db_1', 'b'), t('other', 'c')] }];
  const missing = missingPrivileges(grants('GRANT SELECT ON `db\\_%`.* TO u@h', 'GRANT SELECT (`x`) ON `other`.`c` TO u@h'), req);
  assert.deepEqual(missing, [{ privilege: 'SELECT', tables: [t('other', 'c')] }]);
  assert.equal(describeMissing(missing), 'lack of SELECT privilege: {`other`.`c`}; ');
  assert.equal(describeMissing([{ privilege: 'RELOAD', tables: [] }]), 'lack of RELOAD privilege; ');
});

test('database name wildcards', () => {
  assert.ok(dbPatternMatches('db\\_1', 'db_1'));
  assert.ok(!dbPatternMatches('db\\_1', 'dbx1'));
  assert.ok(dbPatternMatches('db_1', 'dbx1'));
  assert.ok(dbPatternMatches('sh%', 'shop'));
});
