/**
 * dmctl's command tree (DM v5.3 command names and flags) and its runner: one command from the argv, or the
 * interactive prompt when only connection flags are given. The global connection flags are taken out of
 * the argv first (anywhere, as DM allows); `-s/--source` is a program option every command reads.
 *
 * Invariants: the runner never exits the process and never throws — it returns the exit code: 0 after any
 * dm-master answer (even `result: false`, as DM), after `--help` and `-V`; 1 for a usage error (commander's
 * message and the command's help on stderr) or a failure (one `Error: <coded message>` line on stderr; the
 * stack only with DM_DEBUG=1). The master connection is made on first use and kept for the session.
 */
import { Command, CommanderError, Option } from 'commander';
import { decryptCommand } from '../cli/commands/decrypt-command.js';
import { encryptCommand } from '../cli/commands/encrypt-command.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { collectList, nodeFiles, versionInfo, type CtlEnv, type Files } from './ctl-env.js';
import { DEFAULT_RPC_TIMEOUT, extractGlobalFlags, resolveCtlSettings, type CtlSettings } from './ctl-settings.js';
import { MasterClient, type FetchFn, type MasterCaller } from './master-client.js';
import { runInteractive } from './interactive.js';
import { binlogCommand } from './commands/binlog-command.js';
import { binlogSchemaCommand } from './commands/binlog-schema-command.js';
import { checkTaskCommand } from './commands/check-task-command.js';
import { configCommand } from './commands/config-command.js';
import { getConfigCommand } from './commands/get-config-command.js';
import { handleErrorCommand } from './commands/handle-error-command.js';
import { listMemberCommand } from './commands/list-member-command.js';
import { offlineMemberCommand } from './commands/offline-member-command.js';
import { operateSchemaCommand } from './commands/operate-schema-command.js';
import { operateSourceCommand } from './commands/operate-source-command.js';
import { operateTaskCommand } from './commands/operate-task-command.js';
import { queryStatusCommand } from './commands/query-status-command.js';
import { startTaskCommand } from './commands/start-task-command.js';
import { transferSourceCommand } from './commands/transfer-source-command.js';

export interface CtlIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIO: CtlIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

function forEachCommand(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const c of cmd.commands) forEachCommand(c, fn);
}

/** The whole command tree; every command throws instead of exiting and writes through `io`. */
export function createCtlProgram(env: CtlEnv, io: CtlIO): Command {
  const program = new Command('dmctl')
    .description('DM control: manages a dm-ts cluster through dm-master (run without a command for the interactive mode)')
    .usage('[--master-addr host:port[,host:port...]] [--rpc-timeout 10m] [-s source ...] <command> [flags]')
    .version(versionInfo().trimEnd(), '-V, --version', 'prints version and exit')
    .option('-s, --source <source-id>', 'MySQL source ID (repeatable, or comma-separated)', collectList)
    .option('--master-addr <addr>', 'master API server address(es), comma-separated; default: $DM_MASTER_ADDR (may appear anywhere in the command)')
    .option('--rpc-timeout <duration>', 'RPC timeout, a Go duration', DEFAULT_RPC_TIMEOUT)
    .option('--config <file>', 'dmctl config file (TOML: master-addr, rpc-timeout)')
    .addOption(new Option('--ssl-ca <file>', 'not supported yet').hideHelp())
    .addOption(new Option('--ssl-cert <file>', 'not supported yet').hideHelp())
    .addOption(new Option('--ssl-key <file>', 'not supported yet').hideHelp())
    .addCommand(operateSourceCommand(env))
    .addCommand(startTaskCommand(env))
    .addCommand(operateTaskCommand(env, 'Stop'))
    .addCommand(operateTaskCommand(env, 'Pause'))
    .addCommand(operateTaskCommand(env, 'Resume'))
    .addCommand(queryStatusCommand(env))
    .addCommand(checkTaskCommand(env))
    .addCommand(configCommand(env))
    .addCommand(getConfigCommand(env))
    .addCommand(listMemberCommand(env))
    .addCommand(offlineMemberCommand(env))
    .addCommand(transferSourceCommand(env))
    .addCommand(binlogCommand(env))
    .addCommand(binlogSchemaCommand(env))
    .addCommand(handleErrorCommand(env))
    .addCommand(operateSchemaCommand(env))
    .addCommand(encryptCommand().description('Encrypts plaintext to ciphertext (offline)'))
    .addCommand(decryptCommand().description('Decrypts ciphertext to plaintext (offline)'));
  forEachCommand(program, (c) => {
    c.exitOverride();
    c.configureOutput({ writeOut: io.out, writeErr: io.err });
    c.showHelpAfterError(c === program ? '(run "dmctl --help" for the commands)' : true);
  });
  return program;
}

