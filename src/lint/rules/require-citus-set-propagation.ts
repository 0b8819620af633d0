import { roleClosure } from '../../introspect/snapshot.js';
import { finding, type LintRule } from '../rule.js';

/** Without citus.propagate_set_commands = 'local', the tenant variable never reaches the workers: the application sees no rows. */
export const requireCitusSetPropagation: LintRule = {
  id: 'require-citus-set-propagation',
  severity: 'warning',
  title: 'application role without SET propagation to the Citus workers',
  fix: "ALTER ROLE <app> IN DATABASE <db> SET citus.propagate_set_commands = 'local', and set the tenant with SET LOCAL (rlsgen/runtime mode: 'citus').",
  check(context) {
    if (context.snapshot.citus === null || context.appRole === null) return [];
    const roles = roleClosure(context.snapshot, context.appRole);
    const set = context.snapshot.roleSettings.some((r) => roles.has(r.role) && r.settings.includes('citus.propagate_set_commands=local'));
    return set
      ? []
      : [finding(this, `role ${context.appRole}`, `${context.appRole} does not propagate SET LOCAL to the workers: the tenant variable stays on the coordinator and queries of distributed tables return nothing`)];
  },
};
