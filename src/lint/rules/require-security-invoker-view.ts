import { qualified } from '../../introspect/snapshot.js';
import { objectLabel } from '../../sql/object-label.js';
import { bypassingRoles } from '../policy-analysis.js';
import { appCanUse, finding, type LintRule } from '../rule.js';

/**
 * A view runs with its owner's rights unless it is security_invoker
 * (PostgreSQL 15+): a view over a tenant table owned by a role that bypasses
 * row security shows every tenant to whoever may select from the view. Only
 * views the application role can read are reported (all of them when the
 * role is unknown).
 */
export const requireSecurityInvokerView: LintRule = {
  id: 'require-security-invoker-view',
  severity: 'error',
  title: 'view over a tenant table, readable by the application role, runs with rights that bypass row-level security',
  fix: 'ALTER VIEW ... SET (security_invoker = true) on PostgreSQL 15+ (list it under `views:` in the manifest); before 15, keep it away from the application role or give it an owner that is subject to the policies.',
  check(context) {
    const bypass = bypassingRoles(context.snapshot);
    const out = [];
    for (const view of context.snapshot.views) {
      if (view.materialized || view.securityInvoker) continue;
      const label = objectLabel('view', view.schema, view.name);
      const reach = appCanUse(context, label);
      if (reach === undefined || (reach !== null && !reach.privileges.includes('SELECT'))) continue;
      const leaking = context.tenantData.viewReads(view).filter((t) => bypass.has(view.owner) || (t.owner === view.owner && !t.rlsForced));
      const unscoped = context.tenantData.viewReadsUnscoped(view);
      if (leaking.length === 0 && unscoped.length === 0) continue;
      const who = reach === null ? '' : `; ${context.appRole} can select from it (through ${reach.via.join(', ')})`;
      const why =
        leaking.length > 0
          ? `reads ${leaking.map(qualified).join(', ')} with the rights of ${view.owner}, who ${bypass.has(view.owner) ? 'bypasses row-level security' : 'owns them without FORCE'}`
          : `reads ${unscoped.map(qualified).join(', ')}, tenant rows without policies, with the rights of ${view.owner}`;
      out.push(finding(this, label, `view ${qualified(view)} ${why}: it shows every tenant${who}`));
    }
    return out;
  },
};
