import { qualified } from '../../introspect/snapshot.js';
import { touchesRows, writes } from '../../introspect/role-reach.js';
import { appCanUse, finding, type LintRule, tableObject, unscopedDeclaredTables } from '../rule.js';

/**
 * An exempt table that carries the tenant column (or is the tenant table,
 * whose rows are the tenants) has no policies: whatever the application role
 * may do with it, it does to every tenant's rows.
 */
export const banExemptTenantData: LintRule = {
  id: 'ban-exempt-tenant-data',
  severity: 'error',
  title: 'exempt table with tenant rows that the application role can read or write',
  fix: 'Scope the table (mode tenant or shared), or take the application role\'s privileges away (commands: []); if the exposure is intended, accept it in the manifest\'s acknowledgements with the reason.',
  check(context) {
    const out = [];
    for (const table of unscopedDeclaredTables(context)) {
      const tenantTable = context.tenantData.isTenantTable(table);
      if (!tenantTable && !context.tenantData.hasTenantColumn(table)) continue;
      const reach = appCanUse(context, tableObject(table));
      if (reach === undefined || (reach !== null && !touchesRows(reach))) continue;
      const what = tenantTable ? `${qualified(table)} is the tenant table: its rows are the tenants` : `exempt table ${qualified(table)} has ${context.tenantColumn} but no policies`;
      const how = reach === null ? '' : `; ${context.appRole} can ${reach.privileges.join(', ')} it (through ${reach.via.join(', ')})`;
      const harm = reach !== null && writes(reach).length > 0 ? ': every tenant reads and changes every other tenant\'s rows' : ': every tenant reads every other tenant\'s rows';
      out.push(finding(this, tableObject(table), `${what}${how}${harm}`));
    }
    return out;
  },
};
