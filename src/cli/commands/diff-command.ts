/**
 * `dm diff`: compare the upstream tables of a migration with the downstream, routing- and shard-aware, and
 * exit 0 when equal, 1 when different, 2 on error (a coded error on stderr) — so scripts and every end-to-end
 * test can use it. Until task files are parsed, the task comes from options (`--source`, `--target`,
 * `--tables`, `--route`); a task file will build the same DiffPlan through buildDiffPlan.
 */
import { Command, Option, type CommanderError } from 'commander';
import type { TableName } from '../../filter/table-filter.js';
import { DmError, isDmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { parseDbAddress, parseSourceAddress } from '../../diff/db-address.js';
import { buildDiffPlan, type DiffPlan, type DiffSource } from '../../diff/diff-plan.js';
import { diffSourcesOf } from '../../diff/task-diff-sources.js';
import { loadSourceConfig, type SourceConfig } from '../../config/source-config.js';
import { loadTaskConfig } from '../../config/task-config.js';
import { deriveSubtasks } from '../../config/subtask-config.js';
import { renderJson, renderText } from '../../diff/diff-report.js';
import { runDiff, type DiffResult } from '../../diff/diff-runner.js';
import { PatternFilter, PatternRouter, parseRouteRule } from '../../diff/table-patterns.js';
import type { HashAlgorithm } from '../../diff/table-layout.js';
import { writeStdout } from '../write-stdout.js';

export const EXIT_EQUAL = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_ERROR = 2;

export interface DiffCliOptions {
  /** A DM task.yaml: then `source` lists source.yaml files and the target, filters and routes come from the task. */
  task?: string | undefined;
  source: string[];
  target?: string;
  tables: string[];
  route: string[];
  chunkSize: string;
  threads: string;
  maxRows: string;
  checksum: HashAlgorithm;
  json?: boolean;
}

/** Where the command writes and how it ends (tests replace these). */
export interface DiffCommandIo {
  stdout(text: string): Promise<void> | void;
  stderr(text: string): void;
  exit(code: number): void;
}

const defaultIo: DiffCommandIo = {
  stdout: writeStdout,
  stderr: (t) => void process.stderr.write(t),
  exit: (code) => {
    process.exitCode = code;
  },
};

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Splits `a.b,c.*` on commas outside backquotes. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '`') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function positiveInt(text: string, what: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw DmError.of(E.DiffInvalidOption, [what, JSON.stringify(text), `expected an integer ≥ ${min}`]);
  return n;
}

/** Runs a plan, prints the report, returns the exit code. */
async function runAndReport(plan: DiffPlan, opts: DiffCliOptions, n: { chunkSize: number; threads: number; maxRowDiffs: number }, io: DiffCommandIo): Promise<number> {
  let done = 0;
  const progress = !opts.json && process.stderr.isTTY === true;
  const result: DiffResult = await runDiff(plan, {
    ...n,
    checksum: opts.checksum,
    ...(progress ? { onTable: (t) => io.stderr(`\r\x1b[K[${++done}/${plan.tables.length}] ${t.target.schema}.${t.target.table}: ${t.status}`) } : {}),
  });
  if (progress) io.stderr('\r\x1b[K');
  await io.stdout(opts.json ? renderJson(result) : renderText(result));
  if (result.summary.errors > 0) return EXIT_ERROR;
  return result.equal ? EXIT_EQUAL : EXIT_DIFFERENT;
}

/** `dm diff task.yaml --source s1.yaml ...`: the task's sources, block-allow lists, routes and target. */
async function executeTaskDiff(opts: DiffCliOptions, io: DiffCommandIo): Promise<number> {
  if (opts.route.length > 0) throw DmError.of(E.DiffInvalidOption, ['--route', opts.route.join(' '), 'with a task file the routes come from the task']);
  if (opts.target) throw DmError.of(E.DiffInvalidOption, ['--target', opts.target, 'with a task file the target is its target-database']);
  const task = loadTaskConfig(opts.task!);
  const sources = new Map<string, SourceConfig>();
  for (const f of opts.source) {
    const s = loadSourceConfig(f);
    sources.set(s.sourceId, s);
  }
  const patterns = new PatternFilter(opts.tables.flatMap(splitList));
  const only = patterns.empty ? undefined : (up: TableName, down: TableName): boolean => patterns.matchesPattern(up) || patterns.matchesPattern(down);
  const plan = await buildDiffPlan(diffSourcesOf(deriveSubtasks(task, sources)), task.targetDatabase, {
    ...(only ? { only } : {}),
    selectionText: opts.tables.length ? `--tables ${opts.tables.join(',')}` : `the block-allow list of task ${task.name}`,
  });
  return runAndReport(plan, opts, { chunkSize: positiveInt(opts.chunkSize, '--chunk-size', 1), threads: positiveInt(opts.threads, '--threads', 1), maxRowDiffs: positiveInt(opts.maxRows, '--max-rows', 0) }, io);
}

