/**
 * What `dump_privilege` and `replication_privilege` share: read the current user's grants (SHOW GRANTS FOR
 * CURRENT_USER()), compare them with the item's requirements, and report what is lacking as DM does.
 */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';
import { parseGrant, type ParsedGrant } from './grant-parser.js';
import { describeMissing, missingPrivileges, type PrivilegeRequirement } from './privilege-verifier.js';

export const INSTRUCTION = 'You need grant related privileges.';

export async function currentGrants(source: SourceUnderCheck): Promise<ParsedGrant[]> {
  const rows = await source.sql('SHOW GRANTS FOR CURRENT_USER()');
  return rows.map((row) => parseGrant(String(Object.values(row)[0] as string))).filter((g): g is ParsedGrant => g !== undefined);
}

export abstract class PrivilegeChecker implements Checker {
  abstract readonly name: 'dump_privilege' | 'replication_privilege';
  protected abstract readonly resultName: string;
  protected abstract readonly desc: string;

  constructor(protected readonly source: SourceUnderCheck) {}

  protected abstract requirements(): PrivilegeRequirement[];

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder(this.resultName, this.desc, instanceExtra(this.source));
    try {
      const grants = await currentGrants(this.source);
      if (grants.length === 0) r.fail("there is no such grant defined for current user on host '%'", INSTRUCTION);
      else {
        const missing = missingPrivileges(grants, this.requirements());
        if (missing.length > 0) r.fail(describeMissing(missing), INSTRUCTION);
      }
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
