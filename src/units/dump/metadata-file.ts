/**
 * The dump's `metadata` file: when the dump ran and the binlog position of its snapshot, in the exact text
 * format Dumpling writes (and mydumper before it), because DM's loader/syncer, myloader and users' scripts
 * read it. Also parses what mydumper 0.9/0.10 and Dumpling write.
 *
 * Written form (Dumpling, tab-indented, `GTID:` without a space):
 * ```
 * Started dump at: 2020-11-10 10:40:19
 * SHOW MASTER STATUS:
 * 	Log: mysql-bin.000001
 * 	Pos: 2022
 * 	GTID:09bec856-ba95-11ea-850a-58f2b4af5188:1-9
 *
 * SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED *\/
 * 	Log: mysql-bin.000001
 * 	Pos: 2100
 * 	GTID:09bec856-ba95-11ea-850a-58f2b4af5188:1-10
 *
 * Finished dump at: 2020-11-10 10:40:20
 * ```
 * The second block is the exit point of safe mode (consistency `none`): DM's parser reads it as "location 2".
 * Parsing accepts any indentation, `GTID:` with or without a space, GTID sets continued over several lines
 * (MySQL prints a newline after each comma), `(null)` GTIDs (mydumper without GTID support), `SHOW SLAVE
 * STATUS:` blocks (with `Connection name:` for MariaDB multi-source) and unknown lines (ignored).
 */
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';

export interface BinlogPoint {
  /** Binlog file name, e.g. `mysql-bin.000003`. */
  readonly file: string;
  readonly pos: number;
  /** GTID set (MySQL `uuid:1-5,...`, MariaDB `0-1-100,...`); empty when the server has none. */
  readonly gtid: string;
}

export interface ReplicaPoint extends BinlogPoint {
  /** The dumped server's source (`Master_Host`). */
  readonly host: string;
  /** MariaDB multi-source connection name. */
  readonly connectionName?: string | undefined;
}

export interface DumpMetadata {
  /** Local time `YYYY-MM-DD HH:MM:SS`, as the tools write it. */
  readonly startedAt: string;
  /** Absent when the dump did not finish. */
  readonly finishedAt?: string | undefined;
  /** The snapshot's position: the sync unit starts here. */
  readonly position: BinlogPoint;
  /** Consistency `none`: the position after the dump; safe mode stays on until the sync unit passes it. */
  readonly endPosition?: BinlogPoint | undefined;
  /** `SHOW SLAVE STATUS` of the dumped server when it is a replica. */
  readonly replicas?: readonly ReplicaPoint[] | undefined;
}

const MASTER = 'SHOW MASTER STATUS:';
const MASTER_AFTER = 'SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */';
const SLAVE = 'SHOW SLAVE STATUS:';

/** `YYYY-MM-DD HH:MM:SS` in local time (what Dumpling and mydumper write). */
export function metadataTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function pointBlock(head: string, p: BinlogPoint): string {
  // no binlog (empty file): the header alone, as Dumpling writes it; readers then report 11123
  if (!p.file) return `${head}\n\n`;
  // GTID sets from MySQL carry newlines after commas: keep the file one line per field
  const gtid = p.gtid.replace(/\s+/g, '');
  return `${head}\n\tLog: ${p.file}\n\tPos: ${p.pos}\n\tGTID:${gtid}\n\n`;
}

/** The `metadata` file text for `m`. */
export function formatDumpMetadata(m: DumpMetadata): string {
  let s = `Started dump at: ${m.startedAt}\n`;
  s += pointBlock(MASTER, m.position);
  for (const r of m.replicas ?? []) {
    s += SLAVE;
    if (r.connectionName !== undefined) s += `\n\tConnection name: ${r.connectionName}`;
    s += `\n\tHost: ${r.host}\n\tLog: ${r.file}\n\tPos: ${r.pos}\n\tGTID:${r.gtid.replace(/\s+/g, '')}\n\n`;
  }
  if (m.endPosition) s += pointBlock(MASTER_AFTER, m.endPosition);
  if (m.finishedAt !== undefined) s += `Finished dump at: ${m.finishedAt}\n`;
  return s;
}

