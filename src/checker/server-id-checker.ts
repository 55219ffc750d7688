/** `server_id`: the upstream has a non-zero `server_id` (a primary with 0 refuses replicas). */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { globalVariable, instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';

export class ServerIdChecker implements Checker {
  readonly name = 'server_id';

  constructor(private readonly source: SourceUnderCheck) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('mysql_server_id', 'check whether mysql server_id has been greater than 0', instanceExtra(this.source));
    try {
      const v = await globalVariable(this.source.sql, 'server_id');
      if (v === undefined || v === '') r.fail('server_id not set', 'please set server_id in your database');
      else if (v === '0') r.fail('server_id is 0', 'please set server_id greater than 0');
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
