/**
 * What dm-master and dm-worker share as command-line entry points: DM's `-V` layout, `--print-sample-config`,
 * `--help`; for a valid config, the process log (`log-file`, `log-level`, `log-format`) opened with the
 * effective configuration, the server started, and a graceful stop on SIGINT/SIGTERM. A bad flag or config,
 * or a server that cannot start, is reported as its coded error with exit code 1 (never a stack trace; no
 * secret is printed).
 */
import { readFileSync } from 'node:fs';
import type { LogFormat, LogLevel, ParseOutcome } from '../config/cluster-addr.js';
import { formatFlagHelp, type FlagDef } from '../config/go-flags.js';
import { DmError, type ErrorDef } from '../observability/dm-error.js';
import { ProcessLogger, type LogFn } from '../observability/process-logger.js';
import { reportError } from './report-error.js';

/** What the entry needs from a parsed config. */
export interface ClusterProcessConfig {
  readonly warnings: readonly string[];
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly logFile: string;
  readonly sslCa: string;
  readonly sslCert: string;
  readonly sslKey: string;
}

export interface ClusterEntry<C extends ClusterProcessConfig> {
  /** `dm-master` / `dm-worker`. */
  readonly command: string;
  readonly flags: readonly FlagDef[];
  parse(argv: readonly string[]): ParseOutcome<C>;
  format(config: C): string;
  printSampleConfig(): void;
  /** The process's code for TLS settings it cannot honour (TLS between components is not built yet). */
  readonly tlsNotValid: ErrorDef;
  /** The server for a valid config (not started). */
  createServer(config: C, log: LogFn): Server;
}

export interface Server {
  /** Resolves once it serves. */
  start(): Promise<void>;
  /** Graceful shutdown (subtasks stop at a checkpoint, listeners and files close). */
  stop(): Promise<void>;
}

/** DM's `-V` layout (`version.GetRawInfo`), with dm-ts's version from package.json. */
function versionInfo(): string {
  let version = 'unknown';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    version = pkg.version ?? version;
  } catch {
    // running from an unusual layout: the version stays "unknown", which -V says plainly
  }
  return `Release Version: v${version} (dm-ts)\nGit Commit Hash: None\nGit Branch: None\nUTC Build Time: None\nNode Version: ${process.version}\n`;
}

export function runClusterEntry<C extends ClusterProcessConfig>(e: ClusterEntry<C>, argv: readonly string[]): void {
  try {
    const r = e.parse(argv);
    switch (r.kind) {
      case 'version':
        process.stdout.write(versionInfo());
        return;
      case 'sample-config':
        e.printSampleConfig();
        return;
      case 'help':
        process.stdout.write(formatFlagHelp(e.command, e.flags));
        return;
      case 'config':
        for (const w of r.config.warnings) process.stderr.write(`warning: ${w}\n`);
        void serveUntilSignalled(e, r.config);
    }
  } catch (err) {
    reportError(err);
  }
}

const STOP_DEADLINE_MS = 60_000;

/** Starts the server with its log; the stop closes both. */
async function serve<C extends ClusterProcessConfig>(e: ClusterEntry<C>, config: C): Promise<Pick<Server, 'stop'>> {
  // never run without the TLS the operator asked for
  if (config.sslCa || config.sslCert || config.sslKey) throw DmError.of(e.tlsNotValid, ['TLS between cluster components is not supported by dm-ts yet; remove ssl-ca / ssl-cert / ssl-key to run without it on a trusted network']);
  const logger = new ProcessLogger(config.logLevel, config.logFormat, config.logFile);
  logger.log('info', `${e.command} starting with config:\n${e.format(config)}`);
  const server = e.createServer(config, logger.log);
  await server.start();
  return {
    async stop() {
      await server.stop();
      logger.log('info', `${e.command} stopped`);
      await logger.close();
    },
  };
}

/** Serves until SIGINT/SIGTERM (graceful stop; a second signal exits at once); a start failure exits 1. */
async function serveUntilSignalled<C extends ClusterProcessConfig>(e: ClusterEntry<C>, config: C): Promise<void> {
  let server: Pick<Server, 'stop'>;
  try {
    server = await serve(e, config);
  } catch (err) {
    reportError(err);
    return;
  }
  let signals = 0;
  const onSignal = (sig: string): void => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stderr.write(`${e.command}: ${sig} received, stopping (again to quit at once) ...\n`);
    // a unit that does not stop must not keep the process forever: the checkpoints downstream are exact, so
    // exiting without the graceful part loses nothing (the next start resumes from them)
    setTimeout(() => {
      process.stderr.write(`${e.command}: not stopped after ${STOP_DEADLINE_MS / 1000} s; exiting now (the checkpoints downstream are exact)\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        reportError(err);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
