import { qualified } from '../../introspect/snapshot.js';
import { driftedPlacements } from '../../lint/citus-placement-drift.js';
import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/**
 * Every placement of a distributed or reference table enforces what the
 * coordinator does. The cross-tenant probes read through two tenants'
 * shards only; a shard opened up on a worker (a policy changed to
 * `USING (true)`, row security disabled) leaks the tenants routed to it,
 * so each placement is read on its node and compared.
 */
export const citusShards: RoleProbe = {
  id: 'citus-shards',
  scope: 'role',
  lintRule: 'require-citus-shard-policies',
  proves: "every shard placement has the coordinator's row security flags and policies",
  async run(s) {
    const citus = s.snapshot.citus;
    if (citus === null) return [];
    const drifted = driftedPlacements(s.snapshot);
    if (drifted.length === 0) return [pass(this.id, `${citus.placements.length} shard placements enforce the coordinator's row security`)];
    return drifted.map(({ placement, drift }) => fail(this.id, `shard ${placement.shard} of ${qualified(placement.table)} on ${placement.node}: ${drift.join('; ')}`));
  },
};
