import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { charsetOfCollation, decodeText, isKnownCharset } from './charsets.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

void describe('charsetOfCollation', () => {
  test('ids MySQL and MariaDB share', () => {
    assert.equal(charsetOfCollation(8), 'latin1'); // latin1_swedish_ci
    assert.equal(charsetOfCollation(5), 'latin1'); // latin1_german1_ci
    assert.equal(charsetOfCollation(33), 'utf8mb3'); // utf8_general_ci: MySQL's old name `utf8` is utf8mb3
    assert.equal(charsetOfCollation(83), 'utf8mb3');
    assert.equal(charsetOfCollation(45), 'utf8mb4');
    assert.equal(charsetOfCollation(46), 'utf8mb4');
    assert.equal(charsetOfCollation(224), 'utf8mb4'); // utf8mb4_unicode_ci
    assert.equal(charsetOfCollation(63), 'binary');
    assert.equal(charsetOfCollation(35), 'ucs2');
    assert.equal(charsetOfCollation(54), 'utf16');
    assert.equal(charsetOfCollation(56), 'utf16le');
    assert.equal(charsetOfCollation(60), 'utf32');
    assert.equal(charsetOfCollation(28), 'gbk');
    assert.equal(charsetOfCollation(1), 'big5');
    assert.equal(charsetOfCollation(13), 'sjis');
    assert.equal(charsetOfCollation(95), 'cp932');
    assert.equal(charsetOfCollation(97), 'eucjpms');
    assert.equal(charsetOfCollation(51), 'cp1251');
    assert.equal(charsetOfCollation(92), 'geostd8');
  });

  test('MySQL-only ids: utf8mb4_0900 family, gb18030, utf8mb3_tolower_ci', () => {
    assert.equal(charsetOfCollation(255), 'utf8mb4'); // utf8mb4_0900_ai_ci
    assert.equal(charsetOfCollation(309), 'utf8mb4'); // utf8mb4_0900_bin
    assert.equal(charsetOfCollation(323), 'utf8mb4'); // utf8mb4_mn_cyrl_0900_as_cs (8.0.30)
    assert.equal(charsetOfCollation(248), 'gb18030');
    assert.equal(charsetOfCollation(250), 'gb18030');
    assert.equal(charsetOfCollation(76), 'utf8mb3');
  });

  test('MariaDB-only ids: extra UCA collations and nopad variants', () => {
    assert.equal(charsetOfCollation(576), 'utf8mb3'); // utf8mb3_croatian_ci
    assert.equal(charsetOfCollation(608), 'utf8mb4'); // utf8mb4_croatian_ci
    assert.equal(charsetOfCollation(640), 'ucs2');
    assert.equal(charsetOfCollation(736), 'utf32');
    assert.equal(charsetOfCollation(1032), 'latin1'); // latin1_swedish_nopad_ci
    assert.equal(charsetOfCollation(1069), 'utf8mb4'); // utf8mb4_general_nopad_ci
    assert.equal(charsetOfCollation(1270), 'utf8mb4'); // utf8mb4_unicode_520_nopad_ci
  });

  test('MariaDB UCA-14.0.0 ids above 2047 encode the character set in bits 8-10', () => {
    assert.equal(charsetOfCollation(2048), 'utf8mb3'); // utf8mb3_uca1400_ai_ci
    assert.equal(charsetOfCollation(2304), 'utf8mb4'); // utf8mb4_uca1400_ai_ci
    assert.equal(charsetOfCollation(2305), 'utf8mb4'); // utf8mb4_uca1400_ai_cs
    assert.equal(charsetOfCollation(2560), 'ucs2');
    assert.equal(charsetOfCollation(2816), 'utf16');
    assert.equal(charsetOfCollation(3072), 'utf32');
    assert.equal(charsetOfCollation(3271), 'utf32'); // the last id MariaDB 10.11 defines
    assert.equal(charsetOfCollation(3327), 'utf32'); // room for later tailorings
  });

  test('unknown ids', () => {
    assert.equal(charsetOfCollation(0), undefined);
    assert.equal(charsetOfCollation(17), undefined); // MySQL's internal `filename` charset
    assert.equal(charsetOfCollation(500), undefined);
    assert.equal(charsetOfCollation(3328), undefined);
    assert.equal(charsetOfCollation(65535), undefined);
  });

  test('every named collation resolves to a charset decodeText knows', () => {
    for (let id = 0; id < 4096; id++) {
      const cs = charsetOfCollation(id);
      if (cs !== undefined) assert.ok(isKnownCharset(cs), `collation ${id} -> ${cs}`);
    }
  });
});

