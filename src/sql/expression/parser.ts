/**
 * Pratt parser for MySQL scalar expressions (DM expression filters). Produces an {@link Expr} tree;
 * see evaluator.ts for the semantics and docs/expression-filter.md for the supported syntax.
 *
 * Precedence, lowest first (as MySQL): OR || · XOR · AND && · NOT · comparison (= <=> <> != < <= > >=
 * IS LIKE IN BETWEEN) · + - · * / DIV % MOD · unary - · !
 */
import { ExpressionError, tokenize, type Token } from './lexer.js';

export type Literal =
  | { readonly kind: 'null' }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'decimal'; readonly text: string }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export type BinaryOp = '+' | '-' | '*' | '/' | 'DIV' | '%' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '<=>' | 'AND' | 'OR' | 'XOR';

export type Expr =
  | { readonly t: 'lit'; readonly lit: Literal }
  | { readonly t: 'col'; readonly name: string }
  | { readonly t: 'neg'; readonly e: Expr }
  | { readonly t: 'not'; readonly e: Expr }
  | { readonly t: 'bin'; readonly op: BinaryOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'is'; readonly e: Expr; readonly what: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN'; readonly not: boolean }
  | { readonly t: 'between'; readonly e: Expr; readonly lo: Expr; readonly hi: Expr; readonly not: boolean }
  | { readonly t: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly t: 'like'; readonly e: Expr; readonly pattern: Expr; readonly escape: string; readonly not: boolean }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly t: 'case'; readonly operand: Expr | undefined; readonly whens: readonly (readonly [Expr, Expr])[]; readonly else: Expr | undefined };

const BP = { OR: 1, XOR: 2, AND: 3, NOT: 4, CMP: 5, ADD: 7, MUL: 8, NEG: 10, BANG: 11 } as const;

const CMP_OPS: Readonly<Record<string, BinaryOp>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '<=>': '<=>' };

/** Parses one expression (the whole input). Throws {@link ExpressionError} on a syntax error. */
export function parseExpression(src: string): Expr {
  const p = new Parser(tokenize(src));
  if (p.peek().kind === 'eof') throw new ExpressionError('empty expression', 0);
  const e = p.expr(0);
  const end = p.peek();
  if (end.kind !== 'eof') throw new ExpressionError(`unexpected ${describe(end)}`, end.pos);
  return e;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of expression';
    case 'op':
      return `'${t.op}'`;
    case 'ident':
      return `'${t.name}'`;
    case 'string':
      return 'string literal';
    default:
      return 'literal';
  }
}

