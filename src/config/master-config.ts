/**
 * dm-master's configuration, as DM defines it (`dm/master/config.go`): command-line flags parsed with Go's
 * `flag` package rules, an optional `--config` TOML file (`dm-master.toml`), flags overriding the file, then
 * DM's `adjust()` — defaults, scheme wrapping of URLs, address checks — with DM's error codes (38xxx).
 *
 * The pieces dm-worker's config shares live in go-flags.ts (Go-style flags), strict-toml.ts (the strict TOML
 * reader) and cluster-addr.ts (addresses, URL schemes, log settings).
 *
 * Invariants: parsing is pure apart from reading the `--config` and `secret-key-path` files and the hostname;
 * the result is deeply frozen; the loaded secret key is never printed (`JSON.stringify` / the effective-config
 * TOML show `******`).
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { stringify as stringifyToml } from 'smol-toml';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { parseGoDuration } from './go-compat.js';
import { FlagDef, GivenFlags, parseGoFlags } from './go-flags.js';
import { TomlShape, TomlValues, mergeSources, readStrictToml } from './strict-toml.js';
import { LogFormat, LogLevel, ParseOutcome, checkLogSettings, deepFreezeConfig, splitHostPort, unwrapScheme, wrapSchemes, wrapSchemesForInitialCluster } from './cluster-addr.js';

// ---------------------------------------------------------------------------------------------------------
// dm-master

export interface MasterConfig {
  /** The `--config` file, '' when none. */
  readonly configFile: string;
  readonly name: string;
  readonly logLevel: LogLevel;
  readonly logFile: string;
  readonly logFormat: LogFormat;
  /** Listen address for clients and workers (`host:port` or `:port`). */
  readonly masterAddr: string;
  /** Address others reach this master at (`host:port`, host not 0.0.0.0); its ID in the cluster. */
  readonly advertiseAddr: string;
  readonly dataDir: string;
  /** Comma-separated peer URLs, scheme added. */
  readonly peerUrls: string;
  readonly advertisePeerUrls: string;
  /** `name=url,...`; DM keeps it even when `join` is set (etcd ignores it when joining). */
  readonly initialCluster: string;
  readonly initialClusterState: 'new' | 'existing';
  /** Existing masters' addresses, scheme added; '' to bootstrap with `initialCluster`. */
  readonly join: string;
  /** The `rpc-timeout` text as written (default `30s`). */
  readonly rpcTimeout: string;
  readonly rpcTimeoutMs: number;
  readonly rpcRateLimit: number;
  readonly rpcRateBurst: number;
  readonly maxTxnOps: number;
  readonly maxRequestBytes: number;
  readonly autoCompactionMode: 'periodic' | 'revision';
  readonly autoCompactionRetention: string;
  readonly quotaBackendBytes: number;
  readonly openapi: boolean;
  readonly v1SourcesPath: string;
  readonly sslCa: string;
  readonly sslCert: string;
  readonly sslKey: string;
  readonly certAllowedCn: readonly string[];
  readonly secretKeyPath: string;
  /** The 32-byte key read from `secretKeyPath`; never printed. */
  readonly secretKey?: Uint8Array | undefined;
  /** Values DM replaces with a warning (invalid rate limits, low quota, `[experimental] openapi`). */
  readonly warnings: readonly string[];
}

export const MASTER_DEFAULTS = Object.freeze({
  namePrefix: 'dm-master',
  dataDirPrefix: 'default',
  peerUrls: 'http://127.0.0.1:8291',
  initialClusterState: 'new',
  rpcTimeout: '30s',
  rpcRateLimit: 10.0,
  rpcRateBurst: 40,
  maxTxnOps: 2048,
  /** etcd's embed.DefaultMaxRequestBytes: 1.5 MiB. */
  maxRequestBytes: 1.5 * 1024 * 1024,
  autoCompactionMode: 'periodic',
  autoCompactionRetention: '1h',
  quotaBackendBytes: 2 * 1024 * 1024 * 1024,
  quotaBackendBytesLowerBound: 500 * 1024 * 1024,
  logLevel: 'info',
  logFormat: 'text',
});

