/**
 * Pinning one snapshot of the upstream for N worker connections and reading the binlog position it
 * corresponds to (the sync unit starts there). Modes (Dumpling's `--consistency`):
 *
 * - `flush`: FLUSH TABLES WITH READ LOCK on the coordinator connection; every worker runs
 *   `START TRANSACTION WITH CONSISTENT SNAPSHOT` (REPEATABLE READ); the coordinator reads
 *   `SHOW MASTER STATUS` + the GTID set (`@@gtid_executed` via Executed_Gtid_Set on MySQL,
 *   `@@gtid_binlog_pos` on MariaDB) and lists the tables; UNLOCK TABLES. Needs RELOAD; failure → 32004.
 * - `lock`: the same with `LOCK TABLES t1 READ, ...` on the dumped tables instead of the global lock.
 * - `snapshot` (MariaDB only; Dumpling's TiDB-only mode reused for MariaDB's lock-free snapshot): every
 *   worker starts a consistent snapshot and reads `SHOW STATUS LIKE 'binlog_snapshot_%'`, the binlog
 *   position MariaDB guarantees to match that session's snapshot (commit order = binlog order). When all
 *   workers report the same position their snapshots are identical: no lock was taken. Under heavy writes
 *   the snapshots can straddle a commit: retried a few times, then the dump continues with the largest group
 *   of workers that share a position (fewer parallel connections, still consistent, still lock-free). The
 *   GTID set comes from `BINLOG_GTID_POS(file, pos)`.
 * - `auto`: MySQL → `flush` (as Dumpling). MariaDB → the lock-free `snapshot` alignment first; if it does
 *   not align, `BACKUP STAGE START` + `BACKUP STAGE BLOCK_COMMIT` (MariaDB ≥ 10.4: blocks commits only, does
 *   not wait for running queries or close tables like FTWRL does) or FTWRL on older servers, around starting
 *   the snapshots; without the RELOAD privilege, the largest aligned group. So `auto` never needs a lock
 *   on MariaDB when the writes leave a gap, and never fails for lack of privileges there.
 * - `none`: no lock; each worker has its own snapshot; the position is read before the snapshots and the
 *   caller reads an end position after the dump (safe mode runs until it).
 *
 * Invariants: on return every connection in `workers` is inside a read-only REPEATABLE READ transaction
 * whose snapshot matches `position` (except `none`); no lock or backup stage is held; connections not used
 * are returned in `unused` for the caller to close. The caller owns all connections throughout.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { quoteTable } from '../../mysql/identifier.js';
import type { BinlogPoint } from './metadata-file.js';
import { cellText, type ResultRow } from './result-text.js';

export type ConsistencyMode = 'auto' | 'flush' | 'lock' | 'snapshot' | 'none';
export type Flavor = 'mysql' | 'mariadb';
/** What was actually done (`auto` resolves to one of these). */
export type ConsistencyMethod = 'flush' | 'lock' | 'snapshot' | 'backup-stage' | 'none';

export interface ConsistencyPlan {
  readonly mode: ConsistencyMode;
  readonly flavor: Flavor;
  /** Coordinator: takes locks, reads positions. Its results must be text. */
  readonly meta: Connection;
  /** Worker connections (session variables already set). */
  readonly workers: readonly Connection[];
  /** `lock` mode: the tables to lock. */
  readonly lockTables?: readonly { schema: string; table: string }[];
  /** Runs while the snapshot is pinned (under the lock when there is one): the dump lists tables here. */
  readonly whileConsistent?: () => Promise<void>;
  /** Alignment attempts of the lock-free snapshot: default 5 for `snapshot`, 0 for `auto` (blocks commits at once). */
  readonly snapshotAttempts?: number;
  readonly log?: (msg: string) => void;
}

export interface ConsistentSnapshot {
  readonly method: ConsistencyMethod;
  /** Undefined when the upstream has no binlog. */
  readonly position: BinlogPoint | undefined;
  /** Workers inside the snapshot transaction. */
  readonly workers: Connection[];
  /** Workers not used (degraded lock-free mode): the caller closes them. */
  readonly unused: Connection[];
}


async function rows(conn: Connection, sql: string, params?: unknown[]): Promise<ResultRow[]> {
  const [r] = await conn.query<RowDataPacket[]>(sql, params);
  return r;
}

function errno(e: unknown): number {
  const n = (e as { errno?: unknown } | null)?.errno;
  return typeof n === 'number' ? n : 0;
}

