/**
 * `check-task <config-file> [-e/--error N] [-w/--warn N]`: runs the precheck of a task file on dm-master
 * without starting it; at most N errors / N warnings are shown (default 10 each).
 */
import { Command } from 'commander';
import type { CheckTaskRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, type CtlEnv, type Files } from '../ctl-env.js';

function count(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new CtlUsageError(`${flag} must be a non-negative integer, got '${text}'`);
  return Number(text.trim());
}

export function checkTaskRequest(args: readonly string[], opts: { error: string; warn: string }, files: Files): CheckTaskRequest {
  if (args.length !== 1) throw new CtlUsageError(args.length === 0 ? 'missing the task config file' : `check-task takes one task config file, got ${args.length} arguments`);
  const errCnt = count('--error', opts.error);
  const warnCnt = count('--warn', opts.warn);
  return { task: files.read(args[0]!), errCnt, warnCnt };
}

export function checkTaskCommand(env: CtlEnv): Command {
  return new Command('check-task')
    .description('Checks the configuration file of the task')
    .usage('<config-file> [--error count] [--warn count]')
    .argument('[config-file...]', 'task configuration file (task.yaml)')
    .option('-e, --error <count>', 'max count of errors to display', '10')
    .option('-w, --warn <count>', 'max count of warns to display', '10')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { error: string; warn: string }) {
        const req = checkTaskRequest(args, opts, env.files);
        env.out(formatResponse(await env.master().call('CheckTask', req)));
      }),
    );
}
