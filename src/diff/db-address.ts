/**
 * `host:port:user[:password]` database addresses for `dm diff --source/--target`. Everything after the third
 * colon is the password (so passwords may contain colons); without one, the password comes from DM_PASSWORD
 * (keeps it out of `ps`). IPv6 hosts go in brackets: `[::1]:3306:root`. Errors never echo the password.
 */
import type { DbConfig } from '../mysql/db-config.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

export interface SourceAddress {
  sourceId: string;
  db: DbConfig;
}

/** Parses `host:port:user[:password]`; `defaultPassword` is used when none is given. */
export function parseDbAddress(text: string, what: string, defaultPassword = ''): DbConfig {
  let rest = text;
  let host: string;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw bad(what, text, 'unterminated [ in host');
    host = rest.slice(1, end);
    rest = rest.slice(end + 1);
    if (!rest.startsWith(':')) throw bad(what, text, 'expected host:port:user[:password]');
    rest = rest.slice(1);
  } else {
    const c = rest.indexOf(':');
    if (c < 0) throw bad(what, text, 'expected host:port:user[:password]');
    host = rest.slice(0, c);
    rest = rest.slice(c + 1);
  }
  const c1 = rest.indexOf(':');
  if (c1 < 0) throw bad(what, text, 'expected host:port:user[:password]');
  const portText = rest.slice(0, c1);
  rest = rest.slice(c1 + 1);
  const c2 = rest.indexOf(':');
  const user = c2 < 0 ? rest : rest.slice(0, c2);
  const password = c2 < 0 ? defaultPassword : rest.slice(c2 + 1);
  const port = Number(portText);
  if (!host) throw bad(what, text, 'empty host');
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw bad(what, text, `port ${JSON.stringify(portText)} is not a number in 1..65535`);
  if (!user) throw bad(what, text, 'empty user');
  return { host, port, user, password };
}

/** Parses `id=host:port:user[:password]`. */
export function parseSourceAddress(text: string, defaultPassword = ''): SourceAddress {
  const eq = text.indexOf('=');
  const colon = text.indexOf(':');
  if (eq <= 0 || (colon >= 0 && colon < eq)) throw bad('--source', text, 'expected id=host:port:user[:password]');
  const sourceId = text.slice(0, eq);
  return { sourceId, db: parseDbAddress(text.slice(eq + 1), '--source', defaultPassword) };
}

/** The address with any password removed, for error messages. */
export function redactAddress(text: string): string {
  const eq = text.indexOf('=');
  const prefix = eq > 0 && text.indexOf(':') > eq ? text.slice(0, eq + 1) : '';
  const addr = text.slice(prefix.length);
  let start = 0;
  if (addr.startsWith('[')) start = Math.max(0, addr.indexOf(']'));
  let colons = 0;
  for (let i = start; i < addr.length; i++) {
    if (addr[i] === ':' && ++colons === 3) return `${prefix}${addr.slice(0, i)}:******`;
  }
  return text;
}

function bad(what: string, text: string, why: string): DmError {
  return DmError.of(E.DiffInvalidOption, [what, JSON.stringify(redactAddress(text)), why]);
}
