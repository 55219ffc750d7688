/**
 * dm-worker's configuration, as DM defines it (`dm/worker/config.go`): Go-style command-line flags, an optional
 * `--config` TOML file (`dm-worker.toml`), flags overriding the file, then DM's `adjust()` — worker-addr /
 * advertise-addr checks, name defaulting to the advertise address, `join` given a URL scheme — with DM's
 * error codes (40xxx). The flag parser, the strict TOML reader and the address helpers are shared with dm-master (go-flags.ts,
 * strict-toml.ts, cluster-addr.ts).
 *
 * Invariants: the result is deeply frozen; parsing reads only the `--config` file.
 */
import { stringify as stringifyToml } from 'smol-toml';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { parseGoFlags, type FlagDef, type GivenFlags } from './go-flags.js';
import { mergeSources, readStrictToml, type TomlShape, type TomlValues } from './strict-toml.js';
import { checkLogSettings, deepFreezeConfig, splitHostPort, unwrapScheme, wrapSchemes, type LogFormat, type LogLevel, type ParseOutcome } from './cluster-addr.js';

export interface WorkerConfig {
  /** The `--config` file, '' when none. */
  readonly configFile: string;
  /** The worker's name in the cluster (default: its advertise address). */
  readonly name: string;
  readonly logLevel: LogLevel;
  readonly logFile: string;
  readonly logFormat: LogFormat;
  /** dm-master addresses to register with, comma-separated, scheme added. */
  readonly join: string;
  /** Listen address (`host:port` or `:port`). */
  readonly workerAddr: string;
  /** Address masters reach this worker at; the worker's ID. */
  readonly advertiseAddr: string;
  /** Seconds: TTL of the keepalive lease while the bound source has no relay. */
  readonly keepAliveTtl: number;
  /** Seconds: TTL of the keepalive lease while relay is enabled for the bound source. */
  readonly relayKeepAliveTtl: number;
  /** Worker-level relay directory ('' = the source config's `relay-dir`). */
  readonly relayDir: string;
  readonly sslCa: string;
  readonly sslCert: string;
  readonly sslKey: string;
  readonly certAllowedCn: readonly string[];
  /** Notes DM prints while adjusting (the name defaulted to the advertise address). */
  readonly warnings: readonly string[];
}

export const WORKER_DEFAULTS = Object.freeze({
  keepAliveTtl: 60,
  relayKeepAliveTtl: 60 * 30,
  logLevel: 'info',
  logFormat: 'text',
});

/** dm-worker's flags with DM's usage texts, in DM's order. */
export const WORKER_FLAGS: readonly FlagDef[] = Object.freeze([
  { name: 'V', kind: 'bool', usage: 'prints version and exit' },
  { name: 'print-sample-config', kind: 'bool', usage: 'print sample config file of dm-worker' },
  { name: 'config', kind: 'string', usage: 'path to config file' },
  { name: 'worker-addr', kind: 'string', usage: 'listen address for client traffic' },
  { name: 'advertise-addr', kind: 'string', usage: 'advertise address for client traffic (default "${worker-addr}")' },
  { name: 'L', kind: 'string', usage: 'log level: debug, info, warn, error, fatal', defaultText: '"info"' },
  { name: 'log-file', kind: 'string', usage: 'log file path' },
  { name: 'log-format', kind: 'string', usage: 'the format of the log, "text" or "json"', defaultText: '"text"' },
  { name: 'join', kind: 'string', usage: 'join to an existing cluster (usage: dm-master cluster\'s "${master-addr}")' },
  { name: 'name', kind: 'string', usage: 'human-readable name for DM-worker member' },
  { name: 'keepalive-ttl', kind: 'int', usage: "dm-worker's TTL for keepalive with etcd (in seconds)", defaultText: '60' },
  { name: 'relay-keepalive-ttl', kind: 'int', usage: "dm-worker's TTL for keepalive with etcd when handle relay enabled sources (in seconds)", defaultText: '1800' },
  { name: 'ssl-ca', kind: 'string', usage: 'path of file that contains list of trusted SSL CAs for connection' },
  { name: 'ssl-cert', kind: 'string', usage: 'path of file that contains X509 certificate in PEM format for connection' },
  { name: 'ssl-key', kind: 'string', usage: 'path of file that contains X509 key in PEM format for connection' },
  { name: 'cert-allowed-cn', kind: 'list', usage: 'the trusted common name that allowed to visit' },
] satisfies FlagDef[]);

