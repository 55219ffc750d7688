import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TruncatedError } from './buffer-reader.js';
import { ColumnType as T } from './column-type.js';
import type { RowsAction, RowsBody, TableMapBody, TableMapOptionalMetadata } from './events.js';
import type { Row, RowChange } from './row-value.js';
import { decodeRows, isFullImage, schemaFromTableMap } from './row-decoder.js';
import type { TableSchema } from './table-schema.js';
import { DmError } from '../observability/dm-error.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/** LSB-first bitmap of `n` bits with the given bits set (MySQL's column and null bitmaps). */
function bits(n: number, set: readonly number[]): Buffer {
  const b = Buffer.alloc((n + 7) >> 3);
  for (const i of set) b[i >> 3]! |= 1 << (i & 7);
  return b;
}
const all = (n: number): Buffer => bits(n, Array.from({ length: n }, (_, i) => i));

function tableMap(types: number[], meta: number[], optionalMetadata: TableMapOptionalMetadata = {}): TableMapBody {
  return {
    kind: 'table_map',
    tableId: 7,
    flags: 0,
    schema: 'db',
    table: 't',
    columnCount: types.length,
    columnTypes: types,
    columnMeta: meta,
    nullBitmap: all(types.length),
    optionalMetadata,
  };
}

function rowsEvent(
  action: RowsAction,
  n: number,
  rowsData: Buffer,
  opts: { present?: Buffer; presentAfter?: Buffer; partial?: boolean } = {},
): RowsBody {
  return {
    kind: 'rows',
    action,
    version: 2,
    partial: opts.partial ?? false,
    compressed: false,
    tableId: 7,
    flags: 0,
    extraData: undefined,
    columnCount: n,
    columnsPresent: opts.present ?? all(n),
    columnsPresentAfter: action === 'update' ? (opts.presentAfter ?? all(n)) : undefined,
    rowsData,
  };
}

const insertRows = (rows: RowsBody, tm: TableMapBody, schema?: TableSchema): Row[] => {
  const d = decodeRows(rows, tm, schema);
  if (d.action === 'update') assert.fail('expected insert/delete rows');
  return d.rows;
};
const updateRows = (rows: RowsBody, tm: TableMapBody, schema?: TableSchema): RowChange[] => {
  const d = decodeRows(rows, tm, schema);
  if (d.action !== 'update') assert.fail('expected update rows');
  return d.rows;
};

