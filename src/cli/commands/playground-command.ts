/**
 * `dm playground`: DM's tutorial on this machine. Starts three local MariaDB upstream shards (binlog ROW,
 * GTID; `auto-increment-increment = 5` with offsets 1, 2, 3 so their ids never collide) and a downstream,
 * then a dm-master and three dm-workers as child processes; creates `dmtest1.t1` with 256 rows on every
 * shard, adds the three sources and starts a task (`all`) that merges the shards into `dmtest.t1`
 * downstream; writes more rows once the task replicates; prints `query-status` and a `dm diff` result; and
 * leaves everything running for the user to explore with dmctl until Ctrl-C (`--exit`: stop at once).
 *
 * Invariants: everything listens on 127.0.0.1 only; every process and server it started is stopped on exit
 * (Ctrl-C, `--exit`, or an error); the configs it wrote stay in the work dir for the user to reuse.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parseSourceConfig, type SourceConfig } from '../../config/source-config.js';
import { deriveSubtasks } from '../../config/subtask-config.js';
import { parseTaskConfig } from '../../config/task-config.js';
import { buildDiffPlan } from '../../diff/diff-plan.js';
import { renderText } from '../../diff/diff-report.js';
import { runDiff } from '../../diff/diff-runner.js';
import { diffSourcesOf } from '../../diff/task-diff-sources.js';
import { RPC_PREFIX, type QueryStatusResponse } from '../../master/master-api.js';
import { startMasterProcess, startWorkerProcess, type ClusterProcess } from '../../playground/cluster-process.js';
import { MariaDbServer, TEST_PASSWORD } from '../../playground/local-mariadb.js';
import { postJson } from '../../api/post-json.js';

const SHARD_SQL = (port: number): string => `
CREATE DATABASE dmtest1;
CREATE TABLE dmtest1.t1 (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, c CHAR(32), port INT);
INSERT INTO dmtest1.t1 VALUES (),(),(),(),(),(),(),();
INSERT INTO dmtest1.t1 (id) SELECT NULL FROM dmtest1.t1;
INSERT INTO dmtest1.t1 (id) SELECT NULL FROM dmtest1.t1;
INSERT INTO dmtest1.t1 (id) SELECT NULL FROM dmtest1.t1;
INSERT INTO dmtest1.t1 (id) SELECT NULL FROM dmtest1.t1;
INSERT INTO dmtest1.t1 (id) SELECT NULL FROM dmtest1.t1;
UPDATE dmtest1.t1 SET c = MD5(id), port = ${port};`;

function taskYaml(down: MariaDbServer, sources: readonly string[]): string {
  return `name: dmtest
task-mode: all
${down.targetDatabaseYaml()}mysql-instances:
${sources.map((s) => `  - source-id: "${s}"\n    block-allow-list: "instance"\n    route-rules: ["sharding-table", "sharding-schema"]\n`).join('')}
block-allow-list:
  instance:
    do-dbs: ["dmtest1"]
routes:
  sharding-table:
    schema-pattern: "dmtest1"
    table-pattern: "t1"
    target-schema: "dmtest"
    target-table: "t1"
  sharding-schema:
    schema-pattern: "dmtest1"
    target-schema: "dmtest"
`;
}

export function playgroundCommand(): Command {
  return new Command('playground')
    .description("Run DM's tutorial locally: three MariaDB shards merged into one downstream table by a dm-master and three dm-workers")
    .option('--dir <dir>', 'work directory for configs, logs and the master data (default: a new temporary directory)')
    .option('--exit', 'stop everything after the tutorial instead of waiting for Ctrl-C')
    .addHelpText(
      'after',
      `
Everything listens on 127.0.0.1 only. The MariaDB user is root with the fixed password '${TEST_PASSWORD}'.
While it runs, use dmctl with the master address it prints, e.g.:
  node dist/src/cli/dmctl.js --master-addr 127.0.0.1:PORT query-status dmtest`,
    )
    .action(async (opts: { dir?: string; exit?: boolean }) => {
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      const work = path.resolve(opts.dir ?? path.join(os.tmpdir(), `dm-playground-${process.pid}`));
      // a fresh tutorial every time: the cluster state of an earlier run in the same dir goes
      for (const d of ['master1', 'worker1', 'worker2', 'worker3']) rmSync(path.join(work, d), { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      const servers: MariaDbServer[] = [];
      const procs: ClusterProcess[] = [];
      let stopping = false;
      const stopAll = async (): Promise<void> => {
        if (stopping) return;
        stopping = true;
        log('dm playground: stopping the workers, the master and the MariaDB servers ...');
        for (const p of [...procs].reverse()) await p.stop().catch(() => undefined);
        await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
      };
      try {
        log('dm playground: starting three MariaDB upstream shards and a downstream (binlog ROW/FULL, GTID) ...');
        const ups = await Promise.all([1, 2, 3].map((i) => MariaDbServer.start({ serverId: i, extraArgs: ['--auto-increment-increment=5', `--auto-increment-offset=${i}`] })));
        servers.push(...ups);
        const down = await MariaDbServer.start({ noBinlog: true });
        servers.push(down);
        for (const [i, s] of ups.entries()) log(`  shard ${i + 1}: ${s.host}:${s.port}`);
        log(`  downstream: ${down.host}:${down.port}`);
        log('dm playground: creating dmtest1.t1 with 256 rows on each shard (ids 1, 6, 11, … / 2, 7, 12, … / 3, 8, 13, …) ...');
        await Promise.all(ups.map((s) => s.sql(SHARD_SQL(s.port))));

        const master = await startMasterProcess(work);
        procs.push(master);
        const masterAddr = master.addr;
        for (let i = 1; i <= 3; i++) procs.push(await startWorkerProcess(work, `worker${i}`, masterAddr));
        log(`dm playground: dm-master on ${masterAddr}, dm-workers worker1..3 (logs in ${work})`);
        const rpc = <T>(method: string, body: unknown): Promise<T> => postJson<T>(masterAddr, `${RPC_PREFIX}${method}`, body, 120_000);
        const dmctl = `node ${path.relative(process.cwd(), path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dmctl.js'))} --master-addr ${masterAddr}`;

        const ids = ['mysql-replica-01', 'mysql-replica-02', 'mysql-replica-03'];
        const sourceYamls = ids.map((id, i) => ups[i]!.sourceYaml(id, true));
        const sourceFiles = ids.map((id, i) => {
          const f = path.join(work, `${id}.yaml`);
          writeFileSync(f, sourceYamls[i]!);
          return f;
        });
        // wait for the workers to register, so every source is bound at once
        for (let i = 0; i < 50; i++) {
          const m = await rpc<{ members: Array<{ worker?: { workers: unknown[] } }> }>('ListMember', { leader: false, master: false, worker: true, names: [] });
          if ((m.members[0]?.worker?.workers.length ?? 0) >= 3) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        log(`\n$ ${dmctl} operate-source create ${sourceFiles.map((f) => path.basename(f)).join(' ')}`);
        const created = await rpc<{ result: boolean; msg: string }>('OperateSource', { op: 'create', config: sourceYamls, sourceID: [] });
        log(JSON.stringify(created, null, 4));
        if (!created.result) throw new Error(created.msg);

        const taskText = taskYaml(down, ids);
        const taskFile = path.join(work, 'dmtest.yaml');
        writeFileSync(taskFile, taskText);
        log(`\n$ ${dmctl} start-task dmtest.yaml`);
        const started = await rpc<{ result: boolean; msg: string }>('StartTask', { task: taskText, sources: [], removeMeta: true });
        log(JSON.stringify(started, null, 4));
        if (!started.result) throw new Error(started.msg);

        const status = (): Promise<QueryStatusResponse> => rpc<QueryStatusResponse>('QueryStatus', { name: 'dmtest', sources: [] });
        const waitSync = async (what: string): Promise<void> => {
          log(`dm playground: waiting for ${what} ...`);
          for (;;) {
            const st = await status();
            const subs = (st.sources ?? []).map((s) => s.subTaskStatus[0]);
            const err = subs.find((s) => (s?.result?.errors.length ?? 0) > 0);
            if (err) throw new Error(`the task stopped with an error: ${err.result!.errors.map((e) => e.Message).join('; ')}`);
            if (subs.length === 3 && subs.every((s) => s?.unit === 'Sync' && s.sync?.synced)) return;
            await new Promise((r) => setTimeout(r, 500));
          }
        };
        await waitSync('the full copy to finish and replication to catch up');
        log('dm playground: writing 10 more rows on each shard (incremental replication) ...');
        await Promise.all(ups.map((s) => s.sql(`INSERT INTO dmtest1.t1 (c, port) SELECT MD5(seq), ${s.port} FROM dmtest1.seq_1_to_10`)));
        const want = ups.length * 266;
        for (;;) {
          const rows = await down.sql<{ n: number }>('SELECT COUNT(*) AS n FROM dmtest.t1');
          if (Number(rows[0]?.n) >= want) break;
          await new Promise((r) => setTimeout(r, 300));
        }
        await waitSync('replication to catch up');
        log(`\n$ ${dmctl} query-status dmtest`);
        log(JSON.stringify(await status(), null, 4));

        log(`\n$ node dist/src/cli/dm.js diff ${path.basename(taskFile)} ${sourceFiles.map((f) => `--source ${path.basename(f)}`).join(' ')}`);
        const srcs = new Map<string, SourceConfig>(sourceFiles.map((f, i) => [ids[i]!, parseSourceConfig(sourceYamls[i]!, f)]));
        const subtasks = deriveSubtasks(parseTaskConfig(taskText, taskFile), srcs);
        const diff = await runDiff(await buildDiffPlan(diffSourcesOf(subtasks), subtasks[0]!.to), {});
        process.stdout.write(renderText(diff));
        if (!diff.equal) throw new Error('the downstream differs from the upstream shards (see above)');

        log(`\ndm playground: the shards are merged into dmtest.t1 (${want} rows) and replicating. Try:`);
        log(`  ${dmctl} query-status dmtest`);
        log(`  ${dmctl} pause-task dmtest     # and resume-task dmtest`);
        log(`  ${dmctl} list-member`);
        log(`  curl http://${masterAddr}/api/v1/tasks        # the OpenAPI; docs at http://${masterAddr}/api/v1/docs`);
        log(`  MYSQL_PWD=${TEST_PASSWORD} mariadb -h 127.0.0.1 -P ${ups[0]!.port} -u root dmtest1   # write on shard 1, watch dmtest.t1 on -P ${down.port}`);
        log(`  configs: ${work}`);
        if (opts.exit) return;
        log('dm playground: running; press Ctrl-C to stop everything.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        await stopAll();
      }
    });
}
