import type { TableInfo } from '../introspect/snapshot.js';
import { children, type Expr } from '../sql/expression.js';
import { SESSION_LOGIN } from './domains.js';
import type { FunctionResolver } from './resolve-function.js';

/** What the policies of one check depend on: the free variables the prover enumerates, and the constants they compare with. */
export interface Terms {
  /** Columns of the table the expressions read. */
  readonly columns: Set<string>;
  /** Settings read with a constant name. */
  readonly settings: Set<string>;
  /** Settings read inside IMMUTABLE helpers, which a cached plan may hold from another session. */
  readonly stale: Set<string>;
  readonly sessionUser: { used: boolean };
  /** Whether current_user (current_role, user) is read: the application role's name is then a value rows can hold. */
  readonly currentUser: { used: boolean };
  readonly constants: { readonly value: string; readonly type: string }[];
}

export function emptyTerms(): Terms {
  return { columns: new Set(), settings: new Set(), stale: new Set(), sessionUser: { used: false }, currentUser: { used: false }, constants: [] };
}

/** Adds what `expr` reads to `terms`, following inlined SQL functions as evaluation does. */
export function collectTerms(expr: Expr, table: TableInfo, resolver: FunctionResolver, terms: Terms, frame: { names: readonly string[]; stale: boolean; depth: number } = { names: [], stale: false, depth: 0 }): void {
  const visit = (e: Expr): void => collectTerms(e, table, resolver, terms, frame);
  switch (expr.kind) {
    case 'column':
      if (expr.qualifier === null && frame.names.includes(expr.name)) return;
      if ((expr.qualifier === null || expr.qualifier === table.name) && table.columns.some((c) => c.name === expr.name)) terms.columns.add(expr.name);
      return;
    case 'const':
      // Booleans need no sample values: every boolean column already tries true, false and NULL.
      if (expr.value !== null && expr.type !== 'bool') terms.constants.push({ value: expr.value, type: expr.type === 'unknown' ? 'text' : expr.type });
      return;
    case 'cast':
      if (expr.expr.kind === 'const' && expr.expr.value !== null) terms.constants.push({ value: expr.expr.value, type: expr.type });
      else visit(expr.expr);
      return;
    case 'sqlvalue':
      if (expr.name === 'session_user') {
        terms.sessionUser.used = true;
        // The login the application connects as is a value a row can hold too.
        terms.constants.push({ value: SESSION_LOGIN, type: 'text' });
      } else if (['current_user', 'current_role', 'user'].includes(expr.name)) terms.currentUser.used = true;
      return;
    case 'call':
      collectCall(expr, table, resolver, terms, frame);
      return;
    default:
      for (const child of children(expr)) visit(child);
  }
}

function collectCall(expr: Expr & { kind: 'call' }, table: TableInfo, resolver: FunctionResolver, terms: Terms, frame: { names: readonly string[]; stale: boolean; depth: number }): void {
  const visit = (e: Expr): void => collectTerms(e, table, resolver, terms, frame);
  const r = resolver.resolve(expr);
  if (r.kind === 'setting') {
    const [name, ...rest] = expr.args;
    const constant = name?.kind === 'const' ? name.value : name?.kind === 'cast' && name.expr.kind === 'const' ? name.expr.value : null;
    if (constant !== null && constant !== undefined) (frame.stale ? terms.stale : terms.settings).add(constant);
    else if (name !== undefined) visit(name);
    rest.forEach(visit);
    return;
  }
  expr.args.forEach(visit);
  if (r.kind === 'inline' && frame.depth <= 12) collectTerms(r.body, table, resolver, terms, { names: r.params, stale: frame.stale || r.immutable, depth: frame.depth + 1 });
}
