import { finding, type LintRule } from '../rule.js';

/** The application role is a superuser or has BYPASSRLS: no policy applies to it. */
export const banAppRoleBypass: LintRule = {
  id: 'ban-app-role-bypass',
  severity: 'error',
  title: 'application role bypasses row-level security',
  fix: 'ALTER ROLE <app> NOSUPERUSER NOBYPASSRLS; give the application a role of its own without those attributes.',
  check(context) {
    const role = context.snapshot.roles.find((r) => r.name === context.appRole);
    if (role === undefined || !(role.superuser || role.bypassRls)) return [];
    return [finding(this, `role ${role.name}`, `the application role ${role.name} is ${role.superuser ? 'a superuser' : 'BYPASSRLS'}: policies never apply to it`)];
  },
};
