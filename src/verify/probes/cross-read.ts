import { fail, notApplicable, pass, skipped } from '../check.js';
import type { TableProbe } from '../probe.js';

/** The cross-tenant role reads every row. */
export const crossRead: TableProbe = {
  id: 'cross-read',
  scope: 'table',
  column: 'cross',
  proves: 'the cross-tenant role reads every row',
  async run(t) {
    const cross = t.session.model.roles.crossTenant;
    if (cross === null) return [notApplicable(this.id, 'no cross-tenant role')];
    const s = t.session;
    const refused = s.unavailable(cross.name);
    if (refused !== null) return [skipped(this.id, refused)];
    const total = await t.total();
    const read = await s.as(cross.name, undefined, () => s.count(`SELECT count(*) AS n FROM ${t.name}`));
    return [read.ok && read.value === total ? pass(this.id, `reads all ${total} rows`) : fail(this.id, read.ok ? `reads ${read.value} of ${total} rows` : read.message)];
  },
};
