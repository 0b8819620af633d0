import { predefinedAmong } from '../../introspect/predefined-roles.js';
import { roleClosure } from '../../introspect/snapshot.js';
import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/** The application role is not a member of a predefined role that reaches data past its grants (pg_read_all_data, ...). */
export const predefinedRole: RoleProbe = {
  id: 'predefined-role',
  scope: 'role',
  lintRule: 'ban-app-role-predefined',
  proves: 'the application role is a member of no predefined role that reaches past its grants (pg_read_all_data, pg_monitor, ...)',
  async run(s) {
    if (!s.snapshot.roles.some((r) => r.name === s.app)) return [];
    const found = predefinedAmong(roleClosure(s.snapshot, s.app));
    return [found.length === 0 ? pass(this.id, 'member of no predefined role that reaches past its grants') : fail(this.id, `${s.app} is ${found.map((r) => `a member of ${r.name}: ${r.reach}`).join('; ')}`)];
  },
};
