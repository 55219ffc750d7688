/**
 * The dump unit: a consistent, parallel export of the schemas and rows the block-allow list selects, plus
 * the binlog position of the snapshot, as a Dumpling-format directory (dump-files.ts) that DM's loader,
 * our load unit and myloader read.
 *
 * One run (`process`):
 * 1. the output directory is removed and recreated (a dump always starts clean, as in DM);
 * 2. a coordinator connection and `threads` worker connections open (session: time_zone '+00:00', the
 *    upstream sql_mode minus output-changing flags, workers with `character_set_results = binary`);
 * 3. consistency.ts pins one snapshot for all workers and reads its binlog position; the tables are listed
 *    while it is pinned;
 * 4. the coordinator plans chunks (table-chunker.ts) and writes the schema files while the workers take
 *    chunks from one queue (largest tables first) and stream them through raw-query.ts → chunk-writer.ts;
 * 5. `metadata` is written last: its presence means the dump is complete.
 *
 * Ownership: `process` opens every connection and closes every one before it resolves (also on error and
 * abort); `close()` aborts a running `process` and waits for it. Memory per worker is bounded by its
 * WriteWorkspace (128 KiB staging + 11 × 1 MiB regions, of which ≤ 8 MiB queued for the disk before the
 * connection is paused) and one socket chunk, not by table size.
 *
 * Measured (2 cores shared with the server, MariaDB 10.11, 1M sysbench rows = 201 MB of SQL, threads 2,
 * rows 200000; details and method in docs/dump.md): encode ≈ 180 ns per row in process (460 ns escaping byte
 * by byte in JS, 242 ns with TypedArray#set copies instead of staged copyWithin); end to end 0.7-1.1 s
 * (0.9-1.4 M rows/s, 180-290 MB/s) depending on the machine's load, medians within ±15 % of mydumper 0.10
 * `-t 2 -r 200000` run alternately on the same server; client CPU 0.7-0.8 s (mydumper 0.6-0.8 s), server
 * CPU ≈ 0.7 s for both. mysql2's own row parsing (values only, no SQL) cost 0.57-0.87 s of CPU per 1M rows.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { TableFilter } from '../../filter/table-filter.js';
import { openConnection, type DbConfig } from '../../mysql/db-config.js';
import { errorText, scrub, toCodedError } from '../../mysql/driver-error.js';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import { isBadField, isSchemaChangedUnderSnapshot } from '../../mysql/server-error.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { progressPercent, type ProcessResult, type Unit } from '../unit.js';
import { readCatalog, showCreateDatabase, showCreateTable, showCreateView, type Catalog, type TableEntry } from './catalog.js';
import { ChunkWriter, WriteWorkspace } from './chunk-writer.js';
import type { ColumnInfo } from './row-encoder.js';
import { establishConsistency, readBinlogPosition, type ConsistencyMethod, type ConsistencyMode, type Flavor } from './consistency.js';
import { METADATA_FILE, SCHEMA_FILE_HEADER, schemaCreateFileName, tableSchemaFileName, viewSchemaFileName } from './dump-files.js';
import { formatDumpMetadata, metadataTime, type BinlogPoint, type DumpMetadata } from './metadata-file.js';
import { pauseConnection, rawQuery, resumeConnection } from './raw-query.js';
import { planChunks } from './table-chunker.js';

export type { DumpMetadata, BinlogPoint } from './metadata-file.js';
export type { ConsistencyMode } from './consistency.js';

export interface DumpUnitOptions {
  readonly source: DbConfig;
  /** Detected from `SELECT VERSION()` when absent. */
  readonly flavor?: Flavor;
  readonly outputDir: string;
  /** Worker connections (`mydumpers.threads`). */
  readonly threads: number;
  /** Rows per chunk (`mydumpers.rows`); 0 = one chunk per table. */
  readonly rows: number;
  /** Start a new data file after ≈ this many MB (`chunk-filesize`); 0 = never. */
  readonly chunkFilesizeMB: number;
  /** Max bytes of one INSERT statement (`statement-size`); 0 = 1000000. */
  readonly statementSize: number;
  /** Row filter for every table (`mydumpers.where`). */
  readonly where?: string;
  readonly consistency: ConsistencyMode;
  readonly filter: TableFilter;
  /** Dump views as `{db}.{view}-schema-view.sql` (default true; Dumpling's `--no-views` = false). */
  readonly views?: boolean;
  readonly onProgress?: (s: DumpStatus) => void;
  /** Informational messages (consistency decisions, skipped objects). */
  readonly onLog?: (msg: string) => void;
  /** Lock-free snapshot alignment attempts on MariaDB (consistency.ts); default 5. */
  readonly snapshotAttempts?: number;
  /**
   * How many times a dump whose snapshot was overtaken by upstream DDL (a dumped table renamed, dropped or
   * altered after the tables were listed) starts again from a new snapshot; default 3.
   */
  readonly schemaChangeRetries?: number;
}

