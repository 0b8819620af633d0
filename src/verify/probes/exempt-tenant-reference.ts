import { touchesRows, writes } from '../../introspect/role-reach.js';
import { qualified } from '../../introspect/snapshot.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../sql/quote.js';
import { fail, pass, rows } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * A table outside the policies without the tenant column, linked to tenant
 * rows by foreign keys: its rows that point at a tenant's rows belong to that
 * tenant; rows tenant rows point at must not be written by one tenant.
 */
export const exemptTenantReference: ObjectProbe = {
  id: 'exempt-tenant-reference',
  scope: 'object',
  kinds: ['table'],
  lintRule: 'ban-exempt-tenant-reference',
  proves: 'no table outside the policies whose rows belong to tenants through foreign keys is reachable, and none that tenant rows refer to is writable',
  async run(o) {
    if (o.reached.kind !== 'table') return null;
    const table = o.reached.table;
    if (o.data.ownsTenantRows(table) || o.scopedParent(table) !== undefined) return null;
    const s = o.session;
    const path = o.data.pathToTenantRows(table);
    if (path !== null && touchesRows(o.reached)) {
      // Rows of A: those whose path ends at a row of A (as the superuser, who sees every row).
      const joins = path.map((hop, i) => {
        const on = hop.foreignKey.columns.map((c, k) => `h${i + 1}.${quoteIdent(hop.foreignKey.referencedColumns[k] ?? '')} = h${i}.${quoteIdent(c)}`).join(' AND ');
        return `JOIN ${quoteQualified(hop.to.schema, hop.to.name)} AS h${i + 1} ON ${on}`;
      });
      const last = path[path.length - 1]?.to;
      const tenantColumn = last !== undefined && o.data.hasTenantColumn(last) ? s.model.tenant.column : s.model.tenant.key;
      const own = await s.count(`SELECT count(*) AS n FROM ${o.name} AS h0 ${joins.join(' ')} WHERE h${path.length}.${quoteIdent(tenantColumn)}::text = ${quoteLiteral(o.a)}`);
      const seen = o.reached.privileges.includes('SELECT') ? await o.countAs(o.a) : null;
      const chain = path.map((hop) => `${hop.foreignKey.columns.join(', ')} -> ${qualified(hop.to)}`).join(', ');
      const evidence = seen === null ? '' : seen.ok ? `; as tenant A it reads ${rows(seen.value)}, ${Math.max(0, seen.value - own)} of them not A's` : `; SELECT as tenant A failed (${seen.code})`;
      return fail(this.id, `its rows belong to a tenant through ${chain}; ${o.access}${evidence}`, seen?.ok === true && seen.value > own ? o.reproduce(`SELECT count(*) AS n FROM ${o.name}`) : undefined);
    }
    const referencing = o.data.referencedBy(table);
    const written = writes(o.reached);
    if (referencing.length > 0 && written.length > 0) {
      return fail(this.id, `tenant rows of ${referencing.map(qualified).join(', ')} refer to it; ${o.access}: one tenant's ${written.join(', ')} changes what every other tenant's rows refer to`);
    }
    if (referencing.length > 0) return pass(this.id, `tenant rows refer to it; ${s.app} can only read it`);
    return pass(this.id, 'no tenant rows, and no foreign key to or from them');
  },
};
