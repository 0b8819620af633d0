import { qualified } from '../../introspect/snapshot.js';
import { touchesRows, writes } from '../../introspect/role-reach.js';
import { appCanUse, finding, type LintRule, tableObject, unscopedDeclaredTables } from '../rule.js';

/**
 * An exempt table linked to tenant rows by foreign keys: rows that point at
 * a tenant's rows (`sessions.user_id -> users`) belong to that tenant, so
 * reading or writing them crosses tenants; rows that tenant rows point at
 * (a shared lookup) may be read by every tenant, but a tenant that writes
 * them changes what every other tenant's rows refer to.
 */
export const banExemptTenantReference: LintRule = {
  id: 'ban-exempt-tenant-reference',
  severity: 'error',
  title: 'exempt table linked by foreign keys to tenant rows, reachable by the application role',
  fix: 'Scope the table (its backfill follows the foreign key), or limit the application role to what crosses no tenant (no access to rows that belong to a tenant, read-only on shared lookups); if intended, accept it in the manifest\'s acknowledgements with the reason.',
  check(context) {
    const out = [];
    const data = context.tenantData;
    for (const table of unscopedDeclaredTables(context)) {
      if (data.ownsTenantRows(table)) continue;
      const reach = appCanUse(context, tableObject(table));
      if (reach === undefined || (reach !== null && !touchesRows(reach))) continue;
      const how = reach === null ? '' : `${context.appRole} can ${reach.privileges.join(', ')} it (through ${reach.via.join(', ')})`;
      const path = data.pathToTenantRows(table);
      if (path !== null) {
        const chain = path.map((hop) => `${hop.foreignKey.columns.join(', ')} -> ${qualified(hop.to)}`).join(', ');
        out.push(finding(this, tableObject(table), `rows of exempt table ${qualified(table)} belong to a tenant through ${chain}${how === '' ? '' : `; ${how}`}: every tenant reaches every other tenant's rows`));
        continue;
      }
      const written = reach === null ? [] : writes(reach);
      const referencing = data.referencedBy(table);
      if (referencing.length > 0 && written.length > 0) {
        out.push(finding(this, tableObject(table), `tenant rows of ${referencing.map(qualified).join(', ')} refer to exempt table ${qualified(table)}; ${how}: one tenant's ${written.join(', ')} changes what every other tenant's rows refer to`));
      }
    }
    return out;
  },
};
