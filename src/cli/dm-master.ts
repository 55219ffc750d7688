#!/usr/bin/env node
/**
 * `dm-master`: the cluster's master process. DM's flags and dm-master.toml (src/config/master-config.ts),
 * `-V`, `--print-sample-config`, `--help`; then the server (src/master/dm-master-server.ts): dmctl and
 * OpenAPI on `master-addr`, the embedded store in `data-dir`, the scheduler. SIGINT/SIGTERM stop it.
 *
 * Exit codes: 0 for version/sample/help and after a graceful stop; 1 with the coded error on stderr for a
 * bad flag or config or a server that cannot start (never a stack trace; no secret printed).
 */
import { formatMasterConfig, MASTER_FLAGS, parseMasterConfig, printSampleConfig } from '../config/master-config.js';
import { DmMasterServer } from '../master/dm-master-server.js';
import { mountOpenApi } from '../master/mount-openapi.js';
import { E } from '../observability/error-catalogue.js';
import { runClusterEntry } from './cluster-entry.js';

runClusterEntry(
  {
    command: 'dm-master',
    flags: MASTER_FLAGS,
    parse: parseMasterConfig,
    format: formatMasterConfig,
    printSampleConfig: () => printSampleConfig(),
    tlsNotValid: E.MasterTLSConfigNotValid,
    createServer: (config, log) => new DmMasterServer({ config, log, mount: (app, service) => mountOpenApi(app, service, config) }),
  },
  process.argv.slice(2),
);
