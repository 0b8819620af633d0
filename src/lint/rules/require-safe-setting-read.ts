import { expressions } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * `current_setting('app.company_id')` (one argument) raises an error where
 * the variable was never set; `current_setting('app.company_id', true)::uuid`
 * raises one on a pooled connection, where the variable reads '' after an
 * earlier transaction set it. Both break requests instead of failing closed.
 */
export const requireSafeSettingRead: LintRule = {
  id: 'require-safe-setting-read',
  severity: 'warning',
  title: 'policy reads the tenant variable unsafely',
  fix: "Read it as NULLIF(current_setting('app.company_id', true), '')::<type>.",
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        for (const expression of expressions(policy)) {
          const oneArgument = /current_setting\('[^']*'(::text)?\)/.test(expression);
          const unguardedCast = /\(current_setting\('[^']*'(::text)?, true\)\)::(?!text)/.test(expression) || /current_setting\('[^']*'(::text)?, true\)::(?!text)/.test(expression);
          if (oneArgument) out.push(finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} reads the variable with one-argument current_setting(): an error wherever it was never set`));
          else if (unguardedCast) out.push(finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} casts current_setting(..., true) without NULLIF(..., ''): an error on pooled connections, where it reads ''`));
        }
      }
    }
    return out;
  },
};
