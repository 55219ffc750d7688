/**
 * The shapes the units use to ask "is this migrated?" and "where does it go?", so dump, load, sync and diff
 * depend on these interfaces, not on how block-allow lists and routes are configured.
 */

export interface TableName {
  readonly schema: string;
  readonly table: string;
}

/** Block-allow list decisions (DM semantics: schema level first, then table level). */
export interface TableFilter {
  /** Whether anything in this schema can be migrated (schema-only statements: CREATE/DROP DATABASE). */
  matchSchema(schema: string): boolean;
  /** Whether this table is migrated. System schemas never are. */
  matchTable(schema: string, table: string): boolean;
}

/** Table routing: upstream name → downstream name (unchanged when no rule matches). */
export interface TableRouter {
  /** Throws a coded error when a table matches more than one rule. */
  route(schema: string, table: string): TableName;
  /** Schema-level routing (for CREATE/DROP DATABASE and schema files). */
  routeSchema(schema: string): string;
}

/** Schemas no migration ever touches. */
export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['mysql', 'information_schema', 'performance_schema', 'sys', 'metrics_schema', 'inspection_schema', 'dm_heartbeat']);

/** Accepts everything but the system schemas. */
export const ALLOW_ALL: TableFilter = {
  matchSchema: (s) => !SYSTEM_SCHEMAS.has(s.toLowerCase()),
  matchTable: (s) => !SYSTEM_SCHEMAS.has(s.toLowerCase()),
};

/** Leaves every name unchanged. */
export const IDENTITY_ROUTER: TableRouter = {
  route: (schema, table) => ({ schema, table }),
  routeSchema: (schema) => schema,
};
