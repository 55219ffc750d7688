/**
 * Table definitions read from a live server's information_schema, in the shape the row decoder takes.
 * Used by `dm binlog` to name columns of a live stream, and (later) to initialise the schema tracker.
 * This is the table *as it is now*: callers decoding old events must prefer a tracked schema.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ColumnSchema, TableSchema } from '../binlog/table-schema.js';

interface ColumnRow extends RowDataPacket {
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  DATA_TYPE: string;
  CHARACTER_SET_NAME: string | null;
  COLUMN_KEY: string;
}

/** Members of an `enum('a','b')` / `set(...)` column type, with SQL quote escapes undone. */
export function parseEnumMembers(columnType: string): string[] {
  const m = /^(?:enum|set)\((.*)\)$/is.exec(columnType.trim());
  if (!m) return [];
  const out: string[] = [];
  const body = m[1]!;
  let i = 0;
  while (i < body.length) {
    if (body[i] !== "'") {
      i++;
      continue;
    }
    let s = '';
    i++;
    while (i < body.length) {
      const c = body[i]!;
      if (c === "'" && body[i + 1] === "'") {
        s += "'";
        i += 2;
      } else if (c === '\\' && i + 1 < body.length) {
        s += body[i + 1];
        i += 2;
      } else if (c === "'") {
        i++;
        break;
      } else {
        s += c;
        i++;
      }
    }
    out.push(s);
  }
  return out;
}

export async function fetchTableSchema(conn: Connection, schema: string, table: string): Promise<TableSchema | undefined> {
  const [rows] = await conn.query<ColumnRow[]>(
    'SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, CHARACTER_SET_NAME, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  if (rows.length === 0) return undefined;
  const columns: ColumnSchema[] = rows.map((r) => {
    const type = r.DATA_TYPE.toLowerCase();
    return {
      name: r.COLUMN_NAME,
      unsigned: /\bunsigned\b/i.test(r.COLUMN_TYPE),
      charset: r.CHARACTER_SET_NAME ?? (/(binary|blob)$/.test(type) ? 'binary' : undefined),
      enumValues: type === 'enum' ? parseEnumMembers(r.COLUMN_TYPE) : undefined,
      setValues: type === 'set' ? parseEnumMembers(r.COLUMN_TYPE) : undefined,
    };
  });
  const primaryKey = rows.flatMap((r, i) => (r.COLUMN_KEY === 'PRI' ? [i] : []));
  return { schema, table, columns, primaryKey };
}
