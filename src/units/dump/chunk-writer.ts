/**
 * Writes the rows of one chunk of one table as Dumpling-style data files:
 * ```
 * /*!40014 SET FOREIGN_KEY_CHECKS=0*\/;
 * /*!40101 SET NAMES binary*\/;
 * /*!40103 SET TIME_ZONE='+00:00' *\/;
 * INSERT INTO `t` (`a`,`b`) VALUES
 * (1,'x'),
 * (2,'y');
 * ```
 * Invariants:
 * - A statement never exceeds `statementSize` bytes unless its single row alone does (a wide row gets a
 *   statement of its own, as mydumper/Dumpling do). Every line ends in `,` or `;` and no value contains a raw
 *   line break (row-encoder.ts), so line-based loaders (myloader) split statements correctly.
 * - A file is closed after the statement that makes it reach `fileSize` bytes; the next statement starts
 *   `{db}.{table}.{chunk}{file+1}.sql`. No file is created for a chunk without rows.
 * - Memory is bounded: rows are encoded into the regions of a {@link WriteWorkspace} (one per worker,
 *   reused across chunks); a full region is handed to the file system and the next free one is used. Above
 *   `maxPendingBytes` queued for writing `onPressure(true)` asks the producer to pause (the dump pauses the
 *   connection), below half of it `onPressure(false)`; the workspace has regions to spare for what arrives
 *   meanwhile, and falls back to a temporary buffer if none is free. A row wider than a region gets a
 *   buffer of its own.
 * - Files are written in order, each by one chain of writes; `finish()` resolves when everything is on
 *   disk (closed), `abort()` closes without completing the statement. The first write error is reported by
 *   `finish()` and stops further writes.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { quoteId } from '../../mysql/identifier.js';
import { DATA_FILE_HEADER, dataFileName } from './dump-files.js';
import { RowEncoder, type ColumnInfo } from './row-encoder.js';

export interface ChunkWriterOptions {
  readonly dir: string;
  readonly db: string;
  readonly table: string;
  readonly chunkIndex: number;
  /** The dumped columns, in SELECT order. */
  readonly columns: readonly ColumnInfo[];
  /** Max bytes of one INSERT statement (including `;\n`). */
  readonly statementSize: number;
  /** Start a new file once a file reaches this many bytes; 0 = never. */
  readonly fileSize: number;
  /** Output buffer size: bytes collected before a write; default 1 MiB. */
  readonly bufferSize?: number;
  /** Bytes queued for writing above which the producer is asked to pause; default 8 MiB. */
  readonly maxPendingBytes?: number;
  onPressure?(high: boolean): void;
  /** Called after bytes reached the file system (for progress). */
  onWritten?(bytes: number): void;
}

const FILE_HEADER = Buffer.from(DATA_FILE_HEADER, 'latin1');
const COMMA = 0x2c;
const NL = 0x0a;
const SEMI = 0x3b;

/** One worker's encoding memory: a staging area for the row encoder, then equal regions for output. */
export class WriteWorkspace {
  readonly buf: Buffer;
  readonly stageSize: number;
  readonly regionSize: number;
  readonly regions: number;
  /** 1 while a write of that region is in flight. */
  readonly busy: Uint8Array;
  /** The region handed out last (the search for a free one starts after it). */
  last = -1;

  constructor(opts: { stageSize?: number; regionSize?: number; maxPendingBytes?: number } = {}) {
    this.stageSize = opts.stageSize ?? 128 * 1024;
    this.regionSize = Math.max(64 * 1024, opts.regionSize ?? 1 << 20);
    const pending = Math.max(this.regionSize * 2, opts.maxPendingBytes ?? 8 << 20);
    this.regions = Math.ceil(pending / this.regionSize) + 3;
    this.buf = Buffer.allocUnsafeSlow(this.stageSize + this.regions * this.regionSize);
    this.busy = new Uint8Array(this.regions);
  }

  base(region: number): number {
    return this.stageSize + region * this.regionSize;
  }

