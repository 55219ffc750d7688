/**
 * Streams a .sql dump file as statements: reads fixed-size chunks (never the whole file), splits them with
 * {@link SqlSplitter}, and hands out each statement with its exact byte range. A statement larger than a chunk
 * is assembled from the pieces. Text is latin1 (one char per byte) so the bytes go back to the server unchanged.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { SqlSplitter } from './sql-splitter.js';
import { classifyStatement } from './sql-statement.js';

export interface Statement {
  /** Offset of the statement's first byte (leading whitespace and comments included). */
  readonly start: number;
  /** Offset just past its terminating `;` (or the end of the file for a final unterminated statement). */
  readonly end: number;
  readonly bytes: Buffer;
}

export interface SqlFileReaderOptions {
  chunkSize?: number;
  /** The file's size when known: small files get small buffers. */
  size?: number;
  noBackslashEscapes?: boolean;
}

export class SqlFileReader {
  private fh: FileHandle | undefined;
  private readonly splitter: SqlSplitter;
  private readonly chunkSize: number;
  private pos = 0;
  /** Start of the statement being assembled and the pieces of it read so far. */
  private stmtStart = 0;
  private pending: Buffer[] = [];
  private eof = false;

  constructor(
    readonly path: string,
    opts: SqlFileReaderOptions = {},
  ) {
    this.splitter = new SqlSplitter({ noBackslashEscapes: opts.noBackslashEscapes ?? false });
    this.chunkSize = Math.max(1, Math.min(opts.chunkSize ?? 4 << 20, opts.size !== undefined ? opts.size + 1 : Infinity));
  }

  /** Byte offset read up to. */
  get position(): number {
    return this.pos;
  }

  /**
   * The statements completed by the next chunk (possibly none), or null at the end of the file. At the end,
   * text after the last `;` that is not just whitespace and comments is returned as a final statement; if the
   * file ends inside a string, identifier or comment, {@link UnterminatedStatementError} is thrown.
   */
  async next(): Promise<Statement[] | null> {
    if (this.eof) return null;
    this.fh ??= await open(this.path, 'r');
    const buf = Buffer.allocUnsafe(this.chunkSize);
    const { bytesRead } = await this.fh.read(buf, 0, buf.length, this.pos);
    if (bytesRead === 0) {
      this.eof = true;
      return this.finish();
    }
    const chunk = buf.subarray(0, bytesRead);
    const base = this.pos;
    const ends: number[] = [];
    this.splitter.feed(chunk, base, ends);
    this.pos += bytesRead;
    const out: Statement[] = [];
    let from = 0; // offset in chunk of the current statement's (rest of) bytes
    for (const e of ends) {
      const upto = e - base;
      let bytes = chunk.subarray(from, upto);
      if (this.pending.length > 0) {
        this.pending.push(bytes);
        bytes = Buffer.concat(this.pending);
        this.pending = [];
      }
      out.push({ start: this.stmtStart, end: e, bytes });
      this.stmtStart = e;
      from = upto;
    }
    if (from < bytesRead) this.pending.push(chunk.subarray(from));
    return out;
  }

  private finish(): Statement[] | null {
    if (this.pending.length === 0) return null;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    const text = bytes.toString('latin1');
    if (classifyStatement(text) === 'empty' && this.splitter.atTopLevel) return null;
    if (!this.splitter.atTopLevel) throw new UnterminatedStatementError(this.path, this.stmtStart, this.splitter.openConstruct ?? 'a statement');
    return [{ start: this.stmtStart, end: this.pos, bytes }];
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}

export class UnterminatedStatementError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly inside: string,
  ) {
    super(`${file}: the statement starting at byte ${offset} is not terminated (the file ends inside ${inside})`);
    this.name = 'UnterminatedStatementError';
  }
}
