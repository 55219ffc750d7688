/**
 * `offline-member <--master|--worker> <--name name>`: removes a stopped master or worker from the cluster
 * (dm-master refuses an online one).
 */
import { Command } from 'commander';
import type { OfflineMemberRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, type CtlEnv } from '../ctl-env.js';

export function offlineMemberRequest(args: readonly string[], opts: { master?: boolean; worker?: boolean; name?: string }): OfflineMemberRequest {
  if (args.length > 0) throw new CtlUsageError(`offline-member takes no arguments (use --name), got '${args.join(' ')}'`);
  if (opts.master === true && opts.worker === true) throw new CtlUsageError('give only one of --master and --worker');
  if (opts.master !== true && opts.worker !== true) throw new CtlUsageError('give the member type: --master or --worker');
  if (opts.name === undefined || opts.name === '') throw new CtlUsageError('give the member name with --name');
  return { type: opts.master === true ? 'master' : 'worker', name: opts.name };
}

export function offlineMemberCommand(env: CtlEnv): Command {
  return new Command('offline-member')
    .description('Offlines member which has been closed')
    .usage('<--master/--worker> <--name master-name/worker-name>')
    .argument('[extra...]')
    .option('-m, --master', 'to offline a master')
    .option('-w, --worker', 'to offline a worker')
    .option('-n, --name <name>', 'specify member name for choosing type')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { master?: boolean; worker?: boolean; name?: string }) {
        env.out(formatResponse(await env.master().call('OfflineMember', offlineMemberRequest(args, opts))));
      }),
    );
}
