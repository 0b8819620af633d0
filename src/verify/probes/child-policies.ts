import { writes } from '../../introspect/role-reach.js';
import { qualified } from '../../introspect/snapshot.js';
import { fail, pass, rows } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * A query on a partition or inheritance child by its own name uses the
 * child's row-level security, not the parent's: a child the application role
 * can query directly must filter like its parent.
 */
export const childPolicies: ObjectProbe = {
  id: 'child-policies',
  scope: 'object',
  kinds: ['table'],
  lintRule: 'require-child-policies',
  proves: "no partition or inheritance child of a scoped table shows or takes other tenants' rows when queried directly",
  async run(o) {
    if (o.reached.kind !== 'table') return null;
    const child = o.reached.table;
    const parent = o.scopedParent(child);
    if (parent === undefined) return null;
    // A sub-partition names its own parent, then the scoped table above it.
    const under = child.parent !== null && qualified(child.parent) !== qualified(parent) ? `${qualified(child.parent)}, under ${qualified(parent)}` : qualified(parent);
    const kind = `${child.isPartition ? 'partition' : 'inheritance child'} of ${under}`;
    const where = o.notA();
    const seen = o.reached.privileges.includes('SELECT') ? await o.countAs(o.a, where) : null;
    if (seen?.ok === true && seen.value > 0) {
      return fail(this.id, `${kind}; ${o.access}: as tenant A it reads ${rows(seen.value)} of other tenants`, o.reproduce(`SELECT count(*) AS n FROM ${o.name} WHERE ${where}`));
    }
    const written = writes(o.reached);
    if (!child.rlsEnabled && written.length > 0) {
      return fail(this.id, `${kind} without row-level security; ${o.access}: its ${written.join(', ')} are not checked against the tenant`);
    }
    return pass(this.id, `${kind}: ${child.rlsEnabled ? 'row-level security on, ' : ''}no other tenant's row reachable directly`);
  },
};
