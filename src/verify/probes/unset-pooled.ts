import { fail } from '../check.js';
import { noRowsVisible } from '../no-rows-visible.js';
import type { TableProbe } from '../probe.js';

/**
 * After one transaction-local set_config, current_setting(name, true) is ''
 * on that connection for the rest of its life: a pooled connection handed
 * to a request that sets no tenant must see and insert nothing.
 */
export const unsetPooled: TableProbe = {
  id: 'unset-pooled',
  scope: 'table',
  column: 'unset',
  proves: "on a pooled connection where the variable was reset (''), no tenant row is visible and no row can be inserted",
  async run(t) {
    const s = t.session;
    const pooled = await s.asApp(undefined, () => s.count(t.visibleSql));
    const results = [noRowsVisible(t, this.id, pooled, null, "reset after an earlier transaction ('')")];
    const insert = await t.insertCopy(null, t.a);
    if (insert !== null && insert.ok) results.push(fail(this.id, 'an INSERT succeeded with the variable unset', insert.value));
    return results;
  },
};
