/**
 * The flavor-neutral GTID set: what checkpoints, the relay and the syncer hold to say "everything up
 * to here has been replicated", whether the upstream is MySQL (UUID-keyed interval sets) or MariaDB
 * (one `domain-server-seq` per replication domain).
 *
 * Invariants shared by both implementations:
 * - `toString()` is canonical: parsing it back gives an equal set, and equal sets print identically,
 *   so the text can be stored in checkpoints and compared as a string.
 * - `union`/`clone` return new objects; only `add` mutates.
 * - Mixing flavors (e.g. `mysqlSet.contains(mariadbSet)`) throws NotSupportedFlavor instead of
 *   answering a meaningless question.
 */
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { MariadbGtidSet } from './mariadb-gtid-set.js';
import { MysqlGtidSet } from './mysql-gtid-set.js';

export type GtidFlavor = 'mysql' | 'mariadb';

export interface GtidSet {
  readonly flavor: GtidFlavor;
  /** Canonical text form (MySQL: `uuid:1-5:7,uuid2:1`; MariaDB: `0-1-100,1-2-5`); empty set → ''. */
  toString(): string;
  clone(): GtidSet;
  isEmpty(): boolean;
  /** Adds one GTID: MySQL `uuid:5` or `uuid:tag:5`, MariaDB `domain-server-seq`. */
  add(gtid: string): void;
  /** A new set holding everything in this set and in `other`. */
  union(other: GtidSet): GtidSet;
  /** Whether every transaction of `other` is also in this set (this ⊇ other). */
  contains(other: GtidSet): boolean;
  equals(other: GtidSet): boolean;
}

/** Whether `x` names a flavor we support (exact, lower-case names, as in the source config). */
export function isGtidFlavor(x: unknown): x is GtidFlavor {
  return x === 'mysql' || x === 'mariadb';
}

/**
 * Parses a GTID set in the flavor's text form; an empty (or all-whitespace) string gives the empty set.
 * The flavor is checked at run time because it usually comes from a config file.
 */
export function parseGtidSet(flavor: GtidFlavor, text: string): GtidSet {
  switch (flavor) {
    case 'mysql':
      return MysqlGtidSet.parse(text);
    case 'mariadb':
      return MariadbGtidSet.parse(text);
    default:
      throw DmError.of(E.NotSupportedFlavor, [String(flavor)]);
  }
}

export function emptyGtidSet(flavor: GtidFlavor): GtidSet {
  switch (flavor) {
    case 'mysql':
      return new MysqlGtidSet();
    case 'mariadb':
      return new MariadbGtidSet();
    default:
      throw DmError.of(E.NotSupportedFlavor, [String(flavor)]);
  }
}
