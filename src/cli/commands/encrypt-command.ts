/**
 * `dm encrypt <plaintext>`: encrypts a password the way `dmctl encrypt` does, for the `password` keys of
 * source.yaml and task.yaml. Offline; the output differs on every run (random IV) and any of them decrypts.
 * `-` reads the password from stdin instead, so it stays out of the shell history and `ps`.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { encryptPassword } from '../../config/password-crypto.js';
import { writeStdout } from '../write-stdout.js';

/** The key from `--secret-key-path` (hex text, as DM's secret-key-path file), or DM's built-in key. */
export function readSecretKey(path: string | undefined): string | undefined {
  return path === undefined ? undefined : readFileSync(path, 'utf8').trim();
}

/** The argument, or stdin's first line when the argument is `-`. */
export async function argOrStdin(arg: string): Promise<string> {
  if (arg !== '-') return arg;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export function encryptCommand(): Command {
  return new Command('encrypt')
    .description('Encrypt a password for source.yaml / task.yaml (compatible with dmctl encrypt)')
    .argument('<plaintext>', "the password; '-' reads it from stdin (keeps it out of the shell history)")
    .option('--secret-key-path <file>', "file holding a custom key as hex (64 hex digits); default: DM's built-in key")
    .action(async (plaintext: string, opts: { secretKeyPath?: string }) => {
      const plain = await argOrStdin(plaintext);
      await writeStdout(`${encryptPassword(plain, readSecretKey(opts.secretKeyPath))}\n`);
    });
}