export interface DumpStatus {
  readonly totalTables: number;
  readonly completedTables: number;
  readonly finishedBytes: number;
  readonly finishedRows: number;
  readonly estimateTotalRows: number;
  /** `"xx.xx %"` of rows. */
  readonly progress: string;
}

interface ChunkJob {
  readonly table: TableEntry;
  readonly index: number;
  readonly where: string | undefined;
}

/** Chunks planned by the coordinator, taken by the workers in order; `take` waits while planning goes on. */
class JobQueue {
  private readonly jobs: ChunkJob[] = [];
  private head = 0;
  private closed = false;
  private waiters: Array<(job: ChunkJob | undefined) => void> = [];

  push(job: ChunkJob): void {
    const w = this.waiters.shift();
    if (w) w(job);
    else this.jobs.push(job);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** The next job, or undefined when planning ended and every job was taken. */
  take(): Promise<ChunkJob | undefined> {
    if (this.head < this.jobs.length) {
      const job = this.jobs[this.head++];
      if (this.head > 1024 && this.head * 2 > this.jobs.length) {
        this.jobs.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve(job);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** sql_mode flags that change how SHOW CREATE or SELECT output looks: never on dump sessions. */
const OUTPUT_MODES = new Set(['ANSI_QUOTES', 'NO_FIELD_OPTIONS', 'NO_KEY_OPTIONS', 'NO_TABLE_OPTIONS', 'PAD_CHAR_TO_FULL_LENGTH', 'ANSI', 'ORACLE', 'DB2', 'MSSQL', 'MAXDB', 'POSTGRESQL', 'MYSQL323', 'MYSQL40', 'NO_BACKSLASH_ESCAPES']);

/** The upstream sql_mode without the flags that change dump output. */
export function dumpSessionSqlMode(upstream: string): string {
  return upstream
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m && !OUTPUT_MODES.has(m.toUpperCase()))
    .join(',');
}

class Aborted extends Error {
  constructor() {
    super('dump aborted');
  }
}

export class DumpUnit implements Unit<DumpStatus> {
  readonly name = 'dump' as const;
  private st = freshStatus();
  private running: { ctl: AbortController; done: Promise<ProcessResult> } | undefined;
  private readonly conns = new Set<Connection>();
  private readonly destroyed = new Set<Connection>();
  private lastProgress = 0;
  private meta: DumpMetadata | undefined;
  private sqlMode = '';
  private methodUsed: ConsistencyMethod | undefined;
  private closed = false;

  constructor(private readonly o: DumpUnitOptions) {}

  async init(): Promise<void> {
    const bad = (what: string): never => {
      throw DmError.of(E.DumpUnitRuntime, [`invalid dump configuration: ${what}`]);
    };
    if (!Number.isInteger(this.o.threads) || this.o.threads < 1) bad(`threads must be ≥ 1, got ${this.o.threads}`);
    if (!Number.isInteger(this.o.rows) || this.o.rows < 0) bad(`rows must be ≥ 0, got ${this.o.rows}`);
    if (!(this.o.chunkFilesizeMB >= 0)) bad(`chunk-filesize must be ≥ 0, got ${this.o.chunkFilesizeMB}`);
    if (!Number.isInteger(this.o.statementSize) || this.o.statementSize < 0) bad(`statement-size must be ≥ 0, got ${this.o.statementSize}`);
    if (!['auto', 'flush', 'lock', 'snapshot', 'none'].includes(this.o.consistency)) bad(`consistency must be auto|flush|lock|snapshot|none, got ${this.o.consistency}`);
    if (!this.o.outputDir) bad('empty output directory');
    return Promise.resolve();
  }

  /** The dump keeps no checkpoint: an interrupted dump starts over. */
  isFresh(): Promise<boolean> {
    return Promise.resolve(true);
  }

  status(): DumpStatus {
    const s = this.st;
    return {
      totalTables: s.totalTables,
      completedTables: s.completedTables,
      finishedBytes: s.finishedBytes,
      finishedRows: s.finishedRows,
      estimateTotalRows: s.estimateTotalRows,
      progress: s.finished ? '100.00 %' : progressPercent({ done: s.finishedRows, total: s.estimateTotalRows }),
    };
  }

  /** The metadata of the last completed dump. */
  metadata(): DumpMetadata | undefined {
    return this.meta;
  }

  /** The upstream's global sql_mode, read at the start of the dump (the load unit uses it). */
  get upstreamSqlMode(): string {
    return this.sqlMode;
  }

  /** How the snapshot was pinned in the last run (`auto` resolved). */
  get consistencyMethod(): ConsistencyMethod | undefined {
    return this.methodUsed;
  }

  process(signal: AbortSignal): Promise<ProcessResult> {
    if (this.running) return this.running.done;
    if (this.closed) return Promise.resolve({ interrupted: true, errors: [] });
    const ctl = new AbortController();
    const onAbort = (): void => ctl.abort();
    if (signal.aborted) ctl.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = this.run(ctl.signal).finally(() => {
      signal.removeEventListener('abort', onAbort);
      this.running = undefined;
    });
    this.running = { ctl, done };
    return done;
  }

  async close(): Promise<void> {
    this.closed = true;
    const r = this.running;
    if (r) {
      r.ctl.abort();
      await r.done;
    }
    await this.closeAll();
  }

  private async run(signal: AbortSignal): Promise<ProcessResult> {
    const onAbort = (): void => this.destroyAll();
    signal.addEventListener('abort', onAbort, { once: true });
    const retries = this.o.schemaChangeRetries ?? 3;
    try {
      for (let attempt = 0; ; attempt++) {
        // every attempt starts from nothing: progress and metadata are the new snapshot's
        this.st = freshStatus();
        this.meta = undefined;
        try {
          if (signal.aborted) throw new Aborted();
          await this.dump(signal);
          break;
        } catch (e) {
          // an unknown column is the user's `where` filter at least as likely as a dropped column: not retried then
          if (signal.aborted || attempt >= retries || !isSchemaChangedUnderSnapshot(e) || (isBadField(e) && this.o.where !== undefined)) throw e;
          await this.closeAll();
          this.o.onLog?.(`the upstream schema changed during the dump (${scrub(errorText(e), this.o.source.password)}); dumping again from a new snapshot (attempt ${attempt + 2} of ${retries + 1})`);
        }
      }
      this.st.finished = true;
      this.emitProgress(true);
      return { interrupted: false, errors: [] };
    } catch (e) {
      if (signal.aborted) return { interrupted: true, errors: [] };
      return { interrupted: false, errors: [this.toDmError(e)] };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.closeAll();
    }
  }

  private async dump(signal: AbortSignal): Promise<void> {
    const o = this.o;
    const startedAt = metadataTime(new Date());
    await rm(o.outputDir, { recursive: true, force: true });
    await mkdir(o.outputDir, { recursive: true });

    const meta = await this.open();
    const [vrows] = await meta.query<RowDataPacket[]>('SELECT VERSION() AS v, @@GLOBAL.sql_mode AS m');
    const v = vrows[0] as { v: string; m: string } | undefined;
    const flavor: Flavor = o.flavor ?? (/mariadb/i.test(v?.v ?? '') ? 'mariadb' : 'mysql');
    this.sqlMode = v?.m ?? '';
    const session = `SET SESSION time_zone = '+00:00', SESSION sql_mode = ${meta.escape(dumpSessionSqlMode(this.sqlMode))}, SESSION net_write_timeout = 3600, SESSION wait_timeout = 86400`;
    await meta.query(session);
    const workers = await Promise.all(
      Array.from({ length: o.threads }, async () => {
        const c = await this.open();
        await c.query(`${session}, SESSION character_set_results = binary`);
        return c;
      }),
    );
    this.checkAbort(signal);

    // SHOW CREATE TABLE is not MVCC: the definitions must be read where DDL cannot move them away from the
    // snapshot, or the binlog from the snapshot position would not match the schema files (docs/dump.md).
    // Under a lock (flush, lock, backup-stage: all block DDL) they are read while it is held: exact. Lock-free
    // (snapshot, none) they are read before the snapshot and again at the end; a difference means DDL around
    // the snapshot, and the dump starts again.
    const lockFree = o.consistency === 'snapshot' || o.consistency === 'none';
    const before = lockFree ? await this.tableDefinitions(meta) : undefined;
    let catalog: Catalog | undefined;
    let atSnapshot: Map<string, string> | undefined;
    const list = async (): Promise<void> => {
      catalog = await readCatalog(meta, o.filter, { views: o.views ?? true });
      atSnapshot = await this.tableDefinitions(meta, catalog);
    };
    if (o.consistency === 'lock') catalog = await readCatalog(meta, o.filter, { views: o.views ?? true });
    const snap = await establishConsistency({
      mode: o.consistency,
      flavor,
      meta,
      workers,
      lockTables: catalog?.tables.filter((t) => t.kind === 'table').map((t) => ({ schema: t.schema, table: t.name })),
      whileConsistent: o.consistency === 'lock' ? async () => void (atSnapshot = await this.tableDefinitions(meta, catalog)) : list,
      snapshotAttempts: o.snapshotAttempts,
      log: (m) => o.onLog?.(m),
    });
    const exactDefinitions = snap.method === 'flush' || snap.method === 'lock' || snap.method === 'backup-stage';
    this.methodUsed = snap.method;
    o.onLog?.(`snapshot pinned by ${snap.method} at ${snap.position ? `${snap.position.file}:${snap.position.pos} (${snap.position.gtid || 'no GTID'})` : 'no binlog position'} with ${snap.workers.length} connection(s)`);
    for (const c of snap.unused) await this.closeConn(c);
    this.checkAbort(signal);
    if (!catalog) throw new Error('table list missing');
    const cat: Catalog = catalog;

    const dataTables = cat.tables.filter((t) => t.kind === 'table');
    for (const t of cat.tables) if (t.kind === 'sequence') o.onLog?.(`skipping sequence ${quoteTable(t.schema, t.name)}`);
    this.st.totalTables = dataTables.length;
    this.st.estimateTotalRows = dataTables.reduce((s, t) => s + t.estimatedRows, 0);
    this.emitProgress(true);

    let failure: Error | undefined;
    const fail = (e: unknown): void => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      // stop the others: a failed dump is discarded and restarted as a whole
      this.destroyAll();
    };
    // The coordinator plans chunks (ranges are open-ended: planning outside the snapshot is safe), largest
    // tables first, while the workers already dump what is planned; then it writes the schema files.
    const queue = new JobQueue();
    const chunksLeft = new Map<TableEntry, number>();
    const coordinator = async (): Promise<void> => {
      try {
        const ordered = [...dataTables].sort((a, b) => b.estimatedRows - a.estimatedRows);
        for (const t of ordered) {
          if (failure !== undefined || signal.aborted) return;
          const ranges = await planChunks(meta, { schema: t.schema, table: t.name, splitColumn: t.splitColumn, estimatedRows: t.estimatedRows, rows: o.rows, where: o.where, threads: snap.workers.length });
          chunksLeft.set(t, ranges.length);
          ranges.forEach((where, index) => queue.push({ table: t, index, where }));
        }
      } finally {
        queue.close();
      }
      await this.writeSchemas(meta, cat, exactDefinitions ? { exact: atSnapshot! } : { reference: before ?? atSnapshot! });
    };
    const worker = async (conn: Connection): Promise<void> => {
      const ws = new WriteWorkspace();
      for (let job = await queue.take(); job && failure === undefined && !signal.aborted; job = await queue.take()) {
        await this.dumpChunk(conn, job, ws);
        const left = (chunksLeft.get(job.table) ?? 1) - 1;
        chunksLeft.set(job.table, left);
        if (left === 0) {
          this.st.completedTables++;
          this.emitProgress(true);
        }
      }
    };
    await Promise.all([coordinator().catch(fail), ...snap.workers.map((c) => worker(c).catch(fail))]);
    this.checkAbort(signal);
    if (failure !== undefined) throw failure;

    let endPosition: BinlogPoint | undefined;
    if (snap.method === 'none') endPosition = await readBinlogPosition(meta, flavor);
    for (const c of snap.workers) await c.query('ROLLBACK');
    const md: DumpMetadata = {
      startedAt,
      finishedAt: metadataTime(new Date()),
      position: snap.position ?? { file: '', pos: 0, gtid: '' },
      ...(endPosition ? { endPosition } : {}),
    };
    await writeFile(path.join(o.outputDir, METADATA_FILE), formatDumpMetadata(md));
    this.meta = md;
  }

  private async dumpChunk(conn: Connection, job: ChunkJob, ws: WriteWorkspace): Promise<void> {
    const o = this.o;
    const t = job.table;
    if (t.columns.length === 0) return;
    let paused = false;
    const w = new ChunkWriter({
      dir: o.outputDir,
      db: t.schema,
      table: t.name,
      chunkIndex: job.index,
      columns: t.columns,
      statementSize: o.statementSize > 0 ? o.statementSize : 1_000_000,
      fileSize: Math.round(o.chunkFilesizeMB * 1024 * 1024),
      onPressure: (high) => {
        if (high === paused) return;
        paused = high;
        if (high) pauseConnection(conn);
        else resumeConnection(conn);
      },
      onWritten: (bytes) => {
        this.st.finishedBytes += bytes;
        this.emitProgress(false);
      },
    }, ws);
    const conds = [o.where ? `(${o.where})` : undefined, job.where].filter((c): c is string => c !== undefined);
    const sql = `SELECT ${t.columns.map(selectExpr).join(',')} FROM ${quoteTable(t.schema, t.name)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`;
    let counted = 0;
    try {
      await rawQuery(conn, sql, {
        onRow: (b, s, e) => {
          w.addRow(b, s, e);
          if (++counted === 1024) {
            this.st.finishedRows += counted;
            counted = 0;
          }
        },
      });
      this.st.finishedRows += counted;
      await w.finish();
    } catch (e) {
      await w.abort();
      throw e;
    } finally {
      if (paused) resumeConnection(conn);
    }
  }

  /** Every dumped table's CREATE TABLE, by quoted name (tables dropped since they were listed are left out). */
  private async tableDefinitions(meta: Connection, listed?: Catalog): Promise<Map<string, string>> {
    const cat = listed ?? (await readCatalog(meta, this.o.filter, { views: false }));
    const out = new Map<string, string>();
    for (const t of cat.tables) {
      if (t.kind !== 'table') continue;
      try {
        out.set(quoteTable(t.schema, t.name), await showCreateTable(meta, t.schema, t.name));
      } catch (e) {
        if (!isSchemaChangedUnderSnapshot(e)) throw e;
      }
    }
    return out;
  }

  /**
   * The schema files: the definitions read under the snapshot's lock (`exact`), or read now and checked against
   * `reference` (lock-free), ignoring the AUTO_INCREMENT counter (it moves with every insert).
   */
  private async writeSchemas(meta: Connection, cat: Catalog, defs: { exact: ReadonlyMap<string, string> } | { reference: ReadonlyMap<string, string> }): Promise<void> {
    const dir = this.o.outputDir;
    for (const s of cat.schemas) {
      const create = await showCreateDatabase(meta, s);
      await writeFile(path.join(dir, schemaCreateFileName(s)), `${SCHEMA_FILE_HEADER}${create};\n`);
    }
    for (const t of cat.tables) {
      if (t.kind === 'table') {
        const name = quoteTable(t.schema, t.name);
        let create: string;
        if ('exact' in defs) {
          const known = defs.exact.get(name);
          if (known === undefined) throw new SchemaChangedDuringDump(`${name} was dropped while the snapshot was taken`);
          create = known;
        } else {
          create = await showCreateTable(meta, t.schema, t.name);
          const was = defs.reference.get(name);
          if (was === undefined || withoutAutoIncrement(was) !== withoutAutoIncrement(create)) throw new SchemaChangedDuringDump(`${name} ${was === undefined ? 'was created' : 'was altered'} while the snapshot was taken`);
        }
        await writeFile(path.join(dir, tableSchemaFileName(t.schema, t.name)), `${SCHEMA_FILE_HEADER}${create};\n`);
      } else if (t.kind === 'view') {
        let v;
        try {
          v = await showCreateView(meta, t.schema, t.name);
        } catch (e) {
          // a view over a dropped table or column can't be shown; views are not migrated data
          if (this.destroyed.has(meta)) throw e;
          this.o.onLog?.(`skipping view ${quoteTable(t.schema, t.name)}: ${errorText(e)}`);
          continue;
        }
        const q = quoteId(t.name);
        const body =
          `${SCHEMA_FILE_HEADER}DROP TABLE IF EXISTS ${q};\nDROP VIEW IF EXISTS ${q};\n` +
          `SET character_set_client = ${v.characterSetClient};\nSET collation_connection = ${v.collationConnection};\n` +
          `${v.createView};\n`;
        await writeFile(path.join(dir, viewSchemaFileName(t.schema, t.name)), body);
      }
    }
  }

  private async open(): Promise<Connection> {
    const c = await openConnection(this.o.source);
    this.conns.add(c);
    // a connection dying while idle must not crash the process: the next query reports it
    (c as unknown as { on(ev: string, f: (e: unknown) => void): void }).on('error', () => undefined);
    return c;
  }

  private async closeConn(c: Connection): Promise<void> {
    this.conns.delete(c);
    if (!this.destroyed.has(c)) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([c.end(), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      } catch {
        // already broken
      } finally {
        clearTimeout(timer);
      }
    }
    this.destroyed.delete(c);
    c.destroy();
  }

  private async closeAll(): Promise<void> {
    await Promise.all([...this.conns].map((c) => this.closeConn(c)));
  }

  /** Destroys every connection at once: pending queries fail and the run unwinds. */
  private destroyAll(): void {
    for (const c of this.conns) {
      this.destroyed.add(c);
      c.destroy();
    }
  }

  private checkAbort(signal: AbortSignal): void {
    if (signal.aborted) throw new Aborted();
  }

  private emitProgress(force: boolean): void {
    const cb = this.o.onProgress;
    if (!cb) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < 250) return;
    this.lastProgress = now;
    cb(this.status());
  }

  private toDmError(e: unknown): DmError {
    return toCodedError(e, this.o.source.password, (x) => DmError.of(E.DumpUnitRuntime, [scrub(errorText(x), this.o.source.password)], { cause: x }));
  }
}

function freshStatus(): { totalTables: number; completedTables: number; finishedBytes: number; finishedRows: number; estimateTotalRows: number; finished: boolean } {
  return { totalTables: 0, completedTables: 0, finishedBytes: 0, finishedRows: 0, estimateTotalRows: 0, finished: false };
}

function withoutAutoIncrement(create: string): string {
  return create.replace(/ AUTO_INCREMENT=\d+/, '');
}

/** A dumped table's definition changed around the snapshot; reported like the server's ER_TABLE_DEF_CHANGED. */
class SchemaChangedDuringDump extends Error {
  readonly errno = 1412;
}

/**
 * The SELECT expression of a column. FLOAT is read as DOUBLE (`+ 0e0`): the server prints a FLOAT with 6
 * significant digits, which does not always convert back to the same float (1/3 → 0.333333); the double
 * of the same value prints with enough digits to round back to it exactly.
 */
function selectExpr(c: ColumnInfo): string {
  const q = quoteId(c.name);
  return c.dataType === 'float' ? `${q} + 0e0` : q;
}
