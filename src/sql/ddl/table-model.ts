/**
 * A table's definition as tracked through DDL: built from CREATE TABLE, updated by ALTER TABLE /
 * CREATE INDEX / DROP INDEX, and turned into the row decoder's TableSchema or back into CREATE TABLE.
 */
import type { ColumnSchema, TableSchema } from '../../binlog/table-schema.js';
import type {
  AlterTableStatement,
  ColumnDef,
  ColumnPosition,
  CreateIndexStatement,
  CreateTableStatement,
  DropIndexStatement,
  IndexDef,
} from './ast.js';
import { tokenize } from './lexer.js';
import { printStatement } from './printer.js';

const TEXT_TYPES = new Set([
  'CHAR', 'VARCHAR', 'CHARACTER', 'CHARACTER VARYING', 'CHAR VARYING', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'LONG VARCHAR', 'LONG', 'ENUM', 'SET',
]);
const NATIONAL_TYPES = new Set(['NCHAR', 'NVARCHAR', 'NATIONAL CHAR', 'NATIONAL VARCHAR', 'NATIONAL CHARACTER']);
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'LONG VARBINARY']);

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Thrown when a DDL cannot be applied to the tracked table (unknown/duplicate column or index). */
export class TableModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableModelError';
  }
}

/** Default charset from raw table options (`DEFAULT CHARSET=utf8mb4`, `CHARACTER SET latin1`, `COLLATE x`). */
export function charsetFromOptions(options: string | undefined): string | undefined {
  if (options === undefined) return undefined;
  const toks = tokenize(options);
  let charset: string | undefined;
  let collate: string | undefined;
  for (let k = 0; k < toks.length; k++) {
    const w = toks[k]!.kind === 'word' ? toks[k]!.value.toUpperCase() : '';
    let valueAt = -1;
    if (w === 'CHARSET') valueAt = k + 1;
    else if (w === 'CHARACTER' && toks[k + 1]?.value.toUpperCase() === 'SET') valueAt = k + 2;
    else if (w === 'COLLATE') {
      let j = k + 1;
      if (toks[j]?.value === '=') j++;
      if (toks[j]) collate = toks[j]!.value.toLowerCase();
      continue;
    }
    if (valueAt < 0) continue;
    if (toks[valueAt]?.value === '=') valueAt++;
    const v = toks[valueAt];
    if (v && v.kind !== 'eof') charset = v.value.toLowerCase();
  }
  return charset ?? (collate !== undefined ? collate.split('_')[0] : undefined);
}

export class TableModel {
  schema: string;
  name: string;
  columns: ColumnDef[];
  indexes: IndexDef[];
  /** Raw table options (ENGINE=…, DEFAULT CHARSET=…); later ALTER options are appended. */
  options: string | undefined;
  /** Table default charset (lower case), when known. */
  charset: string | undefined;

  constructor(create: CreateTableStatement, defaultSchema = '', defaultCharset?: string) {
    if (create.like) throw new TableModelError('CREATE TABLE … LIKE needs the source table; use TableModel.like()');
    this.schema = create.table.schema ?? defaultSchema;
    this.name = create.table.name;
    this.columns = structuredClone(create.columns);
    this.indexes = structuredClone(create.constraints);
    this.options = create.options;
    this.charset = charsetFromOptions(create.options) ?? defaultCharset;
  }

  /** A copy of `src` under a new name (CREATE TABLE new LIKE src). */
  static like(src: TableModel, schema: string, name: string): TableModel {
    const m = new TableModel({ type: 'createTable', table: { schema, name }, columns: src.columns, constraints: src.indexes, options: src.options });
    m.charset = src.charset;
    return m;
  }

  private colIndex(name: string): number {
    const k = this.columns.findIndex((c) => eq(c.name, name));
    if (k < 0) throw new TableModelError(`unknown column '${name}' in table ${this.schema}.${this.name}`);
    return k;
  }

  private place(col: ColumnDef, pos: ColumnPosition | undefined, at: number): void {
    if (pos && 'first' in pos) this.columns.unshift(col);
    else if (pos) this.columns.splice(this.colIndex(pos.after) + 1, 0, col);
    else this.columns.splice(at, 0, col);
  }

