import { findTableInfo } from '../../introspect/snapshot.js';
import { quoteIdent, quoteQualified } from '../../sql/quote.js';
import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** Joins to the tenant table and along foreign keys to other tenant tables return only A's rows. */
export const join: TableProbe = {
  id: 'join',
  scope: 'table',
  column: 'read',
  proves: 'joins to the tenant table and to the tables it references return only the current tenant\'s rows',
  async run(t) {
    const s = t.session;
    const model = s.model;
    const tenantKey = quoteIdent(model.tenant.key);
    const tenantTable = quoteQualified(model.tenant.tableName.schema, model.tenant.tableName.name);
    const joins = [
      `SELECT count(*) AS n FROM ${t.name} AS t JOIN ${tenantTable} AS c ON c.${tenantKey} = t.${t.col} WHERE c.${tenantKey}::text <> ${t.lit(t.a)}`,
      ...t.info.foreignKeys
        .filter((fk) => fk.columns.length === 1 || fk.columns.includes(model.tenant.column))
        .map((fk) => {
          const parent = findTableInfo(s.snapshot, fk.references);
          if (parent === undefined || !parent.columns.some((c) => c.name === model.tenant.column) || !parent.rlsEnabled) return null;
          const on = fk.columns.map((c, i) => `p.${quoteIdent(fk.referencedColumns[i] ?? '')} = t.${quoteIdent(c)}`).join(' AND ');
          return `SELECT count(*) AS n FROM ${t.name} AS t JOIN ${quoteQualified(fk.references.schema, fk.references.name)} AS p ON ${on} WHERE p.${t.col} IS NOT NULL AND p.${t.col}::text <> ${t.lit(t.a)}`;
        })
        .filter((sql): sql is string => sql !== null),
    ];
    let denied = 0;
    for (const sql of joins) {
      const joined = await s.asApp(t.a, () => s.count(sql));
      // A table the application role may not read cannot be joined: nothing to prove there.
      if (!joined.ok && joined.code === '42501') denied++;
      else if (!joined.ok || joined.value !== 0) {
        return [fail(this.id, joined.ok ? `${joined.value} rows of other tenants through a join` : joined.message, s.reproduce(t.a, sql))];
      }
    }
    return [pass(this.id, `${joins.length - denied} join(s) return only its rows${denied === 0 ? '' : ` (${denied} to a table ${s.app} may not read)`}`)];
  },
};
