/**
 * A cursor over a Buffer for the binlog wire formats: little-endian integers of every width used by
 * MySQL, length-encoded integers and strings, and the big-endian reads the row format needs for
 * DECIMAL and the temporal types.
 *
 * Invariant: every read checks bounds first and throws a {@link TruncatedError} that carries the
 * offset, so a truncated or corrupt event becomes a clear error rather than a RangeError deep in Node.
 */

export class TruncatedError extends Error {
  constructor(
    readonly offset: number,
    readonly wanted: number,
    readonly available: number,
  ) {
    super(`need ${wanted} byte(s) at offset ${offset}, only ${available} available`);
    this.name = 'TruncatedError';
  }
}

export class BufferReader {
  /** Current offset inside `buf`. */
  pos: number;
  /** Exclusive end offset: reads never go past it. */
  end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new TruncatedError(this.pos, n, this.end - this.pos);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  i8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  i16(): number {
    this.need(2);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const b = this.buf;
    const p = this.pos;
    this.pos += 3;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
  }

  i24(): number {
    const v = this.u24();
    return v & 0x800000 ? v - 0x1000000 : v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Unsigned 48-bit little-endian (table ids); exact in a JS number. */
  u48(): number {
    this.need(6);
    const v = this.buf.readUIntLE(this.pos, 6);
    this.pos += 6;
    return v;
  }

  /** Unsigned little-endian integer of 1..6 bytes. */
  uintLE(n: number): number {
    if (n === 0) return 0;
    this.need(n);
    const v = this.buf.readUIntLE(this.pos, n);
    this.pos += n;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned 64-bit as a number; throws if it cannot be represented exactly. */
  u64Number(): number {
    const at = this.pos;
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`64-bit value ${v} at offset ${at} exceeds 2^53`);
    return Number(v);
  }

  f32(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Big-endian unsigned integer of 1..6 bytes (DECIMAL and temporal types). */
  uintBE(n: number): number {
    if (n === 0) return 0;
    this.need(n);
    const v = this.buf.readUIntBE(this.pos, n);
    this.pos += n;
    return v;
  }

  /** Big-endian unsigned 40-bit, returned as a number (DATETIME2 packs into 40 bits). */
  u40BE(): number {
    return this.uintBE(5);
  }

  /**
   * Length-encoded integer (protocol "lenenc"). Returns null for the 0xfb NULL marker.
   * Values above 2^53 throw: no length or count in a binlog event is that large.
   */
  lenencInt(): number | null {
    const first = this.u8();
    if (first < 0xfb) return first;
    switch (first) {
      case 0xfb:
        return null;
      case 0xfc:
        return this.u16();
      case 0xfd:
        return this.u24();
      case 0xfe:
        return this.u64Number();
      default:
        throw new RangeError(`invalid length-encoded integer prefix 0xff at offset ${this.pos - 1}`);
    }
  }

  /** Length-encoded integer that must not be the NULL marker. */
  lenenc(): number {
    const at = this.pos;
    const v = this.lenencInt();
    if (v === null) throw new RangeError(`unexpected NULL length-encoded integer at offset ${at}`);
    return v;
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A view of everything up to the end. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** Fixed-length string (latin1/ASCII/UTF-8 identifiers), decoded as UTF-8. */
  str(n: number, encoding: BufferEncoding = 'utf8'): string {
    this.need(n);
    const v = this.buf.toString(encoding, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** NUL-terminated string; the terminator is consumed. */
  cstr(encoding: BufferEncoding = 'utf8'): string {
    const i = this.buf.indexOf(0, this.pos);
    if (i < 0 || i >= this.end) throw new TruncatedError(this.pos, this.end - this.pos + 1, this.end - this.pos);
    const v = this.buf.toString(encoding, this.pos, i);
    this.pos = i + 1;
    return v;
  }

  /** String with a 1-byte length prefix. */
  str8(): string {
    return this.str(this.u8());
  }

  /** Length-encoded string. */
  lenencStr(): string {
    return this.str(this.lenenc());
  }

  /** Length-encoded bytes (view). */
  lenencBytes(): Buffer {
    return this.bytes(this.lenenc());
  }

  /** A bitmap of `bits` bits, little-endian bit order as MySQL writes it (view). */
  bitmap(bits: number): Buffer {
    return this.bytes((bits + 7) >>> 3);
  }
}

/** Whether bit `i` is set in a MySQL bitmap. */
export function bitSet(bitmap: Buffer, i: number): boolean {
  return (bitmap[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/** Number of set bits among the first `bits` bits of a bitmap. */
export function bitCount(bitmap: Buffer, bits: number): number {
  let n = 0;
  for (let i = 0; i < bits; i++) if (bitSet(bitmap, i)) n++;
  return n;
}