  private renameInIndexes(oldName: string, newName: string): void {
    for (const ix of this.indexes) for (const kp of ix.columns) if (kp.column !== undefined && eq(kp.column, oldName)) kp.column = newName;
  }

  private addIndex(ix: IndexDef): void {
    if (ix.kind === 'primary' && (this.indexes.some((i) => i.kind === 'primary') || this.columns.some((c) => c.primaryKey))) {
      throw new TableModelError(`multiple primary key defined in table ${this.schema}.${this.name}`);
    }
    if (ix.name !== undefined && this.indexes.some((i) => i.name !== undefined && eq(i.name, ix.name!))) {
      if (ix.ifNotExists) return;
      throw new TableModelError(`duplicate key name '${ix.name}'`);
    }
    for (const kp of ix.columns) if (kp.column !== undefined) this.colIndex(kp.column);
    this.indexes.push(structuredClone(ix));
  }

  private dropIndex(name: string, ifExists?: boolean): void {
    const k = this.indexes.findIndex((i) => i.kind !== 'primary' && (i.name ?? i.constraint) !== undefined && eq(i.name ?? i.constraint ?? '', name));
    if (k < 0) {
      if (ifExists) return;
      throw new TableModelError(`can't drop index '${name}'; check that it exists`);
    }
    this.indexes.splice(k, 1);
  }

  /** Apply an ALTER TABLE (specs in order), CREATE INDEX or DROP INDEX. Throws TableModelError. */
  apply(st: AlterTableStatement | CreateIndexStatement | DropIndexStatement): void {
    if (st.type === 'createIndex') return this.addIndex(st.index);
    if (st.type === 'dropIndex') return this.dropIndex(st.name, st.ifExists);
    for (const s of st.specs) {
      switch (s.type) {
        case 'addColumn':
          for (const c of s.columns) {
            if (this.columns.some((x) => eq(x.name, c.name))) {
              if (s.ifNotExists) continue;
              throw new TableModelError(`duplicate column name '${c.name}'`);
            }
            this.place(structuredClone(c), s.position, this.columns.length);
          }
          break;
        case 'dropColumn': {
          const k = this.columns.findIndex((c) => eq(c.name, s.name));
          if (k < 0) {
            if (s.ifExists) break;
            this.colIndex(s.name);
          }
          this.columns.splice(k, 1);
          for (const ix of this.indexes) ix.columns = ix.columns.filter((kp) => kp.column === undefined || !eq(kp.column, s.name));
          this.indexes = this.indexes.filter((ix) => ix.columns.length > 0 || ix.kind === 'check');
          break;
        }
        case 'modifyColumn':
        case 'changeColumn': {
          const oldName = s.type === 'changeColumn' ? s.oldName : s.column.name;
          if (s.ifExists && !this.columns.some((c) => eq(c.name, oldName))) break;
          const k = this.colIndex(oldName);
          if (!eq(oldName, s.column.name) && this.columns.some((c) => eq(c.name, s.column.name))) {
            throw new TableModelError(`duplicate column name '${s.column.name}'`);
          }
          this.columns.splice(k, 1);
          this.place(structuredClone(s.column), s.position, k);
          this.renameInIndexes(oldName, s.column.name);
          break;
        }
        case 'renameColumn': {
          const k = this.colIndex(s.oldName);
          if (!eq(s.oldName, s.newName) && this.columns.some((c) => eq(c.name, s.newName))) throw new TableModelError(`duplicate column name '${s.newName}'`);
          this.columns[k]!.name = s.newName;
          this.renameInIndexes(s.oldName, s.newName);
          break;
        }
        case 'addIndex':
          this.addIndex(s.index);
          break;
        case 'dropIndex':
          this.dropIndex(s.name, s.ifExists);
          break;
        case 'dropForeignKey':
          this.indexes = this.indexes.filter((i) => !(i.kind === 'foreign' && eq(i.constraint ?? i.name ?? '', s.name)));
          break;
        case 'dropPrimaryKey': {
          const had = this.indexes.some((i) => i.kind === 'primary') || this.columns.some((c) => c.primaryKey);
          if (!had) throw new TableModelError(`can't drop primary key of ${this.schema}.${this.name}: none exists`);
          this.indexes = this.indexes.filter((i) => i.kind !== 'primary');
          for (const c of this.columns) delete c.primaryKey;
          break;
        }
        case 'renameIndex': {
          const ix = this.indexes.find((i) => i.name !== undefined && eq(i.name, s.oldName));
          if (!ix) throw new TableModelError(`key '${s.oldName}' doesn't exist`);
          ix.name = s.newName;
          break;
        }
        case 'renameTable':
          this.schema = s.newName.schema ?? this.schema;
          this.name = s.newName.name;
          break;
        case 'alterColumnDefault': {
          const c = this.columns[this.colIndex(s.name)]!;
          if (s.default === undefined) delete c.default;
          else c.default = s.default;
          break;
        }
        case 'tableOptions': {
          this.options = this.options === undefined ? s.text : `${this.options} ${s.text}`;
          this.charset = charsetFromOptions(s.text) ?? this.charset;
          break;
        }
        case 'raw': {
          const m = /^CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\s+`?(\w+)`?/i.exec(s.text);
          if (m) {
            this.charset = m[1]!.toLowerCase();
            for (const c of this.columns) {
              if (TEXT_TYPES.has(c.type.name)) {
                c.type.charset = this.charset;
                delete c.type.collate;
              }
            }
          }
          break;
        }
      }
    }
  }

