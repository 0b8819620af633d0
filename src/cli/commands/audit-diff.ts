import { auditDatabase } from '../../audit/audit-database.js';
import { parseConnectionUrl, withClient } from '../../db/server.js';
import { diffDatabase } from '../../diff/diff-database.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { EXIT, type Output } from '../output.js';
import { databaseUrlFrom } from './apply.js';
import { printApplyError, readModel } from './common.js';
import { optionalModel } from './lint.js';

export async function runAudit(output: Output, options: { databaseUrl?: string; manifest: string; tenantColumn: string; json: boolean }): Promise<number> {
  const url = databaseUrlFrom(output, options.databaseUrl);
  if (url === null) return EXIT.usage;
  const model = optionalModel(output, options.manifest);
  if (model === undefined) return EXIT.usage;
  try {
    const report = await withClient(parseConnectionUrl(url), (client) => auditDatabase(client, { model, tenantColumn: options.tenantColumn }), 'rlsgen audit');
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
      const unresolvable = report.tables.reduce((n, t) => n + (t.unresolvable ?? 0), 0);
      output.out(`${unresolvable} row(s) no backfill path resolves; ${report.crossReferences.reduce((n, r) => n + r.rows, 0)} cross-tenant reference(s)`);
    }
    return EXIT.ok;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
}

export async function runDiff(output: Output, options: { databaseUrl?: string; manifest: string; json: boolean }): Promise<number> {
  const url = databaseUrlFrom(output, options.databaseUrl);
  if (url === null) return EXIT.usage;
  const model = readModel(output, options.manifest);
  if (model === null) return EXIT.usage;
  try {
    const snapshot = await withClient(parseConnectionUrl(url), introspectDatabase, 'rlsgen diff');
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
