import { touchesRows, writes } from '../../introspect/role-reach.js';
import { fail, pass, rows } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * A table with tenant rows and no policies of rlsgen's: an exempt table
 * carrying the tenant column, a table the manifest does not declare, or the
 * tenant table (whose rows are the tenants). Whatever the application role
 * may do with it, it does to every tenant's rows.
 */
export const exemptTenantData: ObjectProbe = {
  id: 'exempt-tenant-data',
  scope: 'object',
  kinds: ['table'],
  lintRule: 'ban-exempt-tenant-data',
  proves: 'no table outside the policies that holds tenant rows can be read or written by the application role',
  async run(o) {
    if (o.reached.kind !== 'table') return null;
    const table = o.reached.table;
    const tenantTable = o.data.isTenantTable(table);
    if (o.data.isScoped(table) || o.scopedParent(table) !== undefined || !(tenantTable || o.data.hasTenantColumn(table))) return null;
    if (!touchesRows(o.reached)) return pass(this.id, `${o.session.app} can only ${o.reached.privileges.join(', ')} it`);
    const declared = o.session.model.tables.find((t) => t.name.schema === table.schema && t.name.name === table.name);
    const what = tenantTable ? 'the tenant table: its rows are the tenants' : declared === undefined ? `not in the manifest, with ${o.session.model.tenant.column} and no policies` : `exempt, with ${o.session.model.tenant.column} and no policies`;
    const where = tenantTable ? o.notA(o.session.model.tenant.key) : o.notA();
    const sql = `SELECT count(*) AS n FROM ${o.name} WHERE ${where}`;
    const seen = o.reached.privileges.includes('SELECT') ? await o.countAs(o.a, where) : null;
    const evidence = seen === null ? '' : seen.ok ? `; as tenant A it reads ${rows(seen.value)} of other tenants` : `; SELECT as tenant A failed (${seen.code})`;
    const written = writes(o.reached);
    const harm = written.length > 0 ? `; its ${written.join(', ')} ${written.length === 1 ? 'reaches' : 'reach'} every tenant's rows` : '';
    return fail(this.id, `${what}; ${o.access}${evidence}${harm}`, seen?.ok === true && seen.value > 0 ? o.reproduce(sql) : undefined);
  },
};
