import { qualified } from '../../introspect/snapshot.js';
import { citusColocationAnchor } from '../../manifest/model.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Tenant tables must be co-located with the tenant table, so one tenant's
 * rows of every table live on the same node. When the manifest makes the
 * tenant table a reference table (every node has all of it), they must be
 * co-located with each other: with the first distributed tenant table of the
 * manifest, as rlsgen distributes them.
 */
export const requireCitusColocation: LintRule = {
  id: 'require-citus-colocation',
  severity: 'error',
  title: 'distributed tenant table not co-located with the tenant table',
  fix: "SELECT update_distributed_table_colocation('<table>', colocate_with => '<tenant table>') (or redistribute it with colocate_with).",
  check(context) {
    const citus = context.snapshot.citus;
    const model = context.model;
    if (citus === null || model === null) return [];
    const anchor = citusColocationAnchor(model);
    const root = anchor === null ? undefined : citus.tables.find((t) => t.table.schema === anchor.table.schema && t.table.name === anchor.table.name);
    const anchorLabel = qualified(anchor?.table ?? model.tenant.tableName);
    const out = [];
    for (const table of context.tenantTables) {
      const dist = citus.tables.find((t) => t.table.schema === table.schema && t.table.name === table.name);
      if (dist === undefined || dist.method !== 'distributed') continue;
      if (root === undefined || root.method !== 'distributed' || root.column !== anchor?.column || dist.colocationId !== root.colocationId || dist.column !== context.tenantColumn) {
        out.push(
          finding(this, tableObject(table), `${qualified(table)} is distributed by ${dist.column ?? '?'} in co-location group ${dist.colocationId}, not by ${context.tenantColumn} with ${anchorLabel}${root === undefined || root.method !== 'distributed' ? ' (which is not distributed)' : ` (group ${root.colocationId})`}`),
        );
      }
    }
    return out;
  },
};
