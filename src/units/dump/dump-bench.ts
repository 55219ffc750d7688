/**
 * Dump throughput against mydumper, same server, same run: `npx tsx src/units/dump/dump-bench.ts [rows]
 * [rounds] [threads] [chunk-rows]` (defaults 1000000 5 2 200000). Starts its own MariaDB, fills a sysbench
 * table (`id`, `k`, `c` CHAR(120), `pad` CHAR(60)) with INSERT ... SELECT FROM seq_1_to_N, then dumps it
 * alternately with the dump unit and with `mydumper -t threads -r chunk-rows` (Debian's mydumper 0.10, if
 * installed), and prints each run and the medians: wall time, rows/s, MB/s of SQL written, and CPU time
 * of the dumping process (ours: process.cpuUsage around the dump; mydumper: /usr/bin/time).
 * Not a test: a measurement, to be read together with the machine's load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MariaDbServer, stopAllServers } from '../../playground/local-mariadb.js';
import { DumpUnit } from './dump-unit.js';

interface Run {
  tool: string;
  ms: number;
  cpuMs: number;
  bytes: number;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const [nRows = 1_000_000, rounds = 5, threads = 2, chunkRows = 200_000] = process.argv.slice(2).map(Number);
  const work = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-dump-bench-'));
  const server = await MariaDbServer.start({ extraArgs: ['--innodb-buffer-pool-size=1G'] });
  try {
    const g = (n: number): string => Array.from({ length: n }, () => "LPAD(FLOOR(RAND() * 1e11), 11, '0')").join(', ');
    await server.sql(`CREATE DATABASE sbtest; CREATE TABLE sbtest.sbtest1 (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0,
      c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k)) ENGINE=InnoDB;
      SET SESSION sql_log_bin = 0;
      INSERT INTO sbtest.sbtest1 (id, k, c, pad) SELECT seq, FLOOR(RAND() * ${nRows}), CONCAT_WS('-', ${g(10)}), CONCAT_WS('-', ${g(5)}) FROM sbtest.seq_1_to_${nRows};
      ANALYZE TABLE sbtest.sbtest1`);
    const runs: Run[] = [];
    const hasMydumper = existsSync('/usr/bin/mydumper');
    const hasTime = existsSync('/usr/bin/time');
    for (let r = 0; r < rounds; r++) {
      const out = path.join(work, 'ours');
      const unit = new DumpUnit({
        source: server.config(),
        outputDir: out,
        threads,
        rows: chunkRows,
        chunkFilesizeMB: 64,
        statementSize: 1_000_000,
        consistency: 'auto',
        filter: { matchSchema: (s) => s === 'sbtest', matchTable: () => true },
      });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await unit.process(new AbortController().signal);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      await unit.close();
      const failed = res.errors[0];
      if (failed) throw failed;
      runs.push({ tool: 'dm-ts', ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes: dirBytes(out) });
      if (hasMydumper) {
        const md = path.join(work, 'mydumper');
        rmSync(md, { recursive: true, force: true });
        const args = ['-h', server.host, '-P', String(server.port), '-u', server.user, '-p', server.password, '-B', 'sbtest', '-t', String(threads), '-r', String(chunkRows), '-o', md];
        const t1 = performance.now();
        const p = hasTime ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'mydumper', ...args], { encoding: 'utf8' }) : spawnSync('mydumper', args, { encoding: 'utf8' });
        const ms2 = performance.now() - t1;
        if (p.status !== 0) throw new Error(`mydumper failed: ${p.stderr}`);
        const m = /cpu ([\d.]+) ([\d.]+)/.exec(p.stderr);
        runs.push({ tool: 'mydumper', ms: ms2, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, bytes: dirBytes(md) });
      }
      for (const x of runs.slice(-2)) {
        console.log(`${x.tool.padEnd(9)} ${x.ms.toFixed(0).padStart(6)} ms  ${((nRows / x.ms) * 1000 / 1e6).toFixed(2)} M rows/s  ${(x.bytes / x.ms / 1000).toFixed(0).padStart(4)} MB/s  cpu ${x.cpuMs.toFixed(0)} ms  (${(x.bytes / 1e6).toFixed(0)} MB)`);
      }
    }
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const tool of ['dm-ts', 'mydumper']) {
      const xs = runs.filter((x) => x.tool === tool);
      if (!xs.length) continue;
      const ms = median(xs.map((x) => x.ms));
      const bytes = median(xs.map((x) => x.bytes));
      console.log(`median ${tool.padEnd(9)} ${ms.toFixed(0)} ms, ${((nRows / ms) * 1000 / 1e6).toFixed(2)} M rows/s, ${(bytes / ms / 1000).toFixed(0)} MB/s, cpu ${median(xs.map((x) => x.cpuMs)).toFixed(0)} ms`);
    }
  } finally {
    await stopAllServers();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
