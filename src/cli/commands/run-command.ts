/**
 * `dm run task.yaml --source s1.yaml [...]`: a whole DM task in one process on this machine, no cluster.
 * Every source's subtask runs in parallel (dump → load for `full`, then the incremental sync for `all`; the
 * sync alone for `incremental`), progress is printed while it works. A full task ends with a comparison of
 * upstream and downstream (`dm diff`'s engine); a task with a sync runs until Ctrl-C, or with
 * `--exit-when-synced` until it has applied everything the upstream had written, then compares. Ctrl-C stops
 * cleanly at the next checkpoint; running the same command again resumes.
 *
 * Exit codes: 0 = finished (and equal, when compared); 1 = an error or a difference; 130 = stopped by Ctrl-C.
 */
import { Command } from 'commander';
import { loadSourceConfig } from '../../config/source-config.js';
import { loadTaskConfig } from '../../config/task-config.js';
import { deriveSubtasks } from '../../config/subtask-config.js';
import { sampleSourceConfig, sampleTaskConfig } from '../../config/sample-configs.js';
import type { SourceConfig } from '../../config/source-config.js';
import { SubtaskRunner, type SubtaskStatus } from '../../worker/subtask-runner.js';
import { diffSourcesOf } from '../../diff/task-diff-sources.js';
import { buildDiffPlan } from '../../diff/diff-plan.js';
import { runDiff } from '../../diff/diff-runner.js';
import { renderText } from '../../diff/diff-report.js';
import { progressPercent } from '../../units/unit.js';
import { checkTask } from '../../checker/precheck.js';
import { createTaskMetrics } from '../../observability/task-metrics.js';
import { parseListenAddr, startStatusServer } from '../../observability/status-server.js';

function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** One line of progress per source, like query-status's unit progress. */
export function progressLine(s: SubtaskStatus): string {
  const parts: string[] = [`[${s.sourceId}] ${s.stage}`];
  if (s.dump) parts.push(`dump ${s.dump.progress} (${s.dump.finishedRows}/${s.dump.estimateTotalRows} rows, ${s.dump.completedTables}/${s.dump.totalTables} tables)`);
  if (s.load && s.stage !== 'sync') parts.push(`load ${progressPercent({ done: s.load.finishedBytes, total: s.load.totalBytes })} (${mb(s.load.finishedBytes)}/${mb(s.load.totalBytes)} MB, ${s.load.completedFiles}/${s.load.totalFiles} files)`);
  const y = s.sync;
  if (y) {
    parts.push(`synced ${y.syncerBinlog}${y.syncerBinlogGtid ? ` gtid ${y.syncerBinlogGtid}` : ''}`);
    parts.push(`master ${y.masterBinlog}`);
    parts.push(`lag ${y.secondsBehindMaster}s${y.synced ? ' (synced)' : ''}`);
    parts.push(`${y.recentTps} txn/s, ${y.recentRowsPerSecond} rows/s (total ${y.totalTransactions} txns, ${y.totalRows} rows)${y.safeMode ? ' | safe mode' : ''}`);
  }
  return parts.join(' | ');
}

