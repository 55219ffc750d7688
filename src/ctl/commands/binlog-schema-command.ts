/**
 * `binlog-schema [list] <task> [db] [table]` (the schema the sync unit tracks for an upstream table: `get`
 * with db and table, else `list`), `binlog-schema update <task> <db> <table> [schema-file] [--flush]
 * [--sync] [--from-source|--from-target]` (`set`: the file's CREATE TABLE, or the upstream/downstream
 * table's current schema) and `binlog-schema delete <task> <db> <table>` (`remove`). The task should be
 * paused; `-s` chooses the sources.
 */
import { Command } from 'commander';
import type { OperateSchemaRequest } from '../../master/master-api.js';
import { ctlAction, CtlUsageError, formatResponse, sourcesOf, taskNameFromArgOrFile, type CtlEnv, type Files } from '../ctl-env.js';

export interface BinlogSchemaOptions {
  sources: readonly string[];
  flush?: boolean;
  sync?: boolean;
  fromSource?: boolean;
  fromTarget?: boolean;
}

export function binlogSchemaRequest(sub: 'list' | 'update' | 'delete', args: readonly string[], opts: BinlogSchemaOptions, files: Files): OperateSchemaRequest {
  if (args.length === 0) throw new CtlUsageError('give the task name (or task file)');
  const task = taskNameFromArgOrFile(args[0]!, files);
  const base = { task, sources: [...opts.sources], database: args[1] ?? '', table: args[2] ?? '', schema: '', flush: false, sync: false, fromSource: false, fromTarget: false };
  switch (sub) {
    case 'list':
      if (args.length > 3) throw new CtlUsageError(`takes the task, a database and a table, got ${args.length} arguments`);
      return { ...base, op: base.database !== '' && base.table !== '' ? 'get' : 'list' };
    case 'delete':
      if (args.length !== 3) throw new CtlUsageError(`give the task, the database and the table, got ${args.length} arguments`);
      return { ...base, op: 'remove' };
    case 'update': {
      if (args.length < 3 || args.length > 4) throw new CtlUsageError(`give the task, the database, the table and a schema file, got ${args.length} arguments`);
      const fromSource = opts.fromSource === true;
      const fromTarget = opts.fromTarget === true;
      if (fromSource && fromTarget) throw new CtlUsageError('give only one of --from-source and --from-target');
      const file = args[3];
      if (file !== undefined && (fromSource || fromTarget)) throw new CtlUsageError('a schema file can not be used with --from-source or --from-target');
      if (file === undefined && !fromSource && !fromTarget) throw new CtlUsageError('give a schema file (one CREATE TABLE statement), or --from-source / --from-target');
      return { ...base, op: 'set', schema: file === undefined ? '' : files.read(file), flush: opts.flush !== false, sync: opts.sync === true, fromSource, fromTarget };
    }
  }
}

function sendWith(env: CtlEnv, sub: 'list' | 'update' | 'delete') {
  return ctlAction(async function (this: Command, args: string[], opts: Omit<BinlogSchemaOptions, 'sources'>) {
    const req = binlogSchemaRequest(sub, args, { ...opts, sources: sourcesOf(this) }, env.files);
    env.out(formatResponse(await env.master().call('OperateSchema', req)));
  });
}

export function binlogSchemaCommand(env: CtlEnv): Command {
  const cmd = new Command('binlog-schema')
    .description('manage or show table schema in schema tracker')
    .usage('[list|update|delete] <task-name> <database> <table> [schema-file]')
    .argument('[args...]', 'task name (or task file), database, table: shows that table\'s schema (lists tables without them)')
    .action(sendWith(env, 'list'));
  cmd.addCommand(
    new Command('list')
      .description('show the schema of a table (or list the tables) tracked for a task')
      .usage('<task-name> [database] [table]')
      .argument('[args...]')
      .action(sendWith(env, 'list')),
  );
  cmd.addCommand(
    new Command('update')
      .description('update the schema of a table tracked for a task')
      .usage('<task-name> <database> <table> [schema-file] [--flush] [--sync] [--from-source|--from-target]')
      .argument('[args...]')
      .option('--flush', 'flush the table info and checkpoint immediately (default)')
      .option('--no-flush', 'do not flush the table info and checkpoint now')
      .option('--sync', 'sync the table info to master to resolve shard ddl lock, only for optimistic mode now')
      .option('--from-source', 'use the schema from upstream database as the schema of the specified tables')
      .option('--from-target', 'use the schema from downstream database as the schema of the specified tables')
      .action(sendWith(env, 'update')),
  );
  cmd.addCommand(
    new Command('delete')
      .description('delete the schema of a table tracked for a task (it is reloaded from the checkpoint or downstream)')
      .usage('<task-name> <database> <table>')
      .argument('[args...]')
      .action(sendWith(env, 'delete')),
  );
  return cmd;
}
