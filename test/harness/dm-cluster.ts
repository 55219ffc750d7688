/**
 * A dm-ts cluster as a user runs it: real `dm-master` and `dm-worker` processes (the compiled CLI, or the
 * TypeScript source through tsx), each with its own directory, on free loopback ports; `dmctl` runs as a
 * child process and its JSON output is parsed; the OpenAPI is called over HTTP. Processes can be stopped
 * gracefully (SIGTERM), killed (`kill -9`) and started again on the same port and data dir.
 */
import { spawn } from 'node:child_process';
import { ClusterProcess, cliArgs, startMasterProcess, startWorkerProcess } from '../../src/playground/cluster-process.js';

export { ClusterProcess };

export interface ClusterOptions {
  readonly dir: string;
  readonly workers: number;
  /** Worker keep-alive TTL in seconds (DM's default 60 is long for tests). */
  readonly keepAliveTtl?: number;
}

export class DmCluster {
  readonly master: ClusterProcess;
  readonly workers: ClusterProcess[] = [];

  private constructor(
    readonly dir: string,
    master: ClusterProcess,
  ) {
    this.master = master;
  }

  static async start(o: ClusterOptions): Promise<DmCluster> {
    const c = new DmCluster(o.dir, await startMasterProcess(o.dir));
    for (let i = 1; i <= o.workers; i++) await c.addWorker(`worker${i}`, o.keepAliveTtl ?? 6);
    return c;
  }

  async addWorker(name: string, ttl: number): Promise<ClusterProcess> {
    const w = await startWorkerProcess(this.dir, name, this.master.addr, ttl);
    this.workers.push(w);
    return w;
  }

  /** Runs dmctl against the master; parses the JSON it printed when it printed JSON. */
  dmctl(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<DmctlRun> {
    return runDmctl(['--master-addr', this.master.addr, ...args], opts);
  }

  /** Calls the OpenAPI. */
  async api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const r = await fetch(`http://${this.master.addr}${urlPath}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await r.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text
    }
    return { status: r.status, json };
  }

  /** The last lines of every process's log (for failure messages). */
  logTails(lines = 25): string {
    return [this.master, ...this.workers].map((p) => `--- ${p.kind} ${p.name} ---\n${p.log().split('\n').slice(-lines).join('\n')}`).join('\n');
  }

  /** Runs `f`; a failure carries the processes' log tails. */
  async withLogs(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      if (e instanceof Error) e.message = `${e.message}\n${this.logTails()}`;
      throw e;
    }
  }

  async stopAll(): Promise<void> {
    for (const w of this.workers) await w.stop().catch(() => undefined);
    await this.master.stop().catch(() => undefined);
  }
}

export interface DmctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON printed (undefined when stdout was not JSON). */
  json: Record<string, unknown> | undefined;
}

export function runDmctl(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<DmctlRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...cliArgs('dmctl'), ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** Polls `f` until it returns a value (not undefined/false) or the time runs out (then the last error). */
export async function eventually<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** dmctl in interactive mode: `input` is typed line by line; resolves with everything it printed. */
export function runDmctlInteractive(masterAddr: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...cliArgs('dmctl'), '--master-addr', masterAddr], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => resolve(out));
    p.stdin.end(input);
  });
}
