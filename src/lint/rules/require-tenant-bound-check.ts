import { appliesToApp, isTrue } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';
import { bindsTenant, policyTree } from '../tenant-binding.js';

/**
 * A FOR ALL policy's explicit WITH CHECK replaces its USING for new rows: when
 * it validates other columns but never ties the tenant column to the
 * session's tenant, an INSERT (one that does not read the row back) can write
 * a row stamped with another tenant. `require-with-check` reports a WITH
 * CHECK that does not name the tenant column at all; this rule also reads
 * the ones that name it without binding it (`company_id IS NOT NULL`).
 */
export const requireTenantBoundCheck: LintRule = {
  id: 'require-tenant-bound-check',
  severity: 'error',
  title: 'FOR ALL policy whose WITH CHECK does not bind the tenant',
  fix: 'Make the WITH CHECK include tenant_column = <the tenant variable> (or drop it, so that PostgreSQL checks new rows with USING).',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        if (!policy.permissive || policy.command !== 'ALL' || policy.check === null || isTrue(policy.check) || !appliesToApp(policy, context)) continue;
        if (bindsTenant(policyTree(policy.check), table, context)) continue;
        out.push(
          finding(this, tableObject(table), `policy ${policy.name} (ALL) on ${table.schema}.${table.name} checks new rows with ${policy.check}, which does not bind ${context.tenantColumn} to ${context.setting}: an INSERT can write another tenant's row`),
        );
      }
    }
    return out;
  },
};
