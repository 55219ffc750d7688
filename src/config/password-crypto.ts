/**
 * DM's password encryption (`dmctl encrypt` / `dmctl decrypt`), bit-compatible with DM so passwords a DM user
 * already encrypted keep working: AES in CFB mode (128-bit segments) with DM's public built-in 32-byte key
 * (so AES-256 by default; 16/24-byte keys give AES-128/192); the ciphertext is
 * `base64(IV(16 random bytes) || "@" || CFB(plaintext))`, standard base64 with padding.
 *
 * This is obfuscation against casual reading, not secrecy: the default key is public in DM's source.
 *
 * Decrypt-or-plaintext (how config files treat `password`): a value is ciphertext when it is strict standard
 * base64, decodes to at least 17 bytes, has "@" at byte 16, and decrypts to valid UTF-8; otherwise it is the
 * plaintext password. DM applies the first three conditions; the UTF-8 condition is ours: a plaintext that
 * happens to look like ciphertext would decrypt to random bytes, which are almost never valid UTF-8, and could
 * not be sent as a MySQL password from a text config anyway.
 *
 * Invariant: no error raised here contains the plaintext or the ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** DM's built-in key (hex), public in DM's source; required to read passwords encrypted by DM. */
export const DM_DEFAULT_KEY_HEX = 'a529b7665997f043a30ac8fadcb51d6aa032c226ab5b7750530b12b8c1a16a48';

const DEFAULT_KEY = Buffer.from(DM_DEFAULT_KEY_HEX, 'hex');
const IV_LEN = 16;
const SEP = 0x40; // '@'

/** A key as raw bytes (16, 24 or 32 of them) or as hex text (32, 48 or 64 hex digits, e.g. a key file's content). */
export type SecretKey = Uint8Array | string;

function keyBytes(key: SecretKey | undefined): Buffer {
  if (key === undefined) return DEFAULT_KEY;
  let buf: Buffer;
  if (typeof key === 'string') {
    const hex = key.trim();
    buf = /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
    // a non-hex string has no meaningful byte size; report its length as DM would report a raw key's
    if (buf.length === 0 && hex.length > 0) throw DmError.of(E.EncryptSecretKeyNotValid, [`${hex.length} (not hex)`]);
  } else {
    buf = Buffer.from(key);
  }
  if (buf.length !== 16 && buf.length !== 24 && buf.length !== 32) throw DmError.of(E.EncryptSecretKeyNotValid, [buf.length]);
  return buf;
}

function algorithm(key: Buffer): string {
  return `aes-${key.length * 8}-cfb`;
}

/** Encrypts like `dmctl encrypt`: a fresh random IV each time, so the same password gives different ciphertexts. */
export function encryptPassword(plain: string, key?: SecretKey): string {
  const k = keyBytes(key);
  const iv = randomBytes(IV_LEN);
  const cipher = createCipheriv(algorithm(k), k, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, Buffer.from([SEP]), body]).toString('base64');
}

/** Strict standard base64 as Go's `base64.StdEncoding` reads it (padding required; CR/LF ignored). */
function decodeStdBase64(text: string): Buffer | undefined {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypts like `dmctl decrypt`. Throws 11050 (not base64), 11047 (too short), 11048 (no "@" separator, or the
 * result is not UTF-8 text, i.e. the value was not encrypted with this key).
 */
export function decryptPassword(cipherText: string, key?: SecretKey): string {
  const k = keyBytes(key);
  const raw = decodeStdBase64(cipherText);
  if (!raw) throw DmError.of(E.EncCipherTextBase64Decode, ['(value hidden)']);
  if (raw.length < IV_LEN + 1) throw DmError.of(E.CiphertextLenNotValid, [IV_LEN + 1, raw.length]);
  if (raw[IV_LEN] !== SEP) throw DmError.of(E.CiphertextContextNotValid);
  const decipher = createDecipheriv(algorithm(k), k, raw.subarray(0, IV_LEN));
  const plain = Buffer.concat([decipher.update(raw.subarray(IV_LEN + 1)), decipher.final()]);
  try {
    return utf8.decode(plain);
  } catch {
    throw DmError.of(E.CiphertextContextNotValid);
  }
}

/** A config file's `password` value: decrypted when it is DM ciphertext, otherwise taken as the plaintext. */
export function decryptOrPlaintext(value: string, key?: SecretKey): string {
  if (value === '') return '';
  try {
    return decryptPassword(value, key);
  } catch (e) {
    // a bad key is a programming error, not a property of the value
    if (e instanceof DmError && e.code === E.EncryptSecretKeyNotValid.code) throw e;
    return value;
  }
}
