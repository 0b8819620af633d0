import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** SET row_security = off does not lift the policies for the application role (it raises an error instead). */
export const rowSecurityOff: TableProbe = {
  id: 'row-security-off',
  scope: 'table',
  column: 'rls-off',
  proves: 'turning row_security off does not show other tenants\' rows',
  async run(t) {
    const s = t.session;
    const countSql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.otherThan(t.a)}`;
    const outcome = await s.asApp(t.a, async () => {
      await s.client.query('SET LOCAL row_security = off');
      return s.count(countSql);
    });
    if (!outcome.ok) return [pass(this.id, `${outcome.code}: ${outcome.message}`)];
    return [outcome.value === 0 ? pass(this.id, 'still filtered') : fail(this.id, `${outcome.value} rows of other tenants with row_security off`, s.reproduce(t.a, `SET row_security = off; ${countSql}`))];
  },
};
