import type { TableProbe } from '../probe.js';
import { writeCheck } from '../write-check.js';

/** A's DELETE of B's rows removes nothing. */
export const deleteOther: TableProbe = {
  id: 'delete-other',
  scope: 'table',
  column: 'write',
  proves: "a DELETE of another tenant's rows removes nothing",
  async run(t) {
    const s = t.session;
    const sql = `DELETE FROM ${t.name} WHERE ${t.col}::text = ${t.lit(t.b)}`;
    const del = await s.asApp(t.a, () => s.affected(sql));
    return [writeCheck(this.id, del, `${t.b} deleted`, s.reproduce(t.a, sql))];
  },
};
