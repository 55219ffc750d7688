/**
 * The live half of `dm binlog` (and the playground): read the upstream's binlog as a replica, decode each
 * event and hand it to an {@link EventPrinter}. Stops on Ctrl-C, after `maxEvents`, or — with `toEnd` — when
 * the position the server reported at start has been reached.
 */
import mysql from 'mysql2/promise';
import { EventDecoder } from '../../binlog/event-decoder.js';
import type { EventPrinter } from '../../binlog/event-printer.js';
import { ReplicaClient, type ReplicaStart } from '../../binlog/replica-client.js';
import { driverError } from '../../binlog/upstream-check.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';

export interface LiveOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  serverId: number;
  flavor?: 'mysql' | 'mariadb' | undefined;
  startFile?: string | undefined;
  startPos: number;
  gtid?: string | undefined;
  toEnd: boolean;
  maxEvents?: number | undefined;
  heartbeatMs: number;
}

interface MasterStatus {
  file: string;
  position: number;
}

async function masterStatus(o: LiveOptions): Promise<MasterStatus> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ host: o.host, port: o.port, user: o.user, password: o.password, connectTimeout: 10_000 });
  } catch (e) {
    throw driverError(e, o.password);
  }
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
    const r = rows[0];
    if (!r) throw DmError.of(E.NoMasterStatus);
    return { file: String(r.File), position: Number(r.Position) };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** Whether (file, pos) is at or past `end` (binlog file names sort by their numeric suffix). */
function reached(file: string, pos: number, end: MasterStatus): boolean {
  if (file === end.file) return pos >= end.position;
  return file > end.file;
}

export async function streamLive(o: LiveOptions, printer: EventPrinter): Promise<void> {
  const needStatus = o.toEnd || (!o.gtid && !o.startFile);
  const status = needStatus ? await masterStatus(o) : undefined;
  const start: ReplicaStart = o.gtid !== undefined ? { gtidSet: o.gtid } : { file: o.startFile ?? status!.file, position: o.startFile ? o.startPos : 4 };
  const end = o.toEnd ? status : undefined;
  if (end && 'file' in start && reached(start.file, start.position, end)) return;
  const client = new ReplicaClient({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    serverId: o.serverId,
    flavor: o.flavor,
    start,
    heartbeatPeriodMs: o.heartbeatMs,
  });
  const onSignal = (): void => void client.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await client.start();
    const decoder = new EventDecoder({ checksumAlg: client.checksumAlg });
    for await (const raw of client) {
      decoder.file = raw.file;
      if (raw.typeCode !== 15) decoder.checksum = raw.checksumAlg;
      const offset = raw.logPos > 0 ? raw.logPos - raw.eventSize : 0;
      const ev = decoder.decode(raw.raw, offset);
      // heartbeats say where the server is, not an event to show
      if (ev.body.kind !== 'heartbeat') await printer.handle(ev);
      if (o.maxEvents !== undefined && printer.count >= o.maxEvents) break;
      if (end && raw.logPos > 0 && reached(raw.file, raw.logPos, end)) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.stop();
  }
}
