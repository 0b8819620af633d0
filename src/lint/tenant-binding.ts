import { type DbSnapshot, type GrantInfo, roleClosure, type TableInfo } from '../introspect/snapshot.js';
import type { Expr } from '../sql/expression.js';
import { walkExpression } from '../sql/expression.js';
import { parseExpression } from '../sql/parse-expression.js';
import { readsSetting } from './policy-analysis.js';
import type { LintContext } from './rule.js';

const parsed = new Map<string, Expr>();

/** A policy expression's tree, parsed once per text. */
export function policyTree(text: string): Expr {
  let expr = parsed.get(text);
  if (expr === undefined) {
    expr = parseExpression(text);
    parsed.set(text, expr);
  }
  return expr;
}

const stripCasts = (e: Expr): Expr => (e.kind === 'cast' ? stripCasts(e.expr) : e);

/** Whether `e` is a column of `table` named `column` (bare or qualified with the table's name). */
export function isOwnColumn(e: Expr, table: TableInfo, column?: string): boolean {
  const inner = stripCasts(e);
  return inner.kind === 'column' && (inner.qualifier === null || inner.qualifier === table.name) && (column === undefined ? table.columns.some((c) => c.name === inner.name) : inner.name === column);
}

/** A call of the built-in current_setting with the constant name `setting`. */
export function isSettingCall(e: Expr, setting: string): boolean {
  if (e.kind !== 'call' || e.name !== 'current_setting' || (e.schema !== null && e.schema !== 'pg_catalog')) return false;
  const name = e.args[0] === undefined ? undefined : stripCasts(e.args[0]);
  return name?.kind === 'const' && name.value === setting;
}

/** Whether `e` reads the tenant: current_setting of the tenant variable, a user function that reads it, or rlsgen's signed-context verifier. */
export function readsTenant(e: Expr, context: LintContext): boolean {
  for (const node of walkExpression(e)) {
    if (isSettingCall(node, context.setting)) return true;
    if (node.kind !== 'call') continue;
    if (node.schema === 'rlsgen' && node.name.startsWith('verified_tenant_')) return true;
    const fn = context.snapshot.functions.find((f) => f.name === node.name && (node.schema === null || f.schema === node.schema));
    if (fn !== undefined && readsSetting(`${fn.source} ${fn.sqlBody ?? ''}`, context.setting)) return true;
  }
  return false;
}

/**
 * Whether every row that passes `e` has the tenant column equal to the
 * session's tenant: an AND binds when one of its terms does, an OR when all
 * of its branches do, and `tenant_column = <the tenant>` binds.
 */
export function bindsTenant(e: Expr, table: TableInfo, context: LintContext): boolean {
  switch (e.kind) {
    case 'and':
      return e.args.some((a) => bindsTenant(a, table, context));
    case 'or':
      return e.args.every((a) => bindsTenant(a, table, context));
    case 'op':
      if (e.op !== '=') return false;
      return (isOwnColumn(e.left, table, context.tenantColumn) && readsTenant(e.right, context)) || (isOwnColumn(e.right, table, context.tenantColumn) && readsTenant(e.left, context));
    case 'distinct':
      // IS NOT DISTINCT FROM the tenant: equal, or both NULL (no tenant in the session writes a tenant-less row).
      return e.negated && ((isOwnColumn(e.left, table, context.tenantColumn) && readsTenant(e.right, context)) || (isOwnColumn(e.right, table, context.tenantColumn) && readsTenant(e.left, context)));
    case 'sublink':
      return e.inner !== null && bindsTenant(e.inner, table, context);
    default:
      return false;
  }
}

/** Whether the application role (or, without one, anyone but the owner) holds one of `privileges` on the table, directly, through a role it belongs to, or through PUBLIC. */
export function appHolds(snapshot: DbSnapshot, table: { readonly owner: string; readonly grants: readonly GrantInfo[] }, appRole: string | null, privileges: readonly string[]): GrantInfo | undefined {
  const closure = appRole === null ? null : roleClosure(snapshot, appRole);
  return table.grants.find((g) => g.grantee !== table.owner && (closure === null || g.grantee === 'PUBLIC' || closure.has(g.grantee)) && g.privileges.some((p) => privileges.includes(p)));
}
