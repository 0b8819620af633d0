import { qualified } from '../../introspect/snapshot.js';
import { objectLabel } from '../../sql/object-label.js';
import { appCanUse, finding, type LintRule } from '../rule.js';

/**
 * A materialized view stores tenant rows with no row security of its own:
 * whoever may select from it reads every tenant's copy. Only those the
 * application role can read are reported (all of them when the role is unknown).
 */
export const banTenantMaterializedView: LintRule = {
  id: 'ban-tenant-materialized-view',
  severity: 'error',
  title: 'materialized view over a tenant table readable by the application role',
  fix: 'REVOKE SELECT on it from the application role and PUBLIC, or replace it with a security_invoker view or a tenant-scoped table.',
  check(context) {
    const out = [];
    for (const view of context.snapshot.views) {
      if (!view.materialized) continue;
      const label = objectLabel('materialized view', view.schema, view.name);
      const reach = appCanUse(context, label);
      if (reach === undefined || (reach !== null && !reach.privileges.includes('SELECT'))) continue;
      const reads = [...context.tenantData.viewReads(view), ...context.tenantData.viewReadsUnscoped(view)];
      if (reads.length === 0) continue;
      const who = reach === null ? '' : `; ${context.appRole} can select from it (through ${reach.via.join(', ')})`;
      out.push(finding(this, label, `materialized view ${qualified(view)} copies rows of ${reads.map(qualified).join(', ')}; row-level security does not apply to it${who}`));
    }
    return out;
  },
};
