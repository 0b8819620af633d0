import { qualified } from '../../introspect/snapshot.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** Tenant tables must be co-located with the tenant table, so one tenant's rows of every table live on the same node. */
export const requireCitusColocation: LintRule = {
  id: 'require-citus-colocation',
  severity: 'error',
  title: 'distributed tenant table not co-located with the tenant table',
  fix: "SELECT update_distributed_table_colocation('<table>', colocate_with => '<tenant table>') (or redistribute it with colocate_with).",
  check(context) {
    const citus = context.snapshot.citus;
    const model = context.model;
    if (citus === null || model === null) return [];
    const root = citus.tables.find((t) => t.table.schema === model.tenant.tableName.schema && t.table.name === model.tenant.tableName.name);
    const out = [];
    for (const table of context.tenantTables) {
      const dist = citus.tables.find((t) => t.table.schema === table.schema && t.table.name === table.name);
      if (dist === undefined || dist.method !== 'distributed') continue;
      if (root === undefined || root.method !== 'distributed' || dist.colocationId !== root.colocationId || dist.column !== context.tenantColumn) {
        out.push(
          finding(this, tableObject(table), `${qualified(table)} is distributed by ${dist.column ?? '?'} in co-location group ${dist.colocationId}, not by ${context.tenantColumn} with ${qualified(model.tenant.tableName)}${root === undefined ? ' (which is not distributed)' : ` (group ${root.colocationId})`}`),
        );
      }
    }
    return out;
  },
};
