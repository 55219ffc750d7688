/**
 * `dm handle-error task.yaml [-s source-id] [-b file:pos] skip | replace "<sql>; <sql>" | revert | list`:
 * DM's handle-error for tasks run by `dm run`. The sync unit stops on a DDL the downstream rejects (or cannot
 * be parsed / tracked) and records it; `skip` and `replace` turn that record — or, with `--binlog-pos`, the
 * DDL at that position — into an operator the unit applies when it reaches the DDL again (run `dm run` again
 * to resume). `revert` removes an operator; `list` prints errors and operators as JSON.
 */
import { Command } from 'commander';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { handleErrorOperation, type ErrorOperation } from '../../units/sync/task-meta-operations.js';
import { openTaskMeta } from './task-meta-target.js';

/** Splits `a; b;` into statements (semicolons inside quotes stay). */
export function splitReplaceSql(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      cur += c;
      if (c === '\\') cur += text[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
      cur += c;
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function handleErrorCommand(): Command {
  return new Command('handle-error')
    .description('Resolve the DDL a `dm run` task stopped on: skip it, replace it with other statements, revert an operator, or list')
    .argument('<task>', 'task configuration file (DM task.yaml)')
    .argument('<op>', 'skip | replace | revert | list')
    .argument('[sqls...]', 'replace: the statements to run instead, separated by `;`')
    .option('-s, --source <source-id>', 'only this source of the task')
    .option('-b, --binlog-pos <file:pos>', 'the DDL at this binlog position (default: the error the task stopped on)')
    .addHelpText(
      'after',
      `
Examples:
  dm handle-error task.yaml skip
  dm handle-error task.yaml -s mysql-replica-01 replace "ALTER TABLE db.t ADD COLUMN c INT;"
  dm handle-error task.yaml -b mysql-bin.000003:1234 skip
  dm handle-error task.yaml list

Then run the task again (dm run ...): it resumes from its checkpoint and applies the operator.`,
    )
    .action(async (taskFile: string, op: string, sqls: string[], opts: { source?: string; binlogPos?: string }) => {
      if (!['skip', 'replace', 'revert', 'list'].includes(op)) throw new Error(`unknown operation '${op}': use skip, replace, revert or list`);
      const replace = splitReplaceSql(sqls.join(' '));
      if (op === 'replace' && replace.length === 0) throw new Error('replace needs the statements to run instead, e.g. replace "ALTER TABLE db.t ADD COLUMN c INT;"');
      if (opts.binlogPos !== undefined && !/^[^:]+:\d+$/.test(opts.binlogPos)) throw DmError.of(E.InvalidBinlogPosStr, [opts.binlogPos]);
      const t = await openTaskMeta(taskFile, opts.source);
      try {
        const result = await handleErrorOperation(t.conn, t, t.sourceIds, op as ErrorOperation, opts.binlogPos, replace);
        process.stdout.write(`${JSON.stringify({ result: true, msg: '', sources: result }, null, 4)}\n`);
      } finally {
        await t.conn.end().catch(() => undefined);
      }
    });
}
