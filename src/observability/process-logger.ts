/**
 * The log of a long-running process (dm-master, dm-worker): DM's text layout
 * `[2026/11/21 10:40:00.123 +00:00] [INFO] message` or one JSON object per line (`log-format = "json"`),
 * to `log-file` (appended) or stdout, below `log-level` dropped.
 *
 * Invariant: callers never pass secrets (configs are masked before they are logged); every line is written
 * whole with one write call.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { LogFormat, LogLevel } from '../config/cluster-addr.js';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

function stamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} +00:00`;
}

export class ProcessLogger {
  private readonly out: WriteStream | NodeJS.WriteStream;

  constructor(
    private readonly level: LogLevel,
    private readonly format: LogFormat,
    file: string,
  ) {
    if (file) {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.out = createWriteStream(file, { flags: 'a' });
    } else {
      this.out = process.stdout;
    }
  }

  readonly log: LogFn = (level, msg) => {
    if (RANK[level] < RANK[this.level]) return;
    const now = new Date();
    const line = this.format === 'json' ? JSON.stringify({ level: level.toUpperCase(), time: now.toISOString(), message: msg }) : `[${stamp(now)}] [${level.toUpperCase()}] ${msg}`;
    this.out.write(`${line}\n`);
  };

  async close(): Promise<void> {
    if (this.out === process.stdout) return;
    await new Promise<void>((resolve) => (this.out as WriteStream).end(resolve));
  }
}
