import type { RowSample, TableConsistency } from '../audit/path-consistency.js';

const keys = (sample: RowSample, primaryKey: string): string =>
  sample.keys.length === 0 ? '' : ` (${primaryKey} ${sample.keys.join(', ')}${sample.count > sample.keys.length ? ', ...' : ''})`;

/**
 * Comment lines for a table's entry: what each path the backfill does not use
 * gives the data, and what the data would make the enforce stage reject.
 */
export function consistencyNotes(t: TableConsistency, column: string): string[] {
  const out: string[] = [];
  for (const p of t.paths) {
    if (p.inManifest) continue;
    const against = p.disagrees > 0 ? `, another ${column} than the backfill for ${p.disagrees}` : t.toFill > 0 ? ', agreeing with the backfill' : '';
    out.push(`# also possible: backfill: ${p.path}  (resolves ${p.resolves} of ${t.toFill} row(s)${against})`);
  }
  if (t.disagreements.count > 0) out.push(`# the data: the paths disagree on ${t.disagreements.count} row(s)${keys(t.disagreements, t.primaryKey)}; the backfill takes the path with the fewest rejected references`);
  for (const r of t.rejected) {
    if (r.count === 0) continue;
    out.push(`# review: the composite key (${column}, ${r.column}) -> ${r.parent} would reject ${r.count} row(s)${keys(r, t.primaryKey)} and stop the enforce stage: correct them or set composite: false on the key (rlsgen audit lists them)`);
  }
  return out;
}
