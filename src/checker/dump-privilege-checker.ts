/**
 * `dump_privilege` (full / all): the upstream user can dump the migrated tables (spec §1.8): SELECT on every
 * migrated table; RELOAD (FLUSH TABLES WITH READ LOCK) for consistency auto/flush; LOCK TABLES on the migrated
 * tables for consistency lock; nothing more for snapshot/none. When no migrated table is visible
 * (information_schema lists only tables the user can see) SELECT is needed on `*.*`, so a user without any
 * SELECT still fails.
 */
import type { TableName } from '../filter/table-filter.js';
import type { ConsistencyMode } from '../units/dump/consistency.js';
import type { SourceUnderCheck } from './checker.js';
import { PrivilegeChecker } from './privilege-checker.js';
import type { PrivilegeRequirement } from './privilege-verifier.js';

/** The dump's requirements for these tables under a consistency mode. */
export function dumpRequirements(tables: readonly TableName[], consistency: ConsistencyMode): PrivilegeRequirement[] {
  const req: PrivilegeRequirement[] = [tables.length > 0 ? { privilege: 'SELECT', tables } : { privilege: 'SELECT' }];
  if (consistency === 'auto' || consistency === 'flush') req.push({ privilege: 'RELOAD' });
  if (consistency === 'lock') req.push(tables.length > 0 ? { privilege: 'LOCK TABLES', tables } : { privilege: 'LOCK TABLES' });
  return req;
}

export class DumpPrivilegeChecker extends PrivilegeChecker {
  readonly name = 'dump_privilege';
  protected readonly resultName = 'source db dump privilege checker';
  protected readonly desc = 'check dump privileges of source DB';

  constructor(
    source: SourceUnderCheck,
    private readonly tables: readonly TableName[],
    private readonly consistency: ConsistencyMode,
  ) {
    super(source);
  }

  protected requirements(): PrivilegeRequirement[] {
    return dumpRequirements(this.tables, this.consistency);
  }
}
