/**
 * `table_schema`: every migrated upstream table can be created and replicated downstream (DM's
 * TablesChecker, spec §6.1):
 * - no primary or unique key → warning: the sync unit then identifies rows by all columns, which is slow and
 *   ambiguous for duplicate rows;
 * - a character set (of the table or a column) the downstream does not have (as its SHOW CHARACTER SET says)
 *   → failure: the CREATE TABLE would be rejected;
 * - a foreign key when the downstream is TiDB → warning, as DM ("parsed but ignored by TiDB").
 * One result for the whole task; each problem names its table.
 */
import type { DownstreamKind } from '../mysql/downstream-dialect.js';
import { quoteTable } from '../mysql/identifier.js';
import { ResultBuilder, type ItemResult } from './check-result.js';
import type { Checker, TaskTables } from './checker.js';
import { hasPrimaryOrUniqueKey, type TableStructure } from './table-structure.js';

export interface DownstreamFacts {
  readonly kind: DownstreamKind;
  /** Lower-case character set names the downstream supports; undefined when it could not be read. */
  readonly charsets: ReadonlySet<string> | undefined;
}

/** The problems of one table, as (severity, message) pairs — pure, for unit tests. */
export function tableProblems(t: TableStructure, downstream: DownstreamFacts): Array<{ severity: 'fail' | 'warn'; message: string; instruction: string }> {
  const name = `table ${quoteTable(t.schema, t.table)}`;
  const out: Array<{ severity: 'fail' | 'warn'; message: string; instruction: string }> = [];
  if (!hasPrimaryOrUniqueKey(t)) {
    out.push({ severity: 'warn', message: `${name} primary/unique key does not exist`, instruction: 'please set primary/unique key for the table' });
  }
  const supported = downstream.charsets;
  if (supported) {
    const unsupported = (cs: string): boolean => cs !== '' && cs !== 'binary' && !supported.has(cs.toLowerCase());
    if (unsupported(t.charset)) {
      out.push({ severity: 'fail', message: `${name} unsupport charset ${t.charset}`, instruction: 'the downstream does not have this character set; convert the table (ALTER TABLE ... CONVERT TO CHARACTER SET utf8mb4) or exclude it with block-allow-list' });
    }
    for (const c of t.columns) {
      if (c.charset !== null && c.charset !== t.charset && unsupported(c.charset)) {
        out.push({ severity: 'fail', message: `${name} column ${c.name} unsupport charset ${c.charset}`, instruction: 'the downstream does not have this character set; convert the column or exclude the table with block-allow-list' });
      }
    }
  }
  if (downstream.kind === 'tidb') {
    for (const fk of t.foreignKeys) {
      out.push({ severity: 'warn', message: `${name} Foreign Key ${fk.name} is parsed but ignored by TiDB.`, instruction: 'please ref document: https://docs.pingcap.com/tidb/stable/mysql-compatibility#unsupported-features' });
    }
  }
  return out;
}

export class TableSchemaChecker implements Checker {
  readonly name = 'table_schema';

  constructor(
    private readonly tables: TaskTables,
    private readonly downstream: DownstreamFacts,
  ) {}

  run(): Promise<ItemResult[]> {
    const r = new ResultBuilder('table structure compatibility check', 'check compatibility of table structure');
    for (const t of this.tables.tables) {
      const s = this.tables.structureOf(t);
      if (!s) continue; // dropped while checking, as DM skips it
      for (const p of tableProblems(s, this.downstream)) {
        if (p.severity === 'fail') r.fail(p.message, p.instruction);
        else r.warn(p.message, p.instruction);
      }
    }
    return Promise.resolve([r.build()]);
  }
}
