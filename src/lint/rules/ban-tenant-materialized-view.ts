import { qualified } from '../../introspect/snapshot.js';
import { tenantTable } from '../policy-analysis.js';
import { finding, type LintRule } from '../rule.js';

/** A materialized view stores tenant rows with no row security of its own. */
export const banTenantMaterializedView: LintRule = {
  id: 'ban-tenant-materialized-view',
  severity: 'warning',
  title: 'materialized view over a tenant table',
  fix: 'Keep the materialized view away from the application role (REVOKE SELECT), or replace it with a security_invoker view or a tenant-scoped table.',
  check(context) {
    return context.snapshot.views
      .filter((v) => v.materialized && v.reads.some((r) => tenantTable(context, r) !== undefined))
      .map((v) => finding(this, `materialized view ${qualified(v)}`, `materialized view ${qualified(v)} copies tenant rows; row-level security does not apply to it`));
  },
};
