/**
 * The upstream definition of every table as of the current binlog position: initialised from CREATE TABLE
 * statements (the dump's schema files, or the upstream), then updated by every DDL the binlog carries, so
 * each row event is decoded with the table as it was when the event was written — not as it is today.
 *
 * Invariants: a DDL is applied as DM splits it (one table, one ALTER spec at a time); a DDL the parser cannot
 * model (views, routines, …) changes nothing; a DDL that contradicts the tracked state (ALTER of an unknown
 * table, DROP of an unknown column) is a coded error (44006), never a silent guess. The state serialises to
 * CREATE TABLE statements, which is what the checkpoint stores.
 */
import { parseDDL } from '../../sql/ddl/parser.js';
import { splitDDL, type SplitDDL } from '../../sql/ddl/ddl-split.js';
import { TableModel, charsetFromOptions } from '../../sql/ddl/table-model.js';
import type { Statement, TableName } from '../../sql/ddl/ast.js';
import type { TableSchema } from '../../binlog/table-schema.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';

export interface SchemaTrackerOptions {
  /** Table names compare case-sensitively (MySQL on Linux with lower_case_table_names=0). Default true. */
  caseSensitive?: boolean;
  /** Character set of new tables whose database has none recorded (the server's). Default utf8mb4. */
  serverCharset?: string;
}

/** Serialised state: per database its default charset, per table its CREATE TABLE. */
export interface SchemaTrackerState {
  readonly databases: Record<string, { charset?: string | undefined }>;
  readonly tables: Array<{ schema: string; table: string; create: string }>;
}

export class SchemaTracker {
  private readonly tables = new Map<string, TableModel>();
  private readonly databases = new Map<string, { name: string; charset?: string | undefined }>();
  private readonly caseSensitive: boolean;
  /** Bumped on every change, so callers can cache what they derive from table definitions. */
  generation = 0;
  private readonly serverCharset: string;

  constructor(opts: SchemaTrackerOptions = {}) {
    this.caseSensitive = opts.caseSensitive ?? true;
    this.serverCharset = opts.serverCharset ?? 'utf8mb4';
  }

  private key(schema: string, table: string): string {
    const k = `${schema}\u0000${table}`;
    return this.caseSensitive ? k : k.toLowerCase();
  }

  private dbKey(schema: string): string {
    return this.caseSensitive ? schema : schema.toLowerCase();
  }

  private dbCharset(schema: string): string {
    return this.databases.get(this.dbKey(schema))?.charset ?? this.serverCharset;
  }

  /** Sets (or replaces) a table from its CREATE TABLE statement, e.g. from the dump's schema file. */
  setTable(schema: string, createSql: string): void {
    let st: Statement;
    try {
      st = parseDDL(createSql);
    } catch (e) {
      throw DmError.of(E.SchemaTrackerInvalidCreateTableStmt, [JSON.stringify(createSql.slice(0, 200))], { cause: e });
    }
    if (st.type !== 'createTable' || st.like) throw DmError.of(E.SchemaTrackerInvalidCreateTableStmt, [JSON.stringify(createSql.slice(0, 200))]);
    const model = new TableModel(st, schema, this.dbCharset(schema));
    this.ensureDatabase(model.schema);
    this.tables.set(this.key(model.schema, model.name), model);
    this.generation++;
  }

  private ensureDatabase(schema: string, charset?: string): void {
    const k = this.dbKey(schema);
    if (!this.databases.has(k)) this.databases.set(k, { name: schema, charset });
  }

  /** The tracked model of a table (read-only use), or undefined when it is not tracked. */
  tableModel(schema: string, table: string): Readonly<TableModel> | undefined {
    return this.tables.get(this.key(schema, table));
  }

  /** The table's definition in the row decoder's terms, or undefined when it is not tracked. */
  tableSchema(schema: string, table: string): TableSchema | undefined {
    return this.tables.get(this.key(schema, table))?.toTableSchema();
  }

  /** Like {@link tableSchema}, but a coded error (44005) when the table is unknown. */
  requireTableSchema(schema: string, table: string): TableSchema {
    const s = this.tableSchema(schema, table);
    if (!s) throw DmError.of(E.SchemaTrackerCannotGetTable, [`\`${schema}\`.\`${table}\``]);
    return s;
  }

  /** CREATE TABLE of a tracked table (what `binlog-schema get` shows). */
  createTable(schema: string, table: string): string | undefined {
    return this.tables.get(this.key(schema, table))?.toCreateTable();
  }

  listTables(): TableName[] {
    return [...this.tables.values()].map((m) => ({ schema: m.schema, name: m.name }));
  }

  /**
   * Applies one DDL as it appears in a QUERY event (`currentSchema` is the event's default database). Returns
   * the statements as DM splits them, each naming its table, for routing and execution downstream.
   */
  applyDdl(sql: string, currentSchema: string): SplitDDL[] {
    let st: Statement;
    try {
      st = parseDDL(sql);
    } catch (e) {
      throw DmError.of(E.SchemaTrackerCannotExecDDL, [`${e instanceof Error ? e.message : String(e)}: ${sql.slice(0, 200)}`], { cause: e });
    }
    const parts = splitDDL(st, currentSchema || undefined);
    for (const p of parts) this.applyPiece(p, currentSchema);
    return parts;
  }

