/**
 * `dm binlog-schema list|update|delete task.yaml -s source-id [db] [table] [schema-file]`: DM's
 * binlog-schema (operate-schema) for tasks run by `dm run`: the table definitions the sync unit saved with
 * its checkpoint, which decode the binlog events after it. Repair one when the binlog and the tracked
 * definition disagree (36027 "Column count doesn't match"), then run the task again. `set` is an alias of
 * `update`, `get` of `list` with a table.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { SchemaTracker } from '../../units/sync/schema-tracker.js';
import { SyncerCheckpointStore } from '../../units/sync/syncer-checkpoint.js';
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
        create = readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
        // validated the way the sync unit will read it (44009 when not a CREATE TABLE)
        new SchemaTracker().setTable(db!, create);
      }
      const t = await openTaskMeta(taskFile, opts.source);
      try {
        const store = new SyncerCheckpointStore(t.metaSchema, t.taskName, opts.source);
        if (op === 'list' || op === 'get') {
          const tables = (await store.listTables(t.conn)).filter((x) => (!db || x.schema === db) && (!table || x.table === table));
          if (op === 'get' && tables.length === 0) throw DmError.of(E.SchemaTrackerCannotGetTable, [`\`${db}\`.\`${table}\``]);
          process.stdout.write(`${JSON.stringify({ result: true, msg: '', sources: [{ source: opts.source, tables: tables.map((x) => ({ db: x.schema, table: x.table, schema: x.create })) }] }, null, 4)}\n`);
          return;
        }
        const ok = await store.setTable(t.conn, db!, table!, op === 'delete' ? undefined : create);
        if (!ok) {
          throw op === 'delete'
            ? DmError.of(E.SchemaTrackerCannotGetTable, [`\`${db}\`.\`${table}\``])
            : DmError.of(E.SchemaTrackerCannotGetTable, [`\`${db}\`.\`${table}\` (task ${t.taskName} has no sync checkpoint for ${opts.source} yet)`]);
        }
        process.stdout.write(`${JSON.stringify({ result: true, msg: '', sources: [{ source: opts.source, db, table, op: op === 'set' ? 'update' : op }] }, null, 4)}\n`);
      } finally {
        await t.conn.end().catch(() => undefined);
      }
    });
}
