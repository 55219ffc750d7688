/**
 * Local MariaDB servers started from the Debian `mariadb-server` binaries: for `dm playground` and for the
 * integration tests (test/harness re-exports this). Each instance has its own temporary data dir (copied
 * from a template made once per machine by mariadb-install-db), a free loopback port, its own server id, and
 * a binlog in ROW format with FULL row image and GTIDs, unless asked otherwise. It listens on 127.0.0.1 only.
 *
 * Invariant: every server started here is stopped — by `stop()`, by `stopAllServers()`, or, if the process
 * dies or is interrupted, by the exit/signal handlers installed on first start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, renameSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export const TEST_USER = 'root';
export const TEST_PASSWORD = 'dm-test-pw';

export interface MariaDbOptions {
  /** Server id; defaults to a distinct number per instance. */
  serverId?: number;
  binlogFormat?: 'ROW' | 'STATEMENT' | 'MIXED';
  binlogRowImage?: 'FULL' | 'MINIMAL' | 'NOBLOB';
  /** Extra `--option=value` arguments for mariadbd. */
  extraArgs?: string[];
  /** gtid_domain_id of this server. */
  gtidDomainId?: number;
  /** Disable the binlog entirely (a downstream that does not need one). */
  noBinlog?: boolean;
}

export interface ConnectionConfig {
  host: string;
  port: number;
  user: string;
  password: string;
}

let nextServerId = 1;
const running = new Set<MariaDbServer>();
let handlersInstalled = false;