  /** A free region (marked in use by the caller when written), or -1. */
  take(): number {
    for (let k = 1; k <= this.regions; k++) {
      const r = (this.last + k) % this.regions;
      if (!this.busy[r]) {
        this.last = r;
        return r;
      }
    }
    return -1;
  }

  get maxPendingBytes(): number {
    return (this.regions - 3) * this.regionSize;
  }
}

/** One data file being written: an ordered chain of writes to one handle. */
class FileSink {
  private readonly handle: Promise<FileHandle>;
  private tail: Promise<void> = Promise.resolve();
  error: Error | undefined;

  constructor(
    readonly file: string,
    private readonly done: (bytes: number, region: number) => void,
  ) {
    this.handle = open(file, 'wx');
    // an open failure is reported through the first write (or close)
    this.handle.catch(() => undefined);
  }

  /** Writes `data` (a view the caller keeps unchanged until `done`). */
  write(data: Buffer, region: number): void {
    this.tail = this.tail.then(async () => {
      try {
        if (this.error) return;
        const h = await this.handle;
        let off = 0;
        while (off < data.length) {
          const { bytesWritten } = await h.write(data, off, data.length - off);
          off += bytesWritten;
        }
      } catch (e) {
        this.error ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        this.done(data.length, region);
      }
    });
  }

  async close(): Promise<void> {
    await this.tail;
    try {
      await (await this.handle).close();
    } catch (e) {
      this.error ??= e instanceof Error ? e : new Error(String(e));
    }
  }
}

export class ChunkWriter {
  private readonly ws: WriteWorkspace;
  private readonly enc: RowEncoder;
  private readonly insertHeader: Buffer;
  private readonly maxPending: number;
  /** Current output: the workspace buffer (region ≥ 0) or a buffer of its own (region -1). */
  private out: Buffer;
  private region = -1;
  private base = 0;
  private pos = 0;
  private limit = 0;
  private inStatement = false;
  private stmtBytes = 0;
  /** Bytes of the current file, written or buffered. */
  private fileBytes = 0;
  private fileIndex = 0;
  private sink: FileSink | undefined;
  private readonly closing: Promise<void>[] = [];
  private pending = 0;
  private pressured = false;
  private failed: Error | undefined;
  rows = 0;
  /** Bytes that reached the file system. */
  written = 0;
  readonly files: string[] = [];

  constructor(
    private readonly o: ChunkWriterOptions,
    workspace?: WriteWorkspace,
  ) {
    this.ws = workspace ?? new WriteWorkspace({ regionSize: o.bufferSize, maxPendingBytes: o.maxPendingBytes });
    this.enc = new RowEncoder(o.columns, this.ws.buf, this.ws.stageSize);
    this.insertHeader = Buffer.from(`INSERT INTO ${quoteId(o.table)} (${o.columns.map((c) => quoteId(c.name)).join(',')}) VALUES\n`, 'utf8');
    this.maxPending = Math.min(this.ws.maxPendingBytes, Math.max(this.ws.regionSize * 2, o.maxPendingBytes ?? 8 << 20));
    this.out = this.ws.buf;
    this.nextOutput(0);
  }

  /** Appends one text-protocol row payload (`src[start, end)`). Synchronous; may ask for a pause. */
  addRow(src: Buffer, start: number, end: number): void {
    this.ensure(this.enc.maxEncodedSize(end - start) + this.insertHeader.length + FILE_HEADER.length + 4);
    this.rows++;
    if (!this.inStatement) {
      this.beginStatement();
      const o = this.enc.encode(src, start, end, this.out, this.pos);
      this.stmtBytes += o - this.pos;
      this.fileBytes += o - this.pos;
      this.pos = o;
      return;
    }
    // encode after room for ",\n"; the common case needs no move
    const out = this.out;
    const rowStart = this.pos + 2;
    const o = this.enc.encode(src, start, end, out, rowStart);
    const len = o - rowStart;
    if (this.stmtBytes + 2 + len + 2 <= this.o.statementSize) {
      out[this.pos] = COMMA;
      out[this.pos + 1] = NL;
      this.pos = o;
      this.stmtBytes += 2 + len;
      this.fileBytes += 2 + len;
      return;
    }
    // the row starts a new statement (maybe in a new file): keep it aside, end the statement
    const row = Buffer.from(out.subarray(rowStart, o));
    this.endStatement();
    this.ensure(row.length + this.insertHeader.length + FILE_HEADER.length);
    this.beginStatement();
    row.copy(this.out, this.pos);
    this.pos += row.length;
    this.stmtBytes += row.length;
    this.fileBytes += row.length;
  }

