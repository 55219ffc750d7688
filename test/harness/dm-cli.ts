/**
 * Runs the `dm` command as a user does: a child process of the compiled CLI (dist/src/cli/dm.js) when the
 * tests are compiled, or of the TypeScript source through tsx when they run from source. Collects stdout and
 * stderr; can SIGKILL the process after a delay (crash tests).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = path.resolve(here, '../../src/cli/dm.js');
const CLI = existsSync(compiled) ? [compiled] : ['--import', import.meta.resolve('tsx'), path.resolve(here, '../../src/cli/dm.ts')];

export interface DmRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface DmRunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** SIGKILL the process after this many milliseconds. */
  killAfterMs?: number;
  /** Send SIGINT (Ctrl-C) once stderr matches this, e.g. a progress line. */
  interruptWhen?: RegExp;
  /** SIGKILL the process `killDelayMs` after stderr first matches this (a crash at a chosen stage). */
  killWhen?: RegExp;
  killDelayMs?: number;
}

export function runDm(args: string[], opts: DmRunOptions = {}): Promise<DmRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let interrupted = false;
    let killArmed: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.interruptWhen && !interrupted && opts.interruptWhen.test(stderr)) {
        interrupted = true;
        p.kill('SIGINT');
      }
      if (opts.killWhen && !killArmed && opts.killWhen.test(stderr)) {
        killArmed = setTimeout(() => p.kill('SIGKILL'), opts.killDelayMs ?? 0);
      }
    });
    const timer = opts.killAfterMs !== undefined ? setTimeout(() => p.kill('SIGKILL'), opts.killAfterMs) : undefined;
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killArmed) clearTimeout(killArmed);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface DmProcess {
  /** Resolves when the process has exited. */
  readonly done: Promise<DmRun>;
  /** Output so far. */
  stderr(): string;
  /** Ctrl-C. */
  interrupt(): void;
  /** kill -9. */
  kill(): void;
  /** Resolves once stderr matches `re` (rejects if the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts `dm` in the background (for long-running `dm run` tasks that a test stops or kills). */
export function startDm(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): DmProcess {
  const p = spawn(process.execPath, [...CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners: Array<() => void> = [];
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const l of [...listeners]) l();
  });
  const done = new Promise<DmRun>((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code, signal) => {
      exited = true;
      for (const l of [...listeners]) l();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    done,
    stderr: () => stderr,
    interrupt: () => void p.kill('SIGINT'),
    kill: () => void p.kill('SIGKILL'),
    waitFor: (re, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${String(re)}; stderr:\n${stderr.slice(-3000)}`)), timeoutMs);
        const check = (): void => {
          if (re.test(stderr)) finish();
          else if (exited) finish(new Error(`dm exited before ${String(re)}; stderr:\n${stderr.slice(-3000)}`));
        };
        const finish = (err?: Error): void => {
          clearTimeout(timer);
          const i = listeners.indexOf(check);
          if (i >= 0) listeners.splice(i, 1);
          if (err) reject(err);
          else resolve();
        };
        listeners.push(check);
        check();
      }),
  };
}
