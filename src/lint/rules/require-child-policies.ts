import { findTableInfo, type PolicyInfo, qualified } from '../../introspect/snapshot.js';
import { isTenantTable } from '../policy-analysis.js';
import { appCanUse, finding, type LintRule, tableObject } from '../rule.js';

const signature = (p: PolicyInfo): string => JSON.stringify([p.command, p.permissive, p.roles, p.using, p.check]);

/**
 * Queries on a partition or inheritance child directly use the child's own
 * row security, not the parent's: a child without the parent's policies is a
 * way around them.
 */
export const requireChildPolicies: LintRule = {
  id: 'require-child-policies',
  severity: 'error',
  title: "partition or child table without its parent's row-level security",
  fix: 'Enable and force row-level security on every partition and child, with the same policies as the parent (and revoke direct access where possible).',
  check(context) {
    const out = [];
    for (const child of context.snapshot.tables) {
      if (child.parent === null || !isTenantTable(context, child.parent)) continue;
      const parent = findTableInfo(context.snapshot, child.parent);
      if (parent === undefined) continue;
      const same =
        child.rlsEnabled === parent.rlsEnabled &&
        child.rlsForced === parent.rlsForced &&
        JSON.stringify(child.policies.map(signature).sort()) === JSON.stringify(parent.policies.map(signature).sort());
      if (!same) {
        const reach = appCanUse(context, tableObject(child));
        const who = reach === null || reach === undefined ? '' : `; ${context.appRole} can query it directly (through ${reach.via.join(', ')})`;
        out.push(
          finding(this, tableObject(child), `${qualified(child)} is a ${child.isPartition ? 'partition' : 'child'} of ${qualified(parent)} but its row-level security differs: a query on ${qualified(child)} itself bypasses the parent's policies${who}`),
        );
      }
    }
    return out;
  },
};
