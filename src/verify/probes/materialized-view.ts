import { qualified } from '../../introspect/snapshot.js';
import { fail, pass, rows } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/** A materialized view stores a copy of its rows with no row-level security at all. */
export const materializedView: ObjectProbe = {
  id: 'materialized-view',
  scope: 'object',
  kinds: ['materialized view'],
  lintRule: 'ban-tenant-materialized-view',
  proves: 'no materialized view over tenant tables is readable by the application role',
  async run(o) {
    if (o.reached.kind !== 'materialized view') return null;
    const reads = [...o.data.viewReads(o.reached.view), ...o.data.viewReadsUnscoped(o.reached.view)];
    if (reads.length === 0) return pass(this.id, 'copies no tenant table');
    if (!o.reached.privileges.includes('SELECT')) return pass(this.id, `${o.session.app} cannot select from it`);
    const hasColumn = o.reached.view.columns.includes(o.session.model.tenant.column);
    const where = hasColumn ? o.notA() : 'true';
    const seen = await o.countAs(o.a, where);
    const evidence = seen.ok ? `: as tenant A it reads ${rows(seen.value)}${hasColumn ? ' of other tenants' : ''}` : '';
    return fail(this.id, `copies rows of ${reads.map(qualified).join(', ')}, with no row-level security; ${o.access}${evidence}`, seen.ok && seen.value > 0 ? o.reproduce(`SELECT count(*) AS n FROM ${o.name} WHERE ${where}`) : undefined);
  },
};
