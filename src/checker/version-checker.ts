/**
 * `version`: the upstream's version is one DM supports (spec §6.1): MySQL ≥ 5.6 passes and MySQL ≥ 8.0 is a
 * warning (experimental); MariaDB ≥ 10.1.2 passes; older servers fail; a TiDB upstream is a warning.
 */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';
import { judgeVersion } from './server-version.js';

export class VersionChecker implements Checker {
  readonly name = 'version';

  constructor(private readonly source: SourceUnderCheck) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('mysql_version', 'check whether mysql version is satisfied', instanceExtra(this.source));
    try {
      const rows = await this.source.sql('SELECT VERSION() AS v');
      const version = String(rows[0]?.v);
      const verdict = judgeVersion(version);
      if (verdict.state === 'fail') r.fail(verdict.message, 'DM supports MySQL 5.6 and later (8.0 experimental) and MariaDB 10.1.2 and later; please upgrade the upstream.');
      else if (verdict.state === 'warn') r.warn(verdict.message);
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
