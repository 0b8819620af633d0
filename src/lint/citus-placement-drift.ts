import type { CitusInfo, CitusPlacement, DbSnapshot, PolicyInfo, TableInfo } from '../introspect/snapshot.js';

/** `_102008`-style suffixes Citus adds to a table's name on its shards, taken off so a shard's expression reads as the coordinator's. */
function withoutShardSuffixes(expression: string, citus: CitusInfo): string {
  let out = expression;
  for (const { table } of citus.tables) {
    const name = table.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`\\b(${name})_\\d+\\b`, 'g'), '$1');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** One policy as a comparable line: command, permissive or restrictive, roles, USING and WITH CHECK. */
function describePolicy(policy: PolicyInfo, citus: CitusInfo): string {
  const expr = (e: string | null): string => (e === null ? '-' : withoutShardSuffixes(e, citus));
  return `${policy.name}: ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command} TO ${[...policy.roles].sort().join(', ')} USING ${expr(policy.using)} WITH CHECK ${expr(policy.check)}`;
}

/**
 * How a placement differs from its table on the coordinator: row security
 * enabled and forced, and each policy (deparsed on the worker, compared with
 * the coordinator's once shard suffixes are removed). One line per
 * difference; empty when the placement enforces what the coordinator does.
 * A placement that could not be read is a difference too: what it enforces
 * is unknown.
 */
export function placementDrift(placement: CitusPlacement, coordinator: TableInfo | undefined, citus: CitusInfo): string[] {
  if (placement.error !== null) return [`could not be read (${placement.error})`];
  if (coordinator === undefined) return [];
  const out: string[] = [];
  if (placement.rlsEnabled !== coordinator.rlsEnabled) out.push(`row security ${placement.rlsEnabled ? 'enabled' : 'disabled'} (coordinator: ${coordinator.rlsEnabled ? 'enabled' : 'disabled'})`);
  if (placement.rlsForced !== coordinator.rlsForced) out.push(`row security ${placement.rlsForced ? 'forced' : 'not forced'} (coordinator: ${coordinator.rlsForced ? 'forced' : 'not forced'})`);
  const expected = new Map(coordinator.policies.map((p) => [p.name, describePolicy(p, citus)]));
  const actual = new Map(placement.policies.map((p) => [p.name, describePolicy(p, citus)]));
  for (const [name, line] of expected) {
    const found = actual.get(name);
    if (found === undefined) out.push(`policy ${name} missing`);
    else if (found !== line) out.push(`policy ${found} (coordinator: ${line.slice(name.length + 2)})`);
  }
  for (const [name, line] of actual) if (!expected.has(name)) out.push(`policy ${line} not on the coordinator`);
  return out;
}

/** Every placement of a distributed or reference table that differs from the coordinator, with how. */
export function driftedPlacements(snapshot: DbSnapshot): { readonly placement: CitusPlacement; readonly drift: readonly string[] }[] {
  const citus = snapshot.citus;
  if (citus === null) return [];
  return citus.placements
    .map((placement) => ({
      placement,
      drift: placementDrift(placement, snapshot.tables.find((t) => t.schema === placement.table.schema && t.name === placement.table.name), citus),
    }))
    .filter((d) => d.drift.length > 0);
}
