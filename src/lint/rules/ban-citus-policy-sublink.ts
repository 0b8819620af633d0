import { qualified } from '../../introspect/snapshot.js';
import { expressions } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** Citus rejects sub-selects in policies on distributed tables ("Subqueries are not supported in policies on distributed tables"). */
export const banCitusPolicySublink: LintRule = {
  id: 'ban-citus-policy-sublink',
  severity: 'error',
  title: 'sub-select in a policy on a distributed table',
  fix: "Use the plain expression, company_id = NULLIF(current_setting('app.company_id', true), '')::uuid, or a STABLE SQL function, without (SELECT ...).",
  check(context) {
    const citus = context.snapshot.citus;
    if (citus === null) return [];
    const out = [];
    for (const dist of citus.tables.filter((t) => t.method === 'distributed')) {
      const table = context.snapshot.tables.find((t) => t.schema === dist.table.schema && t.name === dist.table.name);
      for (const policy of table?.policies ?? []) {
        if (expressions(policy).some((e) => /\(\s*SELECT\b/i.test(e))) {
          out.push(finding(this, tableObject(dist.table), `policy ${policy.name} on distributed table ${qualified(dist.table)} contains a sub-select, which Citus rejects`));
        }
      }
    }
    return out;
  },
};
