/**
 * Row-image formats of MySQL's temporal types, decoded to the text `SELECT` shows (see row-value.ts):
 *
 * | type (code)        | bytes                    | format                                                  |
 * |--------------------|--------------------------|---------------------------------------------------------|
 * | YEAR (13)          | 1                        | 0 = 0000, else 1900 + n                                 |
 * | DATE/NEWDATE (10/14)| 3 LE                    | day:5 month:4 year:15                                   |
 * | TIME (11)          | 3 LE, signed             | ±(HH·10000 + MM·100 + SS)                               |
 * | DATETIME (12)      | 8 LE                     | YYYYMMDDhhmmss as a decimal number                      |
 * | TIMESTAMP (7)      | 4 LE                     | seconds since the epoch                                 |
 * | TIME2 (19)         | 3 BE + frac              | packed (see decodeTime2), offset 0x800000               |
 * | DATETIME2 (18)     | 5 BE + frac              | sign:1 (year·13+month):17 day:5 hour:5 minute:6 second:6 |
 * | TIMESTAMP2 (17)    | 4 BE + frac              | seconds since the epoch                                 |
 *
 * The fraction of the "2" types (MySQL 5.6.4+, MariaDB 10.1+) takes 0,1,1,2,2,3,3 big-endian bytes for
 * fsp 0–6 (the column metadata). Zero and partial-zero dates ('0000-00-00', '2020-00-00') are printed as
 * stored, never normalised or rejected. TIMESTAMP values are rendered in UTC. Fraction digits: exactly fsp.
 *
 * Not supported: MariaDB 5.3's "hires" TIME/DATETIME/TIMESTAMP(n) formats (tables created with
 * mysql56_temporal_format=OFF) — they reuse the old type codes with no metadata, so their length cannot be
 * known from the binlog alone.
 */
import type { BufferReader } from './buffer-reader.js';

/** Bytes of fraction stored for fsp 0–6 by TIME2, DATETIME2 and TIMESTAMP2. */
const FRAC_BYTES = [0, 1, 1, 2, 2, 3, 3] as const;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000] as const;

/** '00'..'99', so formatting a date part is one array read. */
const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' + i : String(i)));

const TIMEF_OFS = 0x800000000000; // 2^47: TIME2 with 3 fraction bytes is one 48-bit offset integer
const TIMEF_INT_OFS = 0x800000; // 2^23
const DATETIMEF_INT_OFS = 0x8000000000; // 2^39
const PACKED_FRAC = 0x1000000; // 2^24: packed temporal values keep microseconds in the low 24 bits

function checkFsp(fsp: number): void {
  if (!(fsp >= 0 && fsp <= 6 && Number.isInteger(fsp))) throw new RangeError(`invalid fractional seconds precision ${fsp}`);
}

function pad2(n: number): string {
  return n < 100 ? PAD2[n]! : String(n);
}

function pad4(n: number): string {
  if (n >= 1000) return String(n);
  if (n >= 100) return '0' + n;
  return n >= 10 ? '00' + n : '000' + n;
}

/** `.ffff` with exactly `fsp` digits from a microsecond count; empty for fsp 0. */
function fraction(micros: number, fsp: number): string {
  if (fsp === 0) return '';
  const v = Math.floor(micros / POW10[6 - fsp]!);
  return '.' + String(v).padStart(fsp, '0');
}

/** Number of bytes a TIME2/DATETIME2/TIMESTAMP2 fraction takes for `fsp`. */
export function fractionBytes(fsp: number): number {
  checkFsp(fsp);
  return FRAC_BYTES[fsp]!;
}

/** YEAR: 1 byte. 0 stays 0 (YEAR 0000); otherwise 1900 + n (1901–2155). */
export function decodeYear(r: BufferReader): number {
  const v = r.u8();
  return v === 0 ? 0 : 1900 + v;
}

/** DATE / NEWDATE: 3 bytes little-endian, day in bits 0–4, month 5–8, year 9–23. */
export function decodeDate(r: BufferReader): string {
  const v = r.u24();
  return formatDate(v >>> 9, (v >>> 5) & 15, v & 31);
}

function formatDate(year: number, month: number, day: number): string {
  return pad4(year) + '-' + pad2(month) + '-' + pad2(day);
}

/** Old TIME (before 5.6.4): 3 bytes little-endian signed, ±(HH·10000 + MM·100 + SS). */
export function decodeTime(r: BufferReader): string {
  const v = r.i24();
  const a = v < 0 ? -v : v;
  const s = pad2(Math.floor(a / 10000)) + ':' + pad2(Math.floor(a / 100) % 100) + ':' + pad2(a % 100);
  return v < 0 ? '-' + s : s;
}

/**
 * TIME2 (MySQL 5.6.4+): a signed "packed" value (hour:10 minute:6 second:6 in the high part, microseconds in
 * the low 24 bits) stored big-endian with an offset so that bytes sort like values. For fsp 1–4 the integer
 * and fraction parts are stored separately, and a negative time with a fraction stores its integer part
 * rounded down and its (negative) fraction in two's complement: '-00:00:01.50' is int -2 and fraction byte
 * 0xCE (-50 hundredths). Reading it back means adding 1 to the integer part and making the fraction
 * negative before the sign is taken; reading the two parts naively gives '-00:00:02' plus a bogus fraction
 * (the `time_issue` fixture). With 3 fraction bytes the whole value is one 48-bit integer instead.
 */
