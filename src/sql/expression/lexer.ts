/**
 * Tokenizer for MySQL scalar expressions (the language of DM expression filters, see
 * docs/expression-filter.md). Pure: text in, tokens out.
 */

/** A syntax or binding problem in an expression; `pos` is the 0-based character offset when known. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly pos?: number,
  ) {
    super(pos === undefined ? message : `${message} at position ${pos}`);
    this.name = 'ExpressionError';
  }
}

export type Token =
  | { readonly kind: 'int'; readonly text: string; readonly pos: number }
  | { readonly kind: 'decimal'; readonly text: string; readonly pos: number }
  | { readonly kind: 'float'; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  /** Hex (`X'4A'`, `0x4A`) and bit (`b'101'`, `0b101`) literals, as an unsigned integer. */
  | { readonly kind: 'bits'; readonly value: bigint; readonly pos: number }
  /** `quoted` for backquoted identifiers, which are never keywords or function names. */
  | { readonly kind: 'ident'; readonly name: string; readonly quoted: boolean; readonly pos: number }
  | { readonly kind: 'op'; readonly op: string; readonly pos: number }
  | { readonly kind: 'eof'; readonly pos: number };

const OPS = ['<=>', '<>', '!=', '<=', '>=', '&&', '||', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '!', '.'];

const ESCAPES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$\u0080-\uffff]/.test(c);
}
function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    // hex / bit literals: X'..', B'..', 0x.., 0b..
    const hb = /^(?:[xX]'([0-9A-Fa-f]*)'|[bB]'([01]*)'|0x([0-9A-Fa-f]+)(?![A-Za-z0-9_$])|0b([01]+)(?![A-Za-z0-9_$]))/.exec(src.slice(i));
    if (hb) {
      const hex = hb[1] ?? hb[3];
      if (hb[1] !== undefined && hb[1].length % 2 === 1) throw new ExpressionError('hex literal must have an even number of digits', start);
      const value = hex !== undefined ? (hex === '' ? 0n : BigInt('0x' + hex)) : (hb[2] ?? hb[4]) === '' ? 0n : BigInt('0b' + (hb[2] ?? hb[4] ?? '0'));
      out.push({ kind: 'bits', value, pos: start });
      i += hb[0].length;
      continue;
    }
    const num = /^(?:\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && !(num[0] === '.' )) {
      const text = num[0];
      const next = src[i + text.length];
      if (next !== undefined && isIdentPart(next) && num[1] === undefined && num[2] === undefined && !text.startsWith('.')) {
        // identifiers may start with digits (`1col`)
        const m = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(src.slice(i));
        const name = m?.[0] ?? text;
        out.push({ kind: 'ident', name, quoted: false, pos: start });
        i += name.length;
        continue;
      }
      const kind = num[2] !== undefined ? 'float' : num[1] !== undefined || text.startsWith('.') ? 'decimal' : 'int';
      out.push({ kind, text, pos: start });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new ExpressionError('unterminated string literal', start);
        const d = src[i] as string;
        if (d === '\\') {
          const e = src[i + 1];
          if (e === undefined) throw new ExpressionError('unterminated string literal', start);
          value += ESCAPES[e] ?? e;
          i += 2;
        } else if (d === c) {
          if (src[i + 1] === c) {
            value += c;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += d;
          i++;
        }
      }
      out.push({ kind: 'string', value, pos: start });
      continue;
    }
    if (c === '`') {
      let name = '';
      i++;
      for (;;) {
        if (i >= n) throw new ExpressionError('unterminated quoted identifier', start);
        const d = src[i] as string;
        if (d === '`') {
          if (src[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += d;
        i++;
      }
      out.push({ kind: 'ident', name, quoted: true, pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(src[j] as string)) j++;
      out.push({ kind: 'ident', name: src.slice(i, j), quoted: false, pos: start });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new ExpressionError(`unexpected character '${c}'`, start);
    out.push({ kind: 'op', op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'eof', pos: n });
  return out;
}
