/**
 * What dm-master and dm-worker share as command-line entry points: DM's `-V` layout, `--print-sample-config`,
 * `--help`, and the effective configuration printed for a valid config. A bad flag or config is reported as
 * its coded error with exit code 1 (never a stack trace; no secret is printed).
 */
import { readFileSync } from 'node:fs';
import type { ParseOutcome } from '../config/cluster-addr.js';
import { formatFlagHelp, type FlagDef } from '../config/go-flags.js';
import { reportError } from './report-error.js';

export interface ClusterEntry<C extends { readonly warnings: readonly string[] }> {
  /** `dm-master` / `dm-worker`. */
  readonly command: string;
  readonly flags: readonly FlagDef[];
  parse(argv: readonly string[]): ParseOutcome<C>;
  format(config: C): string;
  printSampleConfig(): void;
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

export function runClusterEntry<C extends { readonly warnings: readonly string[] }>(e: ClusterEntry<C>, argv: readonly string[]): void {
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
        process.stdout.write(e.format(r.config));
        process.stderr.write(`${e.command}: configuration is valid; the ${e.command} server itself is not implemented yet in dm-ts, exiting\n`);
    }
  } catch (err) {
    reportError(err);
  }
}