function findBinary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found: install the Debian package mariadb-server (scripts/ensure-system-deps.sh does)`);
}

/** A loopback TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The initialised, never-started data dir that every instance copies. Built once per machine. */
function templateDataDir(): string {
  const out = spawnSync(findBinary('mariadbd'), ['--version'], { encoding: 'utf8' }).stdout;
  const version = (/Ver\s+(\S+)/.exec(out)?.[1] ?? 'unknown').replace(/[^A-Za-z0-9.-]+/g, '_');
  const dir = path.join(os.tmpdir(), `dm-ts-mariadb-template-${version}`);
  if (existsSync(path.join(dir, 'mysql', 'user.frm')) || existsSync(path.join(dir, 'mysql', 'global_priv.frm'))) return dir;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-template-build-'));
  const r = spawnSync(
    findBinary('mariadb-install-db'),
    ['--no-defaults', `--datadir=${tmp}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stderr || r.stdout}`);
  try {
    renameSync(tmp, dir);
  } catch {
    // another test process built it concurrently: use theirs
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = (): void => {
    for (const s of running) {
      s.killNow();
      rmSync(s.dataDir, { recursive: true, force: true });
      rmSync(`${s.dataDir}.tmp`, { recursive: true, force: true });
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // someone else (e.g. `dm playground`) handles this signal and will stop its servers itself
      if (process.listenerCount(sig) > 1) return;
      killAll();
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    };
    process.on(sig, onSignal);
  }
}

export class MariaDbServer {
  readonly host = '127.0.0.1';
  readonly user = TEST_USER;
  readonly password = TEST_PASSWORD;
  private proc: ChildProcess | undefined;
  private pool: mysql.Pool | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    public port: number,
    readonly serverId: number,
    private readonly args: string[],
  ) {}

  /** Starts a new server and waits until it accepts connections. */
  static async start(opts: MariaDbOptions = {}): Promise<MariaDbServer> {
    installExitHandlers();
    const template = templateDataDir();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-mariadb-'));
    cpSync(template, dataDir, { recursive: true });
    const serverId = opts.serverId ?? nextServerId++;
    // each server its own tmpdir: internal temporary tables then never meet another process's cleanup
    const tmpDir = `${dataDir}.tmp`;
    mkdirSync(tmpDir, { recursive: true });
    const initFile = path.join(dataDir, 'dm-init.sql');
    // The test account is created without writing to the binlog, so every binlog starts clean.
    writeFileSync(
      initFile,
      [
        'SET sql_log_bin=0;',
        `CREATE OR REPLACE USER '${TEST_USER}'@'127.0.0.1' IDENTIFIED BY '${TEST_PASSWORD}';`,
        `GRANT ALL PRIVILEGES ON *.* TO '${TEST_USER}'@'127.0.0.1' WITH GRANT OPTION;`,
        `ALTER USER '${TEST_USER}'@'localhost' IDENTIFIED BY '${TEST_PASSWORD}';`,
      ].join('\n'),
    );
    const args = [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${path.join(dataDir, 'mysqld.sock')}`,
      `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
      `--log-error=${path.join(dataDir, 'error.log')}`,
      `--tmpdir=${tmpDir}`,
      `--init-file=${initFile}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-name-resolve',
      `--server-id=${serverId}`,
      `--gtid-domain-id=${opts.gtidDomainId ?? 0}`,
      '--innodb-buffer-pool-size=128M',
      '--innodb-log-file-size=64M',
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      '--max-allowed-packet=1G',
      '--max-connections=500',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      '--log-slave-updates',
    ];
    if (!opts.noBinlog) {
      args.push('--log-bin=mysql-bin', `--binlog-format=${opts.binlogFormat ?? 'ROW'}`, `--binlog-row-image=${opts.binlogRowImage ?? 'FULL'}`);
    }
    args.push(...(opts.extraArgs ?? []));
    const server = new MariaDbServer(dataDir, 0, serverId, args);
    await server.launch();
    return server;
  }

  private async launch(preferredPort?: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.port = attempt === 0 && preferredPort ? preferredPort : await freePort();
      const proc = spawn(findBinary('mariadbd'), [...this.args, `--port=${this.port}`], { stdio: 'ignore' });
      this.proc = proc;
      running.add(this);
      this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
      try {
        await this.waitReady(proc);
        return;
      } catch (e) {
        this.killNow();
        await this.exited;
        // a port taken between freePort() and bind: try another one
        if (attempt < 3 && /Can't start server: Bind|Address already in use/.test(this.errorLog())) continue;
        throw e;
      }
    }
  }

  private async waitReady(proc: ChildProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    const exit: { code: number | null } = { code: null };
    proc.once('exit', (code) => (exit.code = code ?? -1));
    for (;;) {
      if (exit.code !== null) throw new Error(`mariadbd exited with ${exit.code} during start:\n${this.errorLog().slice(-2000)}`);
      try {
        const c = await mysql.createConnection({ ...this.config(), connectTimeout: 1000 });
        await c.end();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within 60 s:\n${this.errorLog().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  errorLog(): string {
    try {
      return readFileSync(path.join(this.dataDir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  config(): ConnectionConfig {
    return { host: this.host, port: this.port, user: this.user, password: this.password };
  }

  /** A DM `source.yaml` for this server. */
  sourceYaml(id: string, gtid: boolean): string {
    return `source-id: "${id}"\nenable-gtid: ${gtid}\nfrom:\n${this.connectionYaml()}`;
  }

  /** The `target-database:` block of a DM `task.yaml` naming this server. */
  targetDatabaseYaml(): string {
    return `target-database:\n${this.connectionYaml()}`;
  }

  private connectionYaml(): string {
    return `  host: "${this.host}"\n  port: ${this.port}\n  user: "${this.user}"\n  password: "${this.password}"\n`;
  }

  /** A shared pool for test queries (multiple statements allowed; BIGINT and DECIMAL as exact strings). */
  private getPool(): mysql.Pool {
    this.pool ??= mysql.createPool({
      ...this.config(),
      connectionLimit: 4,
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      timezone: 'Z',
      charset: 'utf8mb4',
    });
    return this.pool;
  }

  /** Runs one or several statements; returns the rows of the last result set that has rows. */
  async sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]> {
    const [res] = await this.getPool().query(query, params);
    if (Array.isArray(res)) {
      // multi-statement: pick the last row set
      if (res.length > 0 && Array.isArray(res[res.length - 1])) return res[res.length - 1] as T[];
      return res as T[];
    }
    return [];
  }

  /** A dedicated connection (caller closes it). */
  async connect(): Promise<mysql.Connection> {
    return mysql.createConnection({ ...this.config(), multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: 'Z', charset: 'utf8mb4' });
  }

  /** `SHOW MASTER STATUS` as file + position, plus the GTID binlog position. */
  async masterStatus(): Promise<{ file: string; position: number; gtid: string }> {
    const rows = await this.sql<{ File: string; Position: string }>('SHOW MASTER STATUS');
    const g = await this.sql<{ v: string }>('SELECT @@GLOBAL.gtid_binlog_pos AS v');
    const r = rows[0];
    if (!r) throw new Error('binlog is not enabled');
    return { file: r.File, position: Number(r.Position), gtid: g[0]?.v ?? '' };
  }

  binlogPath(file: string): string {
    return path.join(this.dataDir, file);
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Stops the server cleanly and removes its data dir. */
  async stop(opts: { keepData?: boolean } = {}): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
    if (this.running) {
      this.proc!.kill('SIGTERM');
      const timer = setTimeout(() => this.killNow(), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    running.delete(this);
    if (!opts.keepData) {
      rmSync(this.dataDir, { recursive: true, force: true });
      rmSync(`${this.dataDir}.tmp`, { recursive: true, force: true });
    }
  }

  /** Restarts the server on the same data dir (same port when it is still free), down for `downMs` between. */
  async restart(opts: { downMs?: number } = {}): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
    if (this.running) {
      this.proc!.kill('SIGTERM');
      await this.exited;
    }
    if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
    await this.launch(this.port);
  }

  /** SIGKILL, synchronously (exit handlers). */
  killNow(): void {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    running.delete(this);
  }
}

/** Starts `n` servers in parallel with distinct server ids. */
export async function startMariaDbServers(n: number, opts: MariaDbOptions = {}): Promise<MariaDbServer[]> {
  return Promise.all(Array.from({ length: n }, () => MariaDbServer.start(opts)));
}

/** Stops every server this process started (use in `after` hooks). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

