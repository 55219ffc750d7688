/**
 * `binlog skip|revert|list <task>` and `binlog replace|inject <task> <sql> ...` with `-b binlog-pos` and the
 * global `-s` (DM v5.3 names of handle-error): one `HandleError` request.
 */
import { Command } from 'commander';
import type { ErrorOp, HandleErrorRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';
import { checkBinlogPos, extractSqls } from './handle-error-command.js';

export function binlogRequest(op: ErrorOp, args: readonly string[], opts: { sources: readonly string[]; binlogPos?: string }, files: Files): HandleErrorRequest {
  const withSqls = op === 'replace' || op === 'inject';
  if (args.length === 0) throw new CtlUsageError('give the task name (or task file)');
  if (withSqls && args.length < 2) throw new CtlUsageError(`${op} needs the statements after the task name`);
  if (!withSqls && args.length > 1) throw new CtlUsageError(`${op} takes only the task name, got ${args.length} arguments`);
  return {
    op,
    task: taskNameFromArgOrFile(args[0]!, files),
    sources: [...opts.sources],
    binlogPos: checkBinlogPos(opts.binlogPos),
    sqls: withSqls ? extractSqls(args.slice(1)) : [],
  };
}

const SUBCOMMANDS: ReadonlyArray<{ op: ErrorOp; usage: string; description: string; hidden?: boolean }> = [
  { op: 'skip', usage: '<task-name>', description: 'skip the current error event or a specific binlog position (binlog-pos) event' },
  { op: 'replace', usage: '<task-name> <replace-sql1> <replace-sql2>...', description: 'replace the current error event or a specific binlog position (binlog-pos) ddl event with some ddls' },
  { op: 'revert', usage: '<task-name>', description: 'revert the current binlog operation or a specific binlog position (binlog-pos) operation' },
  { op: 'list', usage: '<task-name>', description: 'list the pending binlog operations and errors (at or after binlog-pos when given)' },
  { op: 'inject', usage: '<task-name> <inject-sql1> <inject-sql2>...', description: 'inject some ddls at the current error event or a specific binlog position (binlog-pos)', hidden: true },
];

export function binlogCommand(env: CtlEnv): Command {
  const cmd = new Command('binlog')
    .description('manage or show binlog operations')
    .usage('<command> [-b binlog-pos] [-s source ...]')
    .option('-b, --binlog-pos <pos>', 'position used to match binlog event if matched the binlog operation will be applied. The format like "mysql-bin|000001.000003:3270"');
  for (const s of SUBCOMMANDS) {
    const sub = new Command(s.op)
      .description(s.description)
      .usage(s.usage)
      .argument('[args...]')
      .action(
        ctlAction(async function (this: Command, args: string[]) {
          const { binlogPos } = this.optsWithGlobals<{ binlogPos?: string }>();
          const req = binlogRequest(s.op, args, { sources: sourcesOf(this), binlogPos }, env.files);
          env.out(formatResponse(await env.master().call('HandleError', req)));
        }),
      );
    cmd.addCommand(sub, s.hidden === true ? { hidden: true } : {});
  }
  return cmd;
}