export function decodeTime2(r: BufferReader, fsp: number): string {
  checkFsp(fsp);
  let packed: number;
  switch (fsp) {
    case 0:
      packed = (r.uintBE(3) - TIMEF_INT_OFS) * PACKED_FRAC;
      break;
    case 1:
    case 2: {
      let int = r.uintBE(3) - TIMEF_INT_OFS;
      let frac = r.u8();
      if (int < 0 && frac !== 0) {
        int++;
        frac -= 0x100;
      }
      packed = int * PACKED_FRAC + frac * 10000;
      break;
    }
    case 3:
    case 4: {
      let int = r.uintBE(3) - TIMEF_INT_OFS;
      let frac = r.uintBE(2);
      if (int < 0 && frac !== 0) {
        int++;
        frac -= 0x10000;
      }
      packed = int * PACKED_FRAC + frac * 100;
      break;
    }
    default:
      packed = r.uintBE(6) - TIMEF_OFS;
  }
  const neg = packed < 0;
  const a = neg ? -packed : packed;
  const hms = Math.floor(a / PACKED_FRAC);
  const micros = a % PACKED_FRAC;
  const hour = (hms >>> 12) & 0x3ff;
  const minute = (hms >>> 6) & 0x3f;
  const second = hms & 0x3f;
  const s = pad2(hour) + ':' + pad2(minute) + ':' + pad2(second) + fraction(micros, fsp);
  return neg ? '-' + s : s;
}

/** Reads the fraction of a DATETIME2/TIMESTAMP2 as microseconds (always non-negative for these types). */
function readFracMicros(r: BufferReader, fsp: number): number {
  switch (fsp) {
    case 0:
      return 0;
    case 1:
    case 2:
      return r.u8() * 10000;
    case 3:
    case 4:
      return r.uintBE(2) * 100;
    default:
      return r.uintBE(3);
  }
}

/** Old DATETIME (before 5.6.4): 8 bytes little-endian, the decimal number YYYYMMDDhhmmss. */
export function decodeDatetime(r: BufferReader): string {
  const lo = r.u32();
  const hi = r.u32();
  const v = hi * 0x100000000 + lo; // at most 99991231235959 < 2^53
  const date = Math.floor(v / 1000000);
  const time = v % 1000000;
  return (
    formatDate(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100) +
    ' ' +
    pad2(Math.floor(time / 10000)) +
    ':' +
    pad2(Math.floor(time / 100) % 100) +
    ':' +
    pad2(time % 100)
  );
}

/** DATETIME2 (MySQL 5.6.4+): 5 bytes big-endian (offset 2^39) + fraction. */
export function decodeDatetime2(r: BufferReader, fsp: number): string {
  checkFsp(fsp);
  let int = r.uintBE(5) - DATETIMEF_INT_OFS;
  const micros = readFracMicros(r, fsp);
  if (int < 0) int = -int; // never written by a server; MySQL prints such a value without a sign too
  const ymd = Math.floor(int / 0x20000); // int >> 17
  const hms = int % 0x20000;
  const ym = ymd >>> 5;
  return (
    formatDate(Math.floor(ym / 13), ym % 13, ymd & 31) +
    ' ' +
    pad2(hms >>> 12) +
    ':' +
    pad2((hms >>> 6) & 0x3f) +
    ':' +
    pad2(hms & 0x3f) +
    fraction(micros, fsp)
  );
}

/** Old TIMESTAMP: 4 bytes little-endian seconds since the epoch, rendered in UTC. */
export function decodeTimestamp(r: BufferReader): string {
  return formatUtc(r.u32(), 0, 0);
}

/** TIMESTAMP2 (MySQL 5.6.4+): 4 bytes big-endian seconds + fraction, rendered in UTC. */
export function decodeTimestamp2(r: BufferReader, fsp: number): string {
  checkFsp(fsp);
  const seconds = r.uintBE(4);
  const micros = readFracMicros(r, fsp);
  return formatUtc(seconds, micros, fsp);
}

/**
 * 'YYYY-MM-DD HH:MM:SS[.f]' in UTC for `seconds` since the epoch. 0 is MySQL's zero TIMESTAMP, printed as
 * '0000-00-00 00:00:00' (the instant 1970-01-01 00:00:00 UTC cannot be stored: TIMESTAMP starts at 00:00:01).
 */
export function formatUtc(seconds: number, micros: number, fsp: number): string {
  if (seconds === 0 && micros === 0) return '0000-00-00 00:00:00' + fraction(0, fsp);
  const days = Math.floor(seconds / 86400);
  const sod = seconds - days * 86400;
  // Timestamps in a stream cluster around "now": remember the last day's text instead of recomputing it.
  if (days !== utcDayCache.days) {
    utcDayCache.days = days;
    utcDayCache.text = civilDate(days);
  }
  return (
    utcDayCache.text +
    ' ' +
    pad2(Math.floor(sod / 3600)) +
    ':' +
    pad2(Math.floor(sod / 60) % 60) +
    ':' +
    pad2(sod % 60) +
    fraction(micros, fsp)
  );
}

const utcDayCache = { days: NaN, text: '' };

/** 'YYYY-MM-DD' of a day number since 1970-01-01 (proleptic Gregorian), without allocating a Date. */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return formatDate(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
}
