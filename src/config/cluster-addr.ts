/**
 * Address and shared settings helpers of dm-master and dm-worker: Go's `net.SplitHostPort`, DM's URL scheme
 * wrapping (dm/pkg/utils), log level/format checks, the parse outcome type and deep freezing of configs.
 */
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';


/** Go's `net.SplitHostPort`: `host:port`, `:port`, `[v6]:port`; throws Go's message otherwise. */
export function splitHostPort(addr: string): { host: string; port: string } {
  const fail = (why: string): never => {
    throw new Error(`address ${addr}: ${why}`);
  };
  const last = addr.lastIndexOf(':');
  if (last < 0) return fail('missing port in address');
  let host: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === addr.length) return fail('missing port in address');
    if (end + 1 !== last) return addr[end + 1] === ':' ? fail('too many colons in address') : fail('missing port in address');
    host = addr.slice(1, end);
    if (host.includes('[') || host.includes(']')) return fail("unexpected '[' in address");
  } else {
    host = addr.slice(0, last);
    if (host.includes(':')) return fail('too many colons in address');
    if (host.includes('[') || host.includes(']')) return fail("unexpected '[' in address");
  }
  const port = addr.slice(last + 1);
  if (port.includes('[') || port.includes(']')) return fail("unexpected ']' in address");
  return { host, port };
}

/** DM's `UnwrapScheme`: drops a leading `http://` or `https://`. */
export function unwrapScheme(s: string): string {
  if (s.startsWith('http://')) return s.slice('http://'.length);
  if (s.startsWith('https://')) return s.slice('https://'.length);
  return s;
}

function wrapScheme(s: string, https: boolean): string {
  if (s === '') return s;
  return (https ? 'https://' : 'http://') + unwrapScheme(s);
}

/** DM's `WrapSchemes`: every comma-separated item gets `http://` (`https://` with TLS), replacing any scheme. */
export function wrapSchemes(s: string, https: boolean): string {
  return s
    .split(',')
    .map((x) => wrapScheme(x, https))
    .join(',');
}

/** DM's `WrapSchemesForInitialCluster`: the URL of every `name=url` item gets its scheme. */
export function wrapSchemesForInitialCluster(s: string, https: boolean): string {
  return s
    .split(',')
    .map((item) => {
      const kv = item.split('=');
      return kv.length === 2 ? `${kv[0]}=${wrapScheme(kv[1] ?? '', https)}` : item;
    })
    .join(',');
}

/** Log levels DM's logger accepts. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'text' | 'json';

/** DM's `log.InitLogger` checks, done here so a typo fails at start-up with 11104. */
export function checkLogSettings(level: string, format: string): { level: LogLevel; format: LogFormat } {
  const l = level.toLowerCase() === 'warning' ? 'warn' : level.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(l)) {
    throw DmError.of(E.InitLoggerFail, [`invalid log level ${JSON.stringify(level)}; expected one of ${LOG_LEVELS.join(', ')}`]);
  }
  const f = format === '' ? 'text' : format.toLowerCase();
  if (f !== 'text' && f !== 'json') throw DmError.of(E.InitLoggerFail, [`invalid log format ${JSON.stringify(format)}; expected text or json`]);
  return { level: l as LogLevel, format: f };
}

/** The result of parsing a component's command line: a config, or one of the "print and exit 0" requests. */
export type ParseOutcome<C> = { readonly kind: 'config'; readonly config: C } | { readonly kind: 'version' } | { readonly kind: 'sample-config' } | { readonly kind: 'help' };

export function deepFreezeConfig<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreezeConfig(v as object);
  return Object.freeze(o);
}

