/**
 * MySQL / MariaDB character sets: which character set a collation id belongs to, and how to turn the bytes
 * of a CHAR/VARCHAR/TEXT value in that character set into a JavaScript string.
 *
 * Invariants:
 * - The result is the text MySQL itself would hand a utf8mb4 client for the same bytes (what `SELECT` shows),
 *   not what some other library calls the "same" encoding. MySQL's tables differ from the WHATWG/IANA ones in
 *   places: `latin1` is cp1252 but keeps 0x81/0x8D/0x8F/0x90/0x9D as C1 controls, `greek` has no euro sign,
 *   `sjis`/`ujis` map 0x815F/0xA1C0 to a plain backslash, and so on.
 * - Single-byte character sets use MySQL's own byte → Unicode tables (below). They were produced by asking a
 *   MariaDB 10.11 server to convert each byte 0x00–0xFF to utf32 (MariaDB and MySQL share these tables,
 *   `strings/ctype-extra.c`); bytes MySQL cannot map come out as `?`, exactly as the server prints them.
 * - Multi-byte character sets use iconv-lite plus a short list of per-code overrides where MySQL's mapping
 *   differs from iconv-lite's (found the same way, by converting every 2- and 3-byte code on the server) and
 *   the user-defined areas MySQL maps to the Private Use Area (cp932 rows F0–F9, ujis/eucjpms rows F5–FE).
 *   `gb18030` (MySQL only, MariaDB has no such charset) could not be checked that way and is plain iconv-lite.
 * - `binary` decodes byte-for-byte as ISO-8859-1 (lossless); callers that want bytes keep the Buffer instead.
 * - An unknown character set name is an error, never a silent fallback to UTF-8.
 */
import iconv from 'iconv-lite';

// ---------------------------------------------------------------------------------------------------------
// Collation id → character set
// ---------------------------------------------------------------------------------------------------------

/**
 * Collation ids per character set, for MySQL 5.x–9.x and MariaDB 10.x–11.x (space-separated ids and ranges).
 * The two servers agree on every id they both use; the only differences are ids one of them lacks
 * (MySQL: 76, 248–250 gb18030, 255–323 utf8mb4 *_0900_*; MariaDB: 576–738 extra UCA collations and
 * 1024 + n "nopad" variants of collation n). MySQL's old name `utf8` is reported as `utf8mb3`.
 */
const COLLATION_IDS: Readonly<Record<string, string>> = {
  big5: '1 84 1025 1108',
  latin2: '2 9 21 27 77 1033 1101',
  dec8: '3 69 1027 1093',
  cp850: '4 80 1028 1104',
  latin1: '5 8 15 31 47-49 94 1032 1071',
  hp8: '6 72 1030 1096',
  koi8r: '7 74 1031 1098',
  swe7: '10 82 1034 1106',
  ascii: '11 65 1035 1089',
  ujis: '12 91 1036 1115',
  sjis: '13 88 1037 1112',
  cp1251: '14 23 50-52 1074-1075',
  hebrew: '16 71 1040 1095',
  tis620: '18 89 1042 1113',
  euckr: '19 85 1043 1109',
  latin7: '20 41-42 79 1065 1103',
  koi8u: '22 75 1046 1099',
  gb2312: '24 86 1048 1110',
  greek: '25 70 1049 1094',
  cp1250: '26 34 44 66 99 1050 1090',
  gbk: '28 87 1052 1111',
  cp1257: '29 58-59 1082-1083',
  latin5: '30 78 1054 1102',
  armscii8: '32 64 1056 1088',
  utf8mb3: '33 76 83 192-215 223 253-254 576-578 1057 1107 1216 1238',
  ucs2: '35 90 128-151 159 640-642 1059 1114 1152 1174',
  cp866: '36 68 1060 1092',
  keybcs2: '37 73 1061 1097',
  macce: '38 43 1062 1067',
  macroman: '39 53 1063 1077',
  cp852: '40 81 1064 1105',
  utf8mb4: '45-46 224-247 255-323 608-610 1069-1070 1248 1270',
  utf16: '54-55 101-124 672-674 1078-1079 1125 1147',
  utf16le: '56 62 1080 1086',
  cp1256: '57 67 1081 1091',
  utf32: '60-61 160-183 736-738 1084-1085 1184 1206',
  binary: '63',
  geostd8: '92-93 1116-1117',
  cp932: '95-96 1119-1120',
  eucjpms: '97-98 1121-1122',
  gb18030: '248-250',
};

