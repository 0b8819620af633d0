import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/**
 * A cannot move its own row to B, by key or with a "blind" UPDATE (no
 * WHERE, no RETURNING), which needs no SELECT rights, so only the UPDATE
 * policy's WITH CHECK guards the new row.
 */
export const hop: TableProbe = {
  id: 'hop',
  scope: 'table',
  column: 'hop',
  proves: "a row cannot be moved to another tenant, by key or by a blind UPDATE",
  async run(t) {
    const s = t.session;
    const ownKey = await s.oneKey(t.name, t.key, t.col, t.a);
    if (ownKey === null) return [notApplicable(this.id, `no row of ${t.a}`)];
    const hopSql = `UPDATE ${t.name} SET ${t.col} = ${t.lit(t.b)} WHERE ${t.key}::text = ${t.lit(ownKey)}`;
    const byKey = await s.asApp(t.a, () => s.affected(hopSql));
    const blindSql = `UPDATE ${t.name} SET ${t.col} = ${t.lit(t.b)}`;
    const blind = await s.asApp(t.a, () => s.affected(blindSql));
    const moved = [byKey, blind].find((o) => o.ok && o.value > 0);
    // Citus refuses to change a row's distribution column outright (0A000).
    const other = [byKey, blind].find((o) => !o.ok && o.code !== '42501' && !(o.code === '0A000' && /partition value/.test(o.message)));
    if (moved !== undefined) return [fail(this.id, `moved its rows to ${t.b}`, s.reproduce(t.a, moved === byKey ? hopSql : blindSql))];
    if (other !== undefined && !other.ok) return [fail(this.id, `rejected for another reason than row security: ${other.code} ${other.message}`)];
    return [pass(this.id, 'rows cannot move to another tenant (by key or blind UPDATE)')];
  },
};
