import { appliesToApp, isTrue } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * A write policy whose WITH CHECK does not look at the tenant column lets a
 * row be written into (or moved to) another tenant. An ALL or UPDATE policy
 * with no WITH CHECK at all is fine: PostgreSQL checks new rows with USING.
 */
export const requireWithCheck: LintRule = {
  id: 'require-with-check',
  severity: 'error',
  title: 'write policy whose WITH CHECK does not constrain the tenant',
  fix: 'Give INSERT, UPDATE and ALL policies a WITH CHECK on the tenant column (or omit it on ALL/UPDATE so USING applies).',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        if (!policy.permissive || !['INSERT', 'UPDATE', 'ALL'].includes(policy.command) || !appliesToApp(policy, context)) continue;
        // An ALL policy's own WITH CHECK is require-tenant-bound-check's.
        if (policy.command === 'ALL' && policy.check !== null && !isTrue(policy.check)) continue;
        const effective = policy.check ?? (policy.command === 'INSERT' ? null : policy.using);
        if (effective === null) continue;
        if (isTrue(effective) || !effective.includes(context.tenantColumn)) {
          out.push(
            finding(this, tableObject(table), `policy ${policy.name} (${policy.command}) on ${table.schema}.${table.name} checks new rows with ${effective}, which does not tie them to the current tenant`),
          );
        }
      }
    }
    return out;
  },
};