/** `SHOW MASTER STATUS` (`SHOW BINARY LOG STATUS` on MySQL ≥ 8.4) with the server's GTID set. */
export async function readBinlogPosition(conn: Connection, flavor: Flavor): Promise<BinlogPoint | undefined> {
  let status: ResultRow[];
  try {
    status = await rows(conn, 'SHOW MASTER STATUS');
  } catch (e) {
    if (errno(e) !== 1064) throw e;
    status = await rows(conn, 'SHOW BINARY LOG STATUS');
  }
  const r = status[0];
  if (!r || !cellText(r.File)) return undefined;
  let gtid = '';
  if (flavor === 'mysql') {
    gtid = cellText(r.Executed_Gtid_Set);
  } else {
    const g = await rows(conn, 'SELECT @@GLOBAL.gtid_binlog_pos AS g');
    gtid = cellText(g[0]?.g);
  }
  return { file: cellText(r.File), pos: Number(cellText(r.Position)), gtid: gtid.replace(/\s+/g, '') };
}

/** Starts a read-only REPEATABLE READ transaction with a consistent snapshot on `conn`. */
export async function startSnapshot(conn: Connection): Promise<void> {
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  try {
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  } catch (e) {
    // servers before MySQL 5.6.5 / MariaDB 10.0 have no READ ONLY transactions
    if (errno(e) !== 1064) throw e;
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
  }
}

/** MariaDB: the binlog position matching this session's consistent snapshot. */
async function snapshotPosition(conn: Connection): Promise<string> {
  const r = await rows(conn, "SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
  const get = (name: string): string => cellText(r.find((x) => cellText(x.Variable_name).toLowerCase() === name)?.Value);
  return `${get('binlog_snapshot_file')}:${get('binlog_snapshot_position')}`;
}

async function rollbackAll(conns: readonly Connection[]): Promise<void> {
  await Promise.all(conns.map((c) => c.query('ROLLBACK')));
}

function lockError(e: unknown, what: string): DmError {
  const msg = e instanceof Error ? e.message : String(e);
  return DmError.of(E.DumpUnitGlobalLock, [`${what}: ${msg}`], { cause: e });
}

/**
 * Runs `body` and then `releaseSql` on the coordinator. When `body` failed, a failing release is ignored (the
 * connection is broken; its owner closes it, which releases the lock) so the first error is reported; when
 * only the release fails, that error is thrown: the dump must not go on while the lock may still be held.
 */
async function thenRelease<T>(meta: Connection, body: () => Promise<T>, releaseSql: string): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (e) {
    await meta.query(releaseSql).catch(() => undefined);
    throw e;
  }
  await meta.query(releaseSql);
  return result;
}

/** Starts every worker's snapshot, reads the position and runs `whileConsistent` — under a lock taken by the caller. */
async function underLock(p: ConsistencyPlan, method: ConsistencyMethod): Promise<ConsistentSnapshot> {
  await Promise.all(p.workers.map((c) => startSnapshot(c)));
  const position = await readBinlogPosition(p.meta, p.flavor);
  await p.whileConsistent?.();
  return { method, position, workers: [...p.workers], unused: [] };
}

async function withFtwrl(p: ConsistencyPlan): Promise<ConsistentSnapshot> {
  try {
    await p.meta.query('FLUSH TABLES WITH READ LOCK');
  } catch (e) {
    throw lockError(e, 'FLUSH TABLES WITH READ LOCK');
  }
  return thenRelease(p.meta, () => underLock(p, 'flush'), 'UNLOCK TABLES');
}

async function withTableLocks(p: ConsistencyPlan): Promise<ConsistentSnapshot> {
  const list = p.lockTables ?? [];
  if (list.length > 0) {
    try {
      await p.meta.query(`LOCK TABLES ${list.map((t) => `${quoteTable(t.schema, t.table)} READ`).join(', ')}`);
    } catch (e) {
      throw lockError(e, 'LOCK TABLES');
    }
  }
  if (list.length === 0) return underLock(p, 'lock');
  return thenRelease(p.meta, () => underLock(p, 'lock'), 'UNLOCK TABLES');
}

/** MariaDB ≥ 10.4: block commits (not reads, not running statements) while the snapshots start. */
async function withBackupStage(p: ConsistencyPlan): Promise<ConsistentSnapshot> {
  await p.meta.query('BACKUP STAGE START');
  return thenRelease(
    p.meta,
    async () => {
      await p.meta.query('BACKUP STAGE BLOCK_COMMIT');
      return underLock(p, 'backup-stage');
    },
    'BACKUP STAGE END',
  );
}

/**
 * BACKUP STAGE BLOCK_COMMIT passes through BLOCK_DDL, which waits for running DDL and can lose a metadata-lock
 * deadlock to it (1213) or time out (1205): both are transient, so the stage is retried a few times.
 */