/** The keys dm-worker.toml may hold (DM's `toml` tags). */
export const WORKER_TOML_SHAPE: TomlShape = Object.freeze<TomlShape>({
  name: 'string',
  'log-level': 'string',
  'log-file': 'string',
  'log-format': 'string',
  'log-rotate': 'string',
  join: 'string',
  'worker-addr': 'string',
  'advertise-addr': 'string',
  'config-file': 'string',
  'keepalive-ttl': 'int',
  'relay-keepalive-ttl': 'int',
  'relay-dir': 'string',
  'ssl-ca': 'string',
  'ssl-cert': 'string',
  'ssl-key': 'string',
  'cert-allowed-cn': 'string-list',
});

/**
 * Parses dm-worker's command line (without the node/program arguments) as DM does: flags, then the
 * `--config` file, then the flags again on top, then DM's adjust. Throws DmError 40xxx.
 */
export function parseWorkerConfig(argv: readonly string[]): ParseOutcome<WorkerConfig> {
  let flags: GivenFlags;
  try {
    flags = parseGoFlags(argv, WORKER_FLAGS);
  } catch (e) {
    throw DmError.of(E.WorkerParseFlagSet, [e instanceof Error ? e.message : String(e)]);
  }
  if (flags.help) return { kind: 'help' };
  if (flags.values.get('V') === true) return { kind: 'version' };
  if (flags.values.get('print-sample-config') === true) return { kind: 'sample-config' };
  const configFile = (flags.values.get('config') as string | undefined) ?? '';
  const file: TomlValues = configFile
    ? readStrictToml(configFile, WORKER_TOML_SHAPE, { decode: E.WorkerDecodeConfigFromFile, unknown: E.WorkerUndecodedItemFromFile })
    : new Map();
  if (flags.rest.length > 0) throw DmError.of(E.WorkerInvalidFlag, [flags.rest[0]]);
  return { kind: 'config', config: adjustWorker(configFile, mergeSources(file, flags, { L: 'log-level' })) };
}

function hostPortError(addr: string, why: string): DmError {
  return new DmError(E.WorkerHostPortNotValid, `${DmError.of(E.WorkerHostPortNotValid, [addr]).detail}: ${why}`);
}

