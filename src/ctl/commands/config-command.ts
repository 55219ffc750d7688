/**
 * `config task|source|master|worker <name> [-p file]` shows a config (DM v5.3 names of `get-config`);
 * `config export [-p dir]` writes every source and task config to `dir/sources/<name>.yaml` and
 * `dir/tasks/<name>.yaml` (default `./configs`); `config import [-p dir]` creates those sources one by one,
 * then starts those tasks, skipping ones that already exist (so an import can be repeated).
 *
 * Invariants: a name from dm-master that is not a plain file name is refused (no writing outside `dir`);
 * the printed lines are DM's (`export configs to directory ... succeed`, `start creating sources`, ...).
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import type { CfgType, ExportConfigsResponse, SourcesResponse } from '../../master/master-api.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { ctlAction, CtlUsageError, formatResponse, type CtlEnv, type Files } from '../ctl-env.js';
import { showConfig } from './get-config-command.js';

export const DEFAULT_CONFIG_DIR = 'configs';
const SOURCE_DIR = 'sources';
const TASK_DIR = 'tasks';
const RELAY_WORKERS_FILE = 'relay_workers.json';

/** The directory of `config export/import`: `--path`, else the hidden `--dir`, else `configs`. */
export function configDir(opts: { path?: string; dir?: string }): string {
  return opts.path !== undefined && opts.path !== '' ? opts.path : opts.dir !== undefined && opts.dir !== '' ? opts.dir : DEFAULT_CONFIG_DIR;
}

/** The files `config export` writes for an ExportConfigs answer: path → text. */
export function exportFiles(dir: string, resp: ExportConfigsResponse): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const add = (sub: string, name: string, text: string): void => {
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) throw DmError.of(E.CtlWriteFile, [path.join(dir, sub, `${name}.yaml`), `'${name}' is not a plain file name`]);
    out.push({ file: path.join(dir, sub, `${name}.yaml`), text });
  };
  for (const s of resp.sources) add(SOURCE_DIR, s.name, s.cfg);
  for (const t of resp.tasks) add(TASK_DIR, t.name, t.cfg);
  return out;
}

/** The source and task config texts `config import` sends, in file-name order. */
export function collectImport(dir: string, files: Files): { sources: string[]; tasks: string[]; relayWorkers: boolean } {
  if (!files.isDir(dir)) throw DmError.of(E.CtlConfigDirNotExist, [dir]);
  const read = (sub: string): string[] => {
    const d = path.join(dir, sub);
    return files.isDir(d) ? files.list(d).map((n) => files.read(path.join(d, n))) : [];
  };
  return { sources: read(SOURCE_DIR), tasks: read(TASK_DIR), relayWorkers: files.isFile(path.join(dir, RELAY_WORKERS_FILE)) };
}

/** DM's import rule: a failed create is fine when the thing already exists. */
export function alreadyExists(resp: SourcesResponse): boolean {
  return resp.msg.includes('already exist') || (resp.sources.length > 0 && resp.sources.every((s) => s.result || s.msg.includes('already exist')));
}

function showCommand(env: CtlEnv, type: CfgType, what: string): Command {
  return new Command(type)
    .description(`show ${what} config`)
    .usage(`<${type}-name> [--path file]`)
    .argument('[name...]', `${type} name`)
    .action(
      ctlAction(async function (this: Command, args: string[]) {
        if (args.length !== 1) throw new CtlUsageError(`give one ${type} name, got ${args.length} arguments`);
        await showConfig(env, { type, name: args[0]! }, this.optsWithGlobals<{ path?: string }>().path);
      }),
    );
}

async function exportConfigs(env: CtlEnv, dir: string): Promise<void> {
  const resp = await env.master().call('ExportConfigs', {});
  if (!resp.result) {
    env.out(formatResponse(resp));
    return;
  }
  for (const f of exportFiles(dir, resp)) env.files.write(f.file, f.text);
  env.out(`export configs to directory \`${dir}\` succeed\n`);
}

async function importConfigs(env: CtlEnv, dir: string): Promise<void> {
  const c = collectImport(dir, env.files);
  const master = env.master();
  if (c.sources.length > 0) env.out('start creating sources\n');
  for (const cfg of c.sources) {
    const resp = await master.call('OperateSource', { op: 'create', config: [cfg], sourceID: [] });
    if (!resp.result && !alreadyExists(resp)) {
      env.out(formatResponse(resp));
      throw DmError.of(E.CtlImportConfigs, ['sources']);
    }
  }
  if (c.tasks.length > 0) env.out('start creating tasks\n');
  for (const cfg of c.tasks) {
    const resp = await master.call('StartTask', { task: cfg, sources: [], removeMeta: false });
    if (!resp.result && !alreadyExists(resp)) {
      env.out(formatResponse(resp));
      throw DmError.of(E.CtlImportConfigs, ['tasks']);
    }
  }
  if (c.relayWorkers) {
    env.out(`The original relay workers have been exported to \`${path.join(dir, RELAY_WORKERS_FILE)}\`.\n`);
    env.out("Currently DM doesn't support recover relay workers. You may need to execute `transfer-source` and `start-relay` command manually.\n");
  }
  env.out(`import configs from directory \`${dir}\` succeed\n`);
}

function dirCommand(name: 'export' | 'import', description: string, run: (dir: string) => Promise<void>): Command {
  return new Command(name)
    .description(description)
    .usage('[--path directory]')
    .addOption(new Option('-d, --dir <directory>', 'the configs directory (old name of --path)').hideHelp())
    .action(
      ctlAction(async function (this: Command) {
        if (this.args.length > 0) throw new CtlUsageError(`config ${name} takes no arguments (use --path directory)`);
        await run(configDir(this.optsWithGlobals()));
      }),
    );
}

export function configCommand(env: CtlEnv): Command {
  return new Command('config')
    .description('manage config operations')
    .usage('<command> [--path path]')
    .option('-p, --path <path>', 'file to write a config to; directory to export to / import from (default ./configs)')
    .addCommand(showCommand(env, 'task', 'task'))
    .addCommand(showCommand(env, 'source', 'source'))
    .addCommand(showCommand(env, 'master', 'master'))
    .addCommand(showCommand(env, 'worker', 'worker'))
    .addCommand(dirCommand('export', 'Export the configurations of sources and tasks', (dir) => exportConfigs(env, dir)))
    .addCommand(dirCommand('import', 'Import the configurations of sources and tasks', (dir) => importConfigs(env, dir)));
}
