import { roleReach } from '../introspect/role-reach.js';
import type { DbSnapshot } from '../introspect/snapshot.js';
import { TenantData } from '../introspect/tenant-data.js';
import { type Acknowledgement, isTenantScoped, type Model } from '../manifest/model.js';
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
  const tenantTable = model?.tenant.tableName ?? null;
  const declared = new TenantData(snapshot, { tenantColumn, tenantTable, scoped: model?.tables.filter(isTenantScoped).map((m) => m.name) ?? [] });
  // A partition of a scoped table holds its rows too, at any depth (a sub-partition's parent is a partition).
  const tenantTables = model
    ? snapshot.tables.filter((t) => declared.isScoped(t) || declared.scopedAncestor(t) !== undefined)
    : snapshot.tables.filter((t) => t.columns.some((c) => c.name === tenantColumn));
  const exemptTables = model ? model.tables.filter((m) => m.mode === 'exempt').map((m) => m.name) : [];
  const appRole = options.appRole ?? model?.roles.app.name ?? null;
  const tenantData = new TenantData(snapshot, { tenantColumn, tenantTable, scoped: tenantTables });
  const known = appRole !== null && snapshot.roles.some((r) => r.name === appRole);
  return {
    snapshot,
    model,
    appRole,
    tenantColumn,
    setting: model?.tenant.setting ?? options.setting ?? 'app.company_id',
    tenantTables,
    exemptTables,
    tenantData,
    appReach: known ? new Map(roleReach(snapshot, appRole).map((o) => [o.label, o])) : null,
  };
}

/**
 * Runs every rule on a snapshot. Pure: findings in rule order, then object
 * order; those the manifest acknowledges carry the acknowledgement's reason.
 */
export function lintDatabase(snapshot: DbSnapshot, options: LintOptions): Finding[] {
  const context = lintContext(snapshot, options);
  const findings = (options.rules ?? RULES).flatMap((rule) => [...rule.check(context)].sort((a, b) => a.object.localeCompare(b.object) || a.message.localeCompare(b.message)));
  return acknowledgeFindings(findings, options.model?.acknowledgements ?? []);
}

/** Marks each finding an acknowledgement names (same rule, same object) with its reason. */
export function acknowledgeFindings(findings: readonly Finding[], acknowledgements: readonly Acknowledgement[]): Finding[] {
  return findings.map((f) => {
    const ack = acknowledgements.find((a) => a.finding === f.rule && a.object === f.object);
    return ack === undefined ? f : { ...f, acknowledged: ack.reason };
  });
}

/** Acknowledgements of lint rules that matched no finding: stale, or misspelt. */
export function unusedAcknowledgements(findings: readonly Finding[], model: Model | null): Acknowledgement[] {
  const ids = new Set(RULES.map((r) => r.id));
  return (model?.acknowledgements ?? []).filter((a) => ids.has(a.finding) && !findings.some((f) => f.rule === a.finding && f.object === a.object));
}

/** Whether lint fails: an error nobody acknowledged. */
export function hasUnacknowledgedErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' && f.acknowledged === undefined);
}
