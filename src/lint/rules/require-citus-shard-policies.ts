import { qualified } from '../../introspect/snapshot.js';
import { driftedPlacements } from '../citus-placement-drift.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Every placement of a distributed or reference table enforces what the
 * coordinator does: row security enabled and forced as there, the same
 * policies with the same expressions. A worker's copy changed by hand
 * (`ALTER POLICY ... USING (true)`, `DISABLE ROW LEVEL SECURITY` on a shard)
 * serves every query routed to it.
 */
export const requireCitusShardPolicies: LintRule = {
  id: 'require-citus-shard-policies',
  severity: 'error',
  title: "shard whose row security differs from the coordinator's",
  fix: 'Recreate the policy on the coordinator (DROP POLICY, CREATE POLICY) and set row security there again (ALTER TABLE ... ENABLE / FORCE ROW LEVEL SECURITY): Citus propagates both to every shard.',
  check(context) {
    return driftedPlacements(context.snapshot).map(({ placement, drift }) =>
      finding(this, tableObject(placement.table), `shard ${placement.shard} of ${qualified(placement.table)} on ${placement.node}: ${drift.join('; ')}`),
    );
  },
};
