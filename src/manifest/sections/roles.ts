import type { CrossTenantRoleSpec } from '../model.js';
import { section } from '../section.js';

/**
 * `roles:` the application role the policies apply to, the optional
 * cross-tenant role, and the role that owns the lookup functions.
 */
export const rolesSection = section({
  key: 'roles',
  build({ raw, report }) {
    const app = raw.roles.app;
    const cross = raw.roles.cross_tenant;
    const lookup = raw.roles.lookup;
    report.checkIdentifier(['roles', 'app', 'name'], app.name);
    if (cross !== undefined) {
      report.checkIdentifier(['roles', 'cross_tenant', 'name'], cross.name);
      if (cross.name === app.name) {
        report.error(['roles', 'cross_tenant', 'name'], 'role-conflict', 'the cross-tenant role must differ from the application role', { help: 'the application role must never see other tenants; give super admins their own role and login' });
      }
    }
    const lookupName = lookup?.name ?? `${app.name}_lookup`;
    const lookupAt = lookup === undefined ? ['roles', 'app', 'name'] : ['roles', 'lookup', 'name'];
    report.checkIdentifier(lookupAt, lookupName);
    if (lookupName === app.name || lookupName === cross?.name) {
      report.error(lookupAt, 'role-conflict', `the lookup role must be a role of its own, not the ${lookupName === app.name ? 'application' : 'cross-tenant'} role`, {
        help: 'it owns the lookup functions and nothing else, and reads only their columns; the application only calls the functions',
      });
    }
    const crossTenant: CrossTenantRoleSpec | null =
      cross === undefined ? null : { name: cross.name, create: cross.create ?? true, write: cross.write ?? false };
    return {
      app: { name: app.name, create: app.create ?? true, idleInTransactionSessionTimeout: app.idle_in_transaction_session_timeout ?? null },
      crossTenant,
      lookup: { name: lookupName, create: lookup?.create ?? true },
    };
  },
});
