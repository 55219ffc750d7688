/**
 * `transfer-source <source-id> <worker-id>`: binds a source to another (free) worker; dm-master refuses
 * while the old worker still runs tasks of the source (pause them first).
 */
import { Command } from 'commander';
import type { TransferSourceRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, type CtlEnv } from '../ctl-env.js';

export function transferSourceRequest(args: readonly string[]): TransferSourceRequest {
  if (args.length !== 2) throw new CtlUsageError(`give a source id and a worker name, got ${args.length} arguments`);
  return { source: args[0]!, worker: args[1]! };
}

export function transferSourceCommand(env: CtlEnv): Command {
  return new Command('transfer-source')
    .description('Transfers a upstream MySQL/MariaDB source to a free worker')
    .usage('<source-id> <worker-id>')
    .argument('[args...]', 'source id and worker name')
    .action(
      ctlAction(async function (this: Command, args: string[]) {
        env.out(formatResponse(await env.master().call('TransferSource', transferSourceRequest(args))));
      }),
    );
}
