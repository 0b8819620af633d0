import { qualified } from '../../introspect/snapshot.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** Citus copies RESTRICTIVE policies to the shards as permissive: beside the tenant policy, one tenant reads every tenant's rows. */
export const banCitusRestrictivePolicy: LintRule = {
  id: 'ban-citus-restrictive-policy',
  severity: 'error',
  title: 'RESTRICTIVE policy on a distributed table',
  fix: 'Fold the restriction into the permissive policies (AND it into their expressions) and drop the RESTRICTIVE policy.',
  check(context) {
    const citus = context.snapshot.citus;
    if (citus === null) return [];
    const out = [];
    for (const dist of citus.tables.filter((t) => t.method !== 'local')) {
      const table = context.snapshot.tables.find((t) => t.schema === dist.table.schema && t.name === dist.table.name);
      for (const policy of (table?.policies ?? []).filter((p) => !p.permissive)) {
        out.push(finding(this, tableObject(dist.table), `RESTRICTIVE policy ${policy.name} on ${qualified(dist.table)}: Citus makes it permissive on the shards, where it widens access`));
      }
    }
    return out;
  },
};
