/**
 * How a command-line entry point reports a failure: the DM-style coded message on stderr (with its
 * workaround), the stack only with DM_DEBUG=1, and exit code 1. Never prints a password: messages are built
 * from coded errors that do not include one.
 */
import { isDmError } from '../observability/dm-error.js';

export function reportError(e: unknown): never {
  if (isDmError(e)) {
    process.stderr.write(`Error: ${e.message}\n`);
    if (process.env.DM_DEBUG === '1' && e.cause instanceof Error) process.stderr.write(`cause: ${e.cause.stack ?? e.cause.message}\n`);
  } else {
    const msg = e instanceof Error ? (process.env.DM_DEBUG === '1' ? (e.stack ?? e.message) : e.message) : String(e);
    process.stderr.write(`Error: ${msg}\n`);
  }
  process.exit(1);
}