interface Block {
  fields: Map<string, string>;
}

const FIELDS = new Set(['Log', 'Pos', 'GTID', 'Host', 'Connection name']);

/** A GTID set line continued from the previous one (MySQL: `uuid:1-5,` newline `uuid2:1-3`). */
const GTID_CONTINUATION = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?::[0-9a-z_]+)*(?::\d+(?:-\d+)?)+|\d+-\d+-\d+)(?:,.*)?$/i;

/**
 * Parses a `metadata` file. Throws DmError 11123 when it has no binlog position (often: the dump user
 * lacked the privilege to read it), 11001 when a field is malformed.
 */
export function parseDumpMetadata(text: string): DumpMetadata {
  const lines = text.split(/\r?\n/);
  let startedAt = '';
  let finishedAt: string | undefined;
  let master: Block | undefined;
  let after: Block | undefined;
  const slaves: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('Started dump at:')) {
      startedAt = line.slice('Started dump at:'.length).trim();
    } else if (line.startsWith('Finished dump at:')) {
      finishedAt = line.slice('Finished dump at:'.length).trim();
    } else if (line === MASTER || line === MASTER_AFTER || line === SLAVE || line.replace(/\s+/g, ' ') === MASTER_AFTER) {
      const block: Block = { fields: new Map() };
      let lastKey = '';
      for (i++; i < lines.length; i++) {
        const l = lines[i]!.trim();
        if (l === '') break;
        const colon = l.indexOf(':');
        const key = colon > 0 ? l.slice(0, colon).trim() : '';
        if (FIELDS.has(key)) {
          lastKey = key;
          block.fields.set(key, l.slice(colon + 1).trim());
        } else if (lastKey === 'GTID' && GTID_CONTINUATION.test(l)) {
          block.fields.set('GTID', (block.fields.get('GTID') ?? '') + l);
        } else {
          // the block ended without an empty line: read this line again at the top level
          i--;
          break;
        }
      }
      if (line === SLAVE) slaves.push(block);
      else if (line === MASTER) master = block;
      else after = block;
    }
  }
  const position = master ? toPoint(master, text) : undefined;
  if (!position) throw DmError.of(E.MetadataNoBinlogLoc, ['metadata']);
  const endPosition = after ? toPoint(after, text) : undefined;
  if (after && !endPosition) throw DmError.of(E.ParseMydumperMeta, ['the block after the connection pool was established has no binlog position', text]);
  const replicas: ReplicaPoint[] = [];
  for (const b of slaves) {
    const p = toPoint(b, text);
    if (!p) continue;
    const name = b.fields.get('Connection name');
    replicas.push({ ...p, host: b.fields.get('Host') ?? '', ...(name !== undefined ? { connectionName: name } : {}) });
  }
  return {
    startedAt,
    finishedAt,
    position,
    ...(endPosition ? { endPosition } : {}),
    ...(replicas.length ? { replicas } : {}),
  };
}

/** The point of a block; undefined when it has no file or position 0 (the server reported none). */
function toPoint(b: Block, text: string): BinlogPoint | undefined {
  const file = b.fields.get('Log') ?? '';
  const posText = b.fields.get('Pos') ?? '';
  if (!file && !posText) return undefined;
  if (!/^\d+$/.test(posText)) throw DmError.of(E.ParseMydumperMeta, [`invalid binlog position ${JSON.stringify(posText)}`, text]);
  const pos = Number(posText);
  if (!file || pos === 0) return undefined;
  let gtid = (b.fields.get('GTID') ?? '').replace(/\s+/g, '');
  if (gtid === '(null)') gtid = '';
  return { file, pos, gtid: gtid.replace(/,$/, '') };
}
