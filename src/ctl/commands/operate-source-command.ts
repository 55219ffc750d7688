/**
 * `operate-source <create|update|stop|show> [config-file ...] [-p]` (DM v5.3): creates (atomically), updates,
 * stops or shows sources. The files are read here and their text is sent (dm-master never reads dmctl's
 * files). `stop` and `show` also take source ids: an argument that is not an existing file is an id, as are
 * the global `-s` values. `-p/--print-sample-config` prints a sample source.yaml and ignores everything else.
 */
import { Command } from 'commander';
import { sampleSourceConfig } from '../../config/sample-configs.js';
import type { OperateSourceRequest, SourceOp } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, type CtlEnv, type Files } from '../ctl-env.js';

const OPS: readonly SourceOp[] = ['create', 'update', 'stop', 'show'];

/** The request of `operate-source <args...>` with the global `-s` values. */
export function operateSourceRequest(args: readonly string[], sources: readonly string[], files: Files): OperateSourceRequest {
  const [opText, ...rest] = args;
  if (opText === undefined) throw new CtlUsageError('missing the operation: create, update, stop or show');
  const op = OPS.find((o) => o === opText);
  if (op === undefined) throw new CtlUsageError(`invalid operate '${opText}' on source: use create, update, stop or show`);
  if (op !== 'show' && rest.length === 0 && !(op === 'stop' && sources.length > 0)) {
    throw new CtlUsageError(op === 'stop' ? 'stop needs source config files or source ids' : `${op} needs at least one source config file`);
  }
  const config: string[] = [];
  const sourceID = [...sources];
  for (const arg of rest) {
    if ((op === 'stop' || op === 'show') && !files.isFile(arg)) sourceID.push(arg);
    else config.push(files.read(arg));
  }
  return { op, config, sourceID };
}

export function operateSourceCommand(env: CtlEnv): Command {
  return new Command('operate-source')
    .description('`create`/`update`/`stop`/`show` upstream MySQL/MariaDB source')
    .usage('<operate-type> [config-file ...] [--print-sample-config]')
    .argument('[args...]', 'create|update|stop|show, then source config files (stop/show: or source ids)')
    .option('-p, --print-sample-config', 'print sample config file of source')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { printSampleConfig?: boolean }) {
        if (opts.printSampleConfig === true) {
          env.out(`${sampleSourceConfig().trimEnd()}\n`);
          return;
        }
        const req = operateSourceRequest(args, sourcesOf(this), env.files);
        env.out(formatResponse(await env.master().call('OperateSource', req)));
      }),
    );
}
