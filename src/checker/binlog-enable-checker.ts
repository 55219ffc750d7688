/** `binlog_enable`: the upstream writes a binlog (`log_bin` is ON), which incremental replication reads. */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { globalVariable, instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';

export class BinlogEnableChecker implements Checker {
  readonly name = 'binlog_enable';

  constructor(private readonly source: SourceUnderCheck) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('mysql_binlog_enable', 'check whether mysql binlog is enabled', instanceExtra(this.source));
    try {
      const v = (await globalVariable(this.source.sql, 'log_bin')) ?? 'OFF';
      if (v.toUpperCase() !== 'ON') r.fail(`log_bin is ${v}, and should be ON`, 'ref document: https://dev.mysql.com/doc/refman/5.7/en/replication-howto-masterbaseconfig.html (MariaDB: start the server with --log-bin)');
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
