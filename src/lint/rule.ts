import type { ReachedObject } from '../introspect/role-reach.js';
import type { DbSnapshot, QualifiedName, TableInfo } from '../introspect/snapshot.js';
import type { TenantData } from '../introspect/tenant-data.js';
import { isTenantRoot, type Model } from '../manifest/model.js';
import { objectLabel } from '../sql/object-label.js';

export type Severity = 'error' | 'warning';

/** One hazard found in a database. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** The object it is about: `table public.deals`, `view public.v`, `role crm_app`, `function public.f(uuid)`. */
  readonly object: string;
  readonly message: string;
  /** The reason of the manifest's acknowledgement that accepts this finding; such a finding does not fail lint. */
  readonly acknowledged?: string;
}

/** What every rule sees: the catalog snapshot and what counts as tenant data. */
export interface LintContext {
  readonly snapshot: DbSnapshot;
  /** The manifest, when there is one; rules that compare against it are silent without. */
  readonly model: Model | null;
  /** The role the application uses; rules about it are silent when unknown. */
  readonly appRole: string | null;
  readonly tenantColumn: string;
  /** The session variable policies read (`app.company_id`). */
  readonly setting: string;
  /** Tables holding tenant rows: the manifest's scoped tables, or every table with the tenant column. */
  readonly tenantTables: readonly TableInfo[];
  /** Tables the manifest declares exempt (or the tenant table itself). */
  readonly exemptTables: readonly QualifiedName[];
  /** Which tables, views and functions hold or read tenant rows. */
  readonly tenantData: TenantData;
  /** What the application role can use, by object label (`table public.users`); null when the role is unknown. */
  readonly appReach: ReadonlyMap<string, ReachedObject> | null;
}

/**
 * A lint rule: one file under src/lint/rules/, a page under docs/lint/ with
 * the same id, and tests that build the hazard and its safe form on a real
 * server. Ids come in families: `require-*`, `ban-*`, `prefer-*`.
 */
export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what is wrong. */
  readonly title: string;
  /** The fix, one or two sentences. */
  readonly fix: string;
  check(context: LintContext): Finding[];
}

export const tableObject = (t: QualifiedName): string => objectLabel('table', t.schema, t.name);

/** Whether the application role can use the object, or null when the role is unknown. */
export function appCanUse(context: LintContext, label: string): ReachedObject | null | undefined {
  return context.appReach === null ? null : context.appReach.get(label);
}

export function finding(rule: LintRule, object: string, message: string): Finding {
  return { rule: rule.id, severity: rule.severity, object, message };
}

/** The manifest's exempt tables and the tenant table unless it is scoped to its own row: rows rlsgen puts no policy on. */
export function unscopedDeclaredTables(context: LintContext): TableInfo[] {
  const model = context.model;
  if (model === null) return [];
  // The tenant table in tenant mode has policies of its own (each tenant sees its row).
  const rooted = model.tables.some(isTenantRoot);
  const names = [...context.exemptTables, ...(rooted ? [] : [model.tenant.tableName])];
  return context.snapshot.tables.filter((t) => names.some((n) => n.schema === t.schema && n.name === t.name));
}
