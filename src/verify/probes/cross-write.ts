import { fail, notApplicable, pass, skipped } from '../check.js';
import type { TableProbe } from '../probe.js';

/** The cross-tenant role writes across tenants exactly when the manifest allows it. */
export const crossWrite: TableProbe = {
  id: 'cross-write',
  scope: 'table',
  column: 'cross',
  proves: 'the cross-tenant role writes across tenants only if the manifest allows it',
  async run(t) {
    const cross = t.session.model.roles.crossTenant;
    if (cross === null) return [notApplicable(this.id, 'no cross-tenant role')];
    const s = t.session;
    const refused = s.unavailable(cross.name);
    if (refused !== null) return [skipped(this.id, refused)];
    const total = await t.total();
    const column = await t.settableFor(cross.name);
    const sql = `UPDATE ${t.name} SET ${column} = ${column}`;
    const write = await s.as(cross.name, undefined, () => s.affected(sql));
    if (cross.write) {
      return [write.ok && write.value === total ? pass(this.id, `writes across tenants (${total} rows)`) : fail(this.id, write.ok ? `updated ${write.value} of ${total} rows` : write.message)];
    }
    if (!write.ok && write.code !== '42501') return [fail(this.id, `failed for another reason than its privileges and row security: ${write.code} ${write.message}`, s.reproduce(null, sql, cross.name))];
    return [
      !write.ok || write.value === 0 || total === 0
        ? pass(this.id, 'read-only, as the manifest says')
        : fail(this.id, `updated ${write.value} rows though the manifest makes it read-only`, s.reproduce(null, sql, cross.name)),
    ];
  },
};
