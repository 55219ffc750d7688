/**
 * DDL statement nodes. Expressions (defaults, generated columns, CHECK), table options and other
 * parts dm-ts does not need to understand are kept as raw SQL text, re-printed verbatim.
 */

export interface TableName {
  schema?: string | undefined;
  name: string;
}

export interface DataType {
  /** Upper-case type name: INT, VARCHAR, DOUBLE PRECISION, ENUM … */
  name: string;
  /** Length / precision / fractional seconds, as written. */
  length?: string | undefined;
  scale?: string | undefined;
  /** ENUM/SET members (unescaped). */
  values?: string[] | undefined;
  unsigned?: boolean | undefined;
  zerofill?: boolean | undefined;
  /** `CHAR(10) BINARY` (binary collation). */
  binary?: boolean | undefined;
  charset?: string | undefined;
  collate?: string | undefined;
}

export interface ColumnDef {
  name: string;
  type: DataType;
  /** true: NOT NULL; false: NULL; undefined: not specified. */
  notNull?: boolean | undefined;
  /** Raw SQL of the DEFAULT value (`'x'`, `0`, `NULL`, `CURRENT_TIMESTAMP(3)`, `(uuid())`). */
  default?: string | undefined;
  onUpdate?: string | undefined;
  autoIncrement?: boolean | undefined;
  primaryKey?: boolean | undefined;
  unique?: boolean | undefined;
  comment?: string | undefined;
  /** Generated column: raw expression (without the parentheses). */
  generated?: { expr: string; stored: boolean } | undefined;
  invisible?: boolean | undefined;
  /** Other column attributes kept raw (REFERENCES …, CHECK (…), COLUMN_FORMAT …, SRID …). */
  extra?: string[] | undefined;
}

export interface KeyPart {
  /** Column name, or undefined for a functional key part. */
  column?: string | undefined;
  length?: string | undefined;
  /** Functional key part: raw expression (without the parentheses). */
  expr?: string | undefined;
  desc?: boolean | undefined;
}

export type ConstraintKind = 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial' | 'foreign' | 'check';

export interface IndexDef {
  kind: ConstraintKind;
  /** CONSTRAINT symbol. */
  constraint?: string | undefined;
  /** Index name. */
  name?: string | undefined;
  ifNotExists?: boolean | undefined;
  /** USING BTREE|HASH written before the key parts. */
  using?: string | undefined;
  columns: KeyPart[];
  /** FOREIGN KEY target. */
  references?: { table: TableName; columns: string[] } | undefined;
  /** CHECK expression (raw, without parentheses). */
  check?: string | undefined;
  /** Raw text after the key parts (index options, ON DELETE …, [NOT] ENFORCED). */
  options?: string | undefined;
}

export type ColumnPosition = { first: true } | { after: string };

export type AlterSpec =
  | { type: 'addColumn'; columns: ColumnDef[]; parenthesized?: boolean; ifNotExists?: boolean; position?: ColumnPosition | undefined }
  | { type: 'addIndex'; index: IndexDef }
  | { type: 'dropColumn'; name: string; ifExists?: boolean }
  | { type: 'dropIndex'; name: string; ifExists?: boolean }
  | { type: 'dropPrimaryKey' }
  | { type: 'dropForeignKey'; name: string; ifExists?: boolean }
  | { type: 'modifyColumn'; column: ColumnDef; ifExists?: boolean; position?: ColumnPosition | undefined }
  | { type: 'changeColumn'; oldName: string; column: ColumnDef; ifExists?: boolean; position?: ColumnPosition | undefined }
  | { type: 'renameColumn'; oldName: string; newName: string }
  | { type: 'renameIndex'; oldName: string; newName: string }
  | { type: 'renameTable'; newName: TableName }
  | { type: 'alterColumnDefault'; name: string; /** undefined = DROP DEFAULT */ default?: string | undefined }
  /** Table options (ENGINE=…, DEFAULT CHARSET=…, COMMENT=…), raw. */
  | { type: 'tableOptions'; text: string }
  /** Anything else (ALGORITHM=…, partition operations, ADD CONSTRAINT CHECK edits…), raw. */
  | { type: 'raw'; text: string };

export interface CreateTableStatement {
  type: 'createTable';
  table: TableName;
  temporary?: boolean;
  orReplace?: boolean;
  ifNotExists?: boolean;
  columns: ColumnDef[];
  constraints: IndexDef[];
  /** CREATE TABLE t LIKE src. */
  like?: TableName | undefined;
  /** Raw table options, partitioning and anything after the definition. */
  options?: string | undefined;
}

export interface AlterTableStatement {
  type: 'alterTable';
  table: TableName;
  /** Raw modifiers between ALTER and TABLE (ONLINE, IGNORE). */
  modifiers?: string | undefined;
  specs: AlterSpec[];
}

export interface DropTableStatement {
  type: 'dropTable';
  tables: TableName[];
  temporary?: boolean;
  ifExists?: boolean;
  /** RESTRICT / CASCADE, raw. */
  tail?: string | undefined;
}

export interface RenameTableStatement {
  type: 'renameTable';
  pairs: { from: TableName; to: TableName }[];
}

export interface TruncateTableStatement {
  type: 'truncateTable';
  table: TableName;
}

export interface CreateIndexStatement {
  type: 'createIndex';
  table: TableName;
  /** kind is 'index' | 'unique' | 'fulltext' | 'spatial'; name is set; options holds the raw tail (ALGORITHM=, LOCK=). */
  index: IndexDef;
}

export interface DropIndexStatement {
  type: 'dropIndex';
  name: string;
  table: TableName;
  ifExists?: boolean;
  tail?: string | undefined;
}

export interface CreateDatabaseStatement {
  type: 'createDatabase';
  name: string;
  ifNotExists?: boolean;
  options?: string | undefined;
}

export interface DropDatabaseStatement {
  type: 'dropDatabase';
  name: string;
  ifExists?: boolean;
}

export interface UnsupportedStatement {
  type: 'unsupported';
  /** The statement's SQL as written. */
  text: string;
}

export type Statement =
  | CreateTableStatement
  | AlterTableStatement
  | DropTableStatement
  | RenameTableStatement
  | TruncateTableStatement
  | CreateIndexStatement
  | DropIndexStatement
  | CreateDatabaseStatement
  | DropDatabaseStatement
  | UnsupportedStatement;
