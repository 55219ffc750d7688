#!/usr/bin/env node
/**
 * `dm-master`: the cluster's master process. For now only its configuration exists: DM's flags and
 * dm-master.toml are parsed and checked exactly as DM does (src/config/master-config.ts), `-V`,
 * `--print-sample-config` and `--help` work, and the effective configuration is printed. The server itself
 * (embedded store, scheduler, API) is not implemented yet.
 *
 * Exit codes: 0 for version/sample/help and a valid configuration; 1 with the coded error on stderr for a
 * bad flag or config (never a stack trace; no config value printed is a secret).
 */
import { formatMasterConfig, MASTER_FLAGS, parseMasterConfig, printSampleConfig } from '../config/master-config.js';
import { runClusterEntry } from './cluster-entry.js';

runClusterEntry({ command: 'dm-master', flags: MASTER_FLAGS, parse: parseMasterConfig, format: formatMasterConfig, printSampleConfig: () => printSampleConfig() }, process.argv.slice(2));
