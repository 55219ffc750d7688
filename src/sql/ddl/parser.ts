/**
 * Recursive-descent parser for the DDL dm-ts must understand. Statements it does not model become
 * `unsupported` nodes carrying their text; invalid syntax in modelled statements throws DdlParseError.
 */
import type {
  AlterSpec,
  ColumnDef,
  ColumnPosition,
  CreateTableStatement,
  DataType,
  IndexDef,
  KeyPart,
  Statement,
  TableName,
} from './ast.js';
import { DdlParseError, joinTokens, tokenize, type Token } from './lexer.js';

/** Parse exactly one statement (a trailing `;` is allowed). */
export function parseDDL(sql: string): Statement {
  const stmts = parseDDLs(sql);
  if (stmts.length !== 1) throw new DdlParseError(`expected one statement, found ${stmts.length}`, sql, 0);
  return stmts[0]!;
}

/** Parse `;`-separated statements. */
export function parseDDLs(sql: string): Statement[] {
  const p = new Parser(sql);
  const out: Statement[] = [];
  for (;;) {
    while (p.acceptOp(';'));
    if (p.peek().kind === 'eof') break;
    out.push(p.statement());
    if (p.peek().kind !== 'eof') p.expectOp(';');
  }
  return out;
}

const CONSTRAINT_WORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'CHECK']);

class Parser {
  private readonly toks: Token[];
  private i = 0;
  constructor(private readonly sql: string) {
    this.toks = tokenize(sql);
  }

  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  fail(msg: string, t: Token = this.peek()): never {
    throw new DdlParseError(`${msg}, found ${t.kind === 'eof' ? 'end of statement' : `'${t.text}'`}`, this.sql, t.pos);
  }
  isWord(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.value.toUpperCase() === w;
  }
  isWords(...ws: string[]): boolean {
    return ws.every((w, k) => this.isWord(w, k));
  }
  acceptWord(...ws: string[]): boolean {
    if (!this.isWords(...ws)) return false;
    this.i += ws.length;
    return true;
  }
  expectWord(...ws: string[]): void {
    for (const w of ws) if (!this.acceptWord(w)) this.fail(`expected ${w}`);
  }
  isOp(o: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === o;
  }
  acceptOp(o: string): boolean {
    if (!this.isOp(o)) return false;
    this.i++;
    return true;
  }
  expectOp(o: string): void {
    if (!this.acceptOp(o)) this.fail(`expected '${o}'`);
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof' || this.isOp(';');
  }