class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isKw(t: Token, kw: string): boolean {
    return t.kind === 'ident' && !t.quoted && t.name.toUpperCase() === kw;
  }
  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.op === op;
  }
  private expectOp(op: string): void {
    const t = this.next();
    if (!this.isOp(t, op)) throw new ExpressionError(`expected '${op}' but found ${describe(t)}`, t.pos);
  }
  private expectKw(kw: string): void {
    const t = this.next();
    if (!this.isKw(t, kw)) throw new ExpressionError(`expected ${kw} but found ${describe(t)}`, t.pos);
  }

  expr(minBp: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const bp = this.infixBp(t);
      if (bp === undefined || bp <= minBp) return left;
      left = this.infix(left, bp);
    }
  }

  private infixBp(t: Token): number | undefined {
    if (t.kind === 'op') {
      if (t.op === '||') return BP.OR;
      if (t.op === '&&') return BP.AND;
      if (t.op in CMP_OPS) return BP.CMP;
      if (t.op === '+' || t.op === '-') return BP.ADD;
      if (t.op === '*' || t.op === '/' || t.op === '%') return BP.MUL;
      return undefined;
    }
    if (t.kind !== 'ident' || t.quoted) return undefined;
    switch (t.name.toUpperCase()) {
      case 'OR':
        return BP.OR;
      case 'XOR':
        return BP.XOR;
      case 'AND':
        return BP.AND;
      case 'IS':
      case 'LIKE':
      case 'IN':
      case 'BETWEEN':
        return BP.CMP;
      case 'NOT': {
        const n = this.peek(1);
        return this.isKw(n, 'LIKE') || this.isKw(n, 'IN') || this.isKw(n, 'BETWEEN') ? BP.CMP : undefined;
      }
      case 'DIV':
      case 'MOD':
        return BP.MUL;
      default:
        return undefined;
    }
  }

  private infix(left: Expr, bp: number): Expr {
    const t = this.next();
    if (t.kind === 'op') {
      const cmp = CMP_OPS[t.op];
      if (cmp !== undefined) return { t: 'bin', op: cmp, l: left, r: this.expr(bp) };
      const op: BinaryOp = t.op === '||' ? 'OR' : t.op === '&&' ? 'AND' : (t.op as BinaryOp);
      return { t: 'bin', op, l: left, r: this.expr(bp) };
    }
    const kw = (t as { name: string }).name.toUpperCase();
    switch (kw) {
      case 'OR':
      case 'XOR':
      case 'AND':
        return { t: 'bin', op: kw, l: left, r: this.expr(bp) };
      case 'DIV':
        return { t: 'bin', op: 'DIV', l: left, r: this.expr(bp) };
      case 'MOD':
        return { t: 'bin', op: '%', l: left, r: this.expr(bp) };
      case 'IS': {
        let not = false;
        if (this.isKw(this.peek(), 'NOT')) {
          this.next();
          not = true;
        }
        const w = this.next();
        for (const what of ['NULL', 'TRUE', 'FALSE', 'UNKNOWN'] as const) if (this.isKw(w, what)) return { t: 'is', e: left, what, not };
        throw new ExpressionError(`expected NULL, TRUE, FALSE or UNKNOWN after IS but found ${describe(w)}`, w.pos);
      }
      case 'NOT':
        return this.negatable(left, this.next(), true, bp);
      default:
        return this.negatable(left, t, false, bp);
    }
  }

  private negatable(left: Expr, t: Token, not: boolean, bp: number): Expr {
    if (this.isKw(t, 'LIKE')) {
      const pattern = this.expr(bp);
      let escape = '\\';
      if (this.isKw(this.peek(), 'ESCAPE')) {
        this.next();
        const s = this.next();
        if (s.kind !== 'string' || [...s.value].length > 1) throw new ExpressionError('ESCAPE needs a one-character string literal', s.pos);
        escape = s.value === '' ? '\\' : s.value;
      }
      return { t: 'like', e: left, pattern, escape, not };
    }
    if (this.isKw(t, 'IN')) {
      this.expectOp('(');
      const list = this.args();
      if (list.length === 0) throw new ExpressionError('IN needs at least one value', t.pos);
      return { t: 'in', e: left, list, not };
    }
    // BETWEEN lo AND hi: the bounds bind tighter than AND
    const lo = this.expr(BP.CMP);
    this.expectKw('AND');
    const hi = this.expr(BP.CMP);
    return { t: 'between', e: left, lo, hi, not };
  }

  /** Comma-separated expressions up to and including ')'; the '(' is already consumed. */
  private args(): Expr[] {
    const out: Expr[] = [];
    if (this.isOp(this.peek(), ')')) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.expr(0));
      const t = this.next();
      if (this.isOp(t, ')')) return out;
      if (!this.isOp(t, ',')) throw new ExpressionError(`expected ',' or ')' but found ${describe(t)}`, t.pos);
    }
  }

  private prefix(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'int':
        return { t: 'lit', lit: { kind: 'int', value: BigInt(t.text) } };
      case 'decimal':
        return { t: 'lit', lit: { kind: 'decimal', text: t.text } };
      case 'float':
        return { t: 'lit', lit: { kind: 'float', value: Number(t.text) } };
      case 'string':
        return { t: 'lit', lit: { kind: 'string', value: t.value } };
      case 'bits':
        return { t: 'lit', lit: { kind: 'int', value: t.value } };
      case 'eof':
        throw new ExpressionError('unexpected end of expression', t.pos);
      case 'op':
        if (t.op === '(') {
          const e = this.expr(0);
          this.expectOp(')');
          return e;
        }
        if (t.op === '-') return { t: 'neg', e: this.expr(BP.NEG) };
        if (t.op === '+') return this.expr(BP.NEG);
        if (t.op === '!') return { t: 'not', e: this.expr(BP.BANG) };
        throw new ExpressionError(`unexpected ${describe(t)}`, t.pos);
      case 'ident':
        return this.identifier(t);
    }
  }

  private identifier(t: Token & { kind: 'ident' }): Expr {
    if (!t.quoted) {
      const kw = t.name.toUpperCase();
      if (kw === 'NULL') return { t: 'lit', lit: { kind: 'null' } };
      if (kw === 'TRUE') return { t: 'lit', lit: { kind: 'int', value: 1n } };
      if (kw === 'FALSE') return { t: 'lit', lit: { kind: 'int', value: 0n } };
      if (kw === 'NOT') return { t: 'not', e: this.expr(BP.NOT) };
      if (kw === 'CASE') return this.caseExpr();
      if (this.isOp(this.peek(), '(')) {
        this.next();
        return { t: 'call', name: kw, args: this.args() };
      }
      if (['AND', 'OR', 'XOR', 'IS', 'LIKE', 'IN', 'BETWEEN', 'DIV', 'MOD', 'WHEN', 'THEN', 'ELSE', 'END', 'ESCAPE'].includes(kw)) {
        throw new ExpressionError(`unexpected keyword ${kw}`, t.pos);
      }
    }
    // qualified names (`db`.`t`.`c`, t.c): the column is the last part
    let name = t.name;
    while (this.isOp(this.peek(), '.')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'ident') throw new ExpressionError(`expected a column name after '.' but found ${describe(part)}`, part.pos);
      name = part.name;
    }
    return { t: 'col', name };
  }

  private caseExpr(): Expr {
    const operand = this.isKw(this.peek(), 'WHEN') ? undefined : this.expr(0);
    const whens: [Expr, Expr][] = [];
    while (this.isKw(this.peek(), 'WHEN')) {
      this.next();
      const cond = this.expr(0);
      this.expectKw('THEN');
      whens.push([cond, this.expr(0)]);
    }
    if (whens.length === 0) throw new ExpressionError('CASE needs at least one WHEN', this.peek().pos);
    let elseExpr: Expr | undefined;
    if (this.isKw(this.peek(), 'ELSE')) {
      this.next();
      elseExpr = this.expr(0);
    }
    this.expectKw('END');
    return { t: 'case', operand, whens, else: elseExpr };
  }
}
