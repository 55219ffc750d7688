import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decryptCommand } from '../cli/commands/decrypt-command.js';
import { encryptCommand } from '../cli/commands/encrypt-command.js';
import { isDmError } from '../observability/dm-error.js';
import { decryptPassword, encryptPassword } from './password-crypto.js';

/** Runs a command with user arguments and returns what it wrote to stdout. */
async function run(cmd: ReturnType<typeof encryptCommand>, args: string[]): Promise<string> {
  const out: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const capture = (chunk: string | Uint8Array): boolean => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  process.stdout.write = capture;
  try {
    await cmd.exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = original;
  }
  return out.join('');
}

test('dm encrypt prints one DM-compatible ciphertext line', async () => {
  const out = await run(encryptCommand(), ['abc!@#123']);
  assert.match(out, /^[A-Za-z0-9+/]+=*\n$/);
  assert.equal(decryptPassword(out.trim()), 'abc!@#123');
});

test('dm decrypt prints the plaintext; DM-made ciphertexts work', async () => {
  assert.equal(await run(decryptCommand(), ['/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=']), '123456\n');
  assert.equal(await run(decryptCommand(), [encryptPassword('p w')]), 'p w\n');
});

test('dm decrypt of a non-ciphertext is a coded error without the value', async () => {
  await assert.rejects(run(decryptCommand(), ['hunter2hunter2']), (e: unknown) => isDmError(e) && e.code === 11050 && !e.message.includes('hunter2'));
});

test('--secret-key-path uses a custom key from a hex file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dm-key-'));
  const keyFile = path.join(dir, 'key');
  const hex = '0123456789abcdef'.repeat(4);
  writeFileSync(keyFile, `${hex}\n`);
  const c = (await run(encryptCommand(), ['--secret-key-path', keyFile, 'secret'])).trim();
  assert.equal(decryptPassword(c, hex), 'secret');
  assert.equal(await run(decryptCommand(), ['--secret-key-path', keyFile, c]), 'secret\n');
});
