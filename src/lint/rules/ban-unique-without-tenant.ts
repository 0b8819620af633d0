import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Unique checks ignore row security: a UNIQUE constraint (or unique index)
 * without the tenant column makes a duplicate-key error tell one tenant that
 * another tenant already has that value. Primary keys are left out (random
 * keys reveal nothing; see the docs page for sequential ones).
 */
export const banUniqueWithoutTenant: LintRule = {
  id: 'ban-unique-without-tenant',
  severity: 'warning',
  title: 'unique constraint on a tenant table without the tenant column',
  fix: 'Make it unique per tenant: (tenant_column, column) instead of (column).',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      // A lookup's key is unique across tenants by design: the lookup itself says whether a key exists.
      const lookupKeys = (context.model?.lookups ?? []).filter((l) => l.tableName.schema === table.schema && l.tableName.name === table.name).map((l) => l.key);
      for (const index of table.indexes) {
        if (!index.unique || index.primary || index.columns.includes(context.tenantColumn)) continue;
        if (lookupKeys.some((key) => index.columns.every((c) => c !== null && key.includes(c)))) continue;
        out.push(
          finding(this, tableObject(table), `unique index ${index.name} on ${table.schema}.${table.name} (${index.columns.map((c) => c ?? 'expression').join(', ')}) spans tenants: its duplicate-key error reveals other tenants' values`),
        );
      }
    }
    return out;
  },
};
