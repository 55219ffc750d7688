/**
 * What every dmctl command is given ({@link CtlEnv}: the master connection, stdout, the file system) and the
 * helpers the commands share: DM's task-name-or-task-file rule, `-s` collection, JSON printing as DM's dmctl
 * prints (4-space indent), usage errors, and the `-V` text.
 *
 * Invariants: the argv→request functions of the commands take a {@link Files} so they are pure in tests; an
 * unreadable file is a coded error naming the path; a {@link CtlUsageError} becomes commander's usage error
 * (message + the command's help on stderr, exit code 1).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import type { MasterCaller } from './master-client.js';

/** The file system as the commands see it. */
export interface Files {
  /** The file's text; a coded error (20018) naming the path when it cannot be read. */
  read(path: string): string;
  /** Whether `path` is an existing regular file. */
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** The names of the regular files in a directory, sorted. */
  list(dir: string): string[];
  /** Writes a file, creating its directory; a coded error (48107) naming the path on failure. */
  write(path: string, text: string): void;
}

export const nodeFiles: Files = {
  read(p) {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw DmError.of(E.ConfigReadCfgFromFile, [`${p}: ${errText(e)}`]);
    }
  },
  isFile(p) {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isDir(p) {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  list(dir) {
    return readdirSync(dir)
      .filter((n) => statSync(path.join(dir, n)).isFile())
      .sort();
  },
  write(p, text) {
    try {
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text, { mode: 0o644 });
    } catch (e) {
      throw DmError.of(E.CtlWriteFile, [p, errText(e)]);
    }
  },
};

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : (err.message ?? String(e));
}

export interface CtlEnv {
  /** The master connection; created on first use, so offline commands need no `--master-addr`. */
  master(): MasterCaller;
  /** Writes to stdout. */
  out: (text: string) => void;
  files: Files;
}

/** A wrong use of a command (missing or extra arguments, bad values): printed with the command's help, exit 1. */
export class CtlUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CtlUsageError';
  }
}

/** DM's response printing (`jsonpb` with a 4-space indent): the JSON and a newline. */
export function formatResponse(resp: unknown): string {
  return `${JSON.stringify(resp, null, 4)}\n`;
}

/** commander argParser for DM's string-slice flags: repeatable, and each value may hold comma-separated items. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...(previous ?? []), ...items];
}

/** The global `-s/--source` values of a command (defined on the program, allowed anywhere). */
export function sourcesOf(cmd: Command): string[] {
  const v = cmd.optsWithGlobals<{ source?: string[] }>().source;
  return v ?? [];
}

/**
 * DM's `GetTaskNameFromArgOrFile`: an argument ending in `.yaml`/`.yml` that is a readable task file with a
 * `name` gives that name; anything else is the task name itself.
 */
export function taskNameFromArgOrFile(arg: string, files: Files): string {
  if (!/\.ya?ml$/i.test(arg) || !files.isFile(arg)) return arg;
  try {
    const doc: unknown = parseYaml(files.read(arg));
    if (typeof doc === 'object' && doc !== null && 'name' in doc && typeof doc.name === 'string' && doc.name !== '') return doc.name;
  } catch {
    // not a task file: DM then uses the argument as the name
  }
  return arg;
}

/**
 * Wraps a command action: a {@link CtlUsageError} becomes commander's usage error for that command.
 * Other errors (coded DM errors) propagate to the runner, which prints them.
 */
export function ctlAction<A extends unknown[]>(fn: (this: Command, ...args: A) => Promise<void> | void): (this: Command, ...args: A) => Promise<void> {
  return async function (this: Command, ...args: A): Promise<void> {
    try {
      await fn.apply(this, args);
    } catch (e) {
      if (e instanceof CtlUsageError) this.error(`error: ${e.message}`, { exitCode: 1, code: 'dmctl.usage' });
      throw e;
    }
  };
}

/** DM's `-V` layout (`version.GetRawInfo`), with dm-ts's version from package.json. */
export function versionInfo(): string {
  let version = 'unknown';
  try {
    const pkgPath = new URL('../../../package.json', import.meta.url);
    if (existsSync(pkgPath)) version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // an unusual layout: the version stays "unknown", which -V says plainly
  }
  return `Release Version: v${version} (dm-ts)\nGit Commit Hash: None\nGit Branch: None\nUTC Build Time: None\nNode Version: ${process.version}\n`;
}
