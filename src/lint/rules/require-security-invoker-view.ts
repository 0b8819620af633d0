import { qualified } from '../../introspect/snapshot.js';
import { bypassingRoles, tenantTable } from '../policy-analysis.js';
import { finding, type LintRule } from '../rule.js';

/**
 * A view runs with its owner's rights unless it is security_invoker
 * (PostgreSQL 15+): a view over a tenant table owned by a role that bypasses
 * row security shows every tenant to whoever may select from the view.
 */
export const requireSecurityInvokerView: LintRule = {
  id: 'require-security-invoker-view',
  severity: 'error',
  title: 'view over a tenant table runs with rights that bypass row-level security',
  fix: 'ALTER VIEW ... SET (security_invoker = true) on PostgreSQL 15+; before 15, give the view an owner that is subject to the policies.',
  check(context) {
    const bypass = bypassingRoles(context.snapshot);
    const out = [];
    for (const view of context.snapshot.views) {
      if (view.materialized || view.securityInvoker) continue;
      const tables = view.reads.map((r) => tenantTable(context, r)).filter((t) => t !== undefined);
      const leaking = tables.filter((t) => bypass.has(view.owner) || (t.owner === view.owner && !t.rlsForced));
      if (leaking.length === 0) continue;
      out.push(
        finding(
          this,
          `view ${qualified(view)}`,
          `view ${qualified(view)} reads ${leaking.map(qualified).join(', ')} with the rights of ${view.owner}, who ${bypass.has(view.owner) ? 'bypasses row-level security' : 'owns them without FORCE'}: it shows every tenant`,
        ),
      );
    }
    return out;
  },
};
