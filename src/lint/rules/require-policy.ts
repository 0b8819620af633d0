import { finding, type LintRule, tableObject } from '../rule.js';

/** RLS on with no policy: PostgreSQL denies everything, so the application sees nothing. */
export const requirePolicy: LintRule = {
  id: 'require-policy',
  severity: 'warning',
  title: 'row-level security enabled with no policy',
  fix: 'Create the tenant policies (rlsgen generate), or disable row-level security if the table is deliberately exempt.',
  check(context) {
    return context.tenantTables
      .filter((t) => t.rlsEnabled && t.policies.length === 0)
      .map((t) => finding(this, tableObject(t), `${t.schema}.${t.name} has row-level security on and no policy: every query of a non-owner returns nothing and every write fails`));
  },
};