/** Parses the options, builds the plan, runs it and renders the result; returns the exit code. */
export async function executeDiff(opts: DiffCliOptions, io: DiffCommandIo = defaultIo): Promise<number> {
  try {
    const password = process.env.DM_PASSWORD ?? '';
    if (opts.task !== undefined) return await executeTaskDiff(opts, io);
    if (opts.source.length === 0) throw DmError.of(E.DiffInvalidOption, ['--source', '(none)', 'give at least one --source id=host:port:user[:password]']);
    if (!opts.target) throw DmError.of(E.DiffInvalidOption, ['--target', '(none)', 'give --target host:port:user[:password]']);
    const target = parseDbAddress(opts.target, '--target', password);
    const chunkSize = positiveInt(opts.chunkSize, '--chunk-size', 1);
    const threads = positiveInt(opts.threads, '--threads', 1);
    const maxRowDiffs = positiveInt(opts.maxRows, '--max-rows', 0);
    const patterns = new PatternFilter(opts.tables.flatMap(splitList));
    const router = new PatternRouter(opts.route.map(parseRouteRule));
    const sources: DiffSource[] = opts.source.map((s) => {
      const a = parseSourceAddress(s, password);
      // --tables selects by upstream or downstream name, so filtering happens in `only` below
      return { sourceId: a.sourceId, db: a.db, filter: new PatternFilter([]), router };
    });
    const only = patterns.empty ? undefined : (up: TableName, down: TableName): boolean => patterns.matchesPattern(up) || patterns.matchesPattern(down);
    const plan = await buildDiffPlan(sources, target, { ...(only ? { only } : {}), selectionText: opts.tables.length ? `--tables ${opts.tables.join(',')}` : 'all non-system tables' });

    return await runAndReport(plan, opts, { chunkSize, threads, maxRowDiffs }, io);
  } catch (e) {
    const msg = isDmError(e) ? e.message : e instanceof Error ? e.message : String(e);
    io.stderr(`Error: ${msg}\n`);
    if (process.env.DM_DEBUG === '1' && e instanceof Error) io.stderr(`${e.stack ?? ''}\n`);
    return EXIT_ERROR;
  }
}

export function diffCommand(io: DiffCommandIo = defaultIo): Command {
  return new Command('diff')
    .description('Compare upstream tables with the downstream (routing- and shard-aware): chunk checksums, then row detail. Exit 0 equal, 1 different, 2 error')
    .argument('[task]', 'a DM task.yaml: compare what it migrates (then --source takes source.yaml files)')
    .option('-s, --source <id=host:port:user[:password]>', 'an upstream source (repeat for several sources); with a task: a source.yaml file', collect, [])
    .option('-t, --target <host:port:user[:password]>', 'the downstream database')
    .option('--tables <patterns>', 'compare only these tables: comma-separated schema.table patterns (* ? [..]) matched against upstream or downstream names; repeatable', collect, [])
    .option('--route <rule>', "route rule 'schema-pattern.table-pattern=target_schema.target_table' (or 'schema-pattern=target_schema'); repeatable", collect, [])
    .option('--chunk-size <n>', 'rows per checksum chunk (also bounds memory of row detail)', '10000')
    .option('--threads <n>', 'chunks checked at once', '4')
    .option('--max-rows <n>', 'differing rows shown per table', '100')
    .addOption(new Option('--checksum <algorithm>', 'per-row hash summed by chunk checksums').choices(['crc32', 'md5']).default('crc32'))
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Passwords: put them after the user (host:port:user:password) or, to keep them out of \`ps\`, in DM_PASSWORD
(used for every address without one).

Examples:
  dm diff task.yaml --source source1.yaml --source source2.yaml      # what a DM task migrates
  DM_PASSWORD=secret dm diff --source s1=10.0.0.1:3306:root --target 10.0.0.9:4000:root
  dm diff -s s1=db1:3306:dm -s s2=db2:3306:dm -t tidb:4000:root \\
          --route 'shard_db_*.t_*=merged.t' --tables 'shard_db_*.t_*'
  dm diff -s s1=127.0.0.1:3306:root -t 127.0.0.1:3307:root --tables app.orders --chunk-size 5000 --json`,
    )
    .exitOverride((err: CommanderError) => {
      // usage errors (already printed by commander) are errors, 2, not "different", 1; help exits 0 as usual
      if (err.exitCode === 0) return;
      if (io !== defaultIo) throw err;
      process.exit(EXIT_ERROR);
    })
    .action(async (task: string | undefined, opts: DiffCliOptions) => {
      io.exit(await executeDiff({ ...opts, task }, io));
    });
}
