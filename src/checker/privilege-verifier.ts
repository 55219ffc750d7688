/**
 * Decides which required privileges a user lacks, from its parsed grants (DM's `verifyPrivileges`):
 * - a privilege DM needs globally (RELOAD, REPLICATION SLAVE, REPLICATION CLIENT) only counts on `*.*`;
 * - a table privilege (SELECT) counts on `*.*`, on a database grant whose name matches (MySQL's `_`/`%`
 *   wildcards, `\_` escapes), or on that very table — but not when granted on some columns only, because the
 *   dump needs SHOW CREATE TABLE and every column;
 * - `ALL [PRIVILEGES]` at a level gives everything at that level; `SUPER` gives REPLICATION CLIENT (both
 *   allow SHOW MASTER STATUS).
 * The message lists what is missing as DM does: `lack of RELOAD privilege; lack of SELECT privilege: {...}; `.
 */
import { quoteTable } from '../mysql/identifier.js';
import type { TableName } from '../filter/table-filter.js';
import type { ParsedGrant } from './grant-parser.js';

export interface PrivilegeRequirement {
  /** Canonical name as the grant parser folds it, e.g. `REPLICATION CLIENT`. */
  readonly privilege: string;
  /** Tables it is needed on; absent: needed globally (`*.*`). */
  readonly tables?: readonly TableName[];
}

export interface MissingPrivilege {
  readonly privilege: string;
  /** Tables lacking it; empty when it is missing globally. */
  readonly tables: readonly TableName[];
}

/** MySQL's database-name wildcards in grants: `%` any run, `_` one character, `\` escapes. */
export function dbPatternMatches(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function grants(g: ParsedGrant, privilege: string): boolean {
  return g.privileges.some((p) => (p.name === privilege && p.columns === undefined) || p.name === 'ALL' || (privilege === 'REPLICATION CLIENT' && p.name === 'SUPER'));
}

export function missingPrivileges(parsed: readonly ParsedGrant[], required: readonly PrivilegeRequirement[]): MissingPrivilege[] {
  const out: MissingPrivilege[] = [];
  for (const req of required) {
    const global = parsed.some((g) => g.level.kind === 'global' && grants(g, req.privilege));
    if (global) continue;
    if (!req.tables) {
      out.push({ privilege: req.privilege, tables: [] });
      continue;
    }
    const lacking = req.tables.filter(
      (t) =>
        !parsed.some(
          (g) =>
            ((g.level.kind === 'db' && dbPatternMatches(g.level.db, t.schema)) || (g.level.kind === 'table' && g.level.db === t.schema && g.level.table === t.table)) &&
            grants(g, req.privilege),
        ),
    );
    if (lacking.length > 0) out.push({ privilege: req.privilege, tables: lacking });
  }
  return out;
}

/** DM's message; at most `maxTables` tables per privilege are named. */
export function describeMissing(missing: readonly MissingPrivilege[], maxTables = 20): string {
  return missing
    .map((m) => {
      if (m.tables.length === 0) return `lack of ${m.privilege} privilege; `;
      const shown = m.tables.slice(0, maxTables).map((t) => quoteTable(t.schema, t.table));
      const more = m.tables.length > maxTables ? `, … and ${m.tables.length - maxTables} more` : '';
      return `lack of ${m.privilege} privilege: {${shown.join(', ')}${more}}; `;
    })
    .join('');
}
