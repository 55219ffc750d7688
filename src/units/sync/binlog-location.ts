/**
 * A place in the upstream's binlog as the sync unit records it: the file and the position after an event,
 * plus the GTID set executed up to there ('' when unknown, e.g. position mode). Positions order by the binlog
 * file's numeric suffix first (`mysql-bin.000010` after `mysql-bin.000009`), then by offset.
 */
import { parseGtidSet, type GtidFlavor } from '../../binlog/gtid/gtid-set.js';
import { compareFiles } from '../../binlog/replica-client.js';

export interface BinlogLocation {
  readonly file: string;
  readonly pos: number;
  readonly gtid: string;
}

export const NO_LOCATION: BinlogLocation = { file: '', pos: 0, gtid: '' };

/** Orders two locations by file and position (GTIDs are not compared). */
export function compareLocation(a: BinlogLocation, b: BinlogLocation): number {
  const c = compareFiles(a.file, b.file);
  return c !== 0 ? c : a.pos - b.pos;
}

/** The later of two locations by file and position. */
export function laterLocation(a: BinlogLocation, b: BinlogLocation): BinlogLocation {
  return compareLocation(a, b) >= 0 ? a : b;
}

/** `(mysql-bin.000001, 1234)` — DM's way of printing a position — plus the GTID set when there is one. */
export function formatLocation(l: BinlogLocation): string {
  const p = `(${l.file}, ${l.pos})`;
  return l.gtid ? `${p} gtid ${l.gtid}` : p;
}

/**
 * Whether location `l` is at or past `mark`. In GTID mode the GTID sets decide (positions differ between
 * servers after a failover); otherwise file and position do.
 */
export function reachedLocation(l: BinlogLocation, mark: BinlogLocation, flavor: GtidFlavor | undefined, gtidMode: boolean): boolean {
  if (gtidMode && flavor && l.gtid && mark.gtid) return parseGtidSet(flavor, l.gtid).contains(parseGtidSet(flavor, mark.gtid));
  return compareLocation(l, mark) >= 0;
}