  ident(what = 'identifier'): string {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'quoted') {
      this.i++;
      return t.value;
    }
    return this.fail(`expected ${what}`);
  }
  /** An identifier or string (charset/collation/engine names). */
  name(what: string): string {
    const t = this.peek();
    if (t.kind === 'string') {
      this.i++;
      return t.value;
    }
    return this.ident(what);
  }
  tableName(): TableName {
    const a = this.ident('table name');
    if (this.isOp('.')) {
      this.i++;
      return { schema: a, name: this.ident('table name') };
    }
    return { name: a };
  }

  /** Raw tokens until (not including) a top-level token matching `stop`, or the statement end. */
  raw(stop: (t: Token) => boolean = () => false): string {
    const start = this.i;
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || (depth === 0 && (this.isOp(';') || stop(t)))) break;
      if (t.kind === 'op' && t.value === '(') depth++;
      if (t.kind === 'op' && t.value === ')') {
        if (depth === 0) break;
        depth--;
      }
      this.i++;
    }
    return joinTokens(this.toks.slice(start, this.i));
  }
  /** `( expr )` → raw expr. */
  parenExpr(): string {
    this.expectOp('(');
    const e = this.raw();
    this.expectOp(')');
    return e;
  }
  rawUntilCommaOrClose(): string {
    return this.raw((t) => t.kind === 'op' && t.value === ',');
  }
  optRaw(s: string): string | undefined {
    return s === '' ? undefined : s;
  }

  statement(): Statement {
    const start = this.i;
    const st = this.tryStatement();
    if (st) return st;
    this.i = start;
    const first = this.peek();
    let last = first;
    while (!this.atEnd()) last = this.next();
    return { type: 'unsupported', text: this.sql.slice(first.pos, last.end) };
  }

  private tryStatement(): Statement | undefined {
    if (this.acceptWord('CREATE')) {
      const orReplace = this.acceptWord('OR', 'REPLACE');
      const temporary = this.acceptWord('TEMPORARY');
      if (this.acceptWord('TABLE')) return this.createTable(temporary, orReplace);
      if (temporary) return undefined;
      if (this.acceptWord('DATABASE') || this.acceptWord('SCHEMA')) {
        const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
        const name = this.ident('database name');
        const options = this.optRaw(this.raw());
        return { type: 'createDatabase', name, ...(ifNotExists ? { ifNotExists } : {}), options };
      }
      if (!this.acceptWord('ONLINE')) this.acceptWord('OFFLINE');
      let kind: IndexDef['kind'] = 'index';
      if (this.acceptWord('UNIQUE')) kind = 'unique';
      else if (this.acceptWord('FULLTEXT')) kind = 'fulltext';
      else if (this.acceptWord('SPATIAL')) kind = 'spatial';
      if (!this.acceptWord('INDEX')) return undefined;
      const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
      const name = this.ident('index name');
      const using = this.acceptWord('USING') ? this.ident('index type') : undefined;
      this.expectWord('ON');
      const table = this.tableName();
      const columns = this.keyParts();
      const options = this.optRaw(this.raw());
      return {
        type: 'createIndex',
        table,
        index: { kind, name, ...(ifNotExists ? { ifNotExists } : {}), using, columns, options },
      };
    }
    if (this.acceptWord('ALTER')) {
      const mstart = this.i;
      while (this.isWord('ONLINE') || this.isWord('OFFLINE') || this.isWord('IGNORE')) this.i++;
      const modifiers = this.optRaw(joinTokens(this.toks.slice(mstart, this.i)));
      if (!this.acceptWord('TABLE')) return undefined;
      const table = this.tableName();
      const specs: AlterSpec[] = [];
      if (!this.atEnd()) {
        do specs.push(this.alterSpec());
        while (this.acceptOp(','));
      }
      if (!this.atEnd()) this.fail("expected ',' or end of statement");
      return { type: 'alterTable', table, modifiers, specs };
    }
    if (this.acceptWord('DROP')) {
      const temporary = this.acceptWord('TEMPORARY');
      if (this.acceptWord('TABLE') || this.acceptWord('TABLES')) {
        const ifExists = this.acceptWord('IF', 'EXISTS');
        const tables = [this.tableName()];
        while (this.acceptOp(',')) tables.push(this.tableName());
        let tail: string | undefined;
        if (this.isWord('RESTRICT') || this.isWord('CASCADE')) tail = this.next().value.toUpperCase();
        if (!this.atEnd()) this.fail("expected ',' or end of statement");
        return { type: 'dropTable', tables, ...(temporary ? { temporary } : {}), ...(ifExists ? { ifExists } : {}), tail };
      }
      if (temporary) return undefined;
      if (this.acceptWord('DATABASE') || this.acceptWord('SCHEMA')) {
        const ifExists = this.acceptWord('IF', 'EXISTS');
        const name = this.ident('database name');
        if (!this.atEnd()) this.fail('expected end of statement');
        return { type: 'dropDatabase', name, ...(ifExists ? { ifExists } : {}) };
      }
      if (!this.acceptWord('ONLINE')) this.acceptWord('OFFLINE');
      if (this.acceptWord('INDEX')) {
        const ifExists = this.acceptWord('IF', 'EXISTS');
        const name = this.ident('index name');
        this.expectWord('ON');
        const table = this.tableName();
        const tail = this.optRaw(this.raw());
        return { type: 'dropIndex', name, table, ...(ifExists ? { ifExists } : {}), tail };
      }
      return undefined;
    }
    if (this.acceptWord('RENAME')) {
      if (!this.acceptWord('TABLE') && !this.acceptWord('TABLES')) return undefined;
      const pairs: { from: TableName; to: TableName }[] = [];
      do {
        const from = this.tableName();
        this.expectWord('TO');
        pairs.push({ from, to: this.tableName() });
      } while (this.acceptOp(','));
      if (!this.atEnd()) this.fail("expected ',' or end of statement");
      return { type: 'renameTable', pairs };
    }
    if (this.acceptWord('TRUNCATE')) {
      this.acceptWord('TABLE');
      const table = this.tableName();
      if (!this.atEnd()) this.fail('expected end of statement');
      return { type: 'truncateTable', table };
    }
    return undefined;
  }

  private createTable(temporary: boolean, orReplace: boolean): CreateTableStatement {
    const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
    const table = this.tableName();
    const st: CreateTableStatement = {
      type: 'createTable',
      table,
      ...(temporary ? { temporary } : {}),
      ...(orReplace ? { orReplace } : {}),
      ...(ifNotExists ? { ifNotExists } : {}),
      columns: [],
      constraints: [],
    };
    if (this.acceptWord('LIKE')) {
      st.like = this.tableName();
    } else if (this.isOp('(') && this.isWord('LIKE', 1)) {
      this.i += 2;
      st.like = this.tableName();
      this.expectOp(')');
    } else if (this.acceptOp('(')) {
      do {
        if (this.peek().kind === 'word' && CONSTRAINT_WORDS.has(this.peek().value.toUpperCase())) {
          st.constraints.push(this.indexDef());
        } else {
          st.columns.push(this.columnDef());
        }
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    const options = this.raw();
    if (options !== '') st.options = options;
    return st;
  }

  dataType(): DataType {
    const t = this.peek();
    if (t.kind !== 'word') this.fail('expected data type');
    this.i++;
    let name = t.value.toUpperCase();
    if (name === 'DOUBLE' && this.acceptWord('PRECISION')) name = 'DOUBLE PRECISION';
    else if (name === 'LONG' && (this.isWord('VARCHAR') || this.isWord('VARBINARY'))) name = `LONG ${this.next().value.toUpperCase()}`;
    else if (name === 'NATIONAL') name = `NATIONAL ${this.ident('type').toUpperCase()}`;
    else if ((name === 'CHAR' || name === 'CHARACTER') && this.acceptWord('VARYING')) name = `${name} VARYING`;
    const dt: DataType = { name };
    if (name === 'ENUM' || name === 'SET') {
      this.expectOp('(');
      dt.values = [];
      do {
        const s = this.next();
        if (s.kind !== 'string') this.fail('expected string', s);
        dt.values.push(s.value);
      } while (this.acceptOp(','));
      this.expectOp(')');
    } else if (this.acceptOp('(')) {
      const n = this.next();
      if (n.kind !== 'number') this.fail('expected number', n);
      dt.length = n.text;
      if (this.acceptOp(',')) {
        const s = this.next();
        if (s.kind !== 'number') this.fail('expected number', s);
        dt.scale = s.text;
      }
      this.expectOp(')');
    }
    this.typeAttrs(dt);
    return dt;
  }
  private typeAttrs(dt: DataType): void {
    for (;;) {
      if (this.acceptWord('UNSIGNED')) dt.unsigned = true;
      else if (this.acceptWord('SIGNED')) dt.unsigned = false;
      else if (this.acceptWord('ZEROFILL')) dt.zerofill = true;
      else if (this.acceptWord('BINARY')) dt.binary = true;
      else if (this.acceptWord('ASCII')) dt.charset = 'latin1';
      else if (this.acceptWord('UNICODE')) dt.charset = 'ucs2';
      else if (this.acceptWord('CHARACTER', 'SET') || this.acceptWord('CHARSET')) dt.charset = this.name('charset').toLowerCase();
      else if (this.acceptWord('COLLATE')) dt.collate = this.name('collation').toLowerCase();
      else return;
    }
  }

  columnDef(): ColumnDef {
    const name = this.ident('column name');
    const col: ColumnDef = { name, type: this.dataType() };
    const extra: string[] = [];
    for (;;) {
      this.typeAttrs(col.type);
      if (this.acceptWord('NOT')) {
        this.expectWord('NULL');
        col.notNull = true;
      }
      else if (this.acceptWord('NULL')) col.notNull = false;
      else if (this.acceptWord('DEFAULT')) col.default = this.defaultValue();
      else if (this.acceptWord('ON', 'UPDATE')) col.onUpdate = this.defaultValue();
      else if (this.acceptWord('AUTO_INCREMENT')) col.autoIncrement = true;
      else if (this.acceptWord('PRIMARY', 'KEY') || this.acceptWord('KEY')) col.primaryKey = true;
      else if (this.acceptWord('UNIQUE')) {
        this.acceptWord('KEY');
        col.unique = true;
      } else if (this.acceptWord('COMMENT')) {
        const s = this.next();
        if (s.kind !== 'string') this.fail('expected string', s);
        col.comment = s.value;
      } else if (this.isWord('GENERATED') || this.isWord('AS')) {
        if (this.acceptWord('GENERATED')) this.expectWord('ALWAYS');
        this.expectWord('AS');
        const expr = this.parenExpr();
        let stored = false;
        if (this.acceptWord('STORED') || this.acceptWord('PERSISTENT')) stored = true;
        else this.acceptWord('VIRTUAL');
        col.generated = { expr, stored };
      } else if (this.acceptWord('INVISIBLE')) col.invisible = true;
      else if (this.acceptWord('VISIBLE')) col.invisible = false;
      else if (this.isWord('REFERENCES') || this.isWord('CHECK') || this.isWord('CONSTRAINT')) {
        const start = this.i;
        this.i++;
        this.raw((t) => t.kind === 'op' && t.value === ',');
        extra.push(joinTokens(this.toks.slice(start, this.i)));
      } else if (this.isWord('COLUMN_FORMAT') || this.isWord('STORAGE') || this.isWord('SRID')) {
        const start = this.i;
        this.i += 2;
        extra.push(joinTokens(this.toks.slice(start, this.i)));
      } else break;
    }
    if (extra.length > 0) col.extra = extra;
    return col;
  }

  defaultValue(): string {
    const start = this.i;
    const t = this.peek();
    if (t.kind === 'op' && t.value === '(') {
      this.parenExpr();
    } else if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.i++;
      if (this.next().kind !== 'number') this.fail('expected number', this.toks[this.i - 1]);
    } else if (t.kind === 'word') {
      this.i++;
      if (this.isOp('(')) this.parenExpr();
    } else if (t.kind === 'string' || t.kind === 'number' || t.kind === 'hex' || t.kind === 'bit') {
      this.i++;
      while (t.kind === 'string' && this.peek().kind === 'string' && this.peek().charset === undefined) this.i++;
    } else this.fail('expected default value');
    return joinTokens(this.toks.slice(start, this.i));
  }

  keyParts(): KeyPart[] {
    this.expectOp('(');
    const parts: KeyPart[] = [];
    do {
      const kp: KeyPart = {};
      if (this.isOp('(')) kp.expr = this.parenExpr();
      else {
        kp.column = this.ident('column name');
        if (this.acceptOp('(')) {
          const n = this.next();
          if (n.kind !== 'number') this.fail('expected number', n);
          kp.length = n.text;
          this.expectOp(')');
        }
      }
      if (this.acceptWord('DESC')) kp.desc = true;
      else this.acceptWord('ASC');
      parts.push(kp);
    } while (this.acceptOp(','));
    this.expectOp(')');
    return parts;
  }

  indexDef(): IndexDef {
    let constraint: string | undefined;
    let hasConstraint = false;
    if (this.acceptWord('CONSTRAINT')) {
      hasConstraint = true;
      if (!['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'].some((w) => this.isWord(w))) constraint = this.ident('constraint name');
    }
    const idx: IndexDef = { kind: 'index', columns: [] };
    if (hasConstraint) idx.constraint = constraint ?? '';
    const optName = (): void => {
      if (this.acceptWord('IF', 'NOT', 'EXISTS')) idx.ifNotExists = true;
      if (!this.isOp('(') && !this.isWord('USING')) idx.name = this.ident('index name');
    };
    if (this.acceptWord('PRIMARY', 'KEY')) idx.kind = 'primary';
    else if (this.acceptWord('UNIQUE')) {
      idx.kind = 'unique';
      if (!this.acceptWord('INDEX')) this.acceptWord('KEY');
      optName();
    } else if (this.acceptWord('FULLTEXT') || this.acceptWord('SPATIAL')) {
      idx.kind = this.toks[this.i - 1]!.value.toUpperCase() === 'FULLTEXT' ? 'fulltext' : 'spatial';
      if (!this.acceptWord('INDEX')) this.acceptWord('KEY');
      optName();
    } else if (this.acceptWord('INDEX') || this.acceptWord('KEY')) {
      optName();
    } else if (this.acceptWord('FOREIGN', 'KEY')) {
      idx.kind = 'foreign';
      optName();
      idx.columns = this.keyParts();
      this.expectWord('REFERENCES');
      const table = this.tableName();
      const cols = this.keyParts().map((k) => k.column ?? this.fail('expected column name'));
      idx.references = { table, columns: cols };
      const options = this.rawUntilCommaOrClose();
      if (options !== '') idx.options = options;
      return idx;
    } else if (this.acceptWord('CHECK')) {
      idx.kind = 'check';
      idx.check = this.parenExpr();
      const options = this.rawUntilCommaOrClose();
      if (options !== '') idx.options = options;
      return idx;
    } else this.fail('expected key definition');
    if (this.acceptWord('USING')) idx.using = this.ident('index type').toUpperCase();
    idx.columns = this.keyParts();
    const options = this.rawUntilCommaOrClose();
    if (options !== '') idx.options = options;
    return idx;
  }

  private position(): ColumnPosition | undefined {
    if (this.acceptWord('FIRST')) return { first: true };
    if (this.acceptWord('AFTER')) return { after: this.ident('column name') };
    return undefined;
  }

  alterSpec(): AlterSpec {
    const start = this.i;
    const rawSpec = (): AlterSpec => {
      this.i = start;
      return { type: 'raw', text: this.rawUntilCommaOrClose() };
    };
    if (this.acceptWord('ADD')) {
      if (this.peek().kind === 'word' && CONSTRAINT_WORDS.has(this.peek().value.toUpperCase())) {
        return { type: 'addIndex', index: this.indexDef() };
      }
      if (this.isWord('PARTITION')) return rawSpec();
      this.acceptWord('COLUMN');
      const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
      const flags = ifNotExists ? { ifNotExists } : {};
      if (this.acceptOp('(')) {
        const columns: ColumnDef[] = [];
        do columns.push(this.columnDef());
        while (this.acceptOp(','));
        this.expectOp(')');
        return { type: 'addColumn', columns, parenthesized: true, ...flags };
      }
      const column = this.columnDef();
      return { type: 'addColumn', columns: [column], ...flags, position: this.position() };
    }
    if (this.acceptWord('DROP')) {
      if (this.acceptWord('PRIMARY', 'KEY')) return { type: 'dropPrimaryKey' };
      if (this.acceptWord('INDEX') || this.acceptWord('KEY')) {
        const ifExists = this.acceptWord('IF', 'EXISTS');
        return { type: 'dropIndex', name: this.ident('index name'), ...(ifExists ? { ifExists } : {}) };
      }
      if (this.acceptWord('FOREIGN', 'KEY')) {
        const ifExists = this.acceptWord('IF', 'EXISTS');
        return { type: 'dropForeignKey', name: this.ident('foreign key name'), ...(ifExists ? { ifExists } : {}) };
      }
      if (['CHECK', 'CONSTRAINT', 'PARTITION'].some((w) => this.isWord(w))) return rawSpec();
      this.acceptWord('COLUMN');
      const ifExists = this.acceptWord('IF', 'EXISTS');
      const name = this.ident('column name');
      if (!this.acceptWord('RESTRICT')) this.acceptWord('CASCADE');
      return { type: 'dropColumn', name, ...(ifExists ? { ifExists } : {}) };
    }
    if (this.acceptWord('MODIFY')) {
      this.acceptWord('COLUMN');
      const ifExists = this.acceptWord('IF', 'EXISTS');
      const column = this.columnDef();
      return { type: 'modifyColumn', column, ...(ifExists ? { ifExists } : {}), position: this.position() };
    }
    if (this.acceptWord('CHANGE')) {
      this.acceptWord('COLUMN');
      const ifExists = this.acceptWord('IF', 'EXISTS');
      const oldName = this.ident('column name');
      const column = this.columnDef();
      return { type: 'changeColumn', oldName, column, ...(ifExists ? { ifExists } : {}), position: this.position() };
    }
    if (this.acceptWord('RENAME')) {
      if (this.acceptWord('COLUMN')) {
        const oldName = this.ident('column name');
        this.expectWord('TO');
        return { type: 'renameColumn', oldName, newName: this.ident('column name') };
      }
      if (this.acceptWord('INDEX') || this.acceptWord('KEY')) {
        const oldName = this.ident('index name');
        this.expectWord('TO');
        return { type: 'renameIndex', oldName, newName: this.ident('index name') };
      }
      if (!this.acceptWord('TO')) this.acceptWord('AS');
      return { type: 'renameTable', newName: this.tableName() };
    }
    if (this.isWord('ALTER') && !this.isWord('INDEX', 1) && !this.isWord('CHECK', 1) && !this.isWord('CONSTRAINT', 1)) {
      this.i++;
      this.acceptWord('COLUMN');
      const name = this.ident('column name');
      if (this.acceptWord('SET', 'DEFAULT')) return { type: 'alterColumnDefault', name, default: this.defaultValue() };
      if (this.acceptWord('DROP', 'DEFAULT')) return { type: 'alterColumnDefault', name };
      return rawSpec();
    }
    if (
      ['ENGINE', 'AUTO_INCREMENT', 'COMMENT', 'ROW_FORMAT', 'CHARSET', 'CHARACTER', 'COLLATE', 'DEFAULT', 'KEY_BLOCK_SIZE', 'AVG_ROW_LENGTH', 'MAX_ROWS', 'MIN_ROWS', 'PACK_KEYS', 'STATS_PERSISTENT', 'CHECKSUM', 'COMPRESSION'].some((w) =>
        this.isWord(w),
      )
    ) {
      return { type: 'tableOptions', text: this.rawUntilCommaOrClose() };
    }
    if (this.atEnd() || this.isOp(',')) this.fail('expected ALTER TABLE specification');
    return rawSpec();
  }
}
