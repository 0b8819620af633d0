import { roleClosure } from '../../introspect/snapshot.js';
import { bypassingRoles } from '../policy-analysis.js';
import { finding, type LintRule } from '../rule.js';

/** The application role can SET ROLE (directly or through membership) to a role that bypasses row security. */
export const banAppRoleEscalation: LintRule = {
  id: 'ban-app-role-escalation',
  severity: 'error',
  title: 'application role can switch to a role that bypasses row-level security',
  fix: 'REVOKE the membership: the application role must belong to no superuser or BYPASSRLS role, directly or through others.',
  check(context) {
    if (context.appRole === null) return [];
    const bypass = bypassingRoles(context.snapshot);
    const reachable = [...roleClosure(context.snapshot, context.appRole)].filter((r) => r !== context.appRole && bypass.has(r)).sort();
    return reachable.map((r) =>
      finding(this, `role ${context.appRole}`, `${context.appRole} is a member of ${r}, which bypasses row-level security: SET ROLE ${r} reads every tenant`),
    );
  },
};