/** The DM-style message of a failure (stack only with DM_DEBUG=1). */
export function formatCtlError(e: unknown): string {
  const debug = process.env.DM_DEBUG === '1';
  if (e instanceof DmError) return `Error: ${e.message}\n${debug && e.cause instanceof Error ? `cause: ${e.cause.stack ?? e.cause.message}\n` : ''}`;
  const msg = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e);
  return `Error: ${msg}\n`;
}

/** DM's hidden `--encrypt <plain>` / `--decrypt <cipher>` flags are the `encrypt`/`decrypt` commands. */
export function legacyCryptoArgs(rest: readonly string[]): string[] {
  const m = /^--?(encrypt|decrypt)(?:=(.*))?$/.exec(rest[0] ?? '');
  if (!m) return [...rest];
  return m[2] !== undefined ? [m[1]!, m[2], ...rest.slice(1)] : [m[1]!, ...rest.slice(1)];
}

export interface RunDmctlOptions {
  env?: Readonly<Record<string, string | undefined>>;
  io?: CtlIO;
  files?: Files;
  /** Replaces global fetch (tests). */
  fetch?: FetchFn;
  /** Interactive mode input (default stdin). */
  input?: NodeJS.ReadableStream;
}

/** A session: the settings and the (lazily made) master connection shared by the commands it runs. */
class CtlSession {
  private client: MasterCaller | undefined;

  constructor(
    private readonly settings: CtlSettings,
    private readonly io: CtlIO,
    private readonly files: Files,
    private readonly fetchFn: FetchFn | undefined,
  ) {}

  get hasMasterAddr(): boolean {
    return this.settings.masterAddr.trim() !== '';
  }

  private master(): MasterCaller {
    if (this.client === undefined) {
      if (!this.hasMasterAddr) throw DmError.of(E.CtlMasterAddrNotProvided);
      this.client = new MasterClient(this.settings.masterAddr, { rpcTimeoutMs: this.settings.rpcTimeoutMs, ...(this.fetchFn ? { fetch: this.fetchFn } : {}) });
    }
    return this.client;
  }

  /** Runs one command line (argv without the program name); returns its exit code. */
  async run(args: readonly string[]): Promise<number> {
    const env: CtlEnv = { master: () => this.master(), out: this.io.out, files: this.files };
    const program = createCtlProgram(env, this.io);
    try {
      await program.parseAsync(legacyCryptoArgs(extractGlobalFlags(args).rest), { from: 'user' });
      return 0;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode;
      this.io.err(formatCtlError(e));
      return 1;
    }
  }

  helpText(): string {
    return createCtlProgram({ master: () => this.master(), out: this.io.out, files: this.files }, this.io).helpInformation();
  }
}

/** dmctl's main: runs the command in `argv` (without node and the script), or the interactive mode. */
export async function runDmctl(argv: readonly string[], opts: RunDmctlOptions = {}): Promise<number> {
  const io = opts.io ?? processIO;
  const files = opts.files ?? nodeFiles;
  let session: CtlSession;
  let rest: string[];
  try {
    const x = extractGlobalFlags(argv);
    rest = x.rest;
    const settings = resolveCtlSettings(x.flags, opts.env ?? process.env, (p) => files.read(p));
    session = new CtlSession(settings, io, files, opts.fetch);
  } catch (e) {
    io.err(formatCtlError(e));
    return 1;
  }
  if (rest.length > 0) return session.run(rest);
  if (!session.hasMasterAddr) {
    io.out(session.helpText());
    return 0;
  }
  await runInteractive({
    input: opts.input ?? process.stdin,
    output: io,
    banner: `Welcome to dmctl\n${versionInfo()}`,
    run: (args) => session.run(args),
  });
  return 0;
}
