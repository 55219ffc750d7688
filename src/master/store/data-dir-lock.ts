/**
 * Exclusive ownership of a meta store data dir: a `LOCK` file holding `{ pid, host, since }`.
 *
 * The file is written completely under a private name and then hard-linked to `LOCK`; `link` fails with
 * EEXIST when `LOCK` exists, so taking the lock is atomic and `LOCK` is never seen half-written.
 * A `LOCK` whose pid is dead on this host is stale (a kill -9 leaves one) and is taken over. A lock held by
 * this very process (a second open) or by a process on another host (shared filesystem) counts as held.
 *
 * Limit: two processes taking over the same stale lock at the same instant could both remove it; after
 * linking, the lock is read back, which narrows but does not close that window.
 */
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { MetaStoreError } from './meta-store.js';

export const LOCK_FILE = 'LOCK';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: String(o.since) } : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export class DataDirLock {
  private released = false;

  private constructor(readonly file: string) {}

  static async acquire(dir: string): Promise<DataDirLock> {
    const file = path.join(dir, LOCK_FILE);
    const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const tmp = path.join(dir, `${LOCK_FILE}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(me));
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(tmp, file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          const owner = await readOwner(file);
          if (owner === undefined) continue; // removed meanwhile, or not ours to judge: retry the link
          if (owner.host !== me.host || owner.pid === process.pid || isAlive(owner.pid)) {
            throw new MetaStoreError(
              'locked',
              `data dir ${dir} is in use by pid ${owner.pid} on ${owner.host} since ${owner.since}; stop that process, or remove ${file} if it is certainly not running`,
            );
          }
          await unlink(file).catch((u: NodeJS.ErrnoException) => {
            if (u.code !== 'ENOENT') throw u;
          });
          continue;
        }
        const owner = await readOwner(file);
        if (owner?.pid === me.pid && owner.host === me.host) return new DataDirLock(file);
      }
      throw new MetaStoreError('locked', `data dir ${dir}: could not take ${file} (another process is taking it over at the same time)`);
    } finally {
      await unlink(tmp).catch(() => undefined); // only our private name; LOCK itself stays
    }
  }

  /** Removes `LOCK` if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const owner = await readOwner(this.file);
    if (owner?.pid === process.pid && owner.host === hostname()) await unlink(this.file);
  }
}