  /** Ends the last statement and waits until every byte is written and every file closed. */
  async finish(): Promise<void> {
    if (this.inStatement) this.endStatement();
    this.flush();
    await this.closeSink();
    await Promise.all(this.closing);
    if (this.failed) throw this.failed;
  }

  /** Stops without completing: closes the open file (its content is incomplete). */
  async abort(): Promise<void> {
    this.pos = this.base;
    await this.closeSink();
    await Promise.all(this.closing);
  }

  /** Makes room for `need` bytes at `pos`. */
  private ensure(need: number): void {
    if (this.pos + need <= this.limit) return;
    this.flush();
    if (this.pos + need > this.limit) this.nextOutput(need);
  }

  /** Switches to a free workspace region, or to a buffer of its own when none is free or `need` is bigger. */
  private nextOutput(need: number): void {
    const r = need <= this.ws.regionSize ? this.ws.take() : -1;
    this.region = r;
    if (r >= 0) {
      this.out = this.ws.buf;
      this.base = this.ws.base(r);
      this.limit = this.base + this.ws.regionSize;
    } else {
      this.out = Buffer.allocUnsafeSlow(Math.max(need, this.ws.regionSize));
      this.base = 0;
      this.limit = this.out.length;
    }
    this.pos = this.base;
  }

  private beginStatement(): void {
    if (!this.sink) this.openFile();
    this.insertHeader.copy(this.out, this.pos);
    this.pos += this.insertHeader.length;
    this.stmtBytes = this.insertHeader.length;
    this.fileBytes += this.insertHeader.length;
    this.inStatement = true;
  }

  private endStatement(): void {
    this.out[this.pos++] = SEMI;
    this.out[this.pos++] = NL;
    this.fileBytes += 2;
    this.inStatement = false;
    if (this.o.fileSize > 0 && this.fileBytes >= this.o.fileSize) {
      this.flush();
      void this.closeSink();
      this.fileIndex++;
    }
  }

  private openFile(): void {
    const name = dataFileName(this.o.db, this.o.table, this.o.chunkIndex, this.fileIndex);
    this.files.push(name);
    this.sink = new FileSink(path.join(this.o.dir, name), (bytes, region) => this.onWriteDone(bytes, region));
    FILE_HEADER.copy(this.out, this.pos);
    this.pos += FILE_HEADER.length;
    this.fileBytes = FILE_HEADER.length;
  }

  private closeSink(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    if (!sink) return Promise.resolve();
    const p = sink.close().then(() => {
      if (sink.error) this.failed ??= sink.error;
    });
    this.closing.push(p);
    return p;
  }

  /** Hands the buffered bytes to the current file and moves to the next region. */
  private flush(): void {
    if (this.pos === this.base) return;
    if (!this.sink) {
      this.pos = this.base;
      return;
    }
    const len = this.pos - this.base;
    this.pending += len;
    if (this.region >= 0) this.ws.busy[this.region] = 1;
    this.sink.write(this.out.subarray(this.base, this.pos), this.region);
    this.nextOutput(0);
    if (!this.pressured && this.pending > this.maxPending) {
      this.pressured = true;
      this.o.onPressure?.(true);
    }
  }

  private onWriteDone(bytes: number, region: number): void {
    if (region >= 0) this.ws.busy[region] = 0;
    this.pending -= bytes;
    this.written += bytes;
    this.o.onWritten?.(bytes);
    if (this.pressured && this.pending <= this.maxPending / 2) {
      this.pressured = false;
      this.o.onPressure?.(false);
    }
  }
}
