/**
 * `dm check task.yaml --source s1.yaml [...]`: DM's `check-task` — run the precheck of a task and print
 * the JSON DM prints ({result, msg, checkResult: {summary, results}}). Exit 0 when nothing failed (warnings
 * allowed), 1 when an item failed or the check could not run (config error, unreachable database).
 */
import { Command, type CommanderError } from 'commander';
import { loadSourceConfig, type SourceConfig } from '../../config/source-config.js';
import { deriveSubtasks } from '../../config/subtask-config.js';
import { loadTaskConfig } from '../../config/task-config.js';
import { checkTask, errorReport, type PrecheckReport } from '../../checker/precheck.js';
import { isDmError } from '../../observability/dm-error.js';
import { writeStdout } from '../write-stdout.js';

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;

export interface CheckCliOptions {
  source: string[];
  error: string;
  warn: string;
  showPassed?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function count(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new Error(`${flag} needs a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}

/** Loads the task and its sources, runs the precheck; returns the report (never throws a DmError). */
export async function executeCheck(taskFile: string, opts: CheckCliOptions): Promise<PrecheckReport> {
  try {
    const errorLimit = count(opts.error, '--error');
    const warnLimit = count(opts.warn, '--warn');
    const task = loadTaskConfig(taskFile);
    const sources = new Map<string, SourceConfig>();
    for (const f of opts.source) {
      const s = loadSourceConfig(f);
      sources.set(s.sourceId, s);
    }
    const ac = new AbortController();
    const onInt = (): void => ac.abort();
    process.once('SIGINT', onInt);
    try {
      return await checkTask(deriveSubtasks(task, sources), { errorLimit, warnLimit, showPassed: opts.showPassed === true, signal: ac.signal });
    } finally {
      process.off('SIGINT', onInt);
    }
  } catch (e) {
    if (isDmError(e)) return errorReport(e);
    throw e;
  }
}

export function checkCommand(): Command {
  return new Command('check')
    .description("Precheck a task as DM's check-task does (privileges, binlog settings, versions, table structures, shard consistency); prints JSON, exit 0 when nothing failed")
    .argument('<task>', 'a DM task.yaml')
    .option('-s, --source <source.yaml>', 'a DM source.yaml for a source of the task (repeat for each source)', collect, [])
    .option('-e, --error <count>', 'failed items shown at most', '10')
    .option('-w, --warn <count>', 'items with warnings shown at most', '10')
    .option('--show-passed', 'list the items that passed too (DM leaves them out)')
    .addHelpText(
      'after',
      `
Items (names as in ignore-checking-items): version; dump_privilege, table_schema (full/all);
server_id, binlog_enable, binlog_format, binlog_row_image, binlog_db, replication_privilege (incremental/all);
schema_of_shard_tables, auto_increment_ID (sharding tasks, full/all). See docs/prechecks.md.

Examples:
  dm check task.yaml --source source1.yaml --source source2.yaml
  dm check task.yaml -s source1.yaml --show-passed | jq .checkResult.summary
  dm check task.yaml -s source1.yaml -e 50 -w 50      # show up to 50 failed and 50 warning items`,
    )
    .exitOverride((err: CommanderError) => {
      if (err.exitCode === 0) return;
      process.exit(EXIT_FAILED);
    })
    .action(async (task: string, opts: CheckCliOptions) => {
      const report = await executeCheck(task, opts);
      await writeStdout(`${JSON.stringify(report, null, 2)}\n`);
      process.exitCode = report.result ? EXIT_PASSED : EXIT_FAILED;
    });
}
