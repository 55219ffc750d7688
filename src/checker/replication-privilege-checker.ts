/**
 * `replication_privilege` (incremental / all): the upstream user can read the binlog — REPLICATION SLAVE
 * (the binlog dump) and REPLICATION CLIENT (SHOW MASTER STATUS; MariaDB 10.5+ prints it as BINLOG MONITOR;
 * SUPER also allows it), both on `*.*`.
 */
import { PrivilegeChecker } from './privilege-checker.js';
import type { PrivilegeRequirement } from './privilege-verifier.js';

export const REPLICATION_REQUIREMENTS: readonly PrivilegeRequirement[] = [{ privilege: 'REPLICATION CLIENT' }, { privilege: 'REPLICATION SLAVE' }];

export class ReplicationPrivilegeChecker extends PrivilegeChecker {
  readonly name = 'replication_privilege';
  protected readonly resultName = 'source db replication privilege checker';
  protected readonly desc = 'check replication privileges of source DB';

  protected requirements(): PrivilegeRequirement[] {
    return [...REPLICATION_REQUIREMENTS];
  }
}