/** dm-master's flags with DM's usage texts, in DM's order. */
export const MASTER_FLAGS: readonly FlagDef[] = Object.freeze([
  { name: 'V', kind: 'bool', usage: 'prints version and exit' },
  { name: 'print-sample-config', kind: 'bool', usage: 'print sample config file of dm-worker' },
  { name: 'openapi', kind: 'bool', usage: 'enable openapi' },
  { name: 'config', kind: 'string', usage: 'path to config file' },
  { name: 'master-addr', kind: 'string', usage: 'master API server and status addr' },
  { name: 'advertise-addr', kind: 'string', usage: 'advertise address for client traffic (default "${master-addr}")' },
  { name: 'L', kind: 'string', usage: 'log level: debug, info, warn, error, fatal', defaultText: '"info"' },
  { name: 'log-file', kind: 'string', usage: 'log file path' },
  { name: 'log-format', kind: 'string', usage: 'the format of the log, "text" or "json"', defaultText: '"text"' },
  { name: 'name', kind: 'string', usage: 'human-readable name for this DM-master member' },
  { name: 'data-dir', kind: 'string', usage: 'path to the data directory (default "default.${name}")' },
  { name: 'initial-cluster', kind: 'string', usage: `initial cluster configuration for bootstrapping, e.g. dm-master=${MASTER_DEFAULTS.peerUrls}` },
  { name: 'peer-urls', kind: 'string', usage: 'URLs for peer traffic', defaultText: `"${MASTER_DEFAULTS.peerUrls}"` },
  { name: 'advertise-peer-urls', kind: 'string', usage: 'advertise URLs for peer traffic (default "${peer-urls}")' },
  { name: 'join', kind: 'string', usage: 'join to an existing cluster (usage: cluster\'s "${master-addr}" list, e.g. "127.0.0.1:8261,127.0.0.1:18261"' },
  { name: 'max-txn-ops', kind: 'uint', usage: "etcd's max-txn-ops, default value is 2048", defaultText: '2048' },
  { name: 'max-request-bytes', kind: 'uint', usage: "etcd's max-request-bytes", defaultText: String(MASTER_DEFAULTS.maxRequestBytes) },
  { name: 'auto-compaction-mode', kind: 'string', usage: "etcd's auto-compaction-mode, either 'periodic' or 'revision'", defaultText: '"periodic"' },
  {
    name: 'auto-compaction-retention',
    kind: 'string',
    usage: "etcd's auto-compaction-retention, accept values like '5h' or '5' (5 hours in 'periodic' mode or 5 revisions in 'revision')",
    defaultText: '"1h"',
  },
  { name: 'quota-backend-bytes', kind: 'int', usage: "etcd's storage quota in bytes", defaultText: String(MASTER_DEFAULTS.quotaBackendBytes) },
  { name: 'ssl-ca', kind: 'string', usage: 'path of file that contains list of trusted SSL CAs for connection' },
  { name: 'ssl-cert', kind: 'string', usage: 'path of file that contains X509 certificate in PEM format for connection' },
  { name: 'ssl-key', kind: 'string', usage: 'path of file that contains X509 key in PEM format for connection' },
  { name: 'cert-allowed-cn', kind: 'list', usage: 'the trusted common name that allowed to visit' },
  { name: 'v1-sources-path', kind: 'string', usage: 'directory path used to store source config files when upgrading from v1.0.x' },
  {
    name: 'secret-key-path',
    kind: 'string',
    usage: 'path of file that contains secret key for encrypting and decrypting password, the secret key should be a hex string of length 64',
  },
] satisfies FlagDef[]);

