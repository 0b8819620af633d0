import { appliesToApp, escapeRegExp, expressions, isTrue, topLevelOperands, userFunctionsIn } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Every OR-ed branch of a permissive policy the application role is subject
 * to must tie the row to the current tenant: compare the tenant column with
 * something read per session (the variable, a helper function, a sub-select),
 * or admit only rows without a tenant (shared global rows, legacy rows of
 * their owner). A branch that tests the variable itself
 * (`current_setting(...) IS NULL OR ...`), `OR true`, or a policy keyed on
 * session state alone lets one tenant's request through to every tenant's rows.
 */
export const requireTenantPredicate: LintRule = {
  id: 'require-tenant-predicate',
  severity: 'error',
  title: 'policy branch that does not tie rows to the current tenant',
  fix: "Make every OR branch compare the tenant column with the variable, e.g. company_id = NULLIF(current_setting('app.company_id', true), '')::uuid; drop branches that test whether the variable is set.",
  check(context) {
    const out = [];
    const name = escapeRegExp(context.tenantColumn);
    const column = new RegExp(`(?:"${name}"|(?<![A-Za-z0-9_$."])${name}(?![A-Za-z0-9_$"]))`);
    const withoutTenant = new RegExp(`^(?:"${name}"|${name}) IS NULL$`);
    const readsSession = (branch: string): boolean => /current_setting\s*\(|\(\s*SELECT\b/i.test(branch) || userFunctionsIn(branch, context.snapshot).length > 0;
    const tied = (branch: string): boolean =>
      topLevelOperands(branch, 'AND').some((c) => withoutTenant.test(c)) || (column.test(branch) && readsSession(branch));
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        if (!policy.permissive || !appliesToApp(policy, context)) continue;
        for (const expression of expressions(policy)) {
          // USING (true) alone is ban-permissive-true's finding.
          if (isTrue(expression)) continue;
          const loose = topLevelOperands(expression, 'OR').find((branch) => !tied(branch));
          if (loose !== undefined) {
            out.push(finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} lets rows through where ${loose}, which does not tie them to the current tenant`));
          }
        }
      }
    }
    return out;
  },
};