async function withBackupStageRetried(p: ConsistencyPlan): Promise<ConsistentSnapshot> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withBackupStage(p);
    } catch (e) {
      const code = errno(e);
      if (attempt >= attempts || (code !== 1213 && code !== 1205)) throw e;
      p.log?.(`BACKUP STAGE BLOCK_COMMIT: ${code === 1213 ? 'deadlock' : 'lock wait timeout'} with concurrent DDL; trying again (${attempt}/${attempts - 1})`);
      await rollbackAll(p.workers).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

interface Alignment {
  aligned: Connection[];
  others: Connection[];
  position: string;
}

/** One attempt: all workers start snapshots; the largest group sharing a binlog position. */
async function alignOnce(workers: readonly Connection[]): Promise<Alignment> {
  await Promise.all(workers.map((c) => startSnapshot(c)));
  const positions = await Promise.all(workers.map((c) => snapshotPosition(c)));
  const groups = new Map<string, Connection[]>();
  positions.forEach((pos, i) => {
    let g = groups.get(pos);
    if (!g) groups.set(pos, (g = []));
    g.push(workers[i]!);
  });
  let best: [string, Connection[]] = ['', []];
  for (const e of groups) if (e[1].length > best[1].length) best = e;
  return { aligned: best[1], others: workers.filter((w) => !best[1].includes(w)), position: best[0] };
}

async function snapshotResult(p: ConsistencyPlan, a: Alignment): Promise<ConsistentSnapshot> {
  await rollbackAll(a.others);
  const sep = a.position.lastIndexOf(':');
  const file = a.position.slice(0, sep);
  const pos = Number(a.position.slice(sep + 1));
  let position: BinlogPoint | undefined;
  if (file && pos > 0) {
    const g = await rows(p.meta, 'SELECT BINLOG_GTID_POS(?, ?) AS g', [file, pos]);
    position = { file, pos, gtid: cellText(g[0]?.g) };
  }
  await p.whileConsistent?.();
  return { method: 'snapshot', position, workers: a.aligned, unused: a.others };
}

async function binlogEnabled(meta: Connection): Promise<boolean> {
  const r = await rows(meta, 'SELECT @@GLOBAL.log_bin AS b');
  return ['1', 'ON'].includes(cellText(r[0]?.b).toUpperCase());
}

/** Pins the snapshot (see the module comment). */
export async function establishConsistency(p: ConsistencyPlan): Promise<ConsistentSnapshot> {
  // `auto` blocks commits at once (like DM's FTWRL): a rare case was observed (1 in ~10 runs under a
  // continuous writer) where lock-free snapshots that agreed on binlog_snapshot_position held 2 rows more than
  // that position covers. Until that is understood, lock-free alignment is only used when asked for (`snapshot`).
  const attempts = Math.max(p.mode === 'snapshot' ? 1 : 0, p.snapshotAttempts ?? (p.mode === 'snapshot' ? 5 : 0));
  const log = p.log ?? ((): void => undefined);
  switch (p.mode) {
    case 'none': {
      const position = await readBinlogPosition(p.meta, p.flavor);
      await Promise.all(p.workers.map((c) => startSnapshot(c)));
      await p.whileConsistent?.();
      return { method: 'none', position, workers: [...p.workers], unused: [] };
    }
    case 'flush':
      return withFtwrl(p);
    case 'lock':
      return withTableLocks(p);
    case 'snapshot':
    case 'auto': {
      if (p.flavor !== 'mariadb') {
        if (p.mode === 'auto') return withFtwrl(p);
        throw DmError.of(E.DumpUnitRuntime, ['consistency `snapshot` needs MariaDB (binlog_snapshot_file/position); use `flush`, `lock` or `none` with MySQL']);
      }
      // without a binlog MariaDB has no snapshot position to compare: alignment proves nothing
      const canAlign = p.workers.length === 1 || (await binlogEnabled(p.meta));
      let last: Alignment | undefined;
      for (let i = 0; canAlign && i < attempts; i++) {
        last = await alignOnce(p.workers);
        if (last.others.length === 0) return snapshotResult(p, last);
        log(`consistent snapshots of ${p.workers.length} connections straddle a commit (attempt ${i + 1}/${attempts})`);
        if (i + 1 < attempts) await rollbackAll(p.workers);
      }
      if (p.mode === 'snapshot' && last) {
        log(`dumping with the ${last.aligned.length} of ${p.workers.length} connections that share one snapshot`);
        return snapshotResult(p, last);
      }
      if (last) await rollbackAll(p.workers);
      try {
        try {
          return await withBackupStageRetried(p);
        } catch (e) {
          // BACKUP STAGE needs MariaDB 10.4.1: fall back to FTWRL on older servers
          if (errno(e) !== 1064) throw e;
          return await withFtwrl(p);
        }
      } catch (e) {
        const denied = [1044, 1045, 1142, 1227].includes(errno(e)) || (e instanceof DmError && [1044, 1045, 1142, 1227].includes(errno(e.cause)));
        if (!denied || !canAlign) throw e instanceof DmError ? e : lockError(e, 'BACKUP STAGE BLOCK_COMMIT');
        log('no privilege to block commits: dumping with the connections that share one snapshot');
        await rollbackAll(p.workers).catch(() => undefined);
        return snapshotResult(p, await alignOnce(p.workers));
      }
    }
  }
}