/**
 * MariaDB 10.10+ UCA-14.0.0 collations (`utf8mb4_uca1400_ai_ci` = 2304, …) apply to five Unicode character
 * sets at once and get ids 2048–3327 computed as 2048 + (charset slot << 8) + (tailoring << 3) + flags
 * (flags: nopad, accent-, case-sensitivity). The slot alone names the character set, so tailorings added by
 * later MariaDB versions resolve too. Such ids are written as-is in the binlog: TABLE_MAP optional metadata
 * stores collation numbers as length-encoded integers and QUERY status variables use 2 bytes per id.
 */
const UCA1400_FIRST_ID = 2048;
const UCA1400_CHARSETS = ['utf8mb3', 'utf8mb4', 'ucs2', 'utf16', 'utf32'] as const;

const COLLATIONS: ReadonlyMap<number, string> = buildCollationMap();

function buildCollationMap(): Map<number, string> {
  const m = new Map<number, string>();
  for (const [charset, spec] of Object.entries(COLLATION_IDS)) {
    for (const part of spec.split(' ')) {
      const dash = part.indexOf('-');
      const from = Number(dash < 0 ? part : part.slice(0, dash));
      const to = dash < 0 ? from : Number(part.slice(dash + 1));
      for (let id = from; id <= to; id++) m.set(id, charset);
    }
  }
  return m;
}

