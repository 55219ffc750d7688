/**
 * The load unit: imports a Dumpling/mydumper dump directory into the downstream, exactly once.
 *
 * Flow: scan the dir → checkpoint rows for every data file (offset 0) → CREATE DATABASE / CREATE TABLE with
 * routing → data. One reader goes through the data files in order and cuts each into batches of whole
 * statements (or CSV records) of about `batchBytes`; `poolSize` downstream connections execute the batches,
 * each in its own transaction that ends with the file's checkpoint update. Batches of one file run in
 * parallel but commit in file order (a batch waits for its predecessor's commit before its own), so the
 * single `offset` per file always covers exactly the committed prefix: a load killed at any moment resumes
 * with no duplicate and no missing row, without REPLACE.
 *
 * Owner of: the control connection (checkpoint queries) and the load connections; all closed by close().
 */
import { open, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { dialectFromVersion } from '../../mysql/downstream-dialect.js';
import { openConnection, type DbConfig } from '../../mysql/db-config.js';
import { quoteId, quoteTable } from '../../mysql/identifier.js';
import type { TableFilter, TableName, TableRouter } from '../../filter/table-filter.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { driverError } from '../../mysql/driver-error.js';
import { progressPercent, type ProcessResult, type Unit } from '../unit.js';
import { BatchQueue } from './batch-queue.js';
import { LoaderCheckpointStore, type FileCheckpoint } from './checkpoint-store.js';
import { CsvSplitter, DUMPLING_CSV, parseCsvRecord } from './csv-splitter.js';
import { scanDumpDir, type DataFile, type DumpDir } from './dump-dir-scanner.js';
import { BASE_SESSION, ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, LoadConnection, isServerError, withStatement, type SessionState } from './load-connection.js';
import { loadFailpoints } from './load-failpoints.js';
import { SchemaRestorer } from './schema-restorer.js';
import { SqlFileReader, UnterminatedStatementError } from './sql-file-reader.js';
import { classifyStatement, excerpt, findInsertTarget, setNamesCharset, utf8ToLatin1 } from './sql-statement.js';
import { InsertConverter, type ColumnInfo } from './insert-to-load-data.js';

export interface LoadUnitOptions {
  target: DbConfig;
  /** The dump directory. */
  dir: string;
  taskName: string;
  sourceId: string;
  /** Downstream schema of DM's meta tables (`meta-schema`, default `dm_meta`). */
  metaSchema: string;
  /** Downstream connections loading in parallel (`loaders.pool-size`). */
  poolSize: number;
  filter: TableFilter;
  router: TableRouter;
  /** `clean-dump-file`: after success delete the dump (full mode) or its data files (all mode). */
  cleanDumpFile: boolean;
  mode: 'full' | 'all';
  onProgress?: (s: LoadStatus) => void;
  /** The upstream's sql_mode when the dump recorded it; else a permissive mode is used. */
  sqlMode?: string | undefined;
  /** Bytes of statements per transaction (default 4 MiB; a batch holds at least one statement). */
  batchBytes?: number | undefined;
  /** Send INSERT data as `LOAD DATA LOCAL INFILE` where that is exactly equivalent (default true). */
  insertAsLoadData?: boolean | undefined;
}

export type LoadStage = 'new' | 'schema' | 'data' | 'finished' | 'paused' | 'error';

export interface LoadStatus {
  finishedBytes: number;
  totalBytes: number;
  /** `xx.xx %` of the bytes. */
  progress: string;
  completedFiles: number;
  totalFiles: number;
  /** Binlog position the dump is consistent with, as DM prints it: `(mysql-bin.000001, 2347)`. */
  metaBinlog?: string | undefined;
  metaBinlogGTID?: string | undefined;
  stage: LoadStage;
  /** Things worth knowing that did not stop the load (a pre-existing table with another definition …). */
  warnings: readonly string[];
  /** The errors that stopped the unit (also in the ProcessResult). */
  errors: readonly DmError[];
}

/** sql_mode for loading: the upstream's without quoting modes dumps never use, with NO_AUTO_VALUE_ON_ZERO (rows with id 0). */
export function loadSqlMode(upstream: string | undefined): string {
  if (upstream === undefined) return 'NO_AUTO_VALUE_ON_ZERO';
  const out = new Set<string>();
  for (const raw of upstream.split(',')) {
    const m = raw.trim().toUpperCase();
    if (!m) continue;
    if (m === 'ANSI') ['REAL_AS_FLOAT', 'PIPES_AS_CONCAT', 'IGNORE_SPACE', 'ONLY_FULL_GROUP_BY'].forEach((x) => out.add(x));
    else if (m !== 'ANSI_QUOTES' && m !== 'NO_BACKSLASH_ESCAPES') out.add(m);
  }
  out.add('NO_AUTO_VALUE_ON_ZERO');
  return [...out].join(',');
}

class Aborted extends Error {
  constructor() {
    super('load aborted');
    this.name = 'Aborted';
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a failed last batch has no successor to observe it
  return { promise, resolve, reject };
}

/** A data file being loaded in this run. */
interface FileRun {
  readonly df: DataFile;
  readonly path: string;
  readonly target: TableName;
  /** `db`.`tbl` of the target as a latin1 byte string. */
  readonly targetSql: string;
  readonly cp: FileCheckpoint;
}

/** An INSERT of a data file with the span of its table name (replaced by the routed name). */
interface PendingInsert {
  readonly bytes: Buffer;
  readonly start: number;
  readonly after: number;
}

interface Batch {
  readonly run: FileRun;
  readonly from: number;
  readonly to: number;
  readonly session: SessionState;
  /** Statements to execute (latin1 byte strings). */
  readonly statements: readonly string[];
  /** Or one LOAD DATA with this content. */
  readonly loadData?: { readonly sql: string; readonly data: readonly Buffer[]; readonly context: string } | undefined;
  /** The predecessor batch of the same file has committed. */
  readonly prev: Promise<void>;
  readonly done: Deferred;
}

const STRICT = /STRICT_(TRANS|ALL)_TABLES/i;
/** The status keeps this many warnings (a permissive load of odd data could warn on every batch). */
const MAX_WARNINGS = 50;

/**
 * Runs `fn` over `items`, one item at a time per connection. After the first failure no new item starts; it
 * waits for the running ones to settle (so no connection is in use when the caller closes it) and rethrows.
 */
async function eachOnConnections<T>(conns: readonly LoadConnection[], items: readonly T[], signal: AbortSignal, fn: (c: LoadConnection, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { e: unknown } | undefined;
  await Promise.all(
    conns.map(async (conn) => {
      while (!failure && !signal.aborted && next < items.length) {
        const item = items[next++]!;
        try {
          await fn(conn, item);
        } catch (e) {
          failure ??= { e };
        }
      }
    }),
  );
  if (failure) throw failure.e;
  if (signal.aborted) throw new Aborted();
}

export class LoadUnit implements Unit<LoadStatus> {
  readonly name = 'load' as const;
  private readonly store: LoaderCheckpointStore;
  private readonly batchBytes: number;
  private readonly sqlMode: string;
  private dump: DumpDir | undefined;
  private control: mysql.Connection | undefined;
  private conns: LoadConnection[] = [];
  private stage: LoadStage = 'new';
  private finishedBytes = 0;
  private totalBytes = 0;
  private completedFiles = 0;
  private totalFiles = 0;
  private readonly warnings: string[] = [];
  private errors: DmError[] = [];
  private running: Promise<ProcessResult> | undefined;
  private readonly closeCtl = new AbortController();
  private closed = false;
  private readonly failpoints = loadFailpoints();
  private readonly columnCache = new Map<string, Promise<ColumnInfo[]>>();
  /** Whether INSERT batches may go as LOAD DATA here (see detectLoadData). */
  private loadData = { ok: false, autoincSerializes: true };

  constructor(readonly opts: LoadUnitOptions) {
    this.store = new LoaderCheckpointStore(opts.metaSchema, opts.taskName, opts.sourceId);
    this.batchBytes = Math.max(1, opts.batchBytes ?? 4 << 20);
    this.sqlMode = loadSqlMode(opts.sqlMode);
  }

  /** Scans the dump dir and connects; a missing dir is 34014, an unreachable downstream 10001. */
  async init(): Promise<void> {
    this.dump = await scanDumpDir(this.opts.dir);
    await this.controlConn();
    await this.refreshFromCheckpoint();
  }

  async isFresh(): Promise<boolean> {
    return this.store.isFresh(await this.controlConn());
  }

  /**
   * True when every file of the load has been applied: all checkpoint rows (added together, in one
   * transaction, before loading starts) reached their file's end. The dump files may already be cleaned.
   */
  async isFinished(): Promise<boolean> {
    const rows = await this.store.load(await this.controlConn());
    return rows.size > 0 && [...rows.values()].every((cp) => cp.offset >= cp.endPos);
  }

  status(): LoadStatus {
    const md = this.dump?.metadata;
    return {
      finishedBytes: this.finishedBytes,
      totalBytes: this.totalBytes,
      progress: progressPercent({ done: this.finishedBytes, total: this.totalBytes }),
      completedFiles: this.completedFiles,
      totalFiles: this.totalFiles,
      metaBinlog: md?.binlogName ? `(${md.binlogName}, ${md.binlogPos ?? 4})` : undefined,
      metaBinlogGTID: md?.gtid,
      stage: this.stage,
      warnings: [...this.warnings],
      errors: [...this.errors],
    };
  }

  process(signal: AbortSignal): Promise<ProcessResult> {
    if (this.running) return this.running;
    this.running = this.run(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeCtl.abort();
    await this.running?.catch(() => undefined);
    await Promise.all(this.conns.map((c) => c.close()));
    this.conns = [];
    const ctl = this.control;
    this.control = undefined;
    await ctl?.end().catch(() => ctl.destroy());
  }

  // ---------------------------------------------------------------------------------------------------------

  private async controlConn(): Promise<mysql.Connection> {
    if (this.closed) throw DmError.of(E.DBDriverError, ['load unit is closed']);
    this.control ??= await openConnection(this.opts.target);
    return this.control;
  }

  private warn(msg: string): void {
    if (this.warnings.includes(msg)) return;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(msg);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push('(more warnings omitted)');
  }

  private emitProgress(): void {
    try {
      this.opts.onProgress?.(this.status());
    } catch {
      // a failing listener must not fail the load
    }
  }

  private selectedDataFiles(dump: DumpDir): DataFile[] {
    return dump.dataFiles.filter((f) => this.opts.filter.matchTable(f.schema, f.table));
  }

  private async refreshFromCheckpoint(): Promise<void> {
    const dump = this.dump;
    if (!dump) return;
    const rows = await this.store.load(await this.controlConn());
    const files = this.selectedDataFiles(dump);
    this.totalFiles = files.length;
    this.totalBytes = files.reduce((a, f) => a + f.size, 0);
    let fin = 0;
    let done = 0;
    for (const f of files) {
      const cp = rows.get(f.file);
      const off = cp ? Math.min(cp.offset, f.size) : 0;
      fin += off;
      if (off >= f.size) done++;
    }
    // files whose data was loaded and then deleted by clean-dump-file count as done
    const present = new Set(files.map((f) => f.file));
    for (const [name, cp] of rows) {
      if (present.has(name)) continue;
      if (cp.offset >= cp.endPos) {
        this.totalFiles++;
        this.totalBytes += cp.endPos;
        fin += cp.endPos;
        done++;
      }
    }
    this.finishedBytes = fin;
    this.completedFiles = done;
  }

  private async run(outer: AbortSignal): Promise<ProcessResult> {
    const ctl = new AbortController();
    const onAbort = (): void => ctl.abort();
    outer.addEventListener('abort', onAbort);
    this.closeCtl.signal.addEventListener('abort', onAbort);
    if (outer.aborted || this.closeCtl.signal.aborted) ctl.abort();
    this.errors = [];
    try {
      await this.runSteps(ctl.signal);
      if (ctl.signal.aborted) {
        this.stage = 'paused';
        return { interrupted: true, errors: [] };
      }
      this.stage = 'finished';
      this.emitProgress();
      return { interrupted: false, errors: [] };
    } catch (e) {
      if (e instanceof Aborted || (ctl.signal.aborted && !(e instanceof DmError))) {
        this.stage = 'paused';
        return { interrupted: true, errors: [] };
      }
      const err = e instanceof DmError ? e : isServerError(e) ? DmError.of(E.DBExecuteFailed, [e.message], { cause: e }) : driverError(e, this.opts.target.password);
      this.errors = [err];
      this.stage = 'error';
      this.emitProgress();
      return { interrupted: false, errors: [err] };
    } finally {
      outer.removeEventListener('abort', onAbort);
      this.closeCtl.signal.removeEventListener('abort', onAbort);
      // load connections are per run: a paused unit holds no downstream session
      await Promise.all(this.conns.map((c) => c.close()));
      this.conns = [];
    }
  }

  private async runSteps(signal: AbortSignal): Promise<void> {
    // scanned again on every run: the files may have been fixed (or cleaned) since the last one
    const dump = (this.dump = await scanDumpDir(this.opts.dir));
    const control = await this.controlConn();
    if (this.opts.mode === 'all' && !dump.metadata) {
      throw DmError.of(E.ParseMydumperMeta, [dump.metadataText === undefined ? 'no metadata file in the dump directory' : 'no binlog position', (dump.metadataText ?? '').slice(0, 500)]);
    }

    // 1. checkpoint rows for every selected data file
    const files = this.selectedDataFiles(dump);
    for (const o of dump.orphanDataFiles) {
      if (this.opts.filter.matchTable(o.schema, o.table)) throw DmError.of(E.LoadUnitNoTableFile, [o.file]);
    }
    for (const c of dump.compressedFiles) {
      if (this.opts.filter.matchTable(c.schema, c.table)) {
        throw DmError.of(E.LoadUnitNoTableFile, [`${c.file}: compressed dump files are not supported, re-dump without compression (Dumpling --compress, mydumper -c)`]);
      }
    }
    await this.store.ensureTable(control);
    const rows = await this.store.load(control);
    const resumed = rows.size > 0;
    const byName = new Map(files.map((f) => [f.file, f]));
    for (const [name, cp] of rows) {
      const f = byName.get(name);
      if (!f) {
        if (cp.offset < cp.endPos && this.opts.filter.matchTable(cp.schema, cp.table)) {
          throw DmError.of(E.CheckpointTableNotExistInFile, [`${cp.table} (file ${name})`, cp.schema]);
        }
        continue;
      }
      if (cp.offset > f.size) throw DmError.of(E.CheckpointRestoreCountGreater, [`${quoteTable(f.schema, f.table)} file ${name}: offset ${cp.offset} > size ${f.size}`]);
      if (cp.endPos !== f.size) {
        throw DmError.of(E.LoadTaskCheckPointNotMatch, [`file ${name} has ${f.size} bytes but the checkpoint recorded ${cp.endPos}: the dump changed after loading started`]);
      }
    }
    const missing = files.filter((f) => !rows.has(f.file)).map((f) => ({ filename: f.file, schema: f.schema, table: f.table, offset: 0, endPos: f.size }));
    await this.store.addFiles(control, missing);
    for (const m of missing) rows.set(m.filename, m);
    await this.refreshFromCheckpoint();
    this.emitProgress();
    if (signal.aborted) throw new Aborted();

    // 2. connections
    const n = Math.max(1, Math.floor(this.opts.poolSize) || 1);
    this.conns = [];
    for (let i = 0; i < n; i++) {
      if (signal.aborted) throw new Aborted();
      this.conns.push(await LoadConnection.open(this.opts.target, { sqlMode: this.sqlMode, foreignKeyChecks: false }));
    }

    // 3. schemas, then tables (in parallel)
    this.stage = 'schema';
    const restorer = new SchemaRestorer({ dir: dump.dir, router: this.opts.router, metaSchema: this.opts.metaSchema, control, warn: (m) => this.warn(m), compareExisting: !resumed, scratchKey: `${this.opts.taskName}\u0000${this.opts.sourceId}` });
    const tables = dump.tables.filter((t) => this.opts.filter.matchTable(t.schema, t.table));
    const targets = new Map<string, TableName>();
    const targetOf = (schema: string, table: string): TableName => {
      const k = quoteTable(schema, table);
      let t = targets.get(k);
      if (!t) {
        t = this.opts.router.route(schema, table);
        targets.set(k, t);
      }
      return t;
    };
    const neededSchemas = [...new Set([...tables.map((t) => targetOf(t.schema, t.table).schema), ...files.map((f) => targetOf(f.schema, f.table).schema)])];
    const schemaFiles = dump.schemas.filter((s) => this.opts.filter.matchSchema(s.schema));
    await restorer.restoreDatabases(this.conns[0]!, schemaFiles, neededSchemas);
    await eachOnConnections(this.conns, tables, signal, (conn, t) => restorer.restoreTable(conn, t, targetOf(t.schema, t.table)));
    const withSchema = new Set(tables.map((t) => quoteTable(t.schema, t.table)));
    for (const f of files) {
      if (!withSchema.has(quoteTable(f.schema, f.table))) throw DmError.of(E.LoadUnitNoTableFile, [f.file]);
    }

    // 4. data
    this.loadData = await this.detectLoadData(control);
    this.stage = 'data';
    this.emitProgress();
    const runs: FileRun[] = [];
    for (const f of files) {
      const cp = rows.get(f.file)!;
      if (cp.offset >= cp.endPos) continue;
      const target = targetOf(f.schema, f.table);
      runs.push({ df: f, path: path.join(dump.dir, f.file), target, targetSql: utf8ToLatin1(quoteTable(target.schema, target.table)), cp });
    }
    await this.loadFiles(runs, signal);
    if (signal.aborted) throw new Aborted();

    // 5. done
    await this.refreshFromCheckpoint();
    if (this.opts.cleanDumpFile) await this.cleanDump(dump);
  }

  private async cleanDump(dump: DumpDir): Promise<void> {
    if (this.opts.mode === 'full') {
      await rm(dump.dir, { recursive: true, force: true });
      return;
    }
    // all mode: keep metadata and schema files (the sync unit and a re-run need them)
    for (const f of dump.dataFiles) await unlink(path.join(dump.dir, f.file)).catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------------
  // data phase

  private async loadFiles(runs: readonly FileRun[], outer: AbortSignal): Promise<void> {
    if (runs.length === 0) return;
    const ctl = new AbortController();
    const stop = (): void => ctl.abort();
    outer.addEventListener('abort', stop);
    if (outer.aborted) ctl.abort();
    const signal = ctl.signal;
    const queue = new BatchQueue<Batch>(this.conns.length + 1);
    let firstError: unknown;
    const fail = (e: unknown): void => {
      if (firstError === undefined && !(e instanceof Aborted)) firstError = e;
      ctl.abort();
      queue.close();
      for (const b of queue.drain()) b.done.reject(new Aborted());
    };
    signal.addEventListener('abort', () => {
      queue.close();
      for (const b of queue.drain()) b.done.reject(new Aborted());
    });

    const producer = (async () => {
      try {
        for (const run of runs) {
          if (signal.aborted) return;
          if (run.df.format === 'csv') await this.produceCsv(run, queue, signal);
          else await this.produceSql(run, queue, signal);
        }
      } catch (e) {
        fail(e);
      } finally {
        queue.close();
      }
    })();

    const workers = this.conns.map(async (conn) => {
      for (;;) {
        const b = await queue.pop();
        if (!b) return;
        if (signal.aborted) {
          b.done.reject(new Aborted());
          continue;
        }
        try {
          await this.runBatch(conn, b, signal);
          b.done.resolve();
          this.finishedBytes += b.to - b.from;
          if (b.to >= b.run.cp.endPos) this.completedFiles++;
          this.emitProgress();
          this.failpoints.afterCheckpoint();
        } catch (e) {
          b.done.reject(e instanceof Aborted ? e : new Aborted());
          fail(e);
        }
      }
    });
    await Promise.all([producer, ...workers]);
    outer.removeEventListener('abort', stop);
    if (firstError !== undefined) throw firstError instanceof Error ? firstError : new Error(`load failed: ${JSON.stringify(firstError)}`);
  }

  private async runBatch(conn: LoadConnection, b: Batch, signal: AbortSignal): Promise<void> {
    const ctx = `load ${b.run.df.file} bytes ${b.from}-${b.to} into ${quoteTable(b.run.target.schema, b.run.target.table)}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await conn.applySession(b.session, ctx);
        await conn.exec('START TRANSACTION', ctx);
        for (const s of b.statements) {
          if (signal.aborted) throw new Aborted();
          await conn.exec(s, `file ${b.run.df.file}`);
        }
        if (b.loadData) await this.execLoadData(conn, b.loadData.sql, b.loadData.data, b.loadData.context);
        try {
          await b.prev;
        } catch {
          throw new Aborted(); // the predecessor failed or was aborted: this batch must not commit
        }
        if (signal.aborted) throw new Aborted();
        const r = await conn.exec(this.store.advanceSql(b.run.df.file, b.from, b.to), ctx);
        if (r.affectedRows !== 1) {
          throw DmError.of(E.LoadTaskCheckPointNotMatch, [`checkpoint of ${b.run.df.file} is not at offset ${b.from} (another loader for task ${this.opts.taskName} and source ${this.opts.sourceId}?)`]);
        }
        this.failpoints.beforeCommit();
        await conn.exec('COMMIT', ctx);
        return;
      } catch (e) {
        await conn.rollback();
        const cause: unknown = e instanceof DmError ? e.cause : e;
        const retry = isServerError(cause) && (cause.errno === ER_LOCK_DEADLOCK || cause.errno === ER_LOCK_WAIT_TIMEOUT);
        if (retry && attempt < 3 && !signal.aborted) continue;
        throw e;
      }
    }
  }

  /** LOAD DATA LOCAL (which ignores duplicates and turns errors into warnings): fail where INSERT would have. */
  private async execLoadData(conn: LoadConnection, sql: string, data: readonly Buffer[], context: string): Promise<void> {
    const r = await conn.loadData(sql, data, context);
    const info = String(r.info ?? '');
    const skipped = Number(/Skipped:\s*(\d+)/.exec(info)?.[1] ?? 0);
    const warnings = Number(/Warnings:\s*(\d+)/.exec(info)?.[1] ?? r.warningStatus ?? 0);
    if (skipped > 0) {
      const w = await conn.firstWarning();
      throw DmError.of(E.DBExecuteFailed, [`${context}: ${skipped} row(s) rejected as duplicates${w ? ` (${w})` : ''}`]);
    }
    if (warnings > 0) {
      const w = await conn.firstWarning();
      if (w && STRICT.test(this.sqlMode)) throw DmError.of(E.DBExecuteFailed, [`${context}: ${w}`]);
      if (w) this.warn(`${context}: ${w}`);
    }
  }

  private async produceSql(run: FileRun, queue: BatchQueue<Batch>, signal: AbortSignal): Promise<void> {
    const reader = new SqlFileReader(run.path, { size: run.cp.endPos });
    const resumeAt = run.cp.offset;
    let session = BASE_SESSION;
    let prev: Promise<void> = Promise.resolve();
    let from = resumeAt;
    let stmts: PendingInsert[] = [];
    let bytes = 0;
    const columns = await this.columns(run.target);
    // LOAD DATA into an AUTO_INCREMENT table holds the table's AUTO-INC lock for the whole statement unless
    // innodb_autoinc_lock_mode = 2: parallel batches would queue behind each other, INSERTs do not
    const conv = this.loadData.ok && !(this.loadData.autoincSerializes && columns.some((c) => c.autoIncrement)) ? new InsertConverter() : undefined;
    const flush = async (to: number, force: boolean): Promise<void> => {
      if (to <= from || (!force && stmts.length === 0)) return;
      let loadData: Batch['loadData'];
      let statements: string[] = [];
      if (conv && stmts.length > 0) {
        const converted = conv.convert(stmts, columns, session.charset, run.targetSql);
        if (converted) loadData = { sql: converted.sql, data: converted.data, context: `file ${run.df.file} bytes ${from}-${to}` };
      }
      if (!loadData) statements = stmts.map((p) => p.bytes.toString('latin1', 0, p.start) + run.targetSql + p.bytes.toString('latin1', p.after));
      const b: Batch = { run, from, to, session, statements, loadData, prev, done: deferred() };
      prev = b.done.promise;
      from = to;
      stmts = [];
      bytes = 0;
      if (!(await queue.push(b))) throw new Aborted();
    };
    try {
      for (;;) {
        if (signal.aborted) throw new Aborted();
        let list;
        try {
          list = await reader.next();
        } catch (e) {
          if (e instanceof UnterminatedStatementError) throw DmError.of(E.LoadUnitInvalidFileEnding, [`${e.inside} not closed in ${run.df.file} (statement at byte ${e.offset})`]);
          throw e;
        }
        if (!list) break;
        for (const st of list) {
          if (st.end <= resumeAt) {
            // applied by an earlier run: only its session statements matter
            const head = st.bytes.toString('latin1', 0, Math.min(st.bytes.length, 4096));
            if (classifyStatement(head) === 'set') {
              const t = st.bytes.toString('latin1');
              session = withStatement(session, t, setNamesCharset(t));
            }
            continue;
          }
          if (st.start < resumeAt) {
            throw DmError.of(E.LoadTaskCheckPointNotMatch, [`checkpoint offset ${resumeAt} of ${run.df.file} is inside a statement (bytes ${st.start}-${st.end})`]);
          }
          const head = st.bytes.toString('latin1', 0, Math.min(st.bytes.length, 4096));
          const kind = classifyStatement(head);
          if (kind === 'empty' || kind === 'ignorable') continue;
          if (kind === 'set') {
            await flush(st.start, false);
            const t = st.bytes.toString('latin1');
            session = withStatement(session, t, setNamesCharset(t));
            continue;
          }
          if (kind !== 'insert') throw DmError.of(E.LoadUnitInvalidInsertSQL, [`${excerpt(head)} (in ${run.df.file} at byte ${st.start}: data files may only hold INSERT and SET statements)`]);
          const tgt = findInsertTarget(head);
          if (!tgt || tgt.end >= head.length) throw DmError.of(E.LoadUnitInvalidInsertSQL, [`${excerpt(head)} (in ${run.df.file} at byte ${st.start})`]);
          stmts.push({ bytes: st.bytes, start: tgt.start, after: tgt.end });
          bytes += st.bytes.length;
          if (bytes >= this.batchBytes) await flush(st.end, false);
        }
      }
      await flush(run.cp.endPos, true);
    } finally {
      await reader.close();
    }
  }

  private async produceCsv(run: FileRun, queue: BatchQueue<Batch>, signal: AbortSignal): Promise<void> {
    const columns = await this.columns(run.target);
    const fh = await open(run.path, 'r');
    try {
      // header: the first record, when its fields are column names of the table
      const first = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, run.cp.endPos)));
      const { bytesRead } = await fh.read(first, 0, first.length, 0);
      const nl = first.subarray(0, bytesRead).indexOf(0x0a);
      const firstLine = nl < 0 ? first.subarray(0, bytesRead) : first.subarray(0, nl + 1);
      const crlf = nl > 0 && first[nl - 1] === 0x0d;
      const names = parseCsvRecord(firstLine.toString('utf8'));
      const lower = new Set(columns.map((c) => c.name.toLowerCase()));
      const hasHeader = names.length > 0 && names.every((x) => lower.has(x.toLowerCase()));
      const headerEnd = hasHeader ? firstLine.length : 0;
      const colList = hasHeader ? ` (${names.map((x) => utf8ToLatin1(quoteId(columns.find((c) => c.name.toLowerCase() === x.toLowerCase())!.name))).join(', ')})` : '';
      const sql =
        `LOAD DATA LOCAL INFILE 'dm-load.csv' INTO TABLE ${run.targetSql} CHARACTER SET utf8mb4 ` +
        `FIELDS TERMINATED BY '${DUMPLING_CSV.separator}' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\\\' ` +
        `LINES TERMINATED BY '${crlf ? '\\r\\n' : '\\n'}'${colList}`;

      const splitter = new CsvSplitter();
      let pos = run.cp.offset;
      let from = pos;
      let prev: Promise<void> = Promise.resolve();
      let parts: Buffer[] = [];
      let partsBytes = 0;
      const flush = async (to: number): Promise<void> => {
        if (to <= from) return;
        let data = parts;
        // the header is part of the first batch's byte range but not of its data
        if (from < headerEnd) {
          const all = Buffer.concat(data);
          data = [all.subarray(headerEnd - from)];
        }
        const b: Batch = {
          run,
          from,
          to,
          session: BASE_SESSION,
          statements: [],
          loadData: { sql, data, context: `file ${run.df.file} bytes ${from}-${to}` },
          prev,
          done: deferred(),
        };
        prev = b.done.promise;
        from = to;
        parts = [];
        partsBytes = 0;
        if (!(await queue.push(b))) throw new Aborted();
      };
      while (pos < run.cp.endPos) {
        if (signal.aborted) throw new Aborted();
        const buf = Buffer.allocUnsafe(Math.min(4 << 20, run.cp.endPos - pos));
        const { bytesRead: got } = await fh.read(buf, 0, buf.length, pos);
        if (got === 0) break;
        const chunk = buf.subarray(0, got);
        const ends: number[] = [];
        splitter.feed(chunk, pos, ends);
        let consumed = 0;
        for (const e of ends) {
          if (partsBytes + (e - pos - consumed) >= this.batchBytes) {
            parts.push(chunk.subarray(consumed, e - pos));
            partsBytes += e - pos - consumed;
            consumed = e - pos;
            await flush(e);
          }
        }
        if (consumed < got) {
          parts.push(chunk.subarray(consumed));
          partsBytes += got - consumed;
        }
        pos += got;
      }
      if (!splitter.atRecordBoundary) throw DmError.of(E.LoadUnitInvalidFileEnding, [`a quoted field is not closed at the end of ${run.df.file}`]);
      await flush(run.cp.endPos);
    } finally {
      await fh.close();
    }
  }

  /**
   * INSERT → LOAD DATA only on MySQL/MariaDB with `local_infile` on (MySQL 8 has it off by default): TiDB
   * commits LOAD DATA in pieces, which would break the one transaction per batch the checkpoint relies on.
   */
  private async detectLoadData(control: mysql.Connection): Promise<{ ok: boolean; autoincSerializes: boolean }> {
    if (this.opts.insertAsLoadData === false) return { ok: false, autoincSerializes: true };
    try {
      const [rows] = await control.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v, @@innodb_autoinc_lock_mode AS m, @@local_infile AS li');
      const r = rows[0];
      const dialect = dialectFromVersion(String(r?.v ?? ''));
      const localInfile = Number(r?.li) === 1 || String(r?.li).toUpperCase() === 'ON';
      return { ok: dialect.loadDataLocal && dialect.atomicLoadData && localInfile, autoincSerializes: Number(r?.m) !== 2 };
    } catch {
      return { ok: false, autoincSerializes: true };
    }
  }

  /** Columns of a downstream table in ordinal order (cached per table). */
  private columns(t: TableName): Promise<ColumnInfo[]> {
    const k = quoteTable(t.schema, t.table);
    let p = this.columnCache.get(k);
    if (!p) {
      p = (async () => {
        const control = await this.controlConn();
        const [rows] = await control.query<mysql.RowDataPacket[]>(
          'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
          [t.schema, t.table],
        );
        return rows.map((r) => {
          const extra = String(r.extra ?? '');
          return { name: String(r.name), type: String(r.type).toLowerCase(), generated: /GENERATED|VIRTUAL|STORED|PERSISTENT/i.test(extra), autoIncrement: /auto_increment/i.test(extra) };
        });
      })();
      this.columnCache.set(k, p);
    }
    return p;
  }
}
