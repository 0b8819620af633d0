import { qualified } from '../../introspect/snapshot.js';
import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/**
 * Tenants A and B live on different workers, so every cross-tenant probe
 * crosses nodes: a SET that never reaches a worker, or a shard whose policy
 * differs, only shows there.
 */
export const citusWorkers: RoleProbe = {
  id: 'citus-workers',
  scope: 'role',
  proves: "on Citus, tenant A's and tenant B's rows live on different workers",
  async run(s) {
    const citus = s.snapshot.citus;
    const nodes = s.proof?.nodes ?? null;
    if (citus === null || nodes === null) return [];
    const placedBy = s.proof?.placedBy ?? null;
    if (placedBy === null) return [fail(this.id, `no table is distributed by the tenant key ${s.model.tenant.key}: the proof cannot place its tenants on different workers`)];
    const [a, b] = nodes;
    if (a !== b) return [pass(this.id, `tenant A on ${a}, tenant B on ${b} (shards of ${qualified(placedBy)})`)];
    const workers = citus.workers.length;
    return [
      fail(
        this.id,
        workers < 2
          ? `the cluster has ${workers === 0 ? 'no worker' : `one worker (${citus.workers.join('')})`}: isolation across workers cannot be proven; add a second worker (citus_add_node) and rebalance`
          : `tenants A and B both live on ${a} and no tenant key could be placed on another worker: isolation across workers is not proven`,
      ),
    ];
  },
};
