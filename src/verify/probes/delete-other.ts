import type { TableProbe } from '../probe.js';
import { blindWriteFailure, writeCheck } from '../write-check.js';

/**
 * A's DELETE of B's rows removes nothing; nor does a DELETE without WHERE
 * (which no SELECT policy filters) as a tenant that owns no row, so that
 * no row of its own, nor what depends on it, stands in the way.
 */
export const deleteOther: TableProbe = {
  id: 'delete-other',
  scope: 'table',
  column: 'write',
  proves: "a DELETE of another tenant's rows removes nothing",
  async run(t) {
    const s = t.session;
    const sql = `DELETE FROM ${t.name} WHERE ${t.col}::text = ${t.lit(t.b)}`;
    const byTenant = writeCheck(this.id, await s.asApp(t.a, () => s.affected(sql)), `${t.b} deleted`, s.reproduce(t.a, sql));
    if (byTenant.status === 'fail') return [byTenant];
    const nobody = await t.tenantWithoutRows();
    const blindSql = `DELETE FROM ${t.name}`;
    const blind = { statement: 'DELETE', as: 'a tenant that owns no row', owns: 0, sql: s.reproduce(nobody, blindSql) } as const;
    return [blindWriteFailure(this.id, blind, await s.asApp(nobody, () => s.affected(blindSql))) ?? byTenant];
  },
};
