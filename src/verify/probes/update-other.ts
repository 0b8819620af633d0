import type { TableProbe } from '../probe.js';
import { blindWriteFailure, writeCheck } from '../write-check.js';

/**
 * A's UPDATE of B's rows changes nothing; nor does an UPDATE without WHERE
 * (which no SELECT policy filters) that gives every row it reaches to A:
 * a no-op on A's own rows, a takeover of any other.
 */
export const updateOther: TableProbe = {
  id: 'update-other',
  scope: 'table',
  column: 'write',
  proves: "an UPDATE of another tenant's rows changes nothing",
  async run(t) {
    const s = t.session;
    const column = await t.settableFor(s.app);
    const sql = `UPDATE ${t.name} SET ${column} = ${column} WHERE ${t.col}::text = ${t.lit(t.b)}`;
    const byTenant = writeCheck(this.id, await s.asApp(t.a, () => s.affected(sql)), `${t.b} updated`, s.reproduce(t.a, sql));
    if (byTenant.status === 'fail') return [byTenant];
    const blindSql = `UPDATE ${t.name} SET ${t.col} = ${t.lit(t.a)}`;
    const blind = { statement: 'UPDATE', as: `tenant ${t.a}`, owns: await t.tenantRows(t.a), sql: s.reproduce(t.a, blindSql) } as const;
    return [blindWriteFailure(this.id, blind, await s.asApp(t.a, () => s.affected(blindSql))) ?? byTenant];
  },
};
