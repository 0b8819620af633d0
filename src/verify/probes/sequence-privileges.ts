import { fail, pass } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * Sequences have no tenant: every tenant's inserts draw from the same one.
 * nextval is what inserts need; setval (UPDATE) lets one tenant reset the
 * keys every other tenant's rows get.
 */
export const sequencePrivileges: ObjectProbe = {
  id: 'sequence-privileges',
  scope: 'object',
  kinds: ['sequence'],
  proves: 'no sequence the application role uses can be reset by it (setval)',
  async run(o) {
    if (o.reached.kind !== 'sequence') return null;
    if (o.reached.privileges.includes('UPDATE')) {
      return fail(this.id, `${o.access}: setval resets the keys every tenant's inserts draw`);
    }
    return pass(this.id, `${o.reached.privileges.join(', ')}: values are shared by every tenant's inserts, nothing can be reset`);
  },
};
