import { roleClosure } from '../../introspect/snapshot.js';
import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/** The application role cannot reach, through memberships, a role that bypasses row security or the cross-tenant role. */
export const roleMembership: RoleProbe = {
  id: 'role-membership',
  scope: 'role',
  lintRule: 'ban-app-role-escalation',
  proves: 'the application role is not a member of a role that sees other tenants',
  async run(s) {
    if (!s.snapshot.roles.some((r) => r.name === s.app)) return [];
    const closure = roleClosure(s.snapshot, s.app);
    const bypassing = [...closure].filter((r) => r !== s.app && s.snapshot.roles.some((x) => x.name === r && (x.superuser || x.bypassRls)));
    const cross = s.model.roles.crossTenant?.name;
    const problems = [...bypassing.map((r) => `member of ${r}, which bypasses row security`), ...(cross !== undefined && closure.has(cross) ? [`member of the cross-tenant role ${cross}`] : [])];
    return [problems.length === 0 ? pass(this.id, 'no path to a role that sees other tenants') : fail(this.id, `${s.app} is ${problems.join('; ')}`)];
  },
};
