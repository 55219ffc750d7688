/**
 * `query-status [-s source ...] [task-name | task-file] [--more]`. With a task: its detailed per-source
 * status. Without one: the task summary (`tasks`) — unless `-s` or `--more` is given, where DM prints the
 * detailed status of every task of those sources; dmctl builds that from the summary and one detailed query
 * per task, merged per source (DM's `QueryStatusListResponse` shape).
 */
import { Command } from 'commander';
import type { QueryStatusRequest, QueryStatusResponse, QueryStatusSourceJson } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';

export function queryStatusRequest(args: readonly string[], sources: readonly string[], files: Files): QueryStatusRequest {
  if (args.length > 1) throw new CtlUsageError(`takes at most one task name or task file, got ${args.length} arguments`);
  return { name: args.length === 0 ? '' : taskNameFromArgOrFile(args[0]!, files), sources: [...sources] };
}

/** Whether the detailed status of every task is wanted (no task name, but `-s` or `--more`). */
export function wantsAllDetails(req: QueryStatusRequest, more: boolean): boolean {
  return req.name === '' && (more || req.sources.length > 0);
}

/** Merges per-task detailed answers into one answer per source, in first-seen source order. */
export function mergeStatusDetails(details: readonly QueryStatusResponse[]): QueryStatusResponse {
  const bySource = new Map<string, QueryStatusSourceJson>();
  const msgs: string[] = [];
  let result = true;
  for (const d of details) {
    if (!d.result) result = false;
    if (d.msg !== '' && !msgs.includes(d.msg)) msgs.push(d.msg);
    for (const s of d.sources ?? []) {
      const key = s.sourceStatus.source;
      const seen = bySource.get(key);
      if (seen === undefined) {
        bySource.set(key, { ...s, subTaskStatus: [...s.subTaskStatus] });
      } else {
        seen.subTaskStatus.push(...s.subTaskStatus);
        if (!s.result) seen.result = false;
        if (s.msg !== '' && !seen.msg.includes(s.msg)) seen.msg = seen.msg === '' ? s.msg : `${seen.msg}; ${s.msg}`;
      }
    }
  }
  return { result, msg: msgs.join('; '), sources: [...bySource.values()] };
}

export function queryStatusCommand(env: CtlEnv): Command {
  return new Command('query-status')
    .description('Queries task status')
    .usage('[-s source ...] [task-name | task-file] [--more]')
    .argument('[task...]', 'task name, or task file (its `name` is used)')
    .option('--more', 'whether to print the detailed task information (every task of every source when no task is given)')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { more?: boolean }) {
        const req = queryStatusRequest(args, sourcesOf(this), env.files);
        const master = env.master();
        const resp = await master.call('QueryStatus', req);
        if (!wantsAllDetails(req, opts.more === true) || !resp.result) {
          env.out(formatResponse(resp));
          return;
        }
        const details: QueryStatusResponse[] = [];
        for (const t of resp.tasks ?? []) details.push(await master.call('QueryStatus', { name: t.taskName, sources: req.sources }));
        env.out(formatResponse(mergeStatusDetails(details)));
      }),
    );
}
