/**
 * Small control events: ROTATE (real and fake), XID, STOP, INCIDENT, HEARTBEAT v1/v2, XA_PREPARE,
 * MariaDB BINLOG_CHECKPOINT.
 */
import { BufferReader } from '../buffer-reader.js';
import { EventFlag } from '../event-type.js';
import type { EventHeader, HeartbeatBody, IncidentBody, MariadbBinlogCheckpointBody, RotateBody, XaPrepareBody, XidBody } from '../events.js';

export function decodeRotate(buf: Buffer, bodyStart: number, bodyEnd: number, header: EventHeader): RotateBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const position = r.u64Number();
  const nextFile = r.rest().toString('utf8');
  // the server sends a rotate that is not in any file at the start of a dump (and MariaDB on reconnect)
  const fake = header.timestamp === 0 || header.logPos === 0 || (header.flags & EventFlag.ARTIFICIAL) !== 0;
  return { kind: 'rotate', position, nextFile, fake };
}

export function decodeXid(buf: Buffer, bodyStart: number, bodyEnd: number): XidBody {
  return { kind: 'xid', xid: new BufferReader(buf, bodyStart, bodyEnd).u64() };
}

export function decodeIncident(buf: Buffer, bodyStart: number, bodyEnd: number): IncidentBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const incident = r.u16();
  const message = r.remaining > 0 ? r.str8() : '';
  return { kind: 'incident', incident, message };
}

export function decodeHeartbeat(buf: Buffer, bodyStart: number, bodyEnd: number, header: EventHeader): HeartbeatBody {
  return { kind: 'heartbeat', version: 1, logFile: buf.toString('utf8', bodyStart, bodyEnd), logPos: header.logPos };
}

/** HEARTBEAT_LOG_EVENT_V2 (8.0.26+): fields as (type, length, value) with packed integers. */
export function decodeHeartbeatV2(buf: Buffer, bodyStart: number, bodyEnd: number, header: EventHeader): HeartbeatBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  let logFile = '';
  let logPos = header.logPos;
  while (r.remaining > 0) {
    const type = r.lenenc();
    if (type === 0) break; // end mark
    const len = r.lenenc();
    const v = new BufferReader(buf, r.pos, r.pos + len);
    r.skip(len);
    if (type === 1) logFile = v.rest().toString('utf8');
    else if (type === 2) logPos = v.lenenc();
  }
  return { kind: 'heartbeat', version: 2, logFile, logPos };
}

export function decodeXaPrepare(buf: Buffer, bodyStart: number, bodyEnd: number): XaPrepareBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const onePhase = r.u8() !== 0;
  const formatId = r.i32();
  const gl = r.u32();
  const bl = r.u32();
  return { kind: 'xa_prepare', onePhase, formatId, gtrid: Buffer.from(r.bytes(gl)), bqual: Buffer.from(r.bytes(bl)) };
}

export function decodeBinlogCheckpoint(buf: Buffer, bodyStart: number, bodyEnd: number): MariadbBinlogCheckpointBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const len = r.u32();
  return { kind: 'mariadb_binlog_checkpoint', file: r.str(len) };
}