  /** Column positions of the primary key, in key order (empty if none). */
  primaryKey(): number[] {
    const ix = this.indexes.find((i) => i.kind === 'primary');
    if (ix) return ix.columns.flatMap((kp) => (kp.column !== undefined ? [this.colIndex(kp.column)] : []));
    const k = this.columns.findIndex((c) => c.primaryKey);
    return k >= 0 ? [k] : [];
  }

  /**
   * Keys that identify a row: the primary key, then every UNIQUE key made of whole columns (no prefix, no
   * expression), as column positions. Unique keys on nullable columns are included: for conflict detection
   * a NULL value simply never matches (callers skip keys with a NULL part).
   */
  uniqueKeys(): number[][] {
    const out: number[][] = [];
    const pk = this.primaryKey();
    if (pk.length > 0) out.push(pk);
    for (const ix of this.indexes) {
      if (ix.kind !== 'unique') continue;
      if (ix.columns.some((kp) => kp.column === undefined || kp.length !== undefined)) continue;
      out.push(ix.columns.map((kp) => this.colIndex(kp.column!)));
    }
    this.columns.forEach((c, i) => {
      if (c.unique && !c.primaryKey) out.push([i]);
    });
    return out;
  }

  /** Whether column `i` compares case-insensitively (a text column whose collation is not `_bin`/`_cs`/binary). */
  foldsCase(i: number): boolean {
    const c = this.columns[i];
    if (!c || !TEXT_TYPES.has(c.type.name) || c.type.binary) return false;
    const cs = this.columnCharset(c);
    if (cs === 'binary') return false;
    const coll = c.type.collate?.toLowerCase();
    return coll === undefined || !(coll.endsWith('_bin') || coll.endsWith('_cs') || coll.includes('_as_cs'));
  }

  /** Whether column `i` is generated (its value is computed downstream, never written). */
  isGenerated(i: number): boolean {
    return this.columns[i]?.generated !== undefined;
  }

  private columnCharset(c: ColumnDef): string | undefined {
    const t = c.type;
    if (BINARY_TYPES.has(t.name)) return 'binary';
    if (NATIONAL_TYPES.has(t.name)) return 'utf8';
    if (!TEXT_TYPES.has(t.name)) return undefined;
    return t.charset ?? (t.collate !== undefined ? t.collate.split('_')[0] : undefined) ?? this.charset;
  }

  toTableSchema(): TableSchema {
    const columns: ColumnSchema[] = this.columns.map((c) => {
      const col: { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] } = { name: c.name };
      if (c.type.unsigned) col.unsigned = true;
      const cs = this.columnCharset(c);
      if (cs !== undefined) col.charset = cs;
      if (c.type.name === 'ENUM') col.enumValues = [...(c.type.values ?? [])];
      if (c.type.name === 'SET') col.setValues = [...(c.type.values ?? [])];
      return col;
    });
    return { schema: this.schema, table: this.name, columns, primaryKey: this.primaryKey() };
  }

  toCreateTable(): string {
    return printStatement({
      type: 'createTable',
      table: { schema: this.schema, name: this.name },
      columns: this.columns,
      constraints: this.indexes,
      options: this.options,
    });
  }
}