/** The keys dm-master.toml may hold (DM's `toml` tags). */
export const MASTER_TOML_SHAPE: TomlShape = Object.freeze<TomlShape>({
  'log-level': 'string',
  'log-file': 'string',
  'log-format': 'string',
  'log-rotate': 'string',
  'rpc-timeout': 'string',
  'rpc-rate-limit': 'float',
  'rpc-rate-burst': 'int',
  'master-addr': 'string',
  'advertise-addr': 'string',
  'config-file': 'string',
  name: 'string',
  'data-dir': 'string',
  'peer-urls': 'string',
  'advertise-peer-urls': 'string',
  'initial-cluster': 'string',
  'initial-cluster-state': 'string',
  join: 'string',
  'max-txn-ops': 'uint',
  'max-request-bytes': 'uint',
  'auto-compaction-mode': 'string',
  'auto-compaction-retention': 'string',
  'quota-backend-bytes': 'int',
  openapi: 'bool',
  'v1-sources-path': 'string',
  'ssl-ca': 'string',
  'ssl-cert': 'string',
  'ssl-key': 'string',
  'cert-allowed-cn': 'string-list',
  'secret-key-path': 'string',
  experimental: { openapi: 'bool' },
});

/** Flags that set a TOML key of the same meaning (`L` → `log-level`; the rest share the name). */
const MASTER_FLAG_TO_KEY: Readonly<Record<string, string>> = { L: 'log-level' };

export interface ParseOptions {
  /** The hostname for the default name (tests); defaults to `os.hostname()`. */
  readonly hostname?: () => string;
}

/**
 * Parses dm-master's command line (without the node/program arguments) as DM does: flags, then the
 * `--config` file, then the flags again on top, then DM's adjust. Throws DmError 38xxx.
 */
export function parseMasterConfig(argv: readonly string[], opts: ParseOptions = {}): ParseOutcome<MasterConfig> {
  let flags: GivenFlags;
  try {
    flags = parseGoFlags(argv, MASTER_FLAGS);
  } catch (e) {
    throw DmError.of(E.MasterConfigParseFlagSet, [e instanceof Error ? e.message : String(e)]);
  }
  if (flags.help) return { kind: 'help' };
  if (flags.values.get('V') === true) return { kind: 'version' };
  if (flags.values.get('print-sample-config') === true) return { kind: 'sample-config' };
  const configFile = (flags.values.get('config') as string | undefined) ?? '';
  const file: TomlValues = configFile
    ? readStrictToml(configFile, MASTER_TOML_SHAPE, { decode: E.MasterConfigTomlTransform, unknown: E.MasterConfigUnknownItem })
    : new Map();
  if (flags.rest.length > 0) throw DmError.of(E.MasterConfigInvalidFlag, [flags.rest[0]]);
  return { kind: 'config', config: adjustMaster(configFile, mergeSources(file, flags, MASTER_FLAG_TO_KEY), opts) };
}


