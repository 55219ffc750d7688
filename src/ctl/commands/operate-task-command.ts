/**
 * `stop-task` / `pause-task` / `resume-task [-s source ...] [task-name | task-file]`: one `OperateTask`
 * request. A `.yaml`/`.yml` argument that is a task file stands for its `name`; with only `-s` and no task,
 * the name is '' = every task of those sources (DM v5.3).
 */
import { Command } from 'commander';
import type { OperateTaskRequest, TaskOp } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';

export function operateTaskRequest(op: TaskOp, args: readonly string[], sources: readonly string[], files: Files): OperateTaskRequest {
  if (args.length > 1) throw new CtlUsageError(`takes at most one task name or task file, got ${args.length} arguments`);
  if (args.length === 0 && sources.length === 0) throw new CtlUsageError('give a task name (or task file), or sources with -s');
  return { op, name: args.length === 0 ? '' : taskNameFromArgOrFile(args[0]!, files), sources: [...sources] };
}

const DESCRIPTIONS: Record<TaskOp, string> = {
  Stop: 'Stops a specified task',
  Pause: 'Pauses a specified running task or all (sub)tasks bound to a source',
  Resume: 'Resumes a specified paused task or all (sub)tasks bound to a source',
};

export function operateTaskCommand(env: CtlEnv, op: TaskOp): Command {
  return new Command(`${op.toLowerCase()}-task`)
    .description(DESCRIPTIONS[op])
    .usage('[-s source ...] [task-name | task-file]')
    .argument('[task...]', 'task name, or task file (its `name` is used)')
    .option('--batch-size <n>', 'accepted for DM compatibility; dm-master operates all sources at once', '5')
    .action(
      ctlAction(async function (this: Command, args: string[]) {
        const req = operateTaskRequest(op, args, sourcesOf(this), env.files);
        env.out(formatResponse(await env.master().call('OperateTask', req)));
      }),
    );
}
