import { qualified } from '../../introspect/snapshot.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** The policies a shard enforces must be the coordinator's: name for name, permissive for permissive. */
export const requireCitusShardPolicies: LintRule = {
  id: 'require-citus-shard-policies',
  severity: 'error',
  title: "shard whose policies differ from the coordinator's",
  fix: 'Recreate the policy on the coordinator (DROP POLICY, CREATE POLICY): Citus propagates it to every shard.',
  check(context) {
    const citus = context.snapshot.citus;
    if (citus === null) return [];
    const out = [];
    for (const shard of citus.shardPolicies) {
      const table = context.snapshot.tables.find((t) => t.schema === shard.table.schema && t.name === shard.table.name);
      const expected = (table?.policies ?? []).map((p) => `${p.name}:${p.permissive}`).sort().join(',');
      const actual = shard.policies.map((p) => `${p.name}:${p.permissive}`).sort().join(',');
      if (expected !== actual) {
        out.push(finding(this, tableObject(shard.table), `shard ${shard.shard} of ${qualified(shard.table)} enforces [${actual}], the coordinator [${expected}]`));
      }
    }
    return out;
  },
};