void describe('decodeText: Unicode character sets', () => {
  test('utf8mb4 with 4-byte characters; utf8mb3 and the old name utf8', () => {
    assert.equal(decodeText(hex('f09f9880 e282ac 61'), 'utf8mb4'), '😀€a');
    assert.equal(decodeText(hex('f09d849e'), 'utf8mb4'), '𝄞');
    assert.equal(decodeText(hex('e282ac'), 'utf8mb3'), '€');
    assert.equal(decodeText(hex('c3a9'), 'utf8'), 'é');
    assert.equal(decodeText(Buffer.alloc(0), 'utf8mb4'), '');
  });

  test('ucs2 and utf16 are big-endian; utf16 keeps surrogate pairs', () => {
    assert.equal(decodeText(hex('00750063 00fc 20ac'), 'ucs2'), 'ucü€');
    assert.equal(decodeText(hex('d83dde00 0061'), 'utf16'), '😀a');
    assert.equal(decodeText(hex('0061 00'), 'utf16'), 'a\uFFFD'); // stray odd byte
  });

  test('utf16le and utf32 (big-endian)', () => {
    assert.equal(decodeText(hex('3dd800de 6100'), 'utf16le'), '😀a');
    assert.equal(decodeText(hex('0001f600 00000061 000020ac'), 'utf32'), '😀a€');
    assert.equal(decodeText(hex('00110000'), 'utf32'), '\uFFFD'); // beyond U+10FFFF
  });

  test('binary decodes byte for byte', () => {
    assert.equal(decodeText(hex('00 41 ff'), 'binary'), '\u0000A\u00ff');
  });

  test('names are case-insensitive; unknown names throw', () => {
    assert.equal(decodeText(hex('c3a9'), 'UTF8MB4'), 'é');
    assert.equal(decodeText(hex('80'), 'Latin1'), '€');
    assert.throws(() => decodeText(hex('41'), 'klingon'), /unknown MySQL character set 'klingon'/);
    assert.throws(() => decodeText(hex('41'), 'constructor'), /unknown MySQL character set/);
    assert.equal(isKnownCharset('klingon'), false);
    assert.equal(isKnownCharset('toString'), false);
    assert.equal(isKnownCharset('eucjpms'), true);
  });
});

