/**
 * DM expression filters (task config `expression-filter`, spec §2.11/§5.10): drop row changes of one
 * upstream table for which a SQL expression on the row's values is TRUE. NULL and FALSE keep the row.
 */
import type { Row } from '../../binlog/row-value.js';
import { DmError } from '../../observability/dm-error.js';
import { E } from '../../observability/error-catalogue.js';
import { bindExpression, type BoundExpression } from './evaluator.js';
import { ExpressionError } from './lexer.js';
import { parseExpression } from './parser.js';

export interface ExpressionFilterRule {
  /** The rule's name in the task config (used in error messages); defaults to `schema.table`. */
  readonly name?: string | undefined;
  readonly schema: string;
  readonly table: string;
  readonly insertValueExpr?: string | undefined;
  readonly updateOldValueExpr?: string | undefined;
  readonly updateNewValueExpr?: string | undefined;
  readonly deleteValueExpr?: string | undefined;
}

export interface CompiledExpressionFilter {
  readonly schema: string;
  readonly table: string;
  /** Whether the inserted row is dropped (insert-value-expr is TRUE). */
  skipInsert(row: Row): boolean;
  /**
   * Whether the update is dropped: with both old and new expressions, only when both are TRUE; with one,
   * when that one is TRUE (the whole change — old and new image — is dropped together).
   */
  skipUpdate(before: Row, after: Row): boolean;
  /** Whether the deleted row is dropped (delete-value-expr is TRUE). */
  skipDelete(row: Row): boolean;
}

/**
 * Compiles a rule against the table's column names (in row order). Throws DmError
 * `ConfigExprFilterWrongGrammar` (20041) on a syntax error, an unknown column (named in the message), an
 * unknown or non-deterministic function.
 */
export function compileExpressionFilter(rule: ExpressionFilterRule, columns: readonly string[]): CompiledExpressionFilter {
  const name = rule.name ?? `${rule.schema}.${rule.table}`;
  const compile = (sql: string | undefined): BoundExpression | undefined => {
    if (sql === undefined || sql.trim() === '') return undefined;
    try {
      return bindExpression(parseExpression(sql), columns);
    } catch (err) {
      if (err instanceof ExpressionError) throw DmError.of(E.ConfigExprFilterWrongGrammar, [name, sql, err.message], { cause: err });
      throw err;
    }
  };
  const ins = compile(rule.insertValueExpr);
  const oldE = compile(rule.updateOldValueExpr);
  const newE = compile(rule.updateNewValueExpr);
  const del = compile(rule.deleteValueExpr);
  return {
    schema: rule.schema,
    table: rule.table,
    skipInsert: (row) => ins !== undefined && ins.test(row) === true,
    skipUpdate: (before, after) => {
      if (oldE === undefined && newE === undefined) return false;
      return (oldE === undefined || oldE.test(before) === true) && (newE === undefined || newE.test(after) === true);
    },
    skipDelete: (row) => del !== undefined && del.test(row) === true,
  };
}

/** Parses and binds one expression (no DM error wrapping); for callers that evaluate values directly. */
export function compileExpression(sql: string, columns: readonly string[]): BoundExpression {
  return bindExpression(parseExpression(sql), columns);
}
