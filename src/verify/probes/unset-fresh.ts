import type { TableProbe } from '../probe.js';
import { noRowsVisible } from '../no-rows-visible.js';

/**
 * On a connection that never set the variable, current_setting(name, true)
 * is NULL: the policy must match nothing. Taken first, before any probe sets
 * the variable on the connection.
 */
export const unsetFresh: TableProbe = {
  id: 'unset-fresh',
  scope: 'table',
  column: 'unset',
  firstOnConnection: true,
  proves: 'on a connection that never set the tenant variable, no tenant row is visible',
  async run(t) {
    const outcome = await t.session.asApp(undefined, () => t.session.count(t.visibleSql));
    return [noRowsVisible(t, this.id, outcome, null, 'never set on this connection (NULL)')];
  },
};
