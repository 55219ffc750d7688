/**
 * One dm-master or dm-worker child process (the playground's cluster, and the tests'): its own directory
 * (cwd, data, log file), started and waited for until its listener answers `/status`; stopped gracefully
 * (SIGTERM) or killed (`kill -9`) and started again on the same address and directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './local-mariadb.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The node arguments that run one of our CLIs: the compiled JS next to this module, else the TypeScript source through tsx. */
export function cliArgs(name: string): string[] {
  const compiled = path.resolve(here, `../cli/${name}.js`);
  return existsSync(compiled) ? [compiled] : ['--import', import.meta.resolve('tsx'), path.resolve(here, `../cli/${name}.ts`)];
}

export class ClusterProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  constructor(
    readonly kind: 'dm-master' | 'dm-worker',
    readonly name: string,
    readonly addr: string,
    readonly dir: string,
    private readonly args: string[],
  ) {}

  get logFile(): string {
    return path.join(this.dir, `${this.kind}.log`);
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the process and waits until its listener answers `/status`. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    let stderr = '';
    const child = spawn(process.execPath, [...cliArgs(this.kind), ...this.args, `--log-file=${this.logFile}`], { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.child = undefined;
        resolve(code);
      }),
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`${this.kind} ${this.name} exited at start: ${stderr}\n${this.log().slice(-2000)}`);
      try {
        const r = await fetch(`http://${this.addr}/status`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.kind} ${this.name} did not start listening on ${this.addr}: ${stderr}`);
  }

  /** SIGTERM and wait (graceful); the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child) return null;
    this.child.kill('SIGTERM');
    return this.exited!;
  }

  /** `kill -9`. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}


/** A dm-master on a free loopback port, with its directory (data, log) `dir/name`; resolves once it serves. */
export async function startMasterProcess(dir: string, name = 'master1'): Promise<ClusterProcess> {
  const addr = `127.0.0.1:${await freePort()}`;
  const home = path.join(dir, name);
  const m = new ClusterProcess('dm-master', name, addr, home, [`--name=${name}`, `--master-addr=${addr}`, `--data-dir=${path.join(home, 'data')}`, `--peer-urls=http://127.0.0.1:${await freePort()}`]);
  await m.start();
  return m;
}

/** A dm-worker on a free loopback port joining `masterAddr`, its directory `dir/name`; resolves once it serves. */
export async function startWorkerProcess(dir: string, name: string, masterAddr: string, keepAliveTtl?: number): Promise<ClusterProcess> {
  const addr = `127.0.0.1:${await freePort()}`;
  const ttl = keepAliveTtl === undefined ? [] : [`--keepalive-ttl=${keepAliveTtl}`];
  const w = new ClusterProcess('dm-worker', name, addr, path.join(dir, name), [`--name=${name}`, `--worker-addr=${addr}`, `--join=${masterAddr}`, ...ttl]);
  await w.start();
  return w;
}
