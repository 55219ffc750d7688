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
import { formatWorkerConfig, WORKER_FLAGS, parseWorkerConfig, printSampleConfig } from '../config/worker-config.js';
import { runClusterEntry } from './cluster-entry.js';

runClusterEntry({ command: 'dm-worker', flags: WORKER_FLAGS, parse: parseWorkerConfig, format: formatWorkerConfig, printSampleConfig: () => printSampleConfig() }, process.argv.slice(2));
