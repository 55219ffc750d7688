/**
 * `handle-error <task-name | task-file> [-s source ...] [-b binlog-pos] skip|replace|revert|list [sqls]`
 * (DM's hidden v5.3 alias of `binlog`): what the sync unit does with the DDL it stopped on (or, with `-b`,
 * the DDL at that position). `replace` statements are split on `;` outside quotes.
 */
import { Command } from 'commander';
import { splitReplaceSql } from '../../cli/commands/handle-error-command.js';
import type { ErrorOp, HandleErrorRequest } from '../../master/master-api.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';

/** DM's `TrimQuoteMark`: one pair of surrounding double quotes is dropped. */
export function trimQuoteMark(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** DM's `ExtractSQLsFromArgs`: the arguments joined by spaces, split into statements. */
export function extractSqls(args: readonly string[]): string[] {
  const sqls = splitReplaceSql(trimQuoteMark(args.join(' ').trim()));
  if (sqls.length === 0) throw new CtlUsageError('no valid SQLs');
  return sqls;
}

/** `-b file:pos` (DM's `mysql-bin|000001.000003:3270` with relay): checked here, '' when not given. */
export function checkBinlogPos(pos: string | undefined): string {
  if (pos === undefined || pos === '') return '';
  const p = trimQuoteMark(pos.trim());
  if (!/^[^:]+:\d+$/.test(p)) throw DmError.of(E.InvalidBinlogPosStr, [p]);
  return p;
}

const ERROR_OPS: readonly ErrorOp[] = ['skip', 'replace', 'revert', 'list'];

export function handleErrorRequest(args: readonly string[], opts: { sources: readonly string[]; binlogPos?: string }, files: Files): HandleErrorRequest {
  if (args.length < 2) throw new CtlUsageError('give the task name (or task file) and the operation: skip, replace, revert or list');
  const op = ERROR_OPS.find((o) => o === args[1]);
  if (op === undefined) throw new CtlUsageError(`invalid operation '${args[1]}': use skip, replace, revert or list`);
  const rest = args.slice(2);
  if (op !== 'replace' && rest.length > 0) throw new CtlUsageError(`replace-sqls can not be used for '${op}' op`);
  if (op === 'replace' && rest.length === 0) throw new CtlUsageError('must specify the replace-sqls for replace op');
  return {
    op,
    task: taskNameFromArgOrFile(args[0]!, files),
    sources: [...opts.sources],
    binlogPos: checkBinlogPos(opts.binlogPos),
    sqls: op === 'replace' ? extractSqls(rest) : [],
  };
}

export function handleErrorCommand(env: CtlEnv): Command {
  return new Command('handle-error')
    .description('`skip`/`replace`/`revert`/`list` the current error event or a specific binlog position (binlog-pos) event')
    .usage('<task-name | task-file> [-s source ...] [-b binlog-pos] <skip/replace/revert/list> [replace-sql1;replace-sql2;]')
    .argument('[args...]', 'task name or file, operation, then the replace statements')
    .option('-b, --binlog-pos <pos>', 'position used to match binlog event if matched the handler-error operation will be applied. The format like "mysql-bin|000001.000003:3270"')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { binlogPos?: string }) {
        const req = handleErrorRequest(args, { sources: sourcesOf(this), binlogPos: opts.binlogPos }, env.files);
        env.out(formatResponse(await env.master().call('HandleError', req)));
      }),
    );
}
