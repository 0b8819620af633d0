import { quoteIdent, quoteLiteral } from '../../sql/quote.js';
import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/**
 * One prepared statement, a generic plan, two tenants in turn: each
 * execution must see only the tenant set at that moment. A policy whose
 * value was folded into the plan (an IMMUTABLE helper) shows the first
 * tenant's rows to the second.
 */
export const prepared: TableProbe = {
  id: 'prepared',
  scope: 'table',
  column: 'prep',
  proves: 'a cached generic plan reused for another tenant shows only that tenant\'s rows',
  async run(t) {
    const s = t.session;
    const current = s.sign === null ? 'current_setting($1, true)' : `(regexp_match(current_setting($1, true), '\\.([^.]+)$'))[1]`;
    const probeSql = `SELECT count(*) FILTER (WHERE ${t.col} IS NOT NULL AND ${t.col}::text IS DISTINCT FROM ${current}) AS foreign_rows, count(*) FILTER (WHERE ${t.col} IS NOT NULL) AS n FROM ${t.name}`;
    const outcome = await s.asApp(t.a, async () => {
      // Citus plans its own way (it builds no distributed generic plan for this); PostgreSQL is forced to the generic plan.
      if (!s.isolated) await s.client.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
      const statement = { name: `rlsgen_probe_${t.info.oid}`, text: probeSql, values: [s.setting] };
      const run = async (): Promise<[number, number]> => {
        const row = (await s.client.query<{ foreign_rows: string; n: string }>(statement)).rows[0];
        return [Number(row?.foreign_rows), Number(row?.n)];
      };
      const first = await run();
      await s.setLocal(s.setting, s.value(t.b));
      const second = await run();
      await s.client.query(`DEALLOCATE ${quoteIdent(statement.name)}`);
      return [first, second] as const;
    });
    const [wantA, wantB] = [await t.tenantRows(t.a), await t.tenantRows(t.b)];
    if (!outcome.ok) return [fail(this.id, outcome.message)];
    const [[foreignA, seenA], [foreignB, seenB]] = outcome.value;
    return [
      foreignA === 0 && foreignB === 0 && seenA === wantA && seenB === wantB
        ? pass(this.id, `generic plan reused: ${wantA} rows for A, then ${wantB} for B`)
        : fail(this.id, `a reused generic plan showed ${seenB} rows to B, ${foreignB} of them not B's: the plan carried A's tenant into B's transaction`, `SET plan_cache_mode = force_generic_plan; PREPARE p(text) AS ${probeSql}; -- EXECUTE p(${quoteLiteral(s.setting)}) as A, then as B`),
    ];
  },
};
