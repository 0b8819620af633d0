import { quoteIdent } from '../../sql/quote.js';
import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** INSERT ... ON CONFLICT DO UPDATE cannot take over B's row. */
export const upsert: TableProbe = {
  id: 'upsert',
  scope: 'table',
  column: 'upsert',
  proves: "INSERT ... ON CONFLICT DO UPDATE cannot take over another tenant's row",
  async run(t) {
    const s = t.session;
    const tenantColumn = s.model.tenant.column;
    const otherRow = await s.rowOf(t.name, t.info, t.b);
    if (otherRow === null || !t.table.commands.includes('insert') || !t.table.commands.includes('update')) {
      return [notApplicable(this.id, otherRow === null ? `no row of ${t.b}` : 'the application role may not both insert and update')];
    }
    const arbiter = t.info.primaryKey ?? [t.table.primaryKey];
    // DO UPDATE sets one column from EXCLUDED, one the application role may
    // update and PostgreSQL lets it set: a refusal is then row security's.
    const column = await t.settableFor(s.app);
    // The proposed row collides with B's row on the key: through the id
    // alone under A's tenant, or naming B's tenant where the key includes
    // the tenant column (Citus, composite keys).
    const proposedTenant = arbiter.includes(tenantColumn) ? t.b : t.a;
    const sql = s.insertValues(
      t.name,
      t.info,
      { ...otherRow, [tenantColumn]: proposedTenant },
      ` ON CONFLICT (${arbiter.map(quoteIdent).join(', ')}) DO UPDATE SET ${column} = EXCLUDED.${column} RETURNING *`,
    );
    const outcome = await s.asApp(t.a, async () => (await s.client.query(sql)).rows.length);
    if (!outcome.ok) return [outcome.code === '42501' ? pass(this.id, `rejected: ${outcome.message}`) : fail(this.id, `rejected for another reason: ${outcome.code} ${outcome.message}`)];
    return [outcome.value === 0 ? pass(this.id, 'nothing returned') : fail(this.id, `took over the row of ${t.b} through ON CONFLICT DO UPDATE`, s.reproduce(t.a, sql))];
  },
};