function adjustWorker(configFile: string, v: TomlValues): WorkerConfig {
  const str = (k: string, d = ''): string => (v.get(k) as string | undefined) ?? d;
  const num = (k: string, d: number): number => (v.get(k) as number | undefined) ?? d;
  const warnings: string[] = [];

  const workerAddr = unwrapScheme(str('worker-addr'));
  let host: string;
  let port: string;
  try {
    ({ host, port } = splitHostPort(workerAddr));
  } catch (e) {
    throw hostPortError(workerAddr, `${(e as Error).message}${workerAddr === '' ? ' (worker-addr is required, e.g. --worker-addr=:8262)' : ''}`);
  }
  let advertiseAddr = str('advertise-addr');
  if (advertiseAddr === '') {
    if (host === '' || host === '0.0.0.0') {
      throw new DmError(E.WorkerHostPortNotValid, `worker-addr (${workerAddr}) must include the 'host' part (should not be '0.0.0.0') when advertise-addr is not set`);
    }
    advertiseAddr = workerAddr;
  } else {
    advertiseAddr = unwrapScheme(advertiseAddr);
    try {
      ({ host, port } = splitHostPort(advertiseAddr));
    } catch (e) {
      throw hostPortError(advertiseAddr, (e as Error).message);
    }
    if (host === '' || host === '0.0.0.0' || port === '') {
      throw new DmError(E.WorkerHostPortNotValid, `advertise-addr (${advertiseAddr}) must include the 'host' part and should not be '0.0.0.0'`);
    }
  }

  let name = str('name');
  if (name === '') {
    warnings.push(`worker name is not given, we will set AdvertiseAddr ${advertiseAddr} as the worker name`);
    name = advertiseAddr;
  }

  // DM only notices an empty join when the server starts and finds no master; dm-ts says so at once
  const joinRaw = str('join');
  if (joinRaw.trim() === '') throw DmError.of(E.WorkerNeedJoin);
  const join = wrapSchemes(joinRaw, str('ssl-ca') !== '');

  const log = checkLogSettings(str('log-level', WORKER_DEFAULTS.logLevel), str('log-format', WORKER_DEFAULTS.logFormat));
  const config: WorkerConfig = {
    configFile,
    name,
    logLevel: log.level,
    logFile: str('log-file'),
    logFormat: log.format,
    join,
    workerAddr,
    advertiseAddr,
    keepAliveTtl: num('keepalive-ttl', WORKER_DEFAULTS.keepAliveTtl),
    relayKeepAliveTtl: num('relay-keepalive-ttl', WORKER_DEFAULTS.relayKeepAliveTtl),
    relayDir: str('relay-dir'),
    sslCa: str('ssl-ca'),
    sslCert: str('ssl-cert'),
    sslKey: str('ssl-key'),
    certAllowedCn: [...((v.get('cert-allowed-cn') as readonly string[] | undefined) ?? [])],
    warnings,
  };
  return deepFreezeConfig(config);
}

/** The effective config as dm-worker.toml text (DM's keys). */
export function formatWorkerConfig(c: WorkerConfig): string {
  return stringifyToml({
    name: c.name,
    'log-level': c.logLevel,
    'log-file': c.logFile,
    'log-format': c.logFormat,
    join: c.join,
    'worker-addr': c.workerAddr,
    'advertise-addr': c.advertiseAddr,
    'keepalive-ttl': c.keepAliveTtl,
    'relay-keepalive-ttl': c.relayKeepAliveTtl,
    'relay-dir': c.relayDir,
    'ssl-ca': c.sslCa,
    'ssl-cert': c.sslCert,
    'ssl-key': c.sslKey,
    'cert-allowed-cn': [...c.certAllowedCn],
  });
}

/** DM's sample dm-worker.toml (`dm-worker --print-sample-config`), with the defaults in comments. */
export function sampleWorkerConfig(): string {
  return `# Worker Configuration.

# human-readable name for this DM-worker member (default: advertise-addr)
# name = "dm-worker-1"

#log configuration
# log-level: debug, info, warn, error, fatal (default "info")
log-level = "info"
# log file path (default "": log to stdout)
log-file = "dm-worker.log"
# log-format: "text" or "json" (default "text")
# log-format = "text"

#dm-worker listen address (required); the host part may be left out (":8262")
worker-addr = ":8262"
# address masters reach this worker at (default: worker-addr, which then needs a host part other
# than 0.0.0.0); this is the worker's ID in the cluster
advertise-addr = "127.0.0.1:8262"
# dm-master addresses (their master-addr) to register with, comma-separated (required)
join = "127.0.0.1:8261"

# TTL in seconds of this worker's keepalive with the masters (default 60), and while relay is
# enabled for its source (default 1800)
# keepalive-ttl = 60
# relay-keepalive-ttl = 1800

# relay log directory for every source this worker handles (overrides the source's relay-dir)
relay-dir = "/tmp/relay"

# TLS for the links between DM components (default: no TLS)
# ssl-ca = "/path/to/ca.pem"
# ssl-cert = "/path/to/cert.pem"
# ssl-key = "/path/to/key.pem"
# cert-allowed-cn = ["dm"]
`;
}

/** Writes the sample dm-worker.toml to `out` (stdout by default). */
export function printSampleConfig(out: { write(s: string): unknown } = process.stdout): void {
  out.write(sampleWorkerConfig());
}