function isDmError(code: number, ...patterns: RegExp[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof DmError, `expected a DmError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

void describe('row images written by MariaDB 10.11 (binlog_row_metadata=FULL), checked against SELECT', () => {
  test('numbers, DECIMAL, BIT and temporal types at their limits', () => {
    const tm = tableMap(
      [3, 1, 1, 2, 2, 9, 9, 3, 3, 8, 8, 4, 5, 246, 246, 246, 246, 246, 16, 16, 16, 13, 10, 19, 19, 19, 19, 19, 18, 18, 18, 17, 17, 17],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 3588, 16670, 1285, 2560, 4617, 1, 260, 2048, 0, 0, 0, 1, 3, 4, 6, 0, 2, 6, 0, 4, 6],
      {
        signedness: [false, false, true, false, true, false, true, false, true, false, true, false, false, false, false, false, false, false],
        columnNames: 'id ti tiu si siu mi miu i iu bi biu f d dec1 dec2 dec3 dec4 dec5 b1 b12 b64 y dt t0 t1 t3 t4 t6 dtm0 dtm2 dtm6 ts0 ts4 ts6'.split(' '),
        simplePrimaryKey: [0],
      },
    );
    const data = hex(
      '00000000fc01000000800000800000000080000000000000800000000000000000000000800000000000000000eeff7fffffffffffffff' +
        'efff7ef204c72dfb2d7a0a1f00c4653600c4653600c4653600c4653600c4653600c4653600fc187e796076c46536007ffffffffffffffe' +
        '0000000000000000000000000000004b91057fffffce7ffffefff67f3747e12e4b9105f0bdc180000000008000000000008cb242000000' +
        '0000000000000000000000000000000100000100000000fc020000007fffff7fffffffff7fffffffffffff7fffffffffffffffffffffff' +
        '7fffffffffffffffffeeff7f7fffffffffffffef7f810dfb38d204d285f5e0ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9ff3b9ac9' +
        'ff03e781869f893b9ac9ff875bcd15075bcd15010fffffffffffffffffffff9f1f4eb46efb80000032800001000a80c8b81ed2b46efa0f' +
        '423ffef3ff7efbfef3ff7efb63fef3ff7efb0f423f7fffffff7fffffff270f7fffffff0f423f00000000fc030000000001ffff0100ffff' +
        'ff010000ffffffff01000000ffffffffffffffff01000000000000000000003f9a9999999999b93f800000000000008000000000000000' +
        '0000000000000000000000000000000000000000000080c3508000000000800000001dcd6500010aaa00000000000000010100c80f8000' +
        '00800000007ffffffff680000000017fffffffffff99a580a2cc99a90851870899a9085187013c0460406abf60406abf032938bbb4c007' +
        'a120feffffffff04000000',
    );
    const rows = insertRows(rowsEvent('insert', 34, data), tm);
    const max = '99999999999999999999999999999999999.999999999999999999999999999999';
    assert.deepEqual(rows, [
      [
        1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808n, 0n, Math.fround(-3.40282e38),
        -1.7976931348623157e308, '-1234567890.1234', '-' + max, '-0.99999', '-9999999999', '-0.000000001',
        hex('00'), hex('0000'), hex('0000000000000000'), 0, '0000-00-00', '-838:59:59', '-00:00:00.5', '-00:00:01.001',
        '-12:34:56.7890', '-838:59:58.999999', '0000-00-00 00:00:00', '0000-00-00 00:00:00.00', '1000-01-01 00:00:00.000000',
        '0000-00-00 00:00:00', '0000-00-00 00:00:00.0000', '1970-01-01 00:00:01.000001',
      ],
      [
        2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807n, 18446744073709551615n,
        Math.fround(3.40282e38), 1.7976931348623157e308, '1234567890.1234', max, '0.99999', '9999999999', '123456789.123456789',
        hex('01'), hex('0fff'), hex('ffffffffffffffff'), 2155, '9999-12-31', '838:59:59', '00:00:00.5', '00:00:01.001',
        '12:34:56.7890', '838:59:58.999999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.99', '9999-12-31 23:59:59.999999',
        '2038-01-19 03:14:07', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.999999',
      ],
      [
        3, 0, 1, -1, 1, -1, 1, -1, 1, -1n, 1n, 0.5, 0.1, '0.0000', '0.' + '0'.repeat(30), '0.50000', '0', '0.500000000',
        hex('01'), hex('0aaa'), hex('0000000000000001'), 1901, '2020-00-00', '00:00:00', '00:00:00.0', '-00:00:00.001',
        '00:00:00.0001', '-00:00:00.000001', '2020-02-00 10:11:12', '2021-03-04 05:06:07.08', '2021-03-04 05:06:07.080900',
        '2021-03-04 05:06:07', '2021-03-04 05:06:07.0809', '2000-02-29 12:00:00.500000',
      ],
      [4, ...Array<null>(33).fill(null)],
    ]);
  });

  test('character sets, CHAR/BINARY padding, ENUM/SET, GEOMETRY, MariaDB JSON, a uca1400 collation', () => {
    const tm = tableMap(
      [3, 254, 254, 15, 15, 15, 254, 252, 252, 252, 252, 252, 252, 252, 252, 15, 15, 254, 254, 255, 252, 15, 15, 15, 15],
      [0, 65028, 52988, 40, 300, 10, 65028, 1, 2, 2, 2, 2, 3, 4, 2, 40, 40, 63233, 63489, 4, 4, 20, 5, 10, 15],
      {
        signedness: [false],
        // GEOMETRY has a slot here (the 63 after big5's 1): MariaDB counts it as a character column
        columnCharsets: [8, 45, 45, 8, 63, 63, 45, 35, 54, 56, 60, 51, 13, 63, 28, 1, 63, 46, 2304, 25, 19, 12],
        geometryTypes: [0],
        columnNames: 'id c4 c300 vc vcl vb bn tt tx tx16 tx16le tx32 mt lt bl gbk big e st g js ul gr ko uj'.split(' '),
        enumAndSetDefaultCharset: { defaultCollation: 8, overrides: [] },
        setValues: [['x', 'y', 'z']],
        enumValues: [['a', 'b', 'c']],
        simplePrimaryKey: [0],
      },
    );
    const data = hex(
      '000000fe010000000261800700f09f9880e282ac06f09d849e61620101e9' +
        '78'.repeat(256) +
        '0300ff100201020474696e7910000075006300730032002000fc002020ac1000007500740066003100360020d83dde000a006c006500' +
        '20003dd800de1400000000750000003300000032000000200001f600060000cff0e8e2e5f209000000b193fa967b8160815f0400deadbe' +
        'ef04d6d0cec408a374b35ca55cbb5c020519000000000000000101000000000000000000f03f0000000000000040140000007b2261223a' +
        '205b312c20322e352c202278225d7d05c39c6ec3af03e1e2e306c7d1b1b9beee06c6fccbdca1c1000008fe020000000000000000000000' +
        '00000000000000000000000000000000000000000000020000005b5d00000000',
    );
    const rows = insertRows(rowsEvent('insert', 25, data), tm);
    assert.deepEqual(rows, [
      [
        1, 'a€', '😀€', '𝄞ab', 'é' + 'x'.repeat(256), hex('00ff10'), hex('01020000'), 'tiny', 'ucs2 ü €', 'utf16 😀', 'le 😀',
        'u32 😀', 'Привет', 'ｱ日本〜\\', hex('deadbeef'), '中文', 'ㄅ許功蓋', 'b', 'x,z',
        hex('000000000101000000000000000000f03f0000000000000040'), '{"a": [1, 2.5, "x"]}', 'Ünï', 'αβγ', '한국어', '日本〜',
      ],
      [2, '', '', '', '', hex(''), hex('00000000'), '', '', '', '', '', '', '', hex(''), '', '', '', '', null, '[]', '', '', '', ''],
    ]);
  });
});

void describe('row image layout', () => {
  const types = [T.LONG, T.VARCHAR, T.LONGLONG];
  const meta = [0, 40, 0];
  const md: TableMapOptionalMetadata = {
    signedness: [false, true],
    defaultCharset: { defaultCollation: 45, overrides: [] },
    columnNames: ['id', 'name', 'n'],
  };

  test('INSERT: null bitmap then the non-NULL values, row after row', () => {
    const data = hex(
      '00 01000000 03616263 ffffffffffffffff' + // (1, 'abc', 2^64-1)
        '02 02000000 0000000000000000', // (2, NULL, 0)
    );
    assert.deepEqual(insertRows(rowsEvent('insert', 3, data), tableMap(types, meta, md)), [
      [1, 'abc', 18446744073709551615n],
      [2, null, 0n],
    ]);
  });

  test('the null bitmap spans bytes: one bit per present column', () => {
    const n = 10;
    const tm = tableMap(Array<number>(n).fill(T.TINY), Array<number>(n).fill(0));
    const data = Buffer.concat([bits(n, [1, 8, 9]), hex('00 02 03 04 05 06 07')]);
    assert.deepEqual(insertRows(rowsEvent('insert', n, data), tm), [[0, null, 2, 3, 4, 5, 6, 7, null, null]]);
  });

  test('columns absent from the image are undefined; the null bitmap counts present columns only', () => {
    // present: id and n; null bit 1 (the second *present* column) marks n as NULL
    const data = hex('02 05000000');
    const rows = rowsEvent('delete', 3, data, { present: bits(3, [0, 2]) });
    assert.deepEqual(insertRows(rows, tableMap(types, meta, md)), [[5, undefined, null]]);
    assert.equal(isFullImage(rows), false);
  });

  test('UPDATE: before image with columnsPresent, after image with columnsPresentAfter (MINIMAL)', () => {
    const data = hex('00 01000000' + '00 03787978' + '00 02000000' + '00 017a');
    const rows = rowsEvent('update', 3, data, { present: bits(3, [0]), presentAfter: bits(3, [1]) });
    assert.deepEqual(updateRows(rows, tableMap(types, meta, md)), [
      { before: [1, undefined, undefined], after: [undefined, 'xyx', undefined] },
      { before: [2, undefined, undefined], after: [undefined, 'z', undefined] },
    ]);
    assert.equal(isFullImage(rows), false);
  });

  test('UPDATE with FULL images', () => {
    const data = hex('00 01000000 0161 0100000000000000' + '04 01000000 0162');
    const rows = rowsEvent('update', 3, data);
    assert.deepEqual(updateRows(rows, tableMap(types, meta, md)), [{ before: [1, 'a', 1n], after: [1, 'b', null] }]);
    assert.equal(isFullImage(rows), true);
    assert.equal(isFullImage(rowsEvent('insert', 3, data)), true);
    assert.equal(isFullImage(rowsEvent('update', 3, data, { presentAfter: bits(3, [0, 1]) })), false);
  });

  test('an empty event has no rows', () => {
    assert.deepEqual(decodeRows(rowsEvent('insert', 3, hex('')), tableMap(types, meta, md)), { action: 'insert', rows: [] });
  });

  test('a caller-supplied schema wins over the TABLE_MAP metadata', () => {
    const schema: TableSchema = { schema: 'db', table: 't', columns: [{}, { charset: 'latin1' }, { unsigned: false }] };
    const data = hex('00 01000000 02e980 ffffffffffffffff');
    assert.deepEqual(insertRows(rowsEvent('insert', 3, data), tableMap(types, meta, md), schema), [[1, 'é€', -1n]]);
  });

  test('without metadata or schema: signed integers and Buffers', () => {
    const data = hex('00 ffffffff 03616263 ffffffffffffffff');
    assert.deepEqual(insertRows(rowsEvent('insert', 3, data), tableMap(types, meta)), [[-1, hex('616263'), -1n]]);
  });
});

void describe('schemaFromTableMap', () => {
  test('SIGNEDNESS has one entry per numeric column (YEAR and BIT are not numeric)', () => {
    const tm = tableMap([T.LONG, T.YEAR, T.BIT, T.TINY, T.NEWDECIMAL, T.DOUBLE, T.LONGLONG], [0, 0, 3, 0, 0x0a02, 8, 0], {
      signedness: [false, true, false, false, true],
    });
    assert.deepEqual(
      schemaFromTableMap(tm).columns.map((c) => c.unsigned),
      [false, undefined, undefined, true, false, false, true],
    );
  });

  test('DEFAULT_CHARSET: overrides are indexed by character column, not table column', () => {
    const tm = tableMap([T.LONG, T.VARCHAR, T.BLOB, T.STRING, T.STRING, T.BLOB], [0, 40, 2, 0xfe0a, 0xf701, 2], {
      defaultCharset: { defaultCollation: 255, overrides: [[1, 63], [2, 8]] },
      enumAndSetDefaultCharset: { defaultCollation: 45, overrides: [] },
      enumValues: [['a', 'b']],
    });
    const cols = schemaFromTableMap(tm).columns;
    assert.deepEqual(
      cols.map((c) => c.charset),
      [undefined, 'utf8mb4', 'binary', 'latin1', 'utf8mb4', 'utf8mb4'],
    );
    assert.deepEqual(cols[4]!.enumValues, ['a', 'b']);
  });

  test('COLUMN_CHARSET, ENUM/SET members and charsets, names, primary keys', () => {
    const tm = tableMap([T.LONG, T.STRING, T.VARCHAR, T.STRING, T.STRING, T.STRING], [0, 0xf801, 20, 0xf702, 0xfe04, 0xf801], {
      columnCharsets: [33, 63],
      enumAndSetColumnCharsets: [8, 45, 2304],
      setValues: [['x'], ['y', 'z']],
      enumValues: [['e1', 'e2']],
      columnNames: ['id', 's1', 'v', 'e', 'c', 's2'],
      primaryKeyWithPrefix: [[2, 10], [0, 0]],
    });
    const s = schemaFromTableMap(tm);
    assert.deepEqual(s, {
      schema: 'db',
      table: 't',
      primaryKey: [2, 0],
      columns: [
        { name: 'id' },
        { name: 's1', charset: 'latin1', setValues: ['x'] },
        { name: 'v', charset: 'utf8mb3' },
        { name: 'e', charset: 'utf8mb4', enumValues: ['e1', 'e2'] },
        { name: 'c', charset: 'binary' },
        { name: 's2', charset: 'utf8mb4', setValues: ['y', 'z'] },
      ],
    });
    assert.deepEqual(schemaFromTableMap(tableMap([T.LONG], [0], { simplePrimaryKey: [0] })).primaryKey, [0]);
    assert.deepEqual(schemaFromTableMap(tableMap([T.LONG], [0])).primaryKey, []);
  });

  test('MySQL 9 counts VECTOR columns as character columns (vector.binlog fixture)', () => {
    // id BIGINT, vector_column VECTOR, foo TEXT, vector_column2 VECTOR
    const tm = tableMap([T.LONGLONG, T.VECTOR, T.BLOB, T.VECTOR], [0, 4, 2, 4], {
      defaultCharset: { defaultCollation: 63, overrides: [[1, 255]] },
    });
    assert.deepEqual(
      schemaFromTableMap(tm).columns.map((c) => c.charset),
      [undefined, 'binary', 'utf8mb4', 'binary'],
    );
  });

  test('GEOMETRY: a character column for MariaDB, not for MySQL', () => {
    const types = [T.LONG, T.GEOMETRY, T.VARCHAR, T.BLOB];
    const meta = [0, 4, 40, 2];
    // MariaDB: one COLUMN_CHARSET entry per slot, geometry included
    const maria = tableMap(types, meta, { columnCharsets: [63, 45, 8] });
    assert.deepEqual(schemaFromTableMap(maria).columns.map((c) => c.charset), [undefined, 'binary', 'utf8mb4', 'latin1']);
    // MySQL: geometry has no slot
    const mysql = tableMap(types, meta, { columnCharsets: [45, 8] });
    assert.deepEqual(schemaFromTableMap(mysql).columns.map((c) => c.charset), [undefined, undefined, 'utf8mb4', 'latin1']);
    // an override index only MariaDB's counting can reach
    const mariaDefault = tableMap(types, meta, { defaultCharset: { defaultCollation: 45, overrides: [[0, 63], [2, 8]] } });
    assert.deepEqual(schemaFromTableMap(mariaDefault).columns.map((c) => c.charset), [undefined, 'binary', 'utf8mb4', 'latin1']);
    // undecidable from the metadata: read the MySQL way unless the caller names the flavor
    const ambiguous = tableMap(types, meta, { defaultCharset: { defaultCollation: 45, overrides: [[1, 8]] } });
    assert.deepEqual(schemaFromTableMap(ambiguous).columns.map((c) => c.charset), [undefined, undefined, 'utf8mb4', 'latin1']);
    assert.deepEqual(schemaFromTableMap(ambiguous, 'mariadb').columns.map((c) => c.charset), [undefined, 'utf8mb4', 'latin1', 'utf8mb4']);
    // COLUMN_VISIBILITY is MySQL-only
    const visible = tableMap(types, meta, { columnCharsets: [63, 45, 8], columnVisibility: [true, true, true, true] });
    assert.deepEqual(schemaFromTableMap(visible).columns.map((c) => c.charset), [undefined, undefined, 'binary', 'utf8mb4']);
  });
});

void describe('PARTIAL_UPDATE_ROWS (MySQL binlog_row_value_options=PARTIAL_JSON)', () => {
  // id INT, j JSON, k JSON, name VARCHAR(10)
  const tm = tableMap([T.LONG, T.JSON, T.JSON, T.VARCHAR], [0, 4, 4, 40], { defaultCharset: { defaultCollation: 45, overrides: [] } });
  const objA1 = '00 0100 0c00 0b00 0100 05 0100 61'; // {"a": 1}
  const json = (doc: string): string => {
    const b = hex(doc);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return len.toString('hex') + b.toString('hex');
  };
  const replaceATrue = '00 03 242e61 02 0401'; // REPLACE $.a true

  test('the after image starts with value_options and a bit per JSON column; diffs apply to the before image', () => {
    const data = hex(
      '00 01000000' + json(objA1) + json('0401') + '016e' + // before: (1, {"a": 1}, true, 'n')
        '01 01' + '00 01000000' + json(replaceATrue) + json('0402') + '016e', // after: j partial, k whole
    );
    assert.deepEqual(updateRows(rowsEvent('update', 4, data, { partial: true }), tm), [
      { before: [1, '{"a": 1}', 'true', 'n'], after: [1, '{"a": true}', 'false', 'n'] },
    ]);
  });

  test('partial bits count every JSON column of the table, present in the image or not', () => {
    // after image without j; k (the second JSON column, bit 1) is a diff
    const data = hex(
      '00 01000000' + json('0401') + json(objA1) + '016e' +
        '01 02' + '00 01000000' + json(replaceATrue) + '016d',
    );
    const rows = rowsEvent('update', 4, data, { partial: true, presentAfter: bits(4, [0, 2, 3]) });
    assert.deepEqual(updateRows(rows, tm), [{ before: [1, 'true', '{"a": 1}', 'n'], after: [1, undefined, '{"a": true}', 'm'] }]);
  });

  test('value_options 0: no partial bits follow and the after image is plain', () => {
    const data = hex('00 01000000' + json('0401') + json('0401') + '016e' + '00' + '00 01000000' + json('0402') + json('0402') + '016e');
    assert.deepEqual(updateRows(rowsEvent('update', 4, data, { partial: true }), tm), [
      { before: [1, 'true', 'true', 'n'], after: [1, 'false', 'false', 'n'] },
    ]);
  });

  test('NULL JSON columns in both images; several rows reuse no state', () => {
    const row = (id: string): string => '06 ' + id + '016e' + '01 00' + '06 ' + id + '016f';
    const data = hex(row('01000000') + row('02000000'));
    assert.deepEqual(updateRows(rowsEvent('update', 4, data, { partial: true }), tm), [
      { before: [1, null, null, 'n'], after: [1, null, null, 'o'] },
      { before: [2, null, null, 'n'], after: [2, null, null, 'o'] },
    ]);
  });

  test('a diff without its before image (binlog_row_image=MINIMAL) is BinlogNotLogColumn', () => {
    const data = hex('00 01000000' + '01 01' + '00' + json(replaceATrue));
    const rows = rowsEvent('update', 4, data, { partial: true, present: bits(4, [0]), presentAfter: bits(4, [1]) });
    assert.throws(() => decodeRows(rows, tm), isDmError(11126, /row 0 after image, column 1 \(JSON meta 4\)/));
  });
});

void describe('errors name the table, row, image and column', () => {
  const types = [T.LONG, T.VARCHAR, T.LONG];
  const meta = [0, 40, 0];
  const md: TableMapOptionalMetadata = { columnNames: ['id', 'name', 'n'], defaultCharset: { defaultCollation: 45, overrides: [] } };

  test('a value running past the end is BinlogEventDecode (11054), caused by the TruncatedError', () => {
    const data = hex('00 01000000 0161 02000000' + '00 02000000 0a6263');
    assert.throws(
      () => decodeRows(rowsEvent('insert', 3, data), tableMap(types, meta, md)),
      (e: unknown) => {
        isDmError(11054, /`db`\.`t`/, /row 1 after image/, /column 1 `name` \(VARCHAR meta 40\)/, /need 10 byte/)(e);
        assert.ok((e as DmError).cause instanceof TruncatedError);
        return true;
      },
    );
  });

  test('a truncated null bitmap is reported as the image header', () => {
    const data = hex('00 01000000 0161 02000000');
    const tm = tableMap(Array<number>(9).fill(T.TINY), Array<number>(9).fill(0));
    assert.throws(() => decodeRows(rowsEvent('delete', 9, data.subarray(0, 1)), tm), isDmError(11054, /row 0 before image, image header/));
  });

  test('an unsupported type keeps its code (11076) and gains the location', () => {
    const tm = tableMap([T.LONG, T.DECIMAL], [0, 0], { columnNames: ['id', 'old'] });
    assert.throws(() => decodeRows(rowsEvent('insert', 2, hex('00 01000000 00')), tm), isDmError(11076, /DECIMAL/, /column 1 `old`/));
  });

  test('corrupt binary JSON is 11054 with the location', () => {
    const tm = tableMap([T.JSON], [4]);
    assert.throws(() => decodeRows(rowsEvent('insert', 1, hex('00 02000000 04ff')), tm), isDmError(11054, /binary JSON/, /column 0 \(JSON meta 4\)/));
  });

  test('a schema with a different column count is SyncerUnitDMLColumnNotMatch (36027)', () => {
    const schema: TableSchema = { schema: 'db', table: 't', columns: [{}, {}] };
    assert.throws(() => decodeRows(rowsEvent('insert', 3, hex('')), tableMap(types, meta), schema), isDmError(36027, /2 \(columns\) vs 3 \(values\)/));
  });

  test('a rows event whose width differs from its TABLE_MAP is 11054', () => {
    assert.throws(() => decodeRows(rowsEvent('insert', 2, hex('')), tableMap(types, meta)), isDmError(11054, /2 columns, but its TABLE_MAP/));
  });

  test('an image with no columns but trailing data cannot be decoded', () => {
    const rows = rowsEvent('insert', 3, hex('00'), { present: bits(3, []) });
    assert.throws(() => decodeRows(rows, tableMap(types, meta)), isDmError(11054, /no columns/));
  });
});
