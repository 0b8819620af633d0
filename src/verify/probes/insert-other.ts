import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** A cannot insert a row carrying B's tenant: the INSERT policy's WITH CHECK refuses it. */
export const insertOther: TableProbe = {
  id: 'insert-other',
  scope: 'table',
  column: 'write',
  proves: "a row carrying another tenant's id cannot be inserted",
  async run(t) {
    const insert = await t.insertCopy(t.a, t.b);
    if (insert === null) return [notApplicable(this.id, `no row of ${t.b} to copy`)];
    if (insert.ok) return [fail(this.id, `inserted a row carrying tenant ${t.b}`, insert.value)];
    return [insert.code === '42501' ? pass(this.id, `rejected: ${insert.code} ${insert.message}`) : fail(this.id, `rejected for another reason (${insert.code} ${insert.message}); the policy was not what stopped it`)];
  },
};