  /** Applies one piece of a split DDL (the sync unit filters the pieces first). Coded errors as applyDdl. */
  applyPiece(p: SplitDDL, currentSchema: string): void {
    try {
      this.applyOne(p, currentSchema);
      this.generation++;
    } catch (e) {
      if (e instanceof DmError) throw e;
      throw DmError.of(E.SchemaTrackerCannotExecDDL, [`${e instanceof Error ? e.message : String(e)}: ${p.sql.slice(0, 200)}`], { cause: e });
    }
  }

  private model(t: TableName | undefined, currentSchema: string): { key: string; model: TableModel | undefined; schema: string; name: string } {
    if (!t) throw new Error('statement names no table');
    const schema = t.schema ?? currentSchema;
    const key = this.key(schema, t.name);
    return { key, model: this.tables.get(key), schema, name: t.name };
  }

  private applyOne(p: SplitDDL, currentSchema: string): void {
    const n = p.node;
    switch (n.type) {
      case 'createDatabase':
        this.ensureDatabase(n.name, charsetFromOptions(n.options));
        return;
      case 'dropDatabase': {
        const k = this.dbKey(n.name);
        this.databases.delete(k);
        for (const [key, m] of this.tables) if (this.dbKey(m.schema) === k) this.tables.delete(key);
        return;
      }
      case 'createTable': {
        if (n.temporary) return; // temporary tables are session-local: never replicated as rows
        const t = this.model(n.table, currentSchema);
        if (t.model && n.ifNotExists) return;
        if (t.model && !n.orReplace) throw new Error(`table \`${t.schema}\`.\`${t.name}\` already exists`);
        let model: TableModel;
        if (n.like) {
          const src = this.model(n.like, currentSchema);
          if (!src.model) throw new Error(`CREATE TABLE … LIKE an untracked table \`${src.schema}\`.\`${src.name}\``);
          model = TableModel.like(src.model, t.schema, t.name);
        } else {
          model = new TableModel(n, t.schema, this.dbCharset(t.schema));
        }
        this.ensureDatabase(t.schema);
        this.tables.set(t.key, model);
        return;
      }
      case 'dropTable':
        for (const name of n.tables) {
          if (n.temporary) continue;
          const t = this.model(name, currentSchema);
          if (!t.model && !n.ifExists) throw new Error(`DROP TABLE of an untracked table \`${t.schema}\`.\`${t.name}\``);
          this.tables.delete(t.key);
        }
        return;
      case 'renameTable':
        for (const pair of n.pairs) {
          const from = this.model(pair.from, currentSchema);
          const to = this.model(pair.to, currentSchema);
          if (!from.model) throw new Error(`RENAME TABLE of an untracked table \`${from.schema}\`.\`${from.name}\``);
          this.tables.delete(from.key);
          from.model.schema = to.schema;
          from.model.name = to.name;
          this.ensureDatabase(to.schema);
          this.tables.set(to.key, from.model);
        }
        return;
      case 'alterTable':
      case 'createIndex':
      case 'dropIndex': {
        const t = this.model(n.table, currentSchema);
        if (!t.model) throw new Error(`${n.type === 'alterTable' ? 'ALTER TABLE' : 'index DDL'} of an untracked table \`${t.schema}\`.\`${t.name}\``);
        t.model.apply(n);
        // ALTER TABLE … RENAME TO moves the model
        const nk = this.key(t.model.schema, t.model.name);
        if (nk !== t.key) {
          this.tables.delete(t.key);
          this.ensureDatabase(t.model.schema);
          this.tables.set(nk, t.model);
        }
        return;
      }
      case 'truncateTable':
      case 'unsupported':
        return;
    }
  }

  /** The whole state, for the checkpoint. */
  save(): SchemaTrackerState {
    const databases: Record<string, { charset?: string | undefined }> = {};
    for (const d of this.databases.values()) databases[d.name] = d.charset ? { charset: d.charset } : {};
    return { databases, tables: [...this.tables.values()].map((m) => ({ schema: m.schema, table: m.name, create: m.toCreateTable() })) };
  }

  /** Restores a saved state (replacing everything tracked). */
  static load(state: SchemaTrackerState, opts: SchemaTrackerOptions = {}): SchemaTracker {
    const t = new SchemaTracker(opts);
    if (typeof state !== 'object' || state === null || !Array.isArray(state.tables)) throw DmError.of(E.SchemaTrackerInvalidJSON, ['the tracker state']);
    for (const [name, d] of Object.entries(state.databases ?? {})) t.ensureDatabase(name, d.charset);
    for (const tbl of state.tables) t.setTable(tbl.schema, tbl.create);
    return t;
  }
}
