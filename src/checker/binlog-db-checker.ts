/**
 * `binlog_db`: no migrated schema is left out of the binlog by the upstream's `binlog-do-db` /
 * `binlog-ignore-db` options (as SHOW MASTER STATUS reports them). MySQL applies `binlog-do-db` when it is
 * set and then ignores `binlog-ignore-db`; names compare case-insensitively unless the task is case-sensitive.
 * With the binlog off SHOW MASTER STATUS is empty and this item passes (`binlog_enable` reports it).
 */
import { ResultBuilder, type ItemResult } from './check-result.js';
import { instanceExtra, type Checker, type SourceUnderCheck } from './checker.js';

/** What is wrong with the binlog db options for these schemas, or undefined when they are all logged. */
export function binlogDbProblem(doDb: string, ignoreDb: string, schemas: Iterable<string>, caseSensitive: boolean): string | undefined {
  const norm = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  const list = (s: string): string[] => s.split(',').map((x) => norm(x.trim())).filter((x) => x !== '');
  const dos = list(doDb);
  const ignores = list(ignoreDb);
  const wanted = [...new Set([...schemas].map(norm))].sort();
  if (dos.length > 0) {
    const missing = wanted.filter((s) => !dos.includes(s));
    return missing.length > 0 ? `these dbs [${missing.join(',')}] are not in binlog_do_db[${dos.join(',')}]` : undefined;
  }
  const ignored = wanted.filter((s) => ignores.includes(s));
  return ignored.length > 0 ? `db [${ignored.join(',')}] is in binlog_ignore_db[${ignores.join(',')}]` : undefined;
}

export class BinlogDbChecker implements Checker {
  readonly name = 'binlog_db';

  constructor(
    private readonly source: SourceUnderCheck,
    private readonly schemas: readonly string[],
  ) {}

  async run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('binlog_do_db/binlog_ignore_db check', 'check whether migrated dbs are in binlog_do_db/binlog_ignore_db', instanceExtra(this.source));
    try {
      const row = (await this.source.sql('SHOW MASTER STATUS'))[0];
      if (row) {
        const problem = binlogDbProblem(String((row.Binlog_Do_DB as string | null) ?? ''), String((row.Binlog_Ignore_DB as string | null) ?? ''), this.schemas, this.source.cfg.caseSensitive);
        if (problem) r.fail(problem, 'Changes of these databases are not written to the binlog; remove them from the upstream binlog-ignore-db (or add them to binlog-do-db) and restart it.');
      }
    } catch (e) {
      r.error(e);
    }
    return [r.build()];
  }
}
