import type { DbSnapshot, QualifiedName, TableInfo } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { RULES } from './registry.js';
import type { Finding, LintContext, LintRule } from './rule.js';

export interface LintOptions {
  readonly model: Model | null;
  /** The application role; defaults to the manifest's. */
  readonly appRole?: string | null;
  /** Without a manifest: the tenant column that marks tenant tables (default company_id). */
  readonly tenantColumn?: string;
  readonly setting?: string;
  /** Run only these rules (default: all). */
  readonly rules?: readonly LintRule[];
}

export function lintContext(snapshot: DbSnapshot, options: LintOptions): LintContext {
  const model = options.model;
  const tenantColumn = model?.tenant.column ?? options.tenantColumn ?? 'company_id';
  const same = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;
  const declared = (t: QualifiedName): boolean => model?.tables.some((m) => m.mode !== 'exempt' && same(m.name, t)) === true;
  // A partition of a scoped table holds its rows too, at any depth (a sub-partition's parent is a partition).
  const scoped = (t: TableInfo, depth = 0): boolean => {
    if (declared(t)) return true;
    const parent = t.parent === null || depth > 32 ? undefined : snapshot.tables.find((p) => t.parent !== null && same(p, t.parent));
    return parent !== undefined && scoped(parent, depth + 1);
  };
  const tenantTables = model
    ? snapshot.tables.filter((t) => scoped(t))
    : snapshot.tables.filter((t) => t.columns.some((c) => c.name === tenantColumn) && !isTenantTable(snapshot, t, tenantColumn));
  const exemptTables = model ? model.tables.filter((m) => m.mode === 'exempt').map((m) => m.name) : [];
  return {
    snapshot,
    model,
    appRole: options.appRole ?? model?.roles.app.name ?? null,
    tenantColumn,
    setting: model?.tenant.setting ?? options.setting ?? 'app.company_id',
    tenantTables,
    exemptTables,
  };
}

/**
 * Without a manifest: whether `table` is the tenant table itself, whose key
 * is the tenant id (store.store_id), found by its primary key being the
 * tenant column or by other tables' tenant column referencing it.
 */
function isTenantTable(snapshot: DbSnapshot, table: TableInfo, tenantColumn: string): boolean {
  if (table.primaryKey?.length === 1 && table.primaryKey[0] === tenantColumn) return true;
  return snapshot.tables.some((t) =>
    t.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === tenantColumn && fk.references.schema === table.schema && fk.references.name === table.name),
  );
}

/** Runs every rule on a snapshot. Pure: findings in rule order, then object order. */
export function lintDatabase(snapshot: DbSnapshot, options: LintOptions): Finding[] {
  const context = lintContext(snapshot, options);
  return (options.rules ?? RULES).flatMap((rule) => [...rule.check(context)].sort((a, b) => a.object.localeCompare(b.object) || a.message.localeCompare(b.message)));
}
