/**
 * Whether the upstream tables merged into one downstream table can share it (spec §6.1
 * `schema_of_shard_tables`). Pessimistic shard mode replays one DDL for all shards, so the tables must be
 * alike: same column count, then at each position the same name and type, then the same primary key and
 * unique keys. Optimistic mode merges differing schemas, so only columns present in both must agree on type,
 * and the primary keys must be the same.
 */
import type { ShardMode } from '../config/task-config.js';
import { quoteTable } from '../mysql/identifier.js';
import { primaryKey, type IndexInfo, type TableStructure } from './table-structure.js';

export interface ShardTable {
  readonly sourceId: string;
  readonly structure: TableStructure;
}

export interface ShardDifference {
  readonly message: string;
  readonly self: string;
  readonly other: string;
}

function who(t: ShardTable): string {
  return `sourceID ${t.sourceId} table ${quoteTable(t.structure.schema, t.structure.table)}`;
}

function keyText(k: IndexInfo | undefined): string {
  return k ? `(${k.columns.join(', ')})` : '(none)';
}


/** Sorted column lists of the non-primary unique keys (names of keys do not matter). */
function uniqueKeySignature(t: TableStructure): string[] {
  return t.indexes
    .filter((i) => i.unique && i.name !== 'PRIMARY')
    .map((i) => `(${i.columns.map((c) => c.toLowerCase()).join(', ')})`)
    .sort();
}

/** The first way `other` differs from `self` that matters in this shard mode, or undefined. */
export function compareShardTables(self: ShardTable, other: ShardTable, mode: ShardMode): ShardDifference | undefined {
  const a = self.structure;
  const b = other.structure;
  if (mode !== 'optimistic') {
    if (a.columns.length !== b.columns.length) {
      return {
        message: `column length mismatch (self: ${a.columns.length} vs other: ${b.columns.length})`,
        self: `${who(self)} columns [${a.columns.map((c) => c.name).join(' ')}]`,
        other: `${who(other)} columns [${b.columns.map((c) => c.name).join(' ')}]`,
      };
    }
    for (let i = 0; i < a.columns.length; i++) {
      const x = a.columns[i]!;
      const y = b.columns[i]!;
      if (x.name.toLowerCase() !== y.name.toLowerCase() || x.type !== y.type) {
        return { message: 'different column definition', self: `${who(self)} column ${x.name} ${x.type}`, other: `${who(other)} column ${y.name} ${y.type}` };
      }
    }
  } else {
    for (const x of a.columns) {
      const y = b.columns.find((c) => c.name.toLowerCase() === x.name.toLowerCase());
      if (y && x.type !== y.type) {
        return { message: 'different column definition', self: `${who(self)} column ${x.name} ${x.type}`, other: `${who(other)} column ${y.name} ${y.type}` };
      }
    }
  }
  const pa = primaryKey(a);
  const pb = primaryKey(b);
  if (keyText(pa).toLowerCase() !== keyText(pb).toLowerCase()) {
    return { message: 'different primary key', self: `${who(self)} primary key ${keyText(pa)}`, other: `${who(other)} primary key ${keyText(pb)}` };
  }
  if (mode !== 'optimistic') {
    const ua = uniqueKeySignature(a);
    const ub = uniqueKeySignature(b);
    if (ua.join(' ') !== ub.join(' ')) {
      return { message: 'different unique keys', self: `${who(self)} unique keys [${ua.join(' ')}]`, other: `${who(other)} unique keys [${ub.join(' ')}]` };
    }
  }
  return undefined;
}
