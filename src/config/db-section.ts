/**
 * The database connection blocks of DM's config files — `from` in source.yaml, `target-database` in task.yaml —
 * and their conversion to the {@link DbConfig} the connection code uses, plus the redaction every printed config
 * goes through.
 *
 * Invariants:
 * - `DbConfig.password` is the plaintext (decrypted when the file holds DM ciphertext).
 * - Every DbConfig built here prints without its password: `toJSON()` and `util.inspect` show `******`.
 *   (The hooks are non-enumerable, so `{ ...cfg }` copies the data, password included, and nothing else.)
 * - `time_zone` is forced to UTC (`+00:00`) in the session variables, as DM does for both ends, so TIMESTAMP
 *   values are read and written unshifted whatever the servers' time zones are.
 */
import { inspect } from 'node:util';
import type { DbConfig, DbSecurity } from '../mysql/db-config.js';
import { decryptOrPlaintext } from './password-crypto.js';
import { ConfigProblems, yInt, yObject, yString, yStringList, yStringMap, type KeyPath } from './yaml-file.js';

export const MASK = '******';
const UTC = '+00:00';

export const securitySchema = yObject({
  'ssl-ca': yString(),
  'ssl-cert': yString(),
  'ssl-key': yString(),
  'cert-allowed-cn': yStringList(),
});

export const dbSchema = yObject({
  host: yString(),
  port: yInt(1, 65535),
  user: yString(),
  password: yString(),
  'max-allowed-packet': yInt(0),
  session: yStringMap(),
  security: securitySchema,
});

type RawDb = NonNullable<ReturnType<typeof dbSchema.parse>>;

/** TLS settings as parsed; `certAllowedCn` is kept for completeness (it matters for DM's own RPC TLS only). */
export interface DbSecurityConfig extends DbSecurity {
  readonly certAllowedCn: readonly string[];
}

/** Session variable names go into `SET SESSION <name> = ...` unquoted, so only identifier characters pass. */
const SESSION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Builds the DbConfig of a connection block. `host`, `port` and `user` are required (DM would only fail later,
 * at connect time, with a less precise message).
 */
export function toDbConfig(raw: RawDb | undefined, path: KeyPath, problems: ConfigProblems): DbConfig {
  const r = raw ?? {};
  for (const key of ['host', 'user'] as const) {
    if (!r[key]) throw problems.invalid([...path, key], `required: the ${key === 'host' ? 'host name or IP address' : 'user name'} to connect with`);
  }
  if (r.port === undefined) throw problems.invalid([...path, 'port'], 'required: the port to connect to (MySQL 3306, TiDB 4000)');
  const session: Record<string, string> = {};
  let hasTz = false;
  for (const [name, value] of Object.entries(r.session ?? {})) {
    if (!SESSION_NAME.test(name)) throw problems.invalid([...path, 'session', name], 'a session variable name may only contain letters, digits and _');
    // DM overwrites any user time_zone with UTC (with a warning); keep the user's spelling of the key
    if (name.toLowerCase() === 'time_zone') {
      session[name] = UTC;
      hasTz = true;
    } else {
      session[name] = value;
    }
  }
  if (!hasTz) session.time_zone = UTC;
  const sec = r.security;
  const security: DbSecurityConfig | undefined =
    sec && (sec['ssl-ca'] || sec['ssl-cert'] || sec['ssl-key'] || (sec['cert-allowed-cn']?.length ?? 0) > 0)
      ? {
          sslCa: sec['ssl-ca'] || undefined,
          sslCert: sec['ssl-cert'] || undefined,
          sslKey: sec['ssl-key'] || undefined,
          certAllowedCn: Object.freeze([...(sec['cert-allowed-cn'] ?? [])]),
        }
      : undefined;
  return makeDbConfig({
    host: r.host ?? '',
    port: r.port,
    user: r.user ?? '',
    password: decryptOrPlaintext(r.password ?? ''),
    session,
    maxAllowedPacket: r['max-allowed-packet'] || undefined,
    security,
  });
}

/** Freezes a DbConfig and gives it a printing form without the password. */
export function makeDbConfig(cfg: DbConfig): DbConfig {
  const out: DbConfig = {
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    session: Object.freeze({ ...(cfg.session ?? {}) }),
    maxAllowedPacket: cfg.maxAllowedPacket,
    security: cfg.security ? Object.freeze({ ...cfg.security }) : undefined,
  };
  addRedactedPrinting(out);
  return Object.freeze(out);
}

/** A deep copy with every non-empty `password` replaced by `******`, for printing and JSON. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === 'password' && typeof v === 'string' ? (v === '' ? '' : MASK) : redact(v);
    }
    return out;
  }
  return value;
}

/** Makes `JSON.stringify(obj)` and `console.log(obj)` show a redacted copy. Call before freezing. */
export function addRedactedPrinting(obj: object): void {
  Object.defineProperty(obj, 'toJSON', { value: () => redact(obj), enumerable: false });
  Object.defineProperty(obj, inspect.custom, {
    value: (depth: number, options: object) => inspect(redact(obj), { ...options, depth }),
    enumerable: false,
  });
}

/** Recursively freezes plain objects and arrays (config objects are immutable once parsed). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
