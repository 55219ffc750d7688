import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { DM_DEFAULT_KEY_HEX, decryptOrPlaintext, decryptPassword, encryptPassword } from './password-crypto.js';
import { throwsDm } from './test-support.js';

// Ciphertexts produced by DM itself (dmctl encrypt, default key), taken from DM's repository:
// dm/config/source_config_test.go annotates the first as "encrypt password (123456)"; the second is the
// password of DM's sample dm/config/source.yaml.
const DM_VECTORS: [string, string][] = [
  ['/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=', '123456'],
  ['Up8156jArvIPymkVC+5LxkAT6rek', '1234'],
];

test('decrypts ciphertexts produced by DM with its default key', () => {
  for (const [cipher, plain] of DM_VECTORS) {
    assert.equal(decryptPassword(cipher), plain);
    assert.equal(decryptOrPlaintext(cipher), plain);
  }
});

test('the spec §9.3 example is not a ciphertext of DM\'s default key (spec erratum) and is kept as plaintext', () => {
  // "dmctl encrypt 'abc!@#123' -> MKxn0Qo3m3X0yjCnhEMtsUCm83EhGQDZ/T4=": the value has DM's shape (16-byte IV,
  // '@', 9 bytes) but with DM's built-in key it decrypts to non-text bytes, not 'abc!@#123'. DM's own vectors
  // above do decrypt, so the example must come from another key.
  const example = 'MKxn0Qo3m3X0yjCnhEMtsUCm83EhGQDZ/T4=';
  const raw = Buffer.from(example, 'base64');
  assert.equal(raw.length, 16 + 1 + 'abc!@#123'.length);
  assert.equal(raw[16], 0x40);
  const d = createDecipheriv('aes-256-cfb', Buffer.from(DM_DEFAULT_KEY_HEX, 'hex'), raw.subarray(0, 16));
  assert.notEqual(Buffer.concat([d.update(raw.subarray(17)), d.final()]).toString('latin1'), 'abc!@#123');
  throwsDm(() => decryptPassword(example), 11048);
  assert.equal(decryptOrPlaintext(example), example);
});

test('encrypt/decrypt round-trip, including empty and non-ASCII passwords', () => {
  for (const p of ['abc!@#123', '', 'pässwörd 密码 🔑', 'x'.repeat(300), '  spaces  ']) {
    const c = encryptPassword(p);
    assert.equal(decryptPassword(c), p);
    assert.equal(decryptOrPlaintext(c), p);
  }
});

test('ciphertext layout is base64(IV(16) || "@" || CFB(plaintext)), with a fresh IV each time', () => {
  const a = encryptPassword('abc!@#123');
  const b = encryptPassword('abc!@#123');
  assert.notEqual(a, b);
  const raw = Buffer.from(a, 'base64');
  assert.equal(raw.length, 26);
  assert.equal(raw[16], 0x40);
  assert.equal(raw.toString('base64'), a); // standard alphabet with padding
  const d = createDecipheriv('aes-256-cfb', Buffer.from(DM_DEFAULT_KEY_HEX, 'hex'), raw.subarray(0, 16));
  assert.equal(Buffer.concat([d.update(raw.subarray(17)), d.final()]).toString(), 'abc!@#123');
});

test('decrypt-or-plaintext: anything that is not DM ciphertext is the password itself', () => {
  for (const v of ['123456', 'abc!@#123', 'invalid-base64', Buffer.from('invalid-plaintext').toString('base64'), 'YWJj', 'root', 'p@ss word']) {
    assert.equal(decryptOrPlaintext(v), v);
  }
  assert.equal(decryptOrPlaintext(''), '');
});

test('decryptPassword errors carry DM codes and never the value', () => {
  const secret = 'not*base64*secret';
  const e1 = throwsDm(() => decryptPassword(secret), 11050, 'decode base64 encoded password');
  assert.ok(!e1.message.includes(secret));
  const short = Buffer.from('short').toString('base64');
  const e2 = throwsDm(() => decryptPassword(short), 11047, "ciphertext's length should be greater than 17, but got 5");
  assert.ok(!e2.message.includes(short));
  throwsDm(() => decryptPassword(Buffer.alloc(20, 1).toString('base64')), 11048);
  // Go's StdEncoding needs the padding
  throwsDm(() => decryptPassword(DM_VECTORS[0]![0].replace(/=+$/, '')), 11050);
});

test('custom keys: 16/24/32 bytes or hex text; other sizes are 11044', () => {
  for (const len of [16, 24, 32]) {
    const key = Buffer.alloc(len, 7);
    const c = encryptPassword('secret', key);
    assert.equal(decryptPassword(c, key), 'secret');
    assert.equal(decryptPassword(c, key.toString('hex')), 'secret');
  }
  const hexKey = 'ab'.repeat(32);
  assert.equal(decryptPassword(encryptPassword('s3cret', hexKey), hexKey), 's3cret');
  throwsDm(() => encryptPassword('x', Buffer.alloc(10)), 11044, "input key's size is 10");
  throwsDm(() => encryptPassword('x', 'not-hex'), 11044);
  throwsDm(() => decryptOrPlaintext('x', Buffer.alloc(3)), 11044);
});
