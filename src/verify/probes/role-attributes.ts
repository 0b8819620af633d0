import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/** The application role is neither a superuser nor BYPASSRLS: policies apply to it. */
export const roleAttributes: RoleProbe = {
  id: 'role-attributes',
  scope: 'role',
  lintRule: 'ban-app-role-bypass',
  proves: 'the application role is neither superuser nor BYPASSRLS',
  async run(s) {
    const app = s.snapshot.roles.find((r) => r.name === s.app);
    if (app === undefined) return [fail(this.id, `the application role ${s.app} does not exist`)];
    return [
      app.superuser || app.bypassRls
        ? fail(this.id, `${s.app} is ${app.superuser ? 'a superuser' : 'BYPASSRLS'}: no policy applies to it`)
        : pass(this.id, `${s.app}: not superuser, no BYPASSRLS`),
    ];
  },
};
