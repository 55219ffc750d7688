/**
 * `binlog_row_image`: row events carry every column (`binlog_row_image=FULL`). Servers older than MySQL 5.6.2 /
 * MariaDB 10.1.6 have no such variable and always log full rows, so they pass.
 */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { globalVariable, instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';
import { hasBinlogRowImage, parseServerVersion } from './server-version.js';

export class BinlogRowImageChecker implements Checker {
  readonly name = 'binlog_row_image';

  constructor(private readonly source: SourceUnderCheck) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('mysql_binlog_row_image', 'check whether mysql binlog_row_image is FULL', instanceExtra(this.source));
    try {
      const rows = await this.source.sql('SELECT VERSION() AS v');
      const version = parseServerVersion(String(rows[0]?.v));
      if (version && !hasBinlogRowImage(version)) return [r.build()];
      const v = (await globalVariable(this.source.sql, 'binlog_row_image')) ?? '';
      if (v.toUpperCase() !== 'FULL') r.fail(`binlog_row_image is ${v}, and should be FULL`, "please execute 'set global binlog_row_image = FULL;'");
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
