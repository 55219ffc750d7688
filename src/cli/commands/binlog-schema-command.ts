/**
 * `dm binlog-schema list|update|delete task.yaml -s source-id [db] [table] [schema-file]`: DM's
 * binlog-schema (operate-schema) for tasks run by `dm run`: the table definitions the sync unit saved with
 * its checkpoint, which decode the binlog events after it. Repair one when the binlog and the tracked
 * definition disagree (36027 "Column count doesn't match"), then run the task again. `set` is an alias of
 * `update`, `get` of `list` with a table.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { binlogSchemaOperation, checkCreateTable, type SchemaOperation } from '../../units/sync/task-meta-operations.js';
import { openTaskMeta } from './task-meta-target.js';

export function binlogSchemaCommand(): Command {
  return new Command('binlog-schema')
    .description("List, update or delete the table definitions a task's sync unit decodes the binlog with")
    .argument('<op>', 'list | get | update | set | delete')
    .argument('<task>', 'task configuration file (DM task.yaml)')
    .argument('[db]', 'upstream database')
    .argument('[table]', 'upstream table')
    .argument('[schema-file]', 'update: file holding the CREATE TABLE statement')
    .requiredOption('-s, --source <source-id>', 'the source of the task')
    .addHelpText(
      'after',
      `
Examples:
  dm binlog-schema list task.yaml -s mysql-replica-01
  dm binlog-schema get task.yaml -s mysql-replica-01 db t
  dm binlog-schema update task.yaml -s mysql-replica-01 db t t.sql
  dm binlog-schema delete task.yaml -s mysql-replica-01 db t

Stop the task first (Ctrl-C on dm run); the definitions are read when it starts again.`,
    )
    .action(async (op: string, taskFile: string, db: string | undefined, table: string | undefined, file: string | undefined, opts: { source: string }) => {
      if (!['list', 'get', 'update', 'set', 'delete'].includes(op)) throw new Error(`unknown operation '${op}': use list, get, update or delete`);
      if (op !== 'list' && (!db || !table)) throw new Error(`binlog-schema ${op} needs <db> and <table>`);
      let create: string | undefined;
      if (op === 'update' || op === 'set') {
        if (!file) throw new Error('binlog-schema update needs the file with the CREATE TABLE statement');
        create = checkCreateTable(db!, readFileSync(file, 'utf8'));
      }
      const t = await openTaskMeta(taskFile, opts.source);
      try {
        const kind: SchemaOperation = op === 'set' ? 'update' : (op as SchemaOperation);
        const tables = await binlogSchemaOperation(t.conn, t, opts.source, kind, db, table, create);
        const out = kind === 'list' || kind === 'get' ? { source: opts.source, tables: tables.map((x) => ({ db: x.db, table: x.table, schema: x.schema })) } : { source: opts.source, db, table, op: kind };
        process.stdout.write(`${JSON.stringify({ result: true, msg: '', sources: [out] }, null, 4)}\n`);
      } finally {
        await t.conn.end().catch(() => undefined);
      }
    });
}
