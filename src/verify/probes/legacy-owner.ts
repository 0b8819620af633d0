import { randomUUID } from 'node:crypto';
import { quoteIdent } from '../../sql/quote.js';
import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** `legacy_owner` rows (still without a tenant) are visible to their owner and to nobody else. */
export const legacyOwner: TableProbe = {
  id: 'legacy-owner',
  scope: 'table',
  column: 'legacy',
  proves: 'rows still without a tenant are visible to their owner only',
  async run(t) {
    if (t.table.legacyOwner === null) return [notApplicable(this.id, 'no legacy_owner')];
    const s = t.session;
    const owner = quoteIdent(t.table.legacyOwner);
    const { rows } = await s.client.query<{ o: string; n: string }>(
      `SELECT ${owner}::text AS o, count(*) AS n FROM ${t.name} WHERE ${t.col} IS NULL AND ${owner} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    const sample = rows[0];
    if (sample === undefined) return [notApplicable(this.id, 'no rows without a tenant left: the backfill filled them')];
    const nullsSql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.col} IS NULL`;
    const asOwner = await s.asApp(t.a, () => s.count(nullsSql), sample.o);
    const asOther = await s.asApp(t.a, () => s.count(nullsSql), s.model.user.type === 'uuid' ? randomUUID() : '-1');
    const asNobody = await s.asApp(t.a, () => s.count(nullsSql));
    if (!asOwner.ok || asOwner.value !== Number(sample.n)) return [fail(this.id, `the owner saw ${asOwner.ok ? asOwner.value : asOwner.message} of their ${sample.n} rows without a tenant`)];
    if (!asOther.ok || asOther.value !== 0 || !asNobody.ok || asNobody.value !== 0) {
      return [fail(this.id, 'rows without a tenant are visible to users who do not own them', s.reproduce(t.a, nullsSql))];
    }
    return [pass(this.id, `${sample.n} rows without a tenant visible to their owner only`)];
  },
};
