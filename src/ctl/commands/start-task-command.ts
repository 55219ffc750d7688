/**
 * `start-task [-s source ...] [--remove-meta] <config-file>`: sends the task file's text; dm-master checks,
 * prechecks and starts it (only the `-s` sources' subtasks when given). A failed precheck comes back in the
 * response (`checkResult`), printed with it.
 */
import { Command } from 'commander';
import type { StartTaskRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, type CtlEnv, type Files } from '../ctl-env.js';

export function startTaskRequest(args: readonly string[], opts: { sources: readonly string[]; removeMeta: boolean }, files: Files): StartTaskRequest {
  if (args.length !== 1) throw new CtlUsageError(args.length === 0 ? 'missing the task config file' : `start-task takes one task config file, got ${args.length} arguments`);
  return { task: files.read(args[0]!), sources: [...opts.sources], removeMeta: opts.removeMeta };
}

export function startTaskCommand(env: CtlEnv): Command {
  return new Command('start-task')
    .description('Starts a task as defined in the configuration file')
    .usage('[-s source ...] [--remove-meta] <config-file>')
    .argument('[config-file...]', 'task configuration file (task.yaml)')
    .option('--remove-meta', 'whether to remove task\'s meta data (checkpoints, shard DDL locks) before starting')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { removeMeta?: boolean }) {
        const req = startTaskRequest(args, { sources: sourcesOf(this), removeMeta: opts.removeMeta === true }, env.files);
        env.out(formatResponse(await env.master().call('StartTask', req)));
      }),
    );
}