function adjustMaster(configFile: string, v: TomlValues, opts: ParseOptions): MasterConfig {
  const str = (k: string, d = ''): string => (v.get(k) as string | undefined) ?? d;
  const num = (k: string, d: number): number => (v.get(k) as number | undefined) ?? d;
  const warnings: string[] = [];
  const tls = str('ssl-ca') !== '';

  const masterAddr = unwrapScheme(str('master-addr'));
  let host: string;
  let port: string;
  try {
    ({ host, port } = splitHostPort(masterAddr));
  } catch (e) {
    throw new DmError(E.MasterHostPortNotValid, `${DmError.of(E.MasterHostPortNotValid, [masterAddr]).detail}: ${(e as Error).message}${masterAddr === '' ? ' (master-addr is required, e.g. --master-addr=:8261)' : ''}`);
  }
  let advertiseAddr = str('advertise-addr');
  if (advertiseAddr === '') {
    if (host === '' || host === '0.0.0.0' || port === '') {
      throw new DmError(E.MasterHostPortNotValid, `master-addr (${masterAddr}) must include the 'host' part (should not be '0.0.0.0') when advertise-addr is not set`);
    }
    advertiseAddr = masterAddr;
  } else {
    advertiseAddr = unwrapScheme(advertiseAddr);
    try {
      ({ host, port } = splitHostPort(advertiseAddr));
    } catch (e) {
      throw new DmError(E.MasterAdvertiseAddrNotValid, `${DmError.of(E.MasterAdvertiseAddrNotValid, [advertiseAddr]).detail}: ${(e as Error).message}`);
    }
    if (host === '' || host === '0.0.0.0' || port === '') {
      throw new DmError(E.MasterAdvertiseAddrNotValid, `${DmError.of(E.MasterAdvertiseAddrNotValid, [advertiseAddr]).detail}: the host part must be set and must not be 0.0.0.0`);
    }
  }

  const rpcTimeout = str('rpc-timeout') || MASTER_DEFAULTS.rpcTimeout;
  let rpcTimeoutMs: number;
  try {
    rpcTimeoutMs = parseGoDuration(rpcTimeout);
  } catch (e) {
    throw DmError.of(E.MasterConfigTimeoutParse, [(e as Error).message]);
  }

  let rpcRateLimit = num('rpc-rate-limit', 0);
  if (!(rpcRateLimit > 0)) {
    if (v.has('rpc-rate-limit')) warnings.push(`invalid rpc-rate-limit ${rpcRateLimit}, default value ${MASTER_DEFAULTS.rpcRateLimit} used`);
    rpcRateLimit = MASTER_DEFAULTS.rpcRateLimit;
  }
  let rpcRateBurst = num('rpc-rate-burst', 0);
  if (!(rpcRateBurst > 0)) {
    if (v.has('rpc-rate-burst')) warnings.push(`invalid rpc-rate-burst ${rpcRateBurst}, default value ${MASTER_DEFAULTS.rpcRateBurst} used`);
    rpcRateBurst = MASTER_DEFAULTS.rpcRateBurst;
  }

  let name = str('name');
  if (name === '') {
    let h: string;
    try {
      h = (opts.hostname ?? osHostname)();
    } catch (e) {
      throw DmError.of(E.MasterGetHostnameFail, [(e as Error).message]);
    }
    name = `${MASTER_DEFAULTS.namePrefix}-${h}`;
  }
  const dataDir = str('data-dir') || `${MASTER_DEFAULTS.dataDirPrefix}.${name}`;

  const peerUrlsRaw = str('peer-urls');
  const peerUrls = peerUrlsRaw === '' ? MASTER_DEFAULTS.peerUrls : wrapSchemes(peerUrlsRaw, tls);
  const advRaw = str('advertise-peer-urls');
  const advertisePeerUrls = advRaw === '' ? peerUrls : wrapSchemes(advRaw, tls);
  checkUrls('peer-urls', peerUrls);
  checkUrls('advertise-peer-urls', advertisePeerUrls);

  const icRaw = str('initial-cluster');
  const initialCluster =
    icRaw === ''
      ? advertisePeerUrls
          .split(',')
          .map((u) => `${name}=${u}`)
          .join(',')
      : wrapSchemesForInitialCluster(icRaw, tls);
  for (const item of initialCluster.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2 || kv[0] === '') throw DmError.of(E.MasterGenEmbedEtcdConfigFail, [`initial-cluster (${JSON.stringify(item)} is not name=url)`]);
    checkUrls('initial-cluster', kv[1] ?? '');
  }
  const state = str('initial-cluster-state') || MASTER_DEFAULTS.initialClusterState;
  if (state !== 'new' && state !== 'existing') throw DmError.of(E.MasterGenEmbedEtcdConfigFail, [`initial-cluster-state (${JSON.stringify(state)}; expected new or existing)`]);
  const joinRaw = str('join');
  const join = joinRaw === '' ? '' : wrapSchemes(joinRaw, tls);

  let quotaBackendBytes = num('quota-backend-bytes', MASTER_DEFAULTS.quotaBackendBytes);
  if (quotaBackendBytes < MASTER_DEFAULTS.quotaBackendBytesLowerBound) {
    warnings.push(`quota-backend-bytes is too low, adjusted from ${quotaBackendBytes} to ${MASTER_DEFAULTS.quotaBackendBytesLowerBound}`);
    quotaBackendBytes = MASTER_DEFAULTS.quotaBackendBytesLowerBound;
  }
  const mode = str('auto-compaction-mode', MASTER_DEFAULTS.autoCompactionMode);
  if (mode !== 'periodic' && mode !== 'revision') throw DmError.of(E.MasterGenEmbedEtcdConfigFail, [`auto-compaction-mode (${JSON.stringify(mode)}; expected periodic or revision)`]);

  let openapi = (v.get('openapi') as boolean | undefined) ?? false;
  if (v.get('experimental.openapi') === true) {
    openapi = true;
    warnings.push('openapi is a GA feature and removed from experimental features, so this configuration may have no affect in feature release, please set openapi=true in dm-master config file');
  }

  const log = checkLogSettings(str('log-level', MASTER_DEFAULTS.logLevel), str('log-format', MASTER_DEFAULTS.logFormat));
  const secretKeyPath = str('secret-key-path');
  const secretKey = secretKeyPath ? readSecretKey(secretKeyPath) : undefined;

  const config: MasterConfig = {
    configFile,
    name,
    logLevel: log.level,
    logFile: str('log-file'),
    logFormat: log.format,
    masterAddr,
    advertiseAddr,
    dataDir,
    peerUrls,
    advertisePeerUrls,
    initialCluster,
    initialClusterState: state,
    join,
    rpcTimeout,
    rpcTimeoutMs,
    rpcRateLimit,
    rpcRateBurst,
    maxTxnOps: num('max-txn-ops', MASTER_DEFAULTS.maxTxnOps),
    maxRequestBytes: num('max-request-bytes', MASTER_DEFAULTS.maxRequestBytes),
    autoCompactionMode: mode,
    autoCompactionRetention: str('auto-compaction-retention', MASTER_DEFAULTS.autoCompactionRetention),
    quotaBackendBytes,
    openapi,
    v1SourcesPath: str('v1-sources-path'),
    sslCa: str('ssl-ca'),
    sslCert: str('ssl-cert'),
    sslKey: str('ssl-key'),
    certAllowedCn: [...((v.get('cert-allowed-cn') as readonly string[] | undefined) ?? [])],
    secretKeyPath,
    secretKey,
    warnings,
  };
  hideSecretKey(config);
  return deepFreezeConfig(config);
}

