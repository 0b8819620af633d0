import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** UPDATE ... RETURNING aimed at B's rows returns nothing. */
export const returning: TableProbe = {
  id: 'returning',
  scope: 'table',
  column: 'write',
  proves: "RETURNING of a write aimed at another tenant's rows returns nothing",
  async run(t) {
    const s = t.session;
    const column = await t.settableFor(s.app);
    const sql = `UPDATE ${t.name} SET ${column} = ${column} WHERE ${t.col}::text = ${t.lit(t.b)} RETURNING *`;
    const outcome = await s.asApp(t.a, async () => (await s.client.query(sql)).rows.length);
    if (!outcome.ok) return [outcome.code === '42501' ? pass(this.id, `denied: ${outcome.message}`) : fail(this.id, `failed for another reason than row security: ${outcome.code} ${outcome.message}`, s.reproduce(t.a, sql))];
    return [outcome.value === 0 ? pass(this.id, 'RETURNING returned nothing') : fail(this.id, `RETURNING returned ${outcome.value} rows of ${t.b}`, s.reproduce(t.a, sql))];
  },
};
