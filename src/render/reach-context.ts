import type { FunctionPlan, TemporaryPlan, ViewPlan } from '../plan/plan.js';
import { quoteQualified } from '../sql/quote.js';
import { SqlText } from './sql-text.js';

const COMMAND_SQL = { select: 'SELECT', insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;

/** A view, for the views templates: its name, its regclass literal, its grants. */
export function viewContext(view: ViewPlan): object {
  const qualified = quoteQualified(view.name.schema, view.name.name);
  return {
    name: SqlText.qualified(view.name),
    literal: SqlText.literal(qualified),
    display: SqlText.comment(qualified),
    reason: view.reason === null ? null : SqlText.comment(view.reason),
    grants: view.commands.length === 0 ? null : SqlText.sql(view.commands.map((c) => COMMAND_SQL[c]).join(', ')),
  };
}

/**
 * A function, for the function-privileges templates. Its signature reaches
 * SQL only as a literal cast to regprocedure: PostgreSQL parses the argument
 * types, and format('%s') of the regprocedure prints it quoted.
 */
export function functionContext(fn: FunctionPlan): object {
  const signature = `${quoteQualified(fn.schema, fn.name)}(${fn.argumentTypes})`;
  return {
    literal: SqlText.literal(signature),
    display: SqlText.comment(signature),
    reason: fn.reason === null ? null : SqlText.comment(fn.reason),
  };
}

export function temporaryContext(temporary: TemporaryPlan): object {
  return {
    revoke: temporary.revokeFromPublic,
    grantTo: temporary.grantTo.map((role) => ({ literal: SqlText.literal(role), display: SqlText.comment(role) })),
  };
}
