/**
 * `list-member [-l/--leader] [-m/--master] [-w/--worker] [-n/--name name ...]`: the cluster's leader,
 * masters and workers (all three when no kind is chosen), optionally only the named members.
 */
import { Command } from 'commander';
import type { ListMemberRequest } from '../../master/master-api.js';
import { collectList, ctlAction, CtlUsageError, formatResponse, type CtlEnv } from '../ctl-env.js';

export function listMemberRequest(args: readonly string[], opts: { leader?: boolean; master?: boolean; worker?: boolean; name?: string[] }): ListMemberRequest {
  if (args.length > 0) throw new CtlUsageError(`list-member takes no arguments (use --name), got '${args.join(' ')}'`);
  return { leader: opts.leader === true, master: opts.master === true, worker: opts.worker === true, names: opts.name ?? [] };
}

export function listMemberCommand(env: CtlEnv): Command {
  return new Command('list-member')
    .description('Lists the member information (leader, masters, workers)')
    .usage('[--leader] [--master] [--worker] [--name master-name/worker-name ...]')
    .argument('[extra...]')
    .option('-l, --leader', 'only to list leader information')
    .option('-m, --master', 'only to list master information')
    .option('-w, --worker', 'only to list worker information')
    .option('-n, --name <name>', 'specify member names in choosing type (repeatable, or comma-separated)', collectList)
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { leader?: boolean; master?: boolean; worker?: boolean; name?: string[] }) {
        env.out(formatResponse(await env.master().call('ListMember', listMemberRequest(args, opts))));
      }),
    );
}
