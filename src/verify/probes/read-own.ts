import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** A sees exactly its own rows: the policy lets them through (and nothing hides them). */
export const readOwn: TableProbe = {
  id: 'read-own',
  scope: 'table',
  column: 'read',
  proves: 'the application role sees exactly the rows of its own tenant',
  async run(t) {
    const s = t.session;
    const expected = await t.expectedOf(t.a);
    const sql = `SELECT count(*) AS n FROM ${t.name}`;
    const seen = await s.asApp(t.a, () => s.count(sql));
    if (!seen.ok) return [fail(this.id, `SELECT failed: ${seen.message}`, s.reproduce(t.a, sql))];
    return [seen.value === expected ? pass(this.id, `${seen.value} of its ${expected} rows`) : fail(this.id, `saw ${seen.value} rows, owns ${expected}`, s.reproduce(t.a, sql))];
  },
};
