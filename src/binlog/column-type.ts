/**
 * MySQL column type codes as they appear in TABLE_MAP events (`enum_field_types`).
 */
export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  TYPED_ARRAY: 20,
  VECTOR: 242,
  INVALID: 243,
  BOOL: 244,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

const NAMES = new Map<number, string>(Object.entries(ColumnType).map(([k, v]) => [v, k]));

export function columnTypeName(code: number): string {
  return NAMES.get(code) ?? `TYPE_${code}`;
}

/** Whether a TABLE_MAP column type is numeric (for the SIGNEDNESS optional metadata). */
export function isNumericType(t: number): boolean {
  switch (t) {
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
    case ColumnType.LONGLONG:
    case ColumnType.NEWDECIMAL:
    case ColumnType.DECIMAL:
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
      return true;
    default:
      return false;
  }
}

/**
 * The real type of a column: STRING columns carry ENUM and SET (and CHAR of more than 255 bytes)
 * in their metadata high byte, the way MySQL packs them into TABLE_MAP.
 */
export function realType(type: number, meta: number): number {
  if (type === ColumnType.STRING && meta >= 256) {
    const b0 = meta >> 8;
    if (b0 === ColumnType.ENUM || b0 === ColumnType.SET) return b0;
    // CHAR with length > 255: the high bits of the length are folded into b0; the type is STRING
    if ((b0 & 0x30) !== 0x30) return ColumnType.STRING;
    return b0;
  }
  return type;
}
