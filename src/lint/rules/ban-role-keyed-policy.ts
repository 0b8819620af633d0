import type { Expr } from '../../sql/expression.js';
import { walkExpression } from '../../sql/expression.js';
import { appliesToApp, expressions } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';
import { isOwnColumn, policyTree } from '../tenant-binding.js';

const ROLE_VALUES = new Set(['current_user', 'current_role', 'user', 'session_user']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

const isRoleValue = (e: Expr): boolean => (e.kind === 'cast' ? isRoleValue(e.expr) : e.kind === 'sqlvalue' && ROLE_VALUES.has(e.name));

/**
 * The application connects through one shared login (a pool, PgBouncer):
 * current_user and session_user are the same for every tenant, so a policy
 * that matches rows by them isolates nothing. Role checks that are not a row
 * key (`pg_has_role(current_user, ...)`, `current_user = 'admin'`) are not
 * reported.
 */
export const banRoleKeyedPolicy: LintRule = {
  id: 'ban-role-keyed-policy',
  severity: 'error',
  title: 'policy matches rows by current_user or session_user under the shared application login',
  fix: "Key the policy on the tenant variable (tenant_column = NULLIF(current_setting('app.company_id', true), '')::type), which the application sets per transaction.",
  check(context) {
    const out = [];
    for (const table of context.snapshot.tables) {
      for (const policy of table.policies) {
        if (!appliesToApp(policy, context)) continue;
        for (const text of expressions(policy)) {
          const keyed = [...walkExpression(policyTree(text))].some(
            (e) => (e.kind === 'op' && COMPARISONS.has(e.op) && ((isRoleValue(e.left) && isOwnColumn(e.right, table)) || (isRoleValue(e.right) && isOwnColumn(e.left, table)))) || (e.kind === 'any' && isRoleValue(e.left) && e.items.some((i) => isOwnColumn(i, table))),
          );
          if (!keyed) continue;
          out.push(
            finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} matches rows by the session's role (${text}); every tenant shares the application's login, so it is the same for all of them`),
          );
          break;
        }
      }
    }
    return out;
  },
};
