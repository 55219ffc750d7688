/**
 * Writes to stdout honouring backpressure, so a fast producer (binlog decoding) piped into a slow consumer
 * (`| head`, a file on a slow disk) keeps memory bounded. EPIPE (reader went away) ends the process quietly.
 */
let closed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    closed = true;
    process.exit(0);
  }
  throw e;
});

export async function writeStdout(chunk: string): Promise<void> {
  if (closed) return;
  if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}
