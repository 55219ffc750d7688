/**
 * Integration-test harness: real MariaDB servers (see src/playground/local-mariadb.ts: own data dir, free
 * loopback port, own server id, ROW/FULL binlog with GTIDs; stopped even when a test fails or is
 * interrupted), plus paths to the shared binlog fixtures.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export * from '../../src/playground/local-mariadb.js';

/** Where the MySQL binlog fixtures live (../shared/binlog-fixtures), or undefined when absent. */
export function binlogFixturesDir(): string | undefined {
  const dir = path.resolve(repoRoot(), '..', 'shared', 'binlog-fixtures');
  return existsSync(dir) ? dir : undefined;
}

/** The repository root: the nearest ancestor of this file holding package.json. */
export function repoRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test harness');
    dir = up;
  }
  return dir;
}

/** A scratch directory under the OS temp dir, removed by the caller. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `dm-ts-${prefix}-`));
}
