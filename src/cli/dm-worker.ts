#!/usr/bin/env node
/**
 * `dm-worker`: the cluster's worker process. For now only its configuration exists: DM's flags and
 * dm-worker.toml are parsed and checked exactly as DM does (src/config/worker-config.ts), `-V`,
 * `--print-sample-config` and `--help` work, and the effective configuration is printed. The server itself
 * (keepalive, source binding, subtasks, relay) is not implemented yet.
 *
 * Exit codes: 0 for version/sample/help and a valid configuration; 1 with the coded error on stderr for a
 * bad flag or config (never a stack trace; no config value printed is a secret).
 */
import { formatFlagHelp } from '../config/go-flags.js';
import { formatWorkerConfig, WORKER_FLAGS, parseWorkerConfig, printSampleConfig } from '../config/worker-config.js';
import { reportError } from './report-error.js';
import { readFileSync } from 'node:fs';

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

function main(argv: readonly string[]): void {
  const r = parseWorkerConfig(argv);
  switch (r.kind) {
    case 'version':
      process.stdout.write(versionInfo());
      return;
    case 'sample-config':
      printSampleConfig();
      return;
    case 'help':
      process.stdout.write(formatFlagHelp('dm-worker', WORKER_FLAGS));
      return;
    case 'config':
      for (const w of r.config.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(formatWorkerConfig(r.config));
      process.stderr.write('dm-worker: configuration is valid; the dm-worker server itself is not implemented yet in dm-ts, exiting\n');
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  reportError(e);
}
