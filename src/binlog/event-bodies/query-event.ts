/**
 * QUERY_EVENT (and the query part of EXECUTE_LOAD_QUERY, MariaDB QUERY_COMPRESSED): a statement with the
 * session context it ran in — status variables (sql_mode, character sets, time zone, …) and default database.
 *
 * Status variables are a sequence of (code, value) pairs whose value length depends on the code; an unknown
 * code stops the walk (as MySQL itself does) — the database name and query are still found from the
 * fixed lengths in the post-header.
 */
import { BufferReader } from '../buffer-reader.js';
import type { QueryBody, QueryStatusVars } from '../events.js';
import { charsetOfCollation, decodeText } from '../../mysql/charsets.js';
import { mariadbUncompress } from './mariadb-compression.js';

export function decodeStatusVars(r: BufferReader, end: number): QueryStatusVars {
  const v: QueryStatusVars = {};
  while (r.pos < end) {
    const code = r.u8();
    switch (code) {
      case 0:
        v.flags2 = r.u32();
        break;
      case 1:
        v.sqlMode = r.u64();
        break;
      case 2: // Q_CATALOG_CODE (5.0.0–5.0.3): length, string, NUL
        v.catalog = r.str(r.u8());
        r.skip(1);
        break;
      case 3:
        v.autoIncrementIncrement = r.u16();
        v.autoIncrementOffset = r.u16();
        break;
      case 4:
        v.charset = { client: r.u16(), connection: r.u16(), server: r.u16() };
        break;
      case 5:
        v.timeZone = r.str8();
        break;
      case 6:
        v.catalog = r.str8();
        break;
      case 7:
        v.lcTimeNamesNumber = r.u16();
        break;
      case 8:
        v.charsetDatabaseNumber = r.u16();
        break;
      case 9:
        v.tableMapForUpdate = r.u64();
        break;
      case 10:
        v.masterDataWritten = r.u32();
        break;
      case 11:
        v.invoker = { user: r.str8(), host: r.str8() };
        break;
      case 12: {
        const n = r.u8();
        // 254 = OVER_MAX_DBS_IN_EVENT_MTS: too many databases, none listed
        const names: string[] = [];
        if (n !== 254) for (let i = 0; i < n; i++) names.push(r.cstr());
        v.updatedDbNames = names;
        break;
      }
      case 13:
        v.microseconds = r.u24();
        break;
      case 14:
        v.commitTs = r.u64();
        break;
      case 15: // Q_COMMIT_TS2
        r.skip(8);
        break;
      case 16:
        v.explicitDefaultsTs = r.u8() !== 0;
        break;
      case 17:
        v.ddlLoggedWithXid = r.u64();
        break;
      case 18:
        v.defaultCollationForUtf8mb4 = r.u16();
        break;
      case 19:
        v.sqlRequirePrimaryKey = r.u8();
        break;
      case 20:
        v.defaultTableEncryption = r.u8();
        break;
      case 128: // MariaDB Q_HRNOW
        v.hrnow = r.u24();
        break;
      case 129: // MariaDB Q_XID
        v.xid = r.u64();
        break;
      default:
        r.pos = end;
    }
  }
  return v;
}

/**
 * @param postHeaderLength 13 for QUERY, 26 for EXECUTE_LOAD_QUERY (extra fields are skipped).
 */
export function decodeQuery(buf: Buffer, bodyStart: number, bodyEnd: number, postHeaderLength: number, compressed: boolean): QueryBody {
  const r = new BufferReader(buf, bodyStart, bodyEnd);
  const threadId = r.u32();
  const execTime = r.u32();
  const dbLen = r.u8();
  const errorCode = r.u16();
  // status_vars_len exists since binlog v4 (post-header >= 13)
  const statusLen = postHeaderLength >= 13 ? r.u16() : 0;
  r.pos = bodyStart + postHeaderLength;
  const statusEnd = r.pos + statusLen;
  r.need(statusLen);
  const statusVars = decodeStatusVars(new BufferReader(buf, r.pos, statusEnd), statusEnd);
  r.pos = statusEnd;
  const schema = r.str(dbLen);
  r.skip(1); // NUL after the db name
  let text = r.rest();
  if (compressed) text = mariadbUncompress(text);
  const charset = statusVars.charset ? charsetOfCollation(statusVars.charset.client) : undefined;
  const query = charset && charset !== 'binary' ? decodeText(text, charset) : text.toString('utf8');
  return { kind: 'query', threadId, execTime, errorCode, schema, query, statusVars, ...(compressed ? { compressed } : {}) };
}
