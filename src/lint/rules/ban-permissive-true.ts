import { appliesToApp, isTrue } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** A permissive USING (true) or WITH CHECK (true) the application role is subject to opens the whole table to it. A policy with no expression denies; it is not this. */
export const banPermissiveTrue: LintRule = {
  id: 'ban-permissive-true',
  severity: 'error',
  title: 'permissive policy that lets every row through, for the application role',
  fix: 'Restrict it to the tenant column, or to a role the application cannot use (a cross-tenant role on its own login).',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        if (!policy.permissive || !appliesToApp(policy, context)) continue;
        if (isTrue(policy.using) || isTrue(policy.check)) {
          out.push(finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} is ${isTrue(policy.using) ? 'USING (true)' : 'WITH CHECK (true)'} for ${policy.roles.join(', ')}, which the application role is subject to`));
        }
      }
    }
    return out;
  },
};
