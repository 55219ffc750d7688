/**
 * `operate-schema <get|set|remove> <-s source ...> <task-name | task-file> <-d database> <-t table>
 * [schema-file] [--flush] [--sync]` (DM's older name of binlog-schema): `-s`, `-d` and `-t` are required.
 */
import { Command } from 'commander';
import type { OperateSchemaRequest, SchemaOp } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';

const OPS: Readonly<Record<string, SchemaOp>> = { get: 'get', set: 'set', remove: 'remove' };

export interface OperateSchemaOptions {
  sources: readonly string[];
  database?: string;
  table?: string;
  flush?: boolean;
  sync?: boolean;
}

export function operateSchemaRequest(args: readonly string[], opts: OperateSchemaOptions, files: Files): OperateSchemaRequest {
  if (args.length < 2) throw new CtlUsageError('give the operation (get, set, remove) and the task name (or task file)');
  const op = Object.hasOwn(OPS, args[0]!) ? OPS[args[0]!] : undefined;
  if (op === undefined) throw new CtlUsageError(`invalid operation '${args[0]}': use get, set or remove`);
  if (opts.sources.length === 0) throw new CtlUsageError('must specify at least one source (`-s` / `--source`)');
  if (opts.database === undefined || opts.database === '') throw new CtlUsageError('must specify `-d` / `--database`');
  if (opts.table === undefined || opts.table === '') throw new CtlUsageError('must specify `-t` / `--table`');
  const file = args[2];
  if (args.length > 3) throw new CtlUsageError(`too many arguments: ${args.slice(3).join(' ')}`);
  if (op === 'set' && file === undefined) throw new CtlUsageError('must specify schema file for `set` operation');
  if (op !== 'set' && file !== undefined) throw new CtlUsageError(`a schema file is only for \`set\`, not \`${op}\``);
  return {
    op,
    task: taskNameFromArgOrFile(args[1]!, files),
    sources: [...opts.sources],
    database: opts.database,
    table: opts.table,
    schema: file === undefined ? '' : files.read(file),
    flush: op === 'set' ? opts.flush !== false : false,
    sync: op === 'set' ? opts.sync === true : false,
    fromSource: false,
    fromTarget: false,
  };
}

export function operateSchemaCommand(env: CtlEnv): Command {
  return new Command('operate-schema')
    .description('`get`/`set`/`remove` the schema for an upstream table')
    .usage('<get|set|remove> <-s source ...> <task-name | task-file> <-d database> <-t table> [schema-file] [--flush] [--sync]')
    .argument('[args...]')
    .option('-d, --database <database>', 'database name of the table')
    .option('-t, --table <table>', 'table name')
    .option('--flush', 'flush the table info and checkpoint immediately (default)')
    .option('--no-flush', 'do not flush the table info and checkpoint now')
    .option('--sync', 'sync the table info to master to resolve shard ddl lock, only for optimistic mode now')
    .action(
      ctlAction(async function (this: Command, args: string[], opts: Omit<OperateSchemaOptions, 'sources'>) {
        const req = operateSchemaRequest(args, { ...opts, sources: sourcesOf(this) }, env.files);
        env.out(formatResponse(await env.master().call('OperateSchema', req)));
      }),
    );
}
