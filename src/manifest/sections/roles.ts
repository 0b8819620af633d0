import type { CrossTenantRoleSpec } from '../model.js';
import { section } from '../section.js';

/** `roles:` the application role the policies apply to, and the optional cross-tenant role. */
export const rolesSection = section({
  key: 'roles',
  build({ raw, report }) {
    const app = raw.roles.app;
    const cross = raw.roles.cross_tenant;
    report.checkIdentifier(['roles', 'app', 'name'], app.name);
    if (cross !== undefined) {
      report.checkIdentifier(['roles', 'cross_tenant', 'name'], cross.name);
      if (cross.name === app.name) {
        report.error(['roles', 'cross_tenant', 'name'], 'role-conflict', 'the cross-tenant role must differ from the application role', { help: 'the application role must never see other tenants; give super admins their own role and login' });
      }
    }
    const crossTenant: CrossTenantRoleSpec | null =
      cross === undefined ? null : { name: cross.name, create: cross.create ?? true, write: cross.write ?? false };
    return { app: { name: app.name, create: app.create ?? true }, crossTenant };
  },
});
