/**
 * Events that give a following statement its context under statement-based logging: INTVAR
 * (LAST_INSERT_ID / INSERT_ID), RAND seeds, USER_VAR values. Decoded so a row-based stream that mixes them
 * in (DDL, MIXED leftovers) can be shown and skipped exactly.
 */
import { BufferReader } from '../buffer-reader.js';
import { decodeDecimal } from '../decimal.js';
import type { IntvarBody, RandBody, UserVarBody } from '../events.js';
import { charsetOfCollation, decodeText } from '../../mysql/charsets.js';

export function decodeIntvar(buf: Buffer, bodyStart: number, bodyEnd: number): IntvarBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const subtype = r.u8();
  const value = r.u64();
  const subtypeName = subtype === 1 ? 'LAST_INSERT_ID' : subtype === 2 ? 'INSERT_ID' : 'INVALID';
  return { kind: 'intvar', subtype, subtypeName, value };
}

export function decodeRand(buf: Buffer, bodyStart: number, bodyEnd: number): RandBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  return { kind: 'rand', seed1: r.u64(), seed2: r.u64() };
}

const STRING_RESULT = 0;
const REAL_RESULT = 1;
const INT_RESULT = 2;
const DECIMAL_RESULT = 4;
const UNSIGNED_FLAG = 1;

export function decodeUserVar(buf: Buffer, bodyStart: number, bodyEnd: number): UserVarBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const name = r.str(r.u32());
  const isNull = r.u8() !== 0;
  if (isNull) return { kind: 'user_var', name, isNull, valueType: STRING_RESULT, charset: 63, value: null, flags: 0 };
  const valueType = r.u8();
  const charset = r.u32();
  const len = r.u32();
  const raw = r.bytes(len);
  const flags = r.remaining > 0 ? r.u8() : 0;
  let value: string | number | bigint;
  switch (valueType) {
    case REAL_RESULT:
      value = raw.readDoubleLE(0);
      break;
    case INT_RESULT:
      value = flags & UNSIGNED_FLAG ? raw.readBigUInt64LE(0) : raw.readBigInt64LE(0);
      break;
    case DECIMAL_RESULT: {
      const d = new BufferReader(raw);
      const precision = d.u8();
      const scale = d.u8();
      value = decodeDecimal(d, precision, scale);
      break;
    }
    default: {
      const cs = charsetOfCollation(charset);
      value = cs && cs !== 'binary' ? decodeText(raw, cs) : raw.toString('utf8');
    }
  }
  return { kind: 'user_var', name, isNull, valueType, charset, value, flags };
}
