import { roleClosure } from '../../introspect/snapshot.js';
import { roleLabel } from '../../sql/object-label.js';
import { finding, type LintRule } from '../rule.js';

/**
 * Temporary tables have no row-level security and live as long as the
 * connection: behind a pool, a tenant's rows copied into one are there for
 * the next request that gets the connection. Every role may create them
 * unless TEMPORARY is revoked from PUBLIC.
 */
export const banAppRoleTemporary: LintRule = {
  id: 'ban-app-role-temporary',
  severity: 'warning',
  title: 'application role can create temporary tables',
  fix: 'Set `database.temporary.revoke_from_public: true` in the manifest (REVOKE TEMPORARY ON DATABASE ... FROM PUBLIC, granted back to the roles in `grant_to`).',
  check(context) {
    const app = context.appRole;
    if (app === null || !context.snapshot.roles.some((r) => r.name === app)) return [];
    const roles = roleClosure(context.snapshot, app);
    const database = context.snapshot.databaseInfo;
    const via = database.grants.filter((g) => (g.grantee === 'PUBLIC' || roles.has(g.grantee)) && g.privileges.includes('TEMPORARY')).map((g) => g.grantee);
    if (roles.has(database.owner)) via.push(`owner ${database.owner}`);
    if (via.length === 0) return [];
    return [finding(this, roleLabel(app), `${app} can create temporary tables in database ${database.name} (TEMPORARY through ${via.join(', ')}): they have no row-level security and outlive a pooled request`)];
  },
};
