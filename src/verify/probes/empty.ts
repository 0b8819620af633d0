import { noRowsVisible } from '../no-rows-visible.js';
import type { TableProbe } from '../probe.js';

/** The variable set to an empty string matches no row. */
export const empty: TableProbe = {
  id: 'empty',
  scope: 'table',
  column: 'unset',
  proves: 'with the tenant variable set to an empty string, no tenant row is visible',
  async run(t) {
    const outcome = await t.session.asApp('', () => t.session.count(t.visibleSql));
    return [noRowsVisible(t, this.id, outcome, '', 'set to an empty string')];
  },
};
