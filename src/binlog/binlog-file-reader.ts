/**
 * Reads a binlog (or relay log) file from disk as a sequence of events. The file is read in large chunks
 * and split on the event-size field of each header, so memory stays bounded by the chunk size plus the
 * largest single event.
 *
 * Invariants: the file must start with the binlog magic; offsets come from walking sizes, not from
 * log_pos (which is relative to the master's file in relay logs); a truncated last event or an impossible
 * size is a DmError naming the file and offset.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { BINLOG_MAGIC, EVENT_HEADER_LEN } from './event-type.js';
import { EventDecoder, type EventDecoderOptions } from './event-decoder.js';
import type { BinlogEvent } from './events.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

export interface RawEventAt {
  /** The event's bytes: a view into a read chunk that is never reused, so it stays valid. */
  readonly raw: Buffer;
  /** Offset of the event in the file. */
  readonly offset: number;
}

export interface FileReadOptions {
  /** Offset to start at (must be an event boundary; default 4, right after the magic). */
  start?: number;
  /** Read chunk size in bytes (default 4 MiB). */
  chunkSize?: number;
}

/** Yields batches of raw events (batching keeps async overhead off the per-event path). */
export async function* readRawEventBatches(file: string, opts: FileReadOptions = {}): AsyncGenerator<RawEventAt[]> {
  const chunkSize = opts.chunkSize ?? 4 << 20;
  const fh = await open(file, 'r').catch((e: unknown) => {
    throw DmError.of(E.BinlogFileNotValid, [file, e instanceof Error ? e.message : String(e)], { cause: e });
  });
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await fh.read(magic, 0, 4, 0);
    if (bytesRead < 4 || !magic.equals(BINLOG_MAGIC)) {
      throw DmError.of(E.BinlogFileNotValid, [file, `no binlog magic header (got ${magic.subarray(0, bytesRead).toString('hex') || 'an empty file'})`]);
    }
    let buf = Buffer.allocUnsafe(chunkSize);
    let filePos = Math.max(4, opts.start ?? 4); // file offset of buf[0]
    let len = 0; // valid bytes in buf
    let eof = false;
    for (;;) {
      if (!eof && len < buf.length) {
        const { bytesRead: n } = await fh.read(buf, len, buf.length - len, filePos + len);
        if (n === 0) eof = true;
        len += n;
      }
      const batch: RawEventAt[] = [];
      let p = 0;
      while (len - p >= EVENT_HEADER_LEN) {
        const size = buf.readUInt32LE(p + 9);
        if (size < EVENT_HEADER_LEN) {
          throw DmError.of(E.BinlogEventDecode, [`event at ${path.basename(file)}:${filePos + p}: impossible event size ${size}`]);
        }
        if (len - p < size) break;
        batch.push({ raw: buf.subarray(p, p + size), offset: filePos + p });
        p += size;
      }
      if (batch.length > 0) yield batch;
      // keep the unconsumed tail; grow the buffer when a single event is larger than it
      const tail = len - p;
      const need = tail >= EVENT_HEADER_LEN ? buf.readUInt32LE(p + 9) : EVENT_HEADER_LEN;
      const next = need > buf.length ? Buffer.allocUnsafe(Math.max(need, buf.length * 2)) : batch.length > 0 ? Buffer.allocUnsafe(buf.length) : buf;
      if (next !== buf || p > 0) buf.copy(next, 0, p, len);
      buf = next;
      filePos += p;
      len = tail;
      if (eof && batch.length === 0) {
        if (len === 0) return;
        const size = len >= EVENT_HEADER_LEN ? buf.readUInt32LE(9) : undefined;
        throw DmError.of(E.BinlogEventDecode, [
          `truncated event at ${path.basename(file)}:${filePos}: ${size !== undefined ? `header says ${size} bytes` : 'incomplete header'}, only ${len} byte(s) left in the file`,
        ]);
      }
    }
  } finally {
    await fh.close();
  }
}

/**
 * Decodes every event of a binlog file in order, from `opts.start` on. Starting past the first event still
 * decodes the file's FORMAT_DESCRIPTION (not yielded): checksums and post-header lengths come from it.
 */
export async function* readBinlogFile(file: string, opts: FileReadOptions & EventDecoderOptions = {}): AsyncGenerator<BinlogEvent> {
  const name = path.basename(file);
  const decoder = new EventDecoder({ ...opts, file: opts.file ?? name, source: opts.source ?? name });
  if ((opts.start ?? 4) > 4) {
    for await (const [first] of readRawEventBatches(file, { ...opts, start: 4 })) {
      if (first) decoder.decode(first.raw, first.offset);
      break;
    }
  }
  for await (const batch of readRawEventBatches(file, opts)) {
    for (const { raw, offset } of batch) yield decoder.decode(raw, offset);
  }
}
