/**
 * Reads the lines `SHOW GRANTS` prints (MySQL 5.x/8.x, MariaDB, cloud flavours) into privileges and the level
 * they are granted at. It is deliberately tolerant: unknown privilege names (Aurora's `INVOKE LAMBDA`,
 * `SELECT INTO S3`, MySQL 8's dynamic privileges) are kept as written; role and proxy grants are recognised
 * and carry no privileges; a line it cannot read yields `undefined` and the caller skips it.
 *
 * Invariant: nothing from a grant line but privilege names and object names leaves this module — the
 * `IDENTIFIED BY PASSWORD '<hash>'` part is never read, so it can never reach a message.
 */

export type GrantLevel =
  | { readonly kind: 'global' }
  | { readonly kind: 'db'; readonly db: string }
  | { readonly kind: 'table'; readonly db: string; readonly table: string }
  /** Procedures, functions, packages, proxy users: nothing a precheck needs. */
  | { readonly kind: 'other' };

export interface GrantedPrivilege {
  /** Upper case, single spaces, aliases folded: `ALL`, `REPLICATION CLIENT` (MariaDB's `BINLOG MONITOR`)... */
  readonly name: string;
  /** Present when granted on some columns only (`SELECT (a, b)`). */
  readonly columns?: readonly string[];
}

export interface ParsedGrant {
  readonly privileges: readonly GrantedPrivilege[];
  readonly level: GrantLevel;
}

const ALIASES: Readonly<Record<string, string>> = {
  'ALL PRIVILEGES': 'ALL',
  // MariaDB 10.5.2 renamed REPLICATION CLIENT; SHOW GRANTS prints the new name
  'BINLOG MONITOR': 'REPLICATION CLIENT',
  // MariaDB 10.5.1 alias of REPLICATION SLAVE
  'REPLICATION REPLICA': 'REPLICATION SLAVE',
};

/** Splits on `sep` outside quotes and parentheses. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      cur += ch;
      if (ch === quote) {
        if (text[i + 1] === quote) cur += text[++i]!;
        else quote = '';
      }
      continue;
    }
    if (ch === '`' || ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth === 0 && text.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** Index of the first ` KEYWORD ` (case-insensitive) outside quotes and parentheses, or -1. */
function findKeyword(text: string, keyword: string, from = 0): number {
  const upper = text.toUpperCase();
  const kw = ` ${keyword} `;
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '`' || ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && upper.startsWith(kw, i)) return i;
  }
  return -1;
}

/** `db`.`t`, db.*, *.*, * → parts with backquotes removed (a doubled backquote is one). */
function splitObjectName(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] === '`') {
      let name = '';
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === '`') {
          if (s[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += s[i++];
      }
      parts.push(name);
    } else {
      const dot = s.indexOf('.', i);
      const end = dot < 0 ? s.length : dot;
      parts.push(s.slice(i, end).trim());
      i = end;
    }
    if (i < s.length) {
      if (s[i] !== '.') return undefined;
      i++;
    }
  }
  return parts;
}

function parseLevel(text: string): GrantLevel | undefined {
  let t = text.trim();
  const typed = /^(TABLE|FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE)\s+/i.exec(t);
  if (typed) {
    if (typed[1]!.toUpperCase() !== 'TABLE') return { kind: 'other' };
    t = t.slice(typed[0].length);
  }
  const parts = splitObjectName(t);
  if (!parts || parts.length === 0 || parts.length > 2) return undefined;
  // a lone `*` is the current database in GRANT; SHOW GRANTS never prints it, so treat as global
  if (parts.length === 1) return parts[0] === '*' ? { kind: 'global' } : { kind: 'other' };
  const [db, table] = parts as [string, string];
  if (db === '*' && table === '*') return { kind: 'global' };
  if (table === '*') return { kind: 'db', db };
  return { kind: 'table', db, table };
}

function parsePrivilege(text: string): GrantedPrivilege | undefined {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\((.*)\))?\s*$/s.exec(text);
  if (!m) return undefined;
  const raw = m[1]!.toUpperCase().replace(/\s+/g, ' ');
  const name = ALIASES[raw] ?? raw;
  if (m[2] === undefined) return { name };
  const columns = splitTopLevel(m[2], ',').map((c) => c.trim().replace(/^`(.*)`$/s, '$1').replace(/``/g, '`'));
  return { name, columns };
}

/** One `SHOW GRANTS` line, or undefined when it is not a GRANT this parser understands. */
export function parseGrant(line: string): ParsedGrant | undefined {
  const text = line.trim();
  if (!/^GRANT\s/i.test(text)) return undefined;
  const body = text.slice(5).trimStart();
  const on = findKeyword(` ${body}`, 'ON');
  if (on < 0) {
    // `GRANT role TO user`: a role grant, no privileges of its own
    return findKeyword(` ${body}`, 'TO') >= 0 ? { privileges: [], level: { kind: 'other' } } : undefined;
  }
  const privText = body.slice(0, on);
  const rest = body.slice(on + 3);
  const to = findKeyword(` ${rest}`, 'TO');
  if (to < 0) return undefined;
  if (/^\s*PROXY\s*$/i.test(privText)) return { privileges: [], level: { kind: 'other' } };
  const level = parseLevel(rest.slice(0, to));
  if (!level) return undefined;
  const privileges: GrantedPrivilege[] = [];
  for (const p of splitTopLevel(privText, ',')) {
    const priv = parsePrivilege(p);
    if (!priv) return undefined;
    privileges.push(priv);
  }
  return { privileges, level };
}