/** The character set of a collation id (`utf8mb4`, `latin1`, `binary`, …); undefined for ids no server uses. */
export function charsetOfCollation(id: number): string | undefined {
  const cs = COLLATIONS.get(id);
  if (cs !== undefined) return cs;
  if (id >= UCA1400_FIRST_ID && id < UCA1400_FIRST_ID + UCA1400_CHARSETS.length * 256) {
    return UCA1400_CHARSETS[(id - UCA1400_FIRST_ID) >> 8];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Bytes → text
// ---------------------------------------------------------------------------------------------------------

/** Decodes bytes `start`..`end` of `buf` (ranges, so row decoding needs no Buffer view per value). */
export type CharsetDecoder = (buf: Buffer, start: number, end: number) => string;

/**
 * Decodes `buf`, a value stored in MySQL character set `charset` (a MySQL name such as `utf8mb4`, `latin1`,
 * `ucs2`; case-insensitive), to a string. Throws for a name MySQL does not have.
 */
export function decodeText(buf: Buffer, charset: string): string {
  const dec = textDecoder(charset);
  if (dec === undefined) throw new Error(`unknown MySQL character set '${charset}'`);
  return dec(buf, 0, buf.length);
}

/** The decoder for a MySQL character set name, undefined for names MySQL does not have. Cached per name. */
export function textDecoder(charset: string): CharsetDecoder | undefined {
  let dec = decoders.get(charset);
  if (dec === undefined && !decoders.has(charset)) {
    dec = makeDecoder(charset);
    decoders.set(charset, dec);
  }
  return dec;
}

/** Whether `decodeText` knows the character set name. */
export function isKnownCharset(charset: string): boolean {
  return textDecoder(charset) !== undefined;
}

const decoders = new Map<string, CharsetDecoder | undefined>();

const utf8: CharsetDecoder = (buf, start, end) => buf.toString('utf8', start, end);
const binary: CharsetDecoder = (buf, start, end) => buf.toString('latin1', start, end);
const utf16le: CharsetDecoder = (buf, start, end) => buf.toString('utf16le', start, end);

function makeDecoder(charset: string): CharsetDecoder | undefined {
  const name = charset.toLowerCase();
  switch (name) {
    case 'utf8mb4':
    case 'utf8mb3':
    case 'utf8': // MySQL's name for utf8mb3 before 8.0.30
      return utf8;
    case 'binary':
      return binary;
    case 'ucs2': // UCS-2 is UTF-16 without surrogates: same big-endian byte order
    case 'utf16':
      return decodeUtf16BE;
    case 'utf16le':
      return utf16le;
    case 'utf32':
      return decodeUtf32BE;
    case 'swe7':
      return singleByteDecoder(swe7Table());
    default:
      if (Object.hasOwn(SINGLE_BYTE, name)) return singleByteDecoder(tableFromHighHalf(SINGLE_BYTE[name]!));
      if (Object.hasOwn(MULTI_BYTE, name)) return multiByteDecoder(MULTI_BYTE[name]!);
      return undefined;
  }
}

/** UTF-16 big-endian (MySQL `ucs2`, `utf16`). A stray odd byte becomes U+FFFD. */
function decodeUtf16BE(buf: Buffer, start: number, end: number): string {
  const even = start + ((end - start) & ~1);
  const swapped = Buffer.from(buf.subarray(start, even));
  swapped.swap16();
  const s = swapped.toString('utf16le');
  return even === end ? s : s + '\uFFFD';
}

/** UTF-32 big-endian (MySQL `utf32`). Code points outside Unicode become U+FFFD. */
function decodeUtf32BE(buf: Buffer, start: number, end: number): string {
  const n = (end - start) >>> 2;
  const units = new Uint16Array(n * 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const cp = buf.readUInt32BE(start + i * 4);
    if (cp < 0x10000) {
      units[k++] = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
    } else if (cp <= 0x10ffff) {
      const v = cp - 0x10000;
      units[k++] = 0xd800 | (v >> 10);
      units[k++] = 0xdc00 | (v & 0x3ff);
    } else {
      units[k++] = 0xfffd;
    }
  }
  const s = fromUnits(units, k);
  return ((end - start) & 3) === 0 ? s : s + '\uFFFD';
}

/** String from the first `n` UTF-16 code units, in chunks small enough for `apply`. */
function fromUnits(units: Uint16Array, n: number): string {
  const CHUNK = 8192;
  if (n <= CHUNK) return String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += CHUNK) {
    s += String.fromCharCode.apply(null, units.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

function tableFromHighHalf(hi: string): Uint16Array {
  if (hi.length !== 128) throw new Error(`single-byte table must have 128 entries, has ${hi.length}`);
  const t = new Uint16Array(256);
  for (let i = 0; i < 128; i++) t[i] = i;
  for (let i = 0; i < 128; i++) t[128 + i] = hi.charCodeAt(i);
  return t;
}

/** swe7 is 7-bit Swedish (ISO 646-SE): ASCII with national letters in place of @[\]^`{|}~; 0x80+ is unmapped. */
function swe7Table(): Uint16Array {
  const t = tableFromHighHalf('?'.repeat(128));
  const swaps: Array<[number, string]> = [
    [0x40, 'É'], [0x5b, 'Ä'], [0x5c, 'Ö'], [0x5d, 'Å'], [0x5e, 'Ü'],
    [0x60, 'é'], [0x7b, 'ä'], [0x7c, 'ö'], [0x7d, 'å'], [0x7e, 'ü'], [0x7f, '?'],
  ];
  for (const [b, ch] of swaps) t[b] = ch.charCodeAt(0);
  return t;
}

function singleByteDecoder(table: Uint16Array): CharsetDecoder {
  // Tables whose low half is ASCII can skip the lookup for all-ASCII values (the common case).
  let asciiLow = true;
  for (let i = 0; i < 128; i++) if (table[i] !== i) asciiLow = false;
  return (buf, start, end) => {
    if (asciiLow) {
      let i = start;
      while (i < end && buf[i]! < 0x80) i++;
      if (i === end) return buf.toString('latin1', start, end);
    }
    const n = end - start;
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = table[buf[start + i]!]!;
    return fromUnits(units, n);
  };
}

interface MultiByteSpec {
  /** iconv-lite encoding that matches MySQL's except for `overrides` and `pua`. */
  readonly iconv: string;
  /** Bytes in the character that starts with lead byte `b` (1 for ASCII and single-byte codes). */
  readonly charLen: (b: number) => number;
  /** Codes (big-endian integer of the character's bytes) whose MySQL mapping differs from iconv-lite's. */
  readonly overrides?: string | undefined;
  /** MySQL's Private Use Area mapping for the user-defined area, if iconv-lite has none. */
  readonly pua?: (code: number, len: number) => number | undefined;
}

function multiByteDecoder(spec: MultiByteSpec): CharsetDecoder {
  const enc = spec.iconv;
  if (spec.overrides === undefined && spec.pua === undefined) {
    return (buf, start, end) => iconv.decode(buf.subarray(start, end), enc);
  }
  const overrides = parseOverrides(spec.overrides ?? '');
  const { charLen, pua } = spec;
  return (buf, start, end) => {
    // Walk characters; hand iconv-lite every run between two overridden characters, so the result is
    // iconv-lite's except exactly at the codes MySQL maps differently.
    let out = '';
    let runStart = start;
    let i = start;
    while (i < end) {
      const b = buf[i]!;
      if (b < 0x80) {
        i++;
        continue;
      }
      const len = charLen(b);
      if (len > 1 && i + len <= end) {
        let code = b;
        for (let k = 1; k < len; k++) code = code * 256 + buf[i + k]!;
        const cp = overrides.get(code) ?? (pua === undefined ? undefined : pua(code, len));
        if (cp !== undefined) {
          if (i > runStart) out += iconv.decode(buf.subarray(runStart, i), enc);
          out += String.fromCodePoint(cp);
          i += len;
          runStart = i;
          continue;
        }
      }
      i += len;
    }
    if (runStart === start) return iconv.decode(buf.subarray(start, end), enc);
    return runStart < end ? out + iconv.decode(buf.subarray(runStart, end), enc) : out;
  };
}

/** Parses `CODE:CP` and `CODE+N:CP` (N more consecutive codes mapping to consecutive code points), hex. */
function parseOverrides(spec: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const item of spec.split(' ')) {
    if (item === '') continue;
    const colon = item.indexOf(':');
    const plus = item.indexOf('+');
    const code = parseInt(item.slice(0, plus < 0 ? colon : plus), 16);
    const extra = plus < 0 ? 0 : parseInt(item.slice(plus + 1, colon), 10);
    const cp = parseInt(item.slice(colon + 1), 16);
    for (let k = 0; k <= extra; k++) m.set(code + k, cp + k);
  }
  return m;
}

const sjisLen = (b: number): number => ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc) ? 2 : 1);
const eucJpLen = (b: number): number => (b === 0x8f ? 3 : b === 0x8e || (b >= 0xa1 && b <= 0xfe) ? 2 : 1);

/** cp932 user-defined area F040–F9FC → U+E000…U+E757 (188 codes per lead byte, trail 0x7F skipped). */
function cp932Pua(code: number, len: number): number | undefined {
  if (len !== 2) return undefined;
  const lead = code >> 8;
  const trail = code & 0xff;
  if (lead < 0xf0 || lead > 0xf9 || trail < 0x40 || trail === 0x7f || trail > 0xfc) return undefined;
  return 0xe000 + (lead - 0xf0) * 188 + (trail < 0x80 ? trail - 0x40 : trail - 0x41);
}

/** EUC-JP user-defined rows F5–FE → U+E000…U+E3AB (JIS X 0208) and 8F F5–FE → U+E3AC…U+E757 (JIS X 0212). */
function eucJpPua(code: number, len: number): number | undefined {
  const lead = len === 3 ? (code >> 8) & 0xff : code >> 8;
  const trail = code & 0xff;
  if (lead < 0xf5 || lead > 0xfe || trail < 0xa1 || trail > 0xfe) return undefined;
  return (len === 3 ? 0xe3ac : 0xe000) + (lead - 0xf5) * 94 + (trail - 0xa1);
}

/** MySQL's overrides of iconv-lite's multi-byte tables (see the module comment for how they were found). */
const MB_OVERRIDES: Readonly<Record<string, string>> = {
  gb2312: 'A1A4:30FB A1AA:2015',
  sjis: '815F:5C 8160:301C 8161:2016 817C:2212 8191+1:A2 81CA:AC',
  big5:
    'A145:2022 A14E:FF64 A15A:FFFD A1C2:203E A1C3:FFFD A1C5:FFFD A1E3:223C A1F2:2641 A1F3:2609 A1FE:FFFD ' +
    'A240:FFFD A241:FF0F A242:FF3C A244:A5 A246+1:A2 A2CC:FFFD A2CE:FFFD C6A1:30FE C6A2+1:309D C6A4:3005 ' +
    'C6A5+82:3041 C6F8+6:30A1 C740+62:30A8 C7A1+15:30E7 C7B1+1:414 C7B3:401 C7B4+6:416 C7BB+18:423 C7CE:451 ' +
    'C7CF+25:436 C7E9+9:2460 C7F3+9:2474',
  ujis: 'A1C0:5C A1C1:301C A1C2:2016 A1DD:2212 A1F1+1:A2 A2CC:AC 8FA2B7:7E',
  eucjpms:
    '8FA2C3:FFE4 8FF3F3+9:2170 8FF3FD+1:2160 8FF4A1+7:2162 8FF4A9:FF07 8FF4AA:FF02 8FF4AB:3231 8FF4AC:2116 ' +
    '8FF4AD:2121 8FF4AE:70BB 8FF4AF:4EFC 8FF4B0:50F4 8FF4B1:51EC 8FF4B2:5307 8FF4B3:5324 8FF4B4:FA0E ' +
    '8FF4B5:548A 8FF4B6:5759 8FF4B7+1:FA0F 8FF4B9:589E 8FF4BA:5BEC 8FF4BB:5CF5 8FF4BC:5D53 8FF4BD:FA11 ' +
    '8FF4BE:5FB7 8FF4BF:6085 8FF4C0:6120 8FF4C1:654E 8FF4C2:663B 8FF4C3:6665 8FF4C4:FA12 8FF4C5:F929 ' +
    '8FF4C6:6801 8FF4C7+1:FA13 8FF4C9:6A6B 8FF4CA:6AE2 8FF4CB:6DF8 8FF4CC:6DF2 8FF4CD:7028 8FF4CE+1:FA15 ' +
    '8FF4D0:7501 8FF4D1:7682 8FF4D2:769E 8FF4D3:FA17 8FF4D4:7930 8FF4D5+3:FA18 8FF4D9:7AE7 8FF4DA+1:FA1C ' +
    '8FF4DC:7DA0 8FF4DD:7DD6 8FF4DE:FA1E 8FF4DF:8362 8FF4E0:FA1F 8FF4E1:85B0 8FF4E2+1:FA20 8FF4E4:8807 ' +
    '8FF4E5:FA22 8FF4E6:8B7F 8FF4E7:8CF4 8FF4E8:8D76 8FF4E9+2:FA23 8FF4EC:90DE 8FF4ED:FA26 8FF4EE:9115 ' +
    '8FF4EF+1:FA27 8FF4F1:9592 8FF4F2:F9DC 8FF4F3:FA29 8FF4F4:973B 8FF4F5:974D 8FF4F6:9751 8FF4F7+2:FA2A ' +
    '8FF4FA:999E 8FF4FB:9AD9 8FF4FC:9B72 8FF4FD:FA2D 8FF4FE:9ED1',
};

const MULTI_BYTE: Readonly<Record<string, MultiByteSpec>> = {
  big5: { iconv: 'big5', charLen: (b) => (b >= 0xa1 && b <= 0xf9 ? 2 : 1), overrides: MB_OVERRIDES.big5 },
  gbk: { iconv: 'gbk', charLen: () => 1 },
  gb2312: { iconv: 'gb2312', charLen: (b) => (b >= 0xa1 && b <= 0xf7 ? 2 : 1), overrides: MB_OVERRIDES.gb2312 },
  gb18030: { iconv: 'gb18030', charLen: () => 1 },
  euckr: { iconv: 'euckr', charLen: () => 1 },
  sjis: { iconv: 'shiftjis', charLen: sjisLen, overrides: MB_OVERRIDES.sjis },
  cp932: { iconv: 'cp932', charLen: sjisLen, pua: cp932Pua },
  ujis: { iconv: 'eucjp', charLen: eucJpLen, overrides: MB_OVERRIDES.ujis, pua: eucJpPua },
  eucjpms: { iconv: 'eucjp', charLen: eucJpLen, overrides: MB_OVERRIDES.eucjpms, pua: eucJpPua },
};

/** The C1 control characters U+0080–U+009F, which many ISO-8859 tables map bytes 0x80–0x9F to. */
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join('');

/**
 * Single-byte character sets: the characters of bytes 0x80–0xFF (bytes 0x00–0x7F are ASCII in all of them;
 * swe7 is handled separately). `?` marks bytes MySQL cannot convert.
 */
const SINGLE_BYTE: Readonly<Record<string, string>> = {
  latin1:
    '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿' +
    'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ',
  latin2:
    C1 +
    '\u00A0Ą˘Ł¤ĽŚ§¨ŠŞŤŹ\u00ADŽŻ°ą˛ł´ľśˇ¸šşťź˝žżŔÁÂĂÄĹĆÇČÉĘËĚÍÎĎ' +
    'ĐŃŇÓÔŐÖ×ŘŮÚŰÜÝŢßŕáâăäĺćçčéęëěíîďđńňóôőö÷řůúűüýţ˙',
  latin5:
    C1 +
    '\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ' +
    'ĞÑÒÓÔÕÖ×ØÙÚÛÜİŞßàáâãäåæçèéêëìíîïğñòóôõö÷øùúûüışÿ',
  latin7:
    C1 +
    '\u00A0”¢£¤„¦§Ø©Ŗ«¬\u00AD®Æ°±²³“µ¶·ø¹ŗ»¼½¾æĄĮĀĆÄÅĘĒČÉŹĖĢĶĪĻ' +
    'ŠŃŅÓŌÕÖ×ŲŁŚŪÜŻŽßąįāćäåęēčéźėģķīļšńņóōõö÷ųłśūüżž’',
  cp1250:
    '€?‚?„…†‡?‰Š‹ŚŤŽŹ?‘’“”•–—?™š›śťžź\u00A0ˇ˘Ł¤Ą¦§¨©Ş«¬\u00AD®Ż°±˛ł´µ¶·¸ąş»Ľ˝ľż' +
    'ŔÁÂĂÄĹĆÇČÉĘËĚÍÎĎĐŃŇÓÔŐÖ×ŘŮÚŰÜÝŢßŕáâăäĺćçčéęëěíîďđńňóôőö÷řůúűüýţ˙',
  cp1251:
    'ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—?™љ›њќћџ\u00A0ЎўЈ¤Ґ¦§Ё©Є«¬\u00AD®Ї°±Ііґµ¶·ё№є»јЅѕї' +
    'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя',
  cp1256:
    '€پ‚ƒ„…†‡ˆ‰?‹Œچژ?گ‘’“”•–—?™?›œ\u200C\u200D?\u00A0،¢£¤¥¦§¨©?«¬\u00AD®¯°±²³´µ¶·¸¹؛»¼½¾؟' +
    '?ءآأؤإئابةتثجحخدذرزسشصض×طظعغـفقكàلâمنهوçèéêëىيîï\u064B\u064C\u064D\u064Eô\u064F\u0650÷\u0651ù\u0652ûü\u200E\u200F?',
  cp1257:
    '€?‚?„…†‡?‰?‹?¨ˇ¸?‘’“”•–—?™?›?¯˛?\u00A0?¢£¤?¦§Ø©Ŗ«¬\u00AD®Æ°±²³´µ¶·ø¹ŗ»¼½¾æ' +
    'ĄĮĀĆÄÅĘĒČÉŹĖĢĶĪĻŠŃŅÓŌÕÖ×ŲŁŚŪÜŻŽßąįāćäåęēčéźėģķīļšńņóōõö÷ųłśūüżž˙',
  cp850:
    'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐' +
    '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00AD±‗¾¶§÷¸°¨·¹³²■\u00A0',
  cp852:
    'ÇüéâäůćçłëŐőîŹÄĆÉĹĺôöĽľŚśÖÜŤťŁ×čáíóúĄąŽžĘę¬źČş«»░▒▓│┤ÁÂĚŞ╣║╗╝Żż┐' +
    '└┴┬├─┼Ăă╚╔╩╦╠═╬¤đĐĎËďŇÍÎě┘┌█▄ŢŮ▀ÓßÔŃńňŠšŔÚŕŰýÝţ´\u00AD˝˛ˇ˘§÷¸°¨˙űŘř■\u00A0',
  cp866:
    'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмноп░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
    '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀рстуфхцчшщъыьэюяЁёЄєЇїЎў°∙·√ⁿ²■\u00A0',
  koi8r:
    '─│┌┐└┘├┤┬┴┼▀▄█▌▐░▒▓⌠■∙√≈≤≥\u00A0⌡°²·÷═║╒ё╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡Ё╢╣╤╥╦╧╨╩╪╫╬©' +
    'юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧЪ',
  koi8u:
    '─│┌┐└┘├┤┬┴┼▀▄█▌▐░▒▓⌠■•√≈≤≥\u00A0⌡°²·÷═║╒ёє╔ії╗╘╙╚╛ґ╝╞╟╠╡ЁЄ╣ІЇ╦╧╨╩╪Ґ╬©' +
    'юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧЪ',
  greek:
    C1 +
    '\u00A0ʽʼ£??¦§¨©?«¬\u00AD?―°±²³΄΅Ά·ΈΉΊ»Ό½ΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟ' +
    'ΠΡ?ΣΤΥΦΧΨΩΪΫάέήίΰαβγδεζηθικλμνξοπρςστυφχψωϊϋόύώ?',
  hebrew:
    C1 +
    '\u00A0?¢£¤¥¦§¨©×«¬\u00AD®‾°±²³´µ¶·¸¹÷»¼½¾?????????????????' +
    '???????????????‗אבגדהוזחטיךכלםמןנסעףפץצקרשת??\u200E\u200F?',
  tis620:
    C1 +
    '\uFFFDกขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮฯ' +
    'ะ\u0E31าำ\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A\uFFFD\uFFFD\uFFFD\uFFFD฿เแโใไๅๆ\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D\u0E4E๏๐๑๒๓๔๕๖๗๘๙๚๛\uFFFD\uFFFD\uFFFD\uFFFD',
  armscii8:
    C1 +
    '\u00A0❁§։)(»«—.՝,-՟…՜՛՞ԱաԲբԳգԴդԵեԶզԷէԸըԹթԺժԻիԼլԽխԾծԿկ' +
    'ՀհՁձՂղՃճՄմՅյՆնՇշՈոՉչՊպՋջՌռՍսՎվՏտՐրՑցՒւՓփՔքՕօՖֆ’\'',
  geostd8:
    '€?‚?„…†‡?‰?‹?????‘’“”•–—???›????\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿' +
    'აბგდევზჱთიკლმნჲოპჟრსტჳუფქღყშჩცძწჭხჴჯჰჵ???????????????????????№??',
  macroman:
    'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø' +
    '¿¡¬√ƒ≈∆«»…\u00A0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ',
  macce:
    'ÄĀāÉĄÖÜáąČäčĆćéŹźĎíďĒēĖóėôöõúĚěü†°Ę£§•¶ß®©™ę¨≠ģĮįĪ≤≥īĶ∂∑łĻļĽľĹĺŅ' +
    'ņŃ¬√ńŇ∆«»…\u00A0ňŐÕőŌ–—“”‘’÷◊ōŔŕŘ‹›řŖŗŠ‚„šŚśÁŤťÍŽžŪÓÔūŮÚůŰűŲųÝýķŻŁżĢˇ',
  dec8:
    C1 +
    '\u00A0¡¢£?¥?§¤©ª«????°±²³?µ¶·?¹º»¼½?¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ' +
    '?ÑÒÓÔÕÖŒØÙÚÛÜŸ?ßàáâãäåæçèéêëìíîï?ñòóôõöœøùúûüÿ??',
  hp8:
    C1 +
    '\u00A0ÀÂÈÊËÎÏ´ˋˆ¨˜ÙÛ₤¯Ýý°ÇçÑñ¡¿¤£¥§ƒ¢âêôûáéóúàèòùäëöü' +
    'ÅîØÆåíøæÄìÖÜÉïßÔÁÃãÐðÍÌÓÒÕõŠšÚŸÿÞþ·µ¶¾—¼½ªº«■»±?',
  keybcs2:
    'ČüéďäĎŤčěĚĹÍľĺÄÁÉžŽôöÓůÚýÖÜŠĽÝŘťáíóúňŇŮÔšřŕŔ¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
    '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0',
  ascii: '?'.repeat(128),
};
