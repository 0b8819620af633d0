import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** A shared table's global rows cannot be updated, deleted or inserted by a tenant. */
export const globalWrite: TableProbe = {
  id: 'global-write',
  scope: 'table',
  column: 'global',
  proves: "a shared table's global rows cannot be updated, deleted or inserted by a tenant",
  async run(t) {
    if (!t.shared) return [notApplicable(this.id, 'tenant table')];
    const s = t.session;
    const column = await t.settableFor(s.app);
    const writeSql = `UPDATE ${t.name} SET ${column} = ${column} WHERE ${t.col} IS NULL`;
    const update = await s.asApp(t.a, () => s.affected(writeSql));
    const del = await s.asApp(t.a, () => s.affected(`DELETE FROM ${t.name} WHERE ${t.col} IS NULL`));
    const insert = await t.insertCopy(t.a, null);
    const writes = [update, del].filter((o) => o.ok && o.value > 0).length + (insert?.ok === true ? 1 : 0);
    // Refused by anything but row security proves nothing about it; an
    // INSERT refused by a constraint got past the policy's WITH CHECK,
    // which PostgreSQL checks first.
    const other = [update, del, insert].flatMap((o) => (o !== null && !o.ok && o.code !== '42501' ? [o] : []))[0];
    if (other !== undefined) return [fail(this.id, `a write to global rows failed for another reason than row security: ${other.code} ${other.message}`, s.reproduce(t.a, writeSql))];
    return [writes === 0 ? pass(this.id, 'global rows cannot be updated, deleted or inserted') : fail(this.id, `${writes} write(s) to global rows succeeded`, s.reproduce(t.a, writeSql))];
  },
};
