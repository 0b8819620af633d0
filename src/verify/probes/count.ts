import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** Aggregates (GROUP BY the tenant column) see one tenant only. */
export const count: TableProbe = {
  id: 'count',
  scope: 'table',
  column: 'read',
  proves: 'aggregates over the table see only the current tenant',
  async run(t) {
    const s = t.session;
    const sql = `SELECT count(*) AS n FROM (SELECT ${t.col} FROM ${t.name} GROUP BY ${t.col}) AS g WHERE ${t.otherThan(t.a, 'g.')}`;
    const groups = await s.asApp(t.a, () => s.count(sql));
    return [groups.ok && groups.value === 0 ? pass(this.id, 'aggregates see one tenant') : fail(this.id, groups.ok ? `${groups.value} other tenants in GROUP BY` : groups.message, s.reproduce(t.a, sql))];
  },
};
