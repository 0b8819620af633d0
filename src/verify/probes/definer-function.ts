import { qualified } from '../../introspect/snapshot.js';
import { findLookupFunction } from '../../manifest/lookup-functions.js';
import { fail, pass } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * A SECURITY DEFINER function runs with its owner's rights: one that reads
 * tenant tables and that the application role may execute (every new
 * function is executable by PUBLIC) reads every tenant's rows for it. The
 * manifest's lookups are the one exception, each proven narrow on its own; a
 * function of a lookup's name with another owner is not one.
 */
export const definerFunction: ObjectProbe = {
  id: 'definer-function',
  scope: 'object',
  kinds: ['function'],
  lintRule: 'ban-definer-tenant-access',
  proves: 'no SECURITY DEFINER function that reads tenant tables is executable by the application role',
  async run(o) {
    if (o.reached.kind !== 'function') return null;
    const fn = o.reached.fn;
    if (!fn.securityDefiner) return pass(this.id, 'SECURITY INVOKER: runs under the caller\'s policies');
    if (fn.schema === 'rlsgen') return pass(this.id, "rlsgen's own function");
    // A declared lookup reads its table on purpose; the lookups probe proves it narrow, or fails it.
    const lookup = findLookupFunction(o.session.model, fn);
    if (lookup !== undefined) return pass(this.id, `the declared lookup ${lookup.lookup} (owner ${fn.owner}): proven narrow by the lookups probe`);
    const reads = o.data.functionReads(fn);
    if (reads.length === 0) return pass(this.id, 'SECURITY DEFINER, reads no tenant table');
    return fail(this.id, `SECURITY DEFINER (owner ${fn.owner}) and reads ${reads.map(qualified).join(', ')} with its owner's rights; ${o.access}`);
  },
};
