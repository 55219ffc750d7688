#!/usr/bin/env node
/**
 * `dm`: the umbrella command. Subcommands: `run` (a whole task in one process), `binlog` (decode a binlog
 * file or a live stream to JSON lines), `playground` (local MariaDB to try things on), `encrypt`/`decrypt`
 * (DM-compatible password encryption), `diff` (routing-aware data compare), `handle-error` and `binlog-schema`
 * (repairs for a stopped sync). Cluster commands come next.
 */
import { Command } from 'commander';
import { binlogCommand } from './commands/binlog-command.js';
import { playgroundCommand } from './commands/playground-command.js';
import { encryptCommand } from './commands/encrypt-command.js';
import { runCommand } from './commands/run-command.js';
import { diffCommand } from './commands/diff-command.js';
import { decryptCommand } from './commands/decrypt-command.js';
import { handleErrorCommand } from './commands/handle-error-command.js';
import { binlogSchemaCommand } from './commands/binlog-schema-command.js';
import { checkCommand } from './commands/check-command.js';
import { reportError } from './report-error.js';

const program = new Command('dm')
  .description('dm-ts: migrate live MySQL/MariaDB databases into TiDB or any MySQL-compatible database')
  .version('0.1.0', '-V, --version')
  .showHelpAfterError();

program.addCommand(runCommand());
program.addCommand(diffCommand());
program.addCommand(checkCommand());
program.addCommand(handleErrorCommand());
program.addCommand(binlogSchemaCommand());
program.addCommand(binlogCommand());
program.addCommand(playgroundCommand());
program.addCommand(encryptCommand());
program.addCommand(decryptCommand());

program.parseAsync(process.argv).catch(reportError);
