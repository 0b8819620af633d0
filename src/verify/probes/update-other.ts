import type { TableProbe } from '../probe.js';
import { writeCheck } from '../write-check.js';

/** A's UPDATE of B's rows changes nothing. */
export const updateOther: TableProbe = {
  id: 'update-other',
  scope: 'table',
  column: 'write',
  proves: "an UPDATE of another tenant's rows changes nothing",
  async run(t) {
    const s = t.session;
    const sql = `UPDATE ${t.name} SET ${t.key} = ${t.key} WHERE ${t.col}::text = ${t.lit(t.b)}`;
    const update = await s.asApp(t.a, () => s.affected(sql));
    return [writeCheck(this.id, update, `${t.b} updated`, s.reproduce(t.a, sql))];
  },
};
