/**
 * dmctl's global connection flags, as DM's dmctl reads them: `--master-addr`, `--rpc-timeout`, `--config`,
 * `--ssl-ca/--ssl-cert/--ssl-key` may appear anywhere in the argv (before or after the command, `--x v`,
 * `--x=v`, Go's single-dash `-x v`), so they are taken out of the argv before the command tree parses the
 * rest. Precedence: flag > `--config` file > DM_MASTER_ADDR (master address only) > default.
 *
 * Invariants: {@link extractGlobalFlags} and {@link resolveCtlSettings} are pure (the config file text and the
 * environment are passed in); a bad value is a DM-coded dmctl error, never a stack trace.
 */
import { parse as parseToml } from 'smol-toml';
import { parseGoDuration } from '../config/go-compat.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** The global flags that take a value, with their settings key. */
const VALUE_FLAGS = {
  'master-addr': 'masterAddr',
  'rpc-timeout': 'rpcTimeout',
  config: 'config',
  'ssl-ca': 'sslCa',
  'ssl-cert': 'sslCert',
  'ssl-key': 'sslKey',
} as const;

type FlagKey = (typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS];

export type GlobalFlags = Partial<Record<FlagKey, string>>;

export interface ExtractedArgs {
  flags: GlobalFlags;
  /** The argv without the global connection flags: the command and its own arguments. */
  rest: string[];
}

/** DM's boolean flags that pflag also accepts as `--flag=true|false`; commander only knows `--flag`/`--no-flag`. */
const BOOL_FLAGS = new Set(['flush', 'sync', 'from-source', 'from-target', 'remove-meta', 'more', 'leader', 'master', 'worker', 'print-sample-config']);

/**
 * Takes the global connection flags out of `argv` (anywhere; the last occurrence wins) and rewrites
 * `--flag=true|false` of DM's boolean flags to `--flag` / nothing (`--no-flush` for `--flush`, on by default). Everything after `--` is kept as is.
 */
export function extractGlobalFlags(argv: readonly string[]): ExtractedArgs {
  const flags: GlobalFlags = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--?([a-z-]+)(?:=(.*))?$/s.exec(a);
    const name = m?.[1];
    if (m && name !== undefined && Object.hasOwn(VALUE_FLAGS, name)) {
      const key = VALUE_FLAGS[name as keyof typeof VALUE_FLAGS];
      if (m[2] !== undefined) {
        flags[key] = m[2];
      } else if (i + 1 < argv.length) {
        flags[key] = argv[++i]!;
      } else {
        flags[key] = '';
      }
      continue;
    }
    const b = /^--([a-z-]+)=(true|false|1|0)$/i.exec(a);
    if (b && BOOL_FLAGS.has(b[1]!)) {
      const on = /^(true|1)$/i.test(b[2]!);
      if (on) rest.push(`--${b[1]}`);
      else if (b[1] === 'flush') rest.push('--no-flush'); // the one that defaults to true
      continue;
    }
    rest.push(a);
  }
  return { flags, rest };
}

export interface CtlSettings {
  /** The raw `--master-addr` value ('' when none was given anywhere). */
  masterAddr: string;
  rpcTimeoutMs: number;
  /** The text as given, for messages (`10m`). */
  rpcTimeoutText: string;
}

export const DEFAULT_RPC_TIMEOUT = '10m';

/** dmctl.toml keys (DM's dmctl config file). */
interface CtlConfigFile {
  masterAddr?: string;
  rpcTimeout?: string;
  sslCa?: string;
  sslCert?: string;
  sslKey?: string;
}

/** Parses DM's dmctl config file (TOML: master-addr, rpc-timeout, ssl-ca, ssl-cert, ssl-key). */
export function parseCtlConfigFile(path: string, text: string): CtlConfigFile {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (e) {
    throw DmError.of(E.CtlConfigFile, [path, e instanceof Error ? e.message.split('\n')[0] : String(e)]);
  }
  const out: CtlConfigFile = {};
  for (const [k, v] of Object.entries(doc)) {
    const key = Object.hasOwn(VALUE_FLAGS, k) ? VALUE_FLAGS[k as keyof typeof VALUE_FLAGS] : undefined;
    if (key === undefined || key === 'config') throw DmError.of(E.CtlConfigFile, [path, `unknown key '${k}'`]);
    if (typeof v !== 'string') throw DmError.of(E.CtlConfigFile, [path, `'${k}' must be a string`]);
    out[key] = v;
  }
  return out;
}

/**
 * The effective settings: flags over the config file (`readConfig` reads the `--config` path) over
 * DM_MASTER_ADDR. TLS flags are refused with a coded error: this dmctl talks HTTP(S) through Node's fetch,
 * which cannot present a client certificate.
 */
export function resolveCtlSettings(flags: GlobalFlags, env: Readonly<Record<string, string | undefined>>, readConfig: (path: string) => string): CtlSettings {
  const file = flags.config !== undefined && flags.config !== '' ? parseCtlConfigFile(flags.config, readConfig(flags.config)) : {};
  for (const k of ['sslCa', 'sslCert', 'sslKey'] as const) {
    const v = flags[k] ?? file[k];
    if (v !== undefined && v !== '') {
      throw DmError.of(E.CtlInvalidTLSCfg, [
        'dm-ts dmctl does not support --ssl-ca/--ssl-cert/--ssl-key yet; for a dm-master behind TLS use an https:// --master-addr (a private CA can be added with NODE_EXTRA_CA_CERTS=<ca.pem>)',
      ]);
    }
  }
  const masterAddr = flags.masterAddr ?? file.masterAddr ?? env.DM_MASTER_ADDR ?? '';
  const rpcTimeoutText = flags.rpcTimeout ?? file.rpcTimeout ?? DEFAULT_RPC_TIMEOUT;
  return { masterAddr, rpcTimeoutMs: parseRpcTimeout(rpcTimeoutText), rpcTimeoutText };
}

/** `--rpc-timeout` (a Go duration) in milliseconds; must be positive. */
export function parseRpcTimeout(text: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text);
  } catch (e) {
    throw DmError.of(E.CtlInvalidRPCTimeout, [JSON.stringify(text), e instanceof Error ? e.message : String(e)]);
  }
  if (!(ms > 0)) throw DmError.of(E.CtlInvalidRPCTimeout, [JSON.stringify(text), 'the timeout must be positive']);
  return ms;
}
