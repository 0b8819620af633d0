import { citusColocationAnchor, type Model, qualifiedKey, type TableModel, type TableName } from '../manifest/model.js';
import type { Step, TablePlan } from './plan.js';

/**
 * The distribute stage (`target: citus`) for the tables this generation
 * onboards (`columns`): the checks, each distributed table's primary key with
 * the tenant column, then one distribution. A tenant table is distributed by
 * the tenant column unless the manifest makes it a reference table (rows
 * without a tenant, a lookup before any tenant is known: a distribution
 * column is NOT NULL, and a lookup over a distributed table would run on the
 * workers as a role that cannot log in); it keeps its policies either way.
 * The tenant table is distributed by its key, or replicated when it is a
 * reference table; the distributed tenant tables are co-located with it, else
 * with the manifest's first distributed tenant table, created first.
 */
export function citusSteps(previous: Model | null, next: Model, columns: readonly TablePlan[]): Step[] {
  const beforeKeys = new Set(previous === null ? [] : previous.tables.map((t) => qualifiedKey(t.name)));
  const distributionOf = (name: TableName): TableModel['distribution'] => next.tables.find((t) => qualifiedKey(t.name) === qualifiedKey(name))?.distribution ?? 'distributed';
  const tenantKey = qualifiedKey(next.tenant.tableName);
  const rootDistributed = distributionOf(next.tenant.tableName) === 'distributed';
  const anchor = citusColocationAnchor(next)?.table;
  const tenants = columns.filter((t) => t.mode === 'tenant' && distributionOf(t.name) === 'distributed');
  const isAnchor = (t: TablePlan): boolean => anchor !== undefined && qualifiedKey(t.name) === qualifiedKey(anchor);
  const ordered = [...tenants.filter(isAnchor), ...tenants.filter((t) => !isAnchor(t))];
  const references = next.tables
    .filter((t) => t.distribution === 'reference' && !beforeKeys.has(qualifiedKey(t.name)) && (qualifiedKey(t.name) !== tenantKey || (previous === null && !rootDistributed)))
    .map((t) => t.name);
  if (tenants.length === 0 && references.length === 0) return [];
  const root = previous === null && rootDistributed ? next.tenant.tableName : null;
  return [
    { kind: 'citus-prepare', tenants: ordered, references },
    ...ordered.map((table): Step => ({ kind: 'citus-primary-key', table })),
    { kind: 'citus-distribute', root, tenants: ordered, references, colocateWith: anchor ?? next.tenant.tableName },
  ];
}
