import { finding, type LintRule, tableObject } from '../rule.js';

/** Without an index leading with the tenant column, every policy check scans the table. */
export const requireTenantIndex: LintRule = {
  id: 'require-tenant-index',
  severity: 'warning',
  title: 'no index leading with the tenant column',
  fix: 'CREATE INDEX CONCURRENTLY ... (tenant_column, ...) (rlsgen generates one on the tenant column, unique on (tenant, primary key) where composite foreign keys reference the table).',
  check(context) {
    return context.tenantTables
      .filter((t) => !t.indexes.some((i) => i.valid && !i.partial && i.columns[0] === context.tenantColumn))
      .map((t) => finding(this, tableObject(t), `${t.schema}.${t.name} has no valid index leading with ${context.tenantColumn}: every query filtered by the policy scans the whole table`));
  },
};
