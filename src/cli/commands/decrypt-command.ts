/**
 * `dm decrypt <ciphertext>`: decrypts a password encrypted by `dm encrypt` or `dmctl encrypt`. Offline.
 * A value that is not such a ciphertext is an error (11047/11048/11050) that does not repeat the value.
 * `-` reads the ciphertext from stdin.
 */
import { Command } from 'commander';
import { decryptPassword } from '../../config/password-crypto.js';
import { writeStdout } from '../write-stdout.js';
import { argOrStdin, readSecretKey } from './encrypt-command.js';

export function decryptCommand(): Command {
  return new Command('decrypt')
    .description('Decrypt a password encrypted by dm encrypt / dmctl encrypt')
    .argument('<ciphertext>', "the encrypted password; '-' reads it from stdin")
    .option('--secret-key-path <file>', "file holding the key as hex (64 hex digits); default: DM's built-in key")
    .action(async (ciphertext: string, opts: { secretKeyPath?: string }) => {
      const cipher = await argOrStdin(ciphertext);
      await writeStdout(`${decryptPassword(cipher.trim(), readSecretKey(opts.secretKeyPath))}\n`);
    });
}