function checkUrls(key: string, urls: string): void {
  for (const u of urls.split(',')) {
    let ok = false;
    try {
      const p = new URL(u);
      ok = (p.protocol === 'http:' || p.protocol === 'https:') && p.hostname !== '' && p.port !== '';
    } catch {
      ok = false;
    }
    if (!ok) throw DmError.of(E.MasterGenEmbedEtcdConfigFail, [`${key} (${JSON.stringify(u)} is not a URL like http://host:port)`]);
  }
}

/** DM's secret-key-path: a file holding 64 hex characters (whitespace around them ignored). */
export function readSecretKey(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw DmError.of(E.ConfigSecretKeyPath, [`open ${path}: ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`], { cause: e });
  }
  if (!/^[0-9a-fA-F]*$/.test(text) || text.length % 2 !== 0) throw DmError.of(E.ConfigSecretKeyPath, [`${path}: the content is not a hex string`]);
  if (text.length !== 64) throw DmError.of(E.ConfigSecretKeyPath, [`${path}: the secret key must be a hex string of length 64`]);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** Keeps the secret key out of JSON output, inspection and logs. */
function hideSecretKey(config: { secretKey?: Uint8Array | undefined }): void {
  const key = config.secretKey;
  Object.defineProperty(config, 'secretKey', { value: key, enumerable: false, writable: false, configurable: false });
}