void describe('decodeText: single-byte character sets use MySQL tables', () => {
  test('latin1 is cp1252, with MySQL keeping the five cp1252 holes as C1 controls', () => {
    assert.equal(decodeText(hex('80'), 'latin1'), '€');
    assert.equal(decodeText(hex('9f e9 ff'), 'latin1'), 'Ÿéÿ');
    assert.equal(decodeText(hex('81 8d 8f 90 9d'), 'latin1'), '\u0081\u008d\u008f\u0090\u009d');
    assert.equal(decodeText(hex('616263'), 'latin1'), 'abc');
  });

  test('Cyrillic, Greek, Hebrew, Thai, Baltic, Central European', () => {
    assert.equal(decodeText(hex('cff0e8e2e5f2'), 'cp1251'), 'Привет');
    assert.equal(decodeText(hex('f0d2c9d7c5d4'), 'koi8r'), 'Привет');
    assert.equal(decodeText(hex('a4'), 'koi8u'), 'є');
    assert.equal(decodeText(hex('8f'), 'cp866'), 'П');
    assert.equal(decodeText(hex('e1e2e3'), 'greek'), 'αβγ');
    assert.equal(decodeText(hex('a4'), 'greek'), '?'); // MySQL's greek has no euro sign
    assert.equal(decodeText(hex('e0'), 'hebrew'), 'א');
    assert.equal(decodeText(hex('a1'), 'tis620'), 'ก');
    assert.equal(decodeText(hex('c0'), 'cp1257'), 'Ą');
    assert.equal(decodeText(hex('e0'), 'latin7'), 'ą');
    assert.equal(decodeText(hex('a1'), 'latin2'), 'Ą');
    assert.equal(decodeText(hex('d0'), 'latin5'), 'Ğ');
    assert.equal(decodeText(hex('8a'), 'cp1250'), 'Š');
    assert.equal(decodeText(hex('c7'), 'cp1256'), 'ا');
    assert.equal(decodeText(hex('80'), 'cp850'), 'Ç');
    assert.equal(decodeText(hex('85'), 'cp852'), 'ů');
    assert.equal(decodeText(hex('80'), 'macroman'), 'Ä');
    assert.equal(decodeText(hex('81'), 'macce'), 'Ā');
  });

  test('character sets iconv-lite does not have', () => {
    assert.equal(decodeText(hex('5b 5c 5d 7b 7c 7d 40 41'), 'swe7'), 'ÄÖÅäöåÉA');
    assert.equal(decodeText(hex('80'), 'swe7'), '?');
    assert.equal(decodeText(hex('d7'), 'dec8'), 'Œ');
    assert.equal(decodeText(hex('a1'), 'hp8'), 'À');
    assert.equal(decodeText(hex('80'), 'keybcs2'), 'Č');
    assert.equal(decodeText(hex('c0'), 'geostd8'), 'ა');
    assert.equal(decodeText(hex('b2'), 'armscii8'), 'Ա');
    assert.equal(decodeText(hex('41 80'), 'ascii'), 'A?');
  });

  test('long values (more than one String.fromCharCode chunk)', () => {
    const buf = Buffer.alloc(20000, 0xe9);
    assert.equal(decodeText(buf, 'latin1'), 'é'.repeat(20000));
    assert.equal(decodeText(Buffer.alloc(20000, 0x41), 'latin1'), 'A'.repeat(20000));
  });
});

void describe('decodeText: multi-byte character sets', () => {
  test('Chinese: gbk, gb2312 (MySQL mapping of A1A4), big5 (ETEN kana rows), gb18030 4-byte', () => {
    assert.equal(decodeText(hex('d6d0cec4'), 'gbk'), '中文');
    assert.equal(decodeText(hex('d6d0 a1a4'), 'gb2312'), '中・');
    assert.equal(decodeText(hex('a1a4'), 'gbk'), '·');
    assert.equal(decodeText(hex('a374 b35c a55c bb5c'), 'big5'), 'ㄅ許功蓋'); // 0x5C trail bytes
    assert.equal(decodeText(hex('c6a5 c740'), 'big5'), 'ぁエ');
    assert.equal(decodeText(hex('81308130'), 'gb18030'), '\u0080');
  });

  test('Japanese: sjis uses JIS mappings, cp932 Microsoft ones and the user-defined area', () => {
    assert.equal(decodeText(hex('b1 93fa 967b 8160 5c'), 'sjis'), 'ｱ日本〜\\');
    assert.equal(decodeText(hex('815f 8161 817c 8191 8192 81ca'), 'sjis'), '\\‖−¢£¬');
    assert.equal(decodeText(hex('8160 815f'), 'cp932'), '～＼');
    assert.equal(decodeText(hex('f040 f9fc 41'), 'cp932'), '\uE000\uE757A');
    assert.equal(decodeText(hex('61 815f 62 82a0'), 'sjis'), 'a\\bあ');
  });

  test('Japanese: ujis and eucjpms, incl. JIS X 0212 and user-defined rows', () => {
    assert.equal(decodeText(hex('c6fc cbdc a1c1'), 'ujis'), '日本〜');
    assert.equal(decodeText(hex('a1c1'), 'eucjpms'), '～');
    assert.equal(decodeText(hex('8eb1'), 'ujis'), 'ｱ');
    assert.equal(decodeText(hex('f5a1 fefe'), 'ujis'), '\uE000\uE3AB');
    assert.equal(decodeText(hex('8ff5a1 8ffefe'), 'eucjpms'), '\uE3AC\uE757');
    assert.equal(decodeText(hex('8fa2b7'), 'ujis'), '~');
    assert.equal(decodeText(hex('8ff4a1 8ff3f3'), 'eucjpms'), 'Ⅲⅰ');
  });

  test('Korean', () => {
    assert.equal(decodeText(hex('c7d1b1b9beee'), 'euckr'), '한국어');
  });
});
