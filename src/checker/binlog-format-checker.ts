/** `binlog_format`: the upstream logs rows (`binlog_format=ROW`); statements cannot be replicated row by row. */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { globalVariable, instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';

export class BinlogFormatChecker implements Checker {
  readonly name = 'binlog_format';

  constructor(private readonly source: SourceUnderCheck) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('mysql_binlog_format', 'check whether mysql binlog_format is ROW', instanceExtra(this.source));
    try {
      const v = (await globalVariable(this.source.sql, 'binlog_format')) ?? '';
      if (v.toUpperCase() !== 'ROW') r.fail(`binlog_format is ${v}, and should be ROW`, "please execute 'set global binlog_format=ROW;'");
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