export function runCommand(): Command {
  return new Command('run')
    .description('Run a whole DM task in one process on this machine (no cluster): full copy and/or incremental replication, then a data comparison')
    .argument('[task]', 'task configuration file (DM task.yaml)')
    .option('-s, --source <files...>', 'source configuration file(s) (DM source.yaml) of every source the task uses')
    .option('--print-sample-config [kind]', 'print a sample task.yaml (or, with `source`, a sample source.yaml) and exit')
    .option('--no-verify', 'do not compare upstream and downstream at the end')
    .option('--no-precheck', "do not run the prechecks (DM's check-task) before starting")
    .option('--exit-when-synced', 'task-mode all/incremental: stop once everything the upstream has written is applied, then compare')
    .option('--progress-interval <seconds>', 'seconds between progress lines', '5')
    .option('--status-addr <host:port>', 'serve GET /metrics (Prometheus, DM metric names) and GET /status (JSON) on this address')
    .addHelpText(
      'after',
      `
Examples:
  dm run task.yaml --source source1.yaml --source source2.yaml
  dm run task.yaml -s source1.yaml source2.yaml --progress-interval 2
  dm run incremental-task.yaml -s source1.yaml --exit-when-synced

Ctrl-C stops at the next checkpoint; run the same command again to resume.`,
    )
    .action(async (taskFile: string | undefined, opts: { source?: string[]; verify: boolean; precheck: boolean; progressInterval: string; printSampleConfig?: string | boolean; exitWhenSynced?: boolean; statusAddr?: string }) => {
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      if (opts.printSampleConfig !== undefined) {
        process.stdout.write(opts.printSampleConfig === 'source' ? sampleSourceConfig() : sampleTaskConfig());
        return;
      }
      if (!taskFile || !opts.source?.length) throw new Error('usage: dm run <task.yaml> --source <source.yaml> [--source ...] (see dm run --help)');
      const task = loadTaskConfig(taskFile);
      const sources = new Map<string, SourceConfig>();
      for (const f of opts.source) {
        const s = loadSourceConfig(f);
        sources.set(s.sourceId, s);
      }
      const subtasks = deriveSubtasks(task, sources);
      for (const st of subtasks) for (const w of st.warnings) log(`[${st.sourceId}] warning: ${w}`);
      log(`dm run: task ${task.name} (${task.taskMode}), ${subtasks.length} source(s): ${subtasks.map((s) => s.sourceId).join(', ')}`);
      if (opts.precheck) {
        // DM runs check-task before a task starts; warnings are shown, failures stop here
        const report = await checkTask(subtasks);
        for (const r of report.checkResult.results) {
          const what = (r.errors ?? []).map((e) => e.short_error).join('; ');
          log(`precheck ${r.state === 'warn' ? 'warning' : 'failed'}: ${r.name}${what ? `: ${what}` : ''}`);
        }
        if (!report.result) {
          process.stdout.write(`${JSON.stringify(report, null, 4)}\n`);
          if (report.checkResult.results.length === 0) log(`Error: ${report.msg}`);
          log('dm run: the precheck failed (details above); fix the items, list them in `ignore-checking-items`, or run with --no-precheck');
          process.exit(1);
        }
      }

      const abort = new AbortController();
      let interrupts = 0;
      const onSignal = (): void => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        log('dm run: stopping at the next checkpoint (Ctrl-C again to quit at once) ...');
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);

      const runners = subtasks.map((st) => new SubtaskRunner(st, { onLog: log, stopWhenSynced: opts.exitWhenSynced === true }));
      const onDebug = (): void => runners.forEach((r) => log(`debug ${r.debugState()}`));
      process.on('SIGUSR2', onDebug);
      const statuses = (): SubtaskStatus[] => runners.map((r) => r.status());
      const server = opts.statusAddr
        ? await startStatusServer({
            ...parseListenAddr(opts.statusAddr),
            registry: createTaskMetrics({ task: task.name, worker: 'dm-run', statuses }),
            status: () => ({ task: task.name, sources: statuses() }),
          })
        : undefined;
      if (server) log(`dm run: status on http://${opts.statusAddr}/status, metrics on /metrics`);
      const timer = setInterval(() => runners.forEach((r) => log(progressLine(r.status()))), Math.max(0.5, Number(opts.progressInterval)) * 1000);
      let results: SubtaskStatus[];
      try {
        results = await Promise.all(runners.map((r) => r.run(abort.signal)));
      } finally {
        clearInterval(timer);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('SIGUSR2', onDebug);
        await server?.close();
      }
      for (const r of results) log(progressLine(r));
      const failed = results.filter((r) => r.errors.length > 0);
      for (const r of failed) for (const e of r.errors) log(`[${r.sourceId}] Error: ${e.message}`);
      if (failed.length > 0) process.exit(1);
      if (abort.signal.aborted || results.some((r) => r.stage !== 'finished')) {
        log('dm run: stopped; run the same command again to resume.');
        process.exit(130);
      }
      const what = task.taskMode === 'full' ? 'copy' : 'replication';
      if (!opts.verify) {
        log(`dm run: ${what} finished (not verified: --no-verify).`);
        return;
      }
      log(`dm run: ${what} finished; comparing upstream and downstream ...`);
      const plan = await buildDiffPlan(diffSourcesOf(subtasks), task.targetDatabase);
      const result = await runDiff(plan, {});
      process.stdout.write(renderText(result));
      if (!result.equal) process.exit(1);
      log('dm run: done — downstream equals upstream.');
    });
}
