#!/usr/bin/env node
/**
 * `dmctl`: the command-line client of a dm-ts cluster (DM v5.3's dmctl commands and flags, talking to
 * dm-master over HTTP/JSON). `dmctl --master-addr host:port <command> ...` runs one command; without a
 * command it starts the interactive prompt. Exit code 0 after any dm-master answer (also `result: false`),
 * 1 after a usage error or a failure (coded message on stderr).
 */
import { runDmctl } from '../ctl/ctl-program.js';

process.exitCode = await runDmctl(process.argv.slice(2));
