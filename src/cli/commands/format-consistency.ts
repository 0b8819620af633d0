import type { ConsistencyReport, RowSample, TableConsistency } from '../../audit/path-consistency.js';

const keys = (sample: RowSample, primaryKey: string): string =>
  sample.keys.length === 0 ? '' : `: ${primaryKey} ${sample.keys.join(', ')}${sample.count > sample.keys.length ? `, ... (${sample.count - sample.keys.length} more)` : ''}`;

function tableLines(t: TableConsistency, column: string): string[] {
  const out = [`  ${t.table}: ${t.rows} row(s), ${t.toFill} without ${column}`];
  for (const p of t.paths) {
    out.push(`    ${p.inManifest ? 'backfill' : 'candidate'} ${p.path}: resolves ${p.resolves}${p.inManifest ? '' : `, names another tenant than the backfill for ${p.disagrees}`}`);
  }
  if (t.disagreements.count > 0) out.push(`    paths disagree on ${t.disagreements.count} row(s)${keys(t.disagreements, t.primaryKey)}`);
  if (t.unresolved.count > 0) {
    const effect = t.notNullFails ? 'NOT NULL will fail (unresolved: fail)' : 'kept without a tenant';
    out.push(`    no path resolves ${t.unresolved.count} row(s), ${effect}${keys(t.unresolved, t.primaryKey)}`);
  }
  for (const r of t.rejected) {
    if (r.count > 0) out.push(`    composite key (${column}, ${r.column}) -> ${r.parent} would reject ${r.count} row(s)${keys(r, t.primaryKey)}`);
  }
  return out;
}

const interesting = (t: TableConsistency): boolean => t.disagreements.count > 0 || t.unresolved.count > 0 || t.rejected.some((r) => r.count > 0);

/** The consistency part of `rlsgen audit`, for people: only the tables with something to say. */
export function formatConsistency(report: ConsistencyReport, column: string): string[] {
  const tables = report.tables.filter(interesting);
  const out = ['', `derivation paths against the data (${report.tables.length} scoped table(s) checked):`];
  if (tables.length === 0) out.push('  every path agrees, every row resolves, every composite key validates');
  for (const t of tables) out.push(...tableLines(t, column));
  if (report.enforceFails) {
    out.push('');
    out.push('the enforce stage would fail on these rows: correct them, or change the manifest (another backfill path, unresolved: keep, composite: false on the key), and run rlsgen audit again');
  }
  return out;
}
