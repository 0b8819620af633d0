import { section } from '../section.js';

/**
 * `database:` database-wide privileges. `temporary.revoke_from_public`
 * revokes TEMPORARY from PUBLIC (and the application role): temporary
 * tables have no row-level security and outlive a pooled request, so a
 * tenant's rows copied into one reach the next request on that connection.
 * `grant_to` lists the roles that keep creating them.
 */
export const databaseSection = section({
  key: 'database',
  build({ raw, report, built }) {
    const temporary = raw.database?.temporary;
    const grantTo = [...new Set(temporary?.grant_to ?? [])];
    const app = built('roles').app.name;
    for (const [index, role] of (temporary?.grant_to ?? []).entries()) {
      report.checkIdentifier(['database', 'temporary', 'grant_to', index], role);
      if (role === app) {
        report.error(['database', 'temporary', 'grant_to', index], 'temporary-app-role', `the application role ${app} cannot keep TEMPORARY: temporary tables are what the option takes away from it`);
      }
    }
    if (grantTo.length > 0 && temporary?.revoke_from_public !== true) {
      report.warning(['database', 'temporary', 'grant_to'], 'temporary-grant-unused', '`grant_to` has no effect unless `revoke_from_public: true`: PUBLIC keeps TEMPORARY');
    }
    return { temporary: { revokeFromPublic: temporary?.revoke_from_public ?? false, grantTo } };
  },
});
