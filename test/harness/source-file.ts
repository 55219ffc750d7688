/** Writes a DM `source.yaml` for a test server into `dir` and returns its path. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MariaDbServer } from './mariadb-server.js';

export function writeSourceFile(dir: string, id: string, s: MariaDbServer, gtid: boolean): string {
  const f = path.join(dir, `${id}.yaml`);
  writeFileSync(f, s.sourceYaml(id, gtid));
  return f;
}
