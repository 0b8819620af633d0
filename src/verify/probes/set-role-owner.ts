import { quoteIdent } from '../../sql/quote.js';
import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** The application role neither owns the table nor can SET ROLE to its owner (an owner skips unforced policies and can drop them). */
export const setRoleOwner: TableProbe = {
  id: 'set-role-owner',
  scope: 'table',
  lintRule: 'ban-app-role-owner',
  column: 'owner',
  proves: "the application role neither owns the table nor can switch to its owner",
  async run(t) {
    const s = t.session;
    const owner = t.info.owner;
    if (owner === s.app) return [fail(this.id, `the application role ${s.app} owns the table and can disable its policies`)];
    const sql = `SET ROLE ${quoteIdent(owner)}`;
    const outcome = await s.switchesTo(owner, t.a);
    return [outcome.ok ? fail(this.id, `can SET ROLE to the owner ${owner}`, s.reproduce(t.a, sql)) : pass(this.id, `SET ROLE ${owner} denied`)];
  },
};
