/**
 * DM's DDL splitting: one statement per table and per ALTER specification, so each can be filtered,
 * routed and tracked on its own. Names without a schema get `currentSchema` (the event's `USE` db).
 */
import type { Statement, TableName } from './ast.js';
import { printStatement } from './printer.js';

export interface SplitDDL {
  node: Statement;
  sql: string;
  /** The table the statement acts on (for RENAME TABLE: the old name); undefined for database DDL. */
  table?: TableName | undefined;
  /** For RENAME TABLE / ALTER … RENAME TO: the new name. */
  newTable?: TableName | undefined;
  /** Database of database-level DDL. */
  schema?: string | undefined;
}

function qualify(t: TableName, currentSchema: string | undefined): TableName {
  return t.schema === undefined && currentSchema !== undefined ? { schema: currentSchema, name: t.name } : { ...t };
}

export function splitDDL(st: Statement, currentSchema?: string): SplitDDL[] {
  const one = (node: Statement, table?: TableName, newTable?: TableName): SplitDDL => ({
    node,
    sql: printStatement(node),
    ...(table ? { table } : {}),
    ...(newTable ? { newTable } : {}),
  });
  switch (st.type) {
    case 'dropTable':
      return st.tables.map((t) => {
        const table = qualify(t, currentSchema);
        return one({ ...st, tables: [table] }, table);
      });
    case 'renameTable':
      return st.pairs.map((p) => {
        const from = qualify(p.from, currentSchema);
        const to = qualify(p.to, currentSchema);
        return one({ type: 'renameTable', pairs: [{ from, to }] }, from, to);
      });
    case 'alterTable': {
      let table = qualify(st.table, currentSchema);
      if (st.specs.length === 0) return [one({ ...st, table }, table)];
      const out: SplitDDL[] = [];
      for (const spec of st.specs) {
        if (spec.type === 'renameTable') {
          const to = qualify(spec.newName, currentSchema);
          out.push(one({ ...st, table, specs: [{ type: 'renameTable', newName: to }] }, table, to));
          table = to;
        } else if (spec.type === 'addColumn' && spec.parenthesized) {
          for (const c of spec.columns) {
            const { parenthesized: _p, ...rest } = spec;
            out.push(one({ ...st, table, specs: [{ ...rest, columns: [c] }] }, table));
          }
        } else {
          out.push(one({ ...st, table, specs: [spec] }, table));
        }
      }
      return out;
    }
    case 'createTable': {
      const table = qualify(st.table, currentSchema);
      const like = st.like ? qualify(st.like, currentSchema) : undefined;
      return [one({ ...st, table, ...(like ? { like } : {}) }, table)];
    }
    case 'truncateTable': {
      const table = qualify(st.table, currentSchema);
      return [one({ ...st, table }, table)];
    }
    case 'createIndex':
    case 'dropIndex': {
      const table = qualify(st.table, currentSchema);
      return [one({ ...st, table }, table)];
    }
    case 'createDatabase':
    case 'dropDatabase':
      return [{ node: st, sql: printStatement(st), schema: st.name }];
    case 'unsupported':
      return [{ node: st, sql: st.text }];
  }
}
