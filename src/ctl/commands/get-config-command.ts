/**
 * `get-config <task|master|worker|source> <name> [-f/--file path]` (DM's hidden alias of `config ...`):
 * prints dm-master's answer (`cfg` = the YAML/TOML text, passwords masked). With `--file` and a successful
 * answer, the text goes to the file instead and the printed answer says so (`cfg` emptied), as DM does.
 */
import { Command } from 'commander';
import type { CfgType, GetCfgRequest, GetCfgResponse } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, type CtlEnv, type Files } from '../ctl-env.js';

const CFG_TYPES: readonly CfgType[] = ['task', 'master', 'worker', 'source'];

export function getConfigRequest(args: readonly string[]): GetCfgRequest {
  if (args.length !== 2) throw new CtlUsageError(`give the config type (task, master, worker, source) and a name, got ${args.length} arguments`);
  const type = CFG_TYPES.find((t) => t === args[0]);
  if (type === undefined) throw new CtlUsageError(`invalid config type '${args[0]}': use task, master, worker or source`);
  return { type, name: args[1]! };
}

/** DM's `--file`: writes `cfg` to the file when the answer succeeded and returns the answer to print. */
export function writeCfgToFile(resp: GetCfgResponse, file: string | undefined, files: Files): GetCfgResponse {
  if (file === undefined || file === '' || !resp.result) return resp;
  files.write(file, resp.cfg);
  return { ...resp, msg: `write config to file ${file} succeed`, cfg: '' };
}

/** Fetches a config and prints it (or writes it to `file`); shared with `config task|source|master|worker`. */
export async function showConfig(env: CtlEnv, req: GetCfgRequest, file: string | undefined): Promise<void> {
  const resp = await env.master().call('GetCfg', req);
  env.out(formatResponse(writeCfgToFile(resp, file, env.files)));
}

export function getConfigCommand(env: CtlEnv): Command {
  return new Command('get-config')
    .description('Gets the configuration')
    .usage('<task | master | worker | source> <name> [--file filename]')
    .argument('[args...]', 'config type (task, master, worker, source) and name')
    .option('-f, --file <filename>', 'write config to file')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: { file?: string }) {
        await showConfig(env, getConfigRequest(args), opts.file);
      }),
    );
}
