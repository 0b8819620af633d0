import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** A shared table's global rows (NULL tenant) are readable by every tenant. */
export const globalRead: TableProbe = {
  id: 'global-read',
  scope: 'table',
  column: 'global',
  proves: "a shared table's global rows are readable by every tenant",
  async run(t) {
    if (!t.shared) return [notApplicable(this.id, 'tenant table')];
    const s = t.session;
    const globals = await t.globals();
    const sql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.col} IS NULL`;
    const outcome = await s.asApp(t.a, () => s.count(sql));
    return [outcome.ok && outcome.value === globals ? pass(this.id, `${globals} global rows readable`) : fail(this.id, outcome.ok ? `saw ${outcome.value} of ${globals} global rows` : outcome.message, s.reproduce(t.a, sql))];
  },
};
