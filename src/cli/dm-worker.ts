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
import { ProcessLogger } from '../observability/process-logger.js';
import { DmWorkerServer } from '../worker/dm-worker-server.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { runClusterEntry } from './cluster-entry.js';

runClusterEntry(
  {
    command: 'dm-worker',
    flags: WORKER_FLAGS,
    parse: parseWorkerConfig,
    format: formatWorkerConfig,
    printSampleConfig: () => printSampleConfig(),
    async serve(config) {
      // never run without the TLS the operator asked for
      if (config.sslCa || config.sslCert || config.sslKey) throw DmError.of(E.WorkerTLSConfigNotValid, ['TLS between cluster components is not supported by dm-ts yet; remove ssl-ca / ssl-cert / ssl-key to run without it on a trusted network']);
      const logger = new ProcessLogger(config.logLevel, config.logFormat, config.logFile);
      logger.log('info', `dm-worker starting with config:\n${formatWorkerConfig(config)}`);
      const server = new DmWorkerServer({ config, log: logger.log });
      await server.start();
      return {
        async stop() {
          await server.stop();
          logger.log('info', 'dm-worker stopped');
          await logger.close();
        },
      };
    },
  },
  process.argv.slice(2),
);
