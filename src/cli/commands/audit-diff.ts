import { type AuditReport, auditDatabase } from '../../audit/audit-database.js';
import { qualified } from '../../introspect/snapshot.js';
import type { Model } from '../../manifest/model.js';
import { withClient } from '../../db/server.js';
import { diffDatabase } from '../../diff/diff-database.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { EXIT, type Output } from '../output.js';
import { connectionFrom, printApplyError, readModel } from './common.js';
import { optionalModel } from './lint.js';
import { formatConsistency } from './format-consistency.js';

export async function runAudit(output: Output, options: { databaseUrl?: string; manifest: string; tenantColumn: string; json: boolean; limit?: number }): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const model = optionalModel(output, options.manifest);
  if (model === undefined) return EXIT.usage;
  try {
    const report = await withClient(connection, (client) => auditDatabase(client, { model, tenantColumn: options.tenantColumn, ...(options.limit === undefined ? {} : { limit: options.limit }) }), 'rlsgen audit');
    if (options.json) {
      output.out(JSON.stringify(report, null, 2));
    } else {
      const column = model?.tenant.column ?? options.tenantColumn;
      const width = Math.max(5, ...report.tables.map((t) => t.table.length));
      output.out(`${'table'.padEnd(width)}  ${'rows'.padStart(10)}  ${`without ${column}`.padStart(22)}  ${'no path resolves'.padStart(16)}`);
      for (const t of report.tables) {
        const without = t.hasColumn ? String(t.withoutTenant) : `${t.withoutTenant} (no column)`;
        output.out(`${t.table.padEnd(width)}  ${String(t.rows).padStart(10)}  ${without.padStart(22)}  ${(t.unresolvable === null ? '-' : String(t.unresolvable)).padStart(16)}`);
      }
      output.out('');
      if (report.crossReferences.length === 0) output.out(`cross-tenant references: none (no row points at a row of another ${column})`);
      else {
        output.out('cross-tenant references (rows pointing at a row of another tenant):');
        for (const r of report.crossReferences) output.out(`  ${r.table}.${r.column} -> ${r.parent}: ${r.rows} row(s)`);
      }
      for (const l of report.legacyOwners) {
        output.out(
          l.retirable
            ? `legacy_owner ${l.table}.${l.ownerColumn}: no row is left without a ${column}; retire the owner branch: set tables.${l.table}.unresolved: fail (and remove legacy_owner), then rlsgen generate`
            : `legacy_owner ${l.table}.${l.ownerColumn}: ${l.withoutTenant} row(s) still without a ${column}; the owner branch stays until they have one`,
        );
      }
      const unresolvable = report.tables.reduce((n, t) => n + (t.unresolvable ?? 0), 0);
      output.out(`${unresolvable} row(s) no backfill path resolves; ${report.crossReferences.reduce((n, r) => n + r.rows, 0)} cross-tenant reference(s)`);
      if (report.consistency !== null) for (const line of formatConsistency(report.consistency, column)) output.out(line);
      if (report.undetermined.length > 0) {
        output.out('');
        output.out(`not determined: ${report.undetermined.length} table(s) this connection cannot read in full (a superuser or a BYPASSRLS role reads them in full; so does their owner while FORCE ROW LEVEL SECURITY is off):`);
        for (const u of report.undetermined) output.out(`  ${u.table}: ${u.reason}`);
      }
    }
    // What could not be read is not vouched for: an incomplete audit is not a clean one.
    return auditFails(report, model) || report.undetermined.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
}

/**
 * Findings that would stop the migration: rows pointing at another tenant's
 * row (a composite foreign key cannot validate), and rows no path resolves in
 * a table whose manifest entry requires every row to get a tenant
 * (`mode: tenant` with `unresolved: fail`: NOT NULL would fail), found on
 * today's data before the tenant column exists as well as after.
 */
export function auditFails(report: AuditReport, model: Model | null): boolean {
  if (report.crossReferences.some((r) => r.rows > 0) || report.consistency?.enforceFails === true) return true;
  return report.tables.some((t) => {
    const entry = model?.tables.find((m) => qualified(m.name) === t.table);
    return (t.unresolvable ?? 0) > 0 && entry?.mode === 'tenant' && entry.unresolved === 'fail';
  });
}

export async function runDiff(output: Output, options: { databaseUrl?: string; manifest: string; json: boolean }): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const model = readModel(output, options.manifest);
  if (model === null) return EXIT.usage;
  try {
    const snapshot = await withClient(connection, introspectDatabase, 'rlsgen diff');
    const drift = diffDatabase(model, snapshot);
    if (options.json) output.out(JSON.stringify(drift, null, 2));
    else {
      for (const d of drift) output.out(`${output.paint('yellow', d.kind)} ${d.message}`);
      output.out(drift.length === 0 ? `no drift: the database matches ${options.manifest}` : `${drift.length} difference(s) between ${options.manifest} and the database`);
    }
    return drift.length === 0 ? EXIT.ok : EXIT.findings;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
}