/** The effective config as dm-master.toml text (DM's keys; the secret key itself is never included). */
export function formatMasterConfig(c: MasterConfig): string {
  return stringifyToml({
    name: c.name,
    'log-level': c.logLevel,
    'log-file': c.logFile,
    'log-format': c.logFormat,
    'master-addr': c.masterAddr,
    'advertise-addr': c.advertiseAddr,
    'data-dir': c.dataDir,
    'peer-urls': c.peerUrls,
    'advertise-peer-urls': c.advertisePeerUrls,
    'initial-cluster': c.initialCluster,
    'initial-cluster-state': c.initialClusterState,
    join: c.join,
    'rpc-timeout': c.rpcTimeout,
    'rpc-rate-limit': c.rpcRateLimit,
    'rpc-rate-burst': c.rpcRateBurst,
    'max-txn-ops': c.maxTxnOps,
    'max-request-bytes': c.maxRequestBytes,
    'auto-compaction-mode': c.autoCompactionMode,
    'auto-compaction-retention': c.autoCompactionRetention,
    'quota-backend-bytes': c.quotaBackendBytes,
    openapi: c.openapi,
    'v1-sources-path': c.v1SourcesPath,
    'ssl-ca': c.sslCa,
    'ssl-cert': c.sslCert,
    'ssl-key': c.sslKey,
    'cert-allowed-cn': [...c.certAllowedCn],
    'secret-key-path': c.secretKeyPath,
    ...(c.secretKey ? { 'secret-key': '******' } : {}),
  });
}

/** DM's sample dm-master.toml (`dm-master --print-sample-config`), with the defaults in comments. */
export function sampleMasterConfig(): string {
  return `# Master Configuration.

# log configuration
# log-level: debug, info, warn, error, fatal (default "info")
log-level = "info"
# log file path (default "": log to stdout)
log-file = "dm-master.log"
# log-format: "text" or "json" (default "text")
# log-format = "text"

# dm-master listen address (required); the host part may be left out (":8261")
master-addr = ":8261"

# addr(i.e. 'host:port') to advertise to the public (default: master-addr, which then needs a host part
# other than 0.0.0.0); this is the master's ID in the cluster
advertise-addr = "127.0.0.1:8261"

# human-readable name for this DM-master member (default "dm-master-{hostname}")
name = "dm-master"

# path to the data directory (default 'default.\${name}'); use an absolute path in production
data-dir = "default.dm-master"

# URLs for peer traffic (default "http://127.0.0.1:8291"); the scheme is added when left out
peer-urls = "http://127.0.0.1:8291"

# advertise URLs for peer traffic (default '\${peer-urls}')
advertise-peer-urls = "http://127.0.0.1:8291"

# initial cluster configuration for bootstrapping, e.g. dm-master=http://127.0.0.1:8291
# (default '\${name}=\${advertise-peer-urls}')
initial-cluster = "dm-master=http://127.0.0.1:8291"

# Join to an existing DM-master cluster, a string of existing cluster's endpoints
# (their master-addr), e.g. "127.0.0.1:8261,127.0.0.1:18261".
join = ""

# rpc configuration
#
# rpc timeout is a positive number plus time unit. we use golang standard time
# units including: "ns", "us", "ms", "s", "m", "h". You should provide a proper
# rpc timeout according to your use scenario.
rpc-timeout = "30s"
# rpc limiter controls how frequently events are allowed to happen.
# It implements a "token bucket" of size \`rpc-rate-burst\`, initially full and
# refilled at rate \`rpc-rate-limit\` tokens per second. A value <= 0 means the default.
rpc-rate-burst = 40
rpc-rate-limit = 10.0

# openapi feature (default false); the older "[experimental] openapi = true" is accepted too
openapi = false

# etcd tuning (defaults shown)
# max-txn-ops = 2048
# max-request-bytes = 1572864
# auto-compaction-mode = "periodic"
# auto-compaction-retention = "1h"
# quota-backend-bytes = 2147483648   # at least 524288000
# initial-cluster-state = "new"

# TLS for the links between DM components (default: no TLS)
# ssl-ca = "/path/to/ca.pem"
# ssl-cert = "/path/to/cert.pem"
# ssl-key = "/path/to/key.pem"
# cert-allowed-cn = ["dm"]

# file holding a hex string of length 64: the key for password encryption (default: DM's built-in key)
# secret-key-path = ""

# directory of v1.0.x source configs to upgrade from (default "")
# v1-sources-path = ""
`;
}

/** Writes the sample dm-master.toml to `out` (stdout by default). */
export function printSampleConfig(out: { write(s: string): unknown } = process.stdout): void {
  out.write(sampleMasterConfig());
}
