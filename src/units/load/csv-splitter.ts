/**
 * Record boundaries of a Dumpling CSV data file, incrementally over raw bytes: a record ends at `\n` outside a
 * `"…"` field; a backslash escapes the next byte (Dumpling's default `--escape-backslash`), a doubled `""`
 * inside a field is a quote. The load unit cuts CSV files into batches at these boundaries and sends each
 * batch as one `LOAD DATA LOCAL INFILE`.
 */

export interface CsvDialect {
  /** Field separator (Dumpling `--csv-separator`, default `,`). */
  readonly separator: string;
  /** Quote (Dumpling `--csv-delimiter`, default `"`); empty for none. */
  readonly quote: string;
  /** Escape character; empty for none. */
  readonly escape: string;
}

export const DUMPLING_CSV: CsvDialect = { separator: ',', quote: '"', escape: '\\' };

export class CsvSplitter {
  private inQuote = false;
  private escaped = false;
  private readonly q: number;
  private readonly esc: number;

  constructor(d: CsvDialect = DUMPLING_CSV) {
    this.q = d.quote ? d.quote.charCodeAt(0) : -1;
    this.esc = d.escape ? d.escape.charCodeAt(0) : -1;
  }

  get atRecordBoundary(): boolean {
    return !this.inQuote && !this.escaped;
  }

  /** Appends to `ends` the absolute offset just past each record-ending `\n` in `buf` (first byte at `base`). */
  feed(buf: Uint8Array, base: number, ends: number[]): void {
    const n = buf.length;
    const q = this.q;
    const esc = this.esc;
    let inQuote = this.inQuote;
    let i = 0;
    if (this.escaped) {
      this.escaped = false;
      i = 1;
    }
    for (; i < n; i++) {
      const c = buf[i]!;
      if (c === esc) {
        if (i + 1 < n) i++;
        else this.escaped = true;
      } else if (c === q) inQuote = !inQuote;
      else if (c === 0x0a && !inQuote) ends.push(base + i + 1);
    }
    this.inQuote = inQuote;
  }
}

/** The fields of one CSV record (the header line), unquoted and unescaped. */
export function parseCsvRecord(line: string, d: CsvDialect = DUMPLING_CSV): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  const text = line.replace(/\r?\n$/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (d.escape && c === d.escape && i + 1 < text.length) {
      cur += text[++i];
    } else if (d.quote && c === d.quote) {
      if (inQuote && text[i + 1] === d.quote) {
        cur += c;
        i++;
      } else inQuote = !inQuote;
    } else if (!inQuote && text.startsWith(d.separator, i)) {
      out.push(cur);
      cur = '';
      i += d.separator.length - 1;
    } else cur += c;
  }
  out.push(cur);
  return out;
}
