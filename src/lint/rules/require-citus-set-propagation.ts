import { roleClosure } from '../../introspect/snapshot.js';
import { finding, type LintRule } from '../rule.js';

/**
 * Without citus.propagate_set_commands = 'local' in the session, SET LOCAL of
 * the tenant variable stays on the coordinator: the workers see no tenant and
 * queries of distributed tables return nothing. What counts is the value the
 * application's login roles start with, not a setting of the role they are
 * members of, which PostgreSQL never applies to them.
 */
export const requireCitusSetPropagation: LintRule = {
  id: 'require-citus-set-propagation',
  severity: 'warning',
  title: 'login role of the application without SET propagation to the Citus workers',
  fix: "ALTER ROLE <login> IN DATABASE <db> SET citus.propagate_set_commands = 'local' for each login role, or send SET LOCAL citus.propagate_set_commands = 'local' in every transaction (rlsgen/runtime mode: 'citus' does); acknowledge the finding in the manifest in the second case.",
  check(context) {
    const citus = context.snapshot.citus;
    const app = context.appRole;
    if (citus === null || app === null) return [];
    const logins = context.snapshot.roles.filter((r) => r.canLogin && !r.superuser && roleClosure(context.snapshot, r.name).has(app));
    if (logins.length === 0) {
      return [finding(this, `role ${app}`, `no login role is a member of ${app}: Citus opens worker connections as the current user, and the workers refuse a role that cannot log in`)];
    }
    return logins
      .map((login) => ({ login: login.name, value: citus.loginSettings.find((s) => s.role === login.name)?.propagateSetCommands ?? 'none' }))
      .filter(({ value }) => value !== 'local')
      .map(({ login, value }) =>
        finding(this, `role ${login}`, `${login} (a member of ${app}) starts its sessions with citus.propagate_set_commands = '${value}': unless the application sends SET LOCAL citus.propagate_set_commands = 'local' in each transaction, the tenant variable stays on the coordinator and queries of distributed tables return nothing`),
      );
  },
};
