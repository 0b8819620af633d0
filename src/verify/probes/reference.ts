import { randomUUID } from 'node:crypto';
import { findTableInfo, type ForeignKeyInfo } from '../../introspect/snapshot.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../sql/quote.js';
import { type Outcome, fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';
import { sameReferenceFailure } from '../same-failure.js';

/**
 * Foreign-key checks ignore row security: a row of A pointing at a row of B
 * must fail exactly as a pointer to a missing row fails, or the error tells
 * A that B's id exists.
 */
export const reference: TableProbe = {
  id: 'reference',
  scope: 'table',
  lintRule: 'ban-single-column-tenant-fk',
  column: 'ref',
  proves: "a reference to another tenant's row fails exactly as a reference to a missing row",
  async run(t) {
    const s = t.session;
    const tenantColumn = s.model.tenant.column;
    const candidates = t.info.foreignKeys
      .map((fk) => ({ fk, column: fk.columns.find((c) => c !== tenantColumn) }))
      .filter((x): x is { fk: ForeignKeyInfo; column: string } => x.column !== undefined && x.fk.columns.length <= 2)
      .filter(({ fk }) => {
        const parent = findTableInfo(s.snapshot, fk.references);
        return parent !== undefined && parent.rlsEnabled && parent.columns.some((c) => c.name === tenantColumn);
      });
    if (candidates.length === 0) return [notApplicable(this.id, 'no foreign key to a tenant table')];
    const ownKey = await s.oneKey(t.name, t.key, t.col, t.a);
    if (ownKey === null) return [notApplicable(this.id, `no row of ${t.a}`)];
    for (const { fk, column } of candidates) {
      const parentName = quoteQualified(fk.references.schema, fk.references.name);
      const parentColumn = fk.referencedColumns[fk.columns.indexOf(column)] ?? '';
      const { rows } = await s.client.query<{ k: string; t: string }>(
        `SELECT ${quoteIdent(parentColumn)}::text AS k, pg_typeof(${quoteIdent(parentColumn)})::text AS t FROM ${parentName} WHERE ${t.col}::text = ${quoteLiteral(t.b)} LIMIT 1`,
      );
      const target = rows[0];
      if (target === undefined) continue;
      // The missing id must fit the referencing column (a smallint customer_id pointing at an integer key).
      const narrow = t.info.columns.find((c) => c.name === column)?.type === 'smallint';
      const missing = target.t === 'uuid' ? randomUUID() : /int|numeric/.test(target.t) ? (narrow ? '-32123' : '-987654321') : `rlsgen-missing-${randomUUID()}`;
      // A DEFERRABLE key is checked at commit, which the probe never reaches: check it at the statement.
      const attempt = (value: string): Promise<Outcome<number>> =>
        s.asApp(t.a, async () => {
          await s.client.query('SET CONSTRAINTS ALL IMMEDIATE');
          return s.affected(`UPDATE ${t.name} SET ${quoteIdent(column)} = ${quoteLiteral(value)} WHERE ${t.key}::text = ${quoteLiteral(ownKey)}`);
        });
      const toOther = await attempt(target.k);
      const toMissing = await attempt(missing);
      const sql = s.reproduce(t.a, `UPDATE ${t.name} SET ${quoteIdent(column)} = ${quoteLiteral(target.k)} WHERE ${t.key}::text = ${quoteLiteral(ownKey)}`);
      if (toOther.ok && toOther.value === 0) return [fail(this.id, `the probe could not update its own row of ${t.table.key} (0 rows): isolation of the reference not proven`)];
      if (toOther.ok) return [fail(this.id, `a row of ${t.a} could point ${column} at a ${fk.references.name} row of ${t.b}`, sql)];
      if (toMissing.ok) return [fail(this.id, `pointing ${column} at a missing ${fk.references.name} row succeeded`)];
      if (!sameReferenceFailure({ error: toOther, value: target.k }, { error: toMissing, value: missing }, fk.columns)) {
        return [
          fail(
            this.id,
            `${column}: pointing at a ${fk.references.name} row of ${t.b} fails differently from pointing at a missing one (${toOther.ok ? '' : `${toOther.code} ${toOther.constraint}`} vs ${toMissing.ok ? '' : `${toMissing.code} ${toMissing.constraint}`}): the error tells another tenant's ids exist`,
            sql,
          ),
        ];
      }
    }
    return [pass(this.id, `${candidates.length} foreign key(s): other tenants' rows look missing`)];
  },
};
