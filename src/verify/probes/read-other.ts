import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** A sees no row of another tenant. */
export const readOther: TableProbe = {
  id: 'read-other',
  scope: 'table',
  column: 'read',
  proves: "no row of another tenant is visible",
  async run(t) {
    const s = t.session;
    const sql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.otherThan(t.a)}`;
    const other = await s.asApp(t.a, () => s.count(sql));
    if (!other.ok) return [fail(this.id, `SELECT failed: ${other.message}`)];
    return [other.value === 0 ? pass(this.id, 'no other tenant\'s row') : fail(this.id, `saw ${other.value} rows of other tenants`, s.reproduce(t.a, sql))];
  },
};
