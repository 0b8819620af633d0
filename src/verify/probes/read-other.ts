import { roleClosure } from '../../introspect/snapshot.js';
import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';
import type { TableUnderProof } from '../table-under-proof.js';

/** The permissive SELECT policies that apply to the application role: where a leak of rows comes from. */
function readingPolicies(t: TableUnderProof): string {
  const roles = roleClosure(t.session.snapshot, t.session.app);
  const found = t.info.policies
    .filter((p) => p.permissive && (p.command === 'SELECT' || p.command === 'ALL') && p.roles.some((r) => r === 'public' || roles.has(r)))
    .map((p) => `${p.name} USING (${p.using ?? 'true'})`);
  return found.length === 0 ? '' : ` (SELECT policies for ${t.session.app}: ${found.join('; ')})`;
}

/** A sees no row of another tenant. */
export const readOther: TableProbe = {
  id: 'read-other',
  scope: 'table',
  column: 'read',
  proves: "no row of another tenant is visible",
  async run(t) {
    const s = t.session;
    const sql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.otherThan(t.a)}`;
    const other = await s.asApp(t.a, () => s.count(sql));
    if (!other.ok) return [fail(this.id, `SELECT failed: ${other.message}`)];
    return [other.value === 0 ? pass(this.id, 'no other tenant\'s row') : fail(this.id, `saw ${other.value} rows of other tenants${readingPolicies(t)}`, s.reproduce(t.a, sql))];
  },
};
