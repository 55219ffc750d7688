#!/usr/bin/env node
/**
 * `dm-worker`: the cluster's worker process. DM's flags and dm-worker.toml (src/config/worker-config.ts),
 * `-V`, `--print-sample-config`, `--help`; then the server (src/worker/dm-worker-server.ts): registers with
 * the masters in `join`, keeps alive, runs the subtasks of the source bound to it. SIGINT/SIGTERM stop it
 * gracefully (subtasks stop at their next checkpoint).
 *
 * Exit codes: 0 for version/sample/help and after a graceful stop; 1 with the coded error on stderr for a
 * bad flag or config or a listener that cannot start.
 */
import { formatWorkerConfig, WORKER_FLAGS, parseWorkerConfig, printSampleConfig } from '../config/worker-config.js';
import { E } from '../observability/error-catalogue.js';
import { DmWorkerServer } from '../worker/dm-worker-server.js';
import { runClusterEntry } from './cluster-entry.js';

runClusterEntry(
  {
    command: 'dm-worker',
    flags: WORKER_FLAGS,
    parse: parseWorkerConfig,
    format: formatWorkerConfig,
    printSampleConfig: () => printSampleConfig(),
    tlsNotValid: E.WorkerTLSConfigNotValid,
    createServer: (config, log) => new DmWorkerServer({ config, log }),
  },
  process.argv.slice(2),
);
