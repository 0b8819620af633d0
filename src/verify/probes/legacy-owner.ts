import { randomUUID } from 'node:crypto';
import { tableByKey } from '../../manifest/model.js';
import { quoteIdent, quoteQualified } from '../../sql/quote.js';
import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/**
 * `legacy_owner` rows (still without a tenant) are visible to their owner,
 * and only while the current tenant is the owner's: the user variable alone,
 * which the application role can set to anything, reaches nothing.
 */
export const legacyOwner: TableProbe = {
  id: 'legacy-owner',
  scope: 'table',
  column: 'legacy',
  proves: "rows still without a tenant are visible to their owner only, and only within the owner's tenant",
  async run(t) {
    const s = t.session;
    const users = s.model.user.table;
    if (t.table.legacyOwner === null || users === null) return [notApplicable(this.id, 'no legacy_owner')];
    const owner = quoteIdent(t.table.legacyOwner);
    const u = tableByKey(s.model, users).name;
    const { rows } = await s.client.query<{ o: string; tenant: string | null; n: string }>(
      `SELECT r.${owner}::text AS o, u.${t.col}::text AS tenant, count(*) AS n
         FROM ${t.name} AS r LEFT JOIN ${quoteQualified(u.schema, u.name)} AS u ON u.${quoteIdent(s.model.user.key)} = r.${owner}
        WHERE r.${t.col} IS NULL AND r.${owner} IS NOT NULL GROUP BY 1, 2 ORDER BY (u.${t.col}::text IS NULL), 3 DESC LIMIT 1`,
    );
    const sample = rows[0];
    if (sample === undefined) return [notApplicable(this.id, 'no row without a tenant is left: the owner branch can be retired (rlsgen audit)')];
    const nullsSql = `SELECT count(*) AS n FROM ${t.name} WHERE ${t.col} IS NULL`;
    const elsewhere = sample.tenant === t.a ? t.b : t.a;
    const inOther = await s.asApp(elsewhere, () => s.count(nullsSql), sample.o);
    if (!inOther.ok || inOther.value !== 0) {
      return [fail(this.id, `the rows of owner ${sample.o} without a tenant are visible to tenant ${elsewhere}, which is not the owner's, by setting ${s.model.user.setting}`, s.reproduce(elsewhere, nullsSql))];
    }
    const other = await s.asApp(sample.tenant ?? t.a, () => s.count(nullsSql), s.model.user.type === 'uuid' ? randomUUID() : '-1');
    const nobody = await s.asApp(sample.tenant ?? t.a, () => s.count(nullsSql));
    if (!other.ok || other.value !== 0 || !nobody.ok || nobody.value !== 0) {
      return [fail(this.id, 'rows without a tenant are visible to users who do not own them', s.reproduce(sample.tenant ?? t.a, nullsSql))];
    }
    if (sample.tenant === null) return [pass(this.id, `${sample.n} row(s) without a tenant belong to an owner without one: visible to no tenant`)];
    const asOwner = await s.asApp(sample.tenant, () => s.count(nullsSql), sample.o);
    if (!asOwner.ok || asOwner.value !== Number(sample.n)) return [fail(this.id, `the owner saw ${asOwner.ok ? asOwner.value : asOwner.message} of their ${sample.n} rows without a tenant`)];
    return [pass(this.id, `${sample.n} row(s) without a tenant visible to their owner only, within the owner's tenant`)];
  },
};
