/**
 * A DDL piece (one table, one ALTER spec — as DM splits it) made ready for the downstream: table names
 * rewritten by the routes, CREATE … IF NOT EXISTS / DROP … IF EXISTS as DM does (so a re-run or a second
 * shard of a merged table does not fail on what exists), and its DM event name for the binlog event filter.
 */
import type { AlterSpec, Statement, TableName } from '../../sql/ddl/ast.js';
import { printStatement } from '../../sql/ddl/printer.js';
import type { SplitDDL } from '../../sql/ddl/ddl-split.js';
import type { TableRouter } from '../../filter/table-filter.js';

function routeName(t: TableName, router: TableRouter, currentSchema: string): TableName {
  const schema = t.schema ?? currentSchema;
  const r = router.route(schema, t.name);
  return { schema: r.schema, name: r.table };
}

/** The statement with every table and database name routed (a deep copy; the input is not changed). */
export function routeStatement(st: Statement, router: TableRouter, currentSchema: string): Statement {
  const rt = (t: TableName): TableName => routeName(t, router, currentSchema);
  switch (st.type) {
    case 'createTable': {
      const out = { ...st, table: rt(st.table), ifNotExists: true };
      if (st.like) out.like = rt(st.like);
      out.constraints = st.constraints.map((c) => (c.references ? { ...c, references: { ...c.references, table: rt(c.references.table) } } : c));
      return out;
    }
    case 'alterTable':
      return { ...st, table: rt(st.table), specs: st.specs.map((s): AlterSpec => (s.type === 'renameTable' ? { ...s, newName: rt(s.newName) } : s)) };
    case 'dropTable':
      return { ...st, tables: st.tables.map(rt), ifExists: true };
    case 'renameTable':
      return { ...st, pairs: st.pairs.map((p) => ({ from: rt(p.from), to: rt(p.to) })) };
    case 'truncateTable':
      return { ...st, table: rt(st.table) };
    case 'createIndex':
      return { ...st, table: rt(st.table) };
    case 'dropIndex':
      return { ...st, table: rt(st.table) };
    case 'createDatabase':
      return { ...st, name: router.routeSchema(st.name), ifNotExists: true };
    case 'dropDatabase':
      return { ...st, name: router.routeSchema(st.name), ifExists: true };
    default:
      return st;
  }
}

export function routedSql(p: SplitDDL, router: TableRouter, currentSchema: string): string {
  return printStatement(routeStatement(p.node, router, currentSchema));
}

const ALTER_EVENTS: Partial<Record<AlterSpec['type'], string>> = {
  addColumn: 'add column',
  dropColumn: 'drop column',
  modifyColumn: 'modify column',
  changeColumn: 'modify column',
  renameColumn: 'rename column',
  renameIndex: 'rename index',
  addIndex: 'create index',
  dropIndex: 'drop index',
  dropPrimaryKey: 'drop primary key',
  renameTable: 'rename table',
};

/**
 * DM's event names of a piece: the general one (`alter table`, `create table`, …) and, for ALTER, the
 * fine-grained one (`add column`, `drop column`, …) when there is one.
 */
export function ddlEventNames(node: Statement): { general: string; specific?: string | undefined } {
  switch (node.type) {
    case 'createTable':
      return { general: 'create table' };
    case 'alterTable': {
      const spec = node.specs[0];
      return { general: 'alter table', specific: spec ? ALTER_EVENTS[spec.type] : undefined };
    }
    case 'dropTable':
      return { general: 'drop table' };
    case 'renameTable':
      return { general: 'rename table' };
    case 'truncateTable':
      return { general: 'truncate table' };
    case 'createIndex':
      return { general: 'create index' };
    case 'dropIndex':
      return { general: 'drop index' };
    case 'createDatabase':
      return { general: 'create database' };
    case 'dropDatabase':
      return { general: 'drop database' };
    default:
      return { general: '' };
  }
}
