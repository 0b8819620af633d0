import type { LookupModel } from '../model.js';
import { isParseError, parseTableRef } from '../reference-syntax.js';
import type { RawLookup } from '../raw-manifest.js';
import type { Reporter } from '../report.js';
import { section } from '../section.js';
import type { Segment } from '../source-map.js';
import { didYouMean } from '../suggest.js';

/** Checks a list of column names: identifiers, each once. */
function readColumns(report: Reporter, at: Segment[], columns: readonly string[], what: string): string[] {
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    report.checkIdentifier([...at, index], column);
    if (seen.has(column)) report.error([...at, index], 'duplicate-column', `${JSON.stringify(column)} is listed twice in ${what}`);
    seen.add(column);
  });
  return [...seen];
}

/**
 * `lookups:` pre-tenant lookups, each found by an exact key before any tenant
 * is known (sign-in by email, a webhook's phone number id). Whether the
 * columns exist and whether the key is unique only the catalog knows: the
 * generated migration checks both before it creates anything, and `rlsgen
 * lint` and `rlsgen verify` check them on a live database.
 */
export const lookupsSection = section({
  key: 'lookups',
  build({ raw, report, tables, built }) {
    const out: LookupModel[] = [];
    const model = built('tables');
    const citus = built('target') === 'citus';
    for (const [name, lookup] of Object.entries(raw.lookups ?? {}) as [string, RawLookup][]) {
      const at = (...rest: Segment[]): Segment[] => ['lookups', name, ...rest];
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        report.error(['lookups'], 'invalid-lookup-name', `lookup name ${JSON.stringify(name)} is not a lower-case SQL name`, { help: 'use letters, digits and _ (it becomes the function rlsgen_lookup.<name>, called from every stack)' }, name);
      }
      report.checkIdentifier(at(), name);
      const ref = parseTableRef(lookup.table);
      if (isParseError(ref) || ref.column !== null) {
        report.error(at('table'), 'invalid-reference', `${JSON.stringify(lookup.table)} is not a table name`, { help: 'name a table of `tables:`; the columns go in `key` and `returns`' });
        continue;
      }
      const entry = tables.resolve(ref);
      if (entry === undefined) {
        report.error(at('table'), 'unknown-table', `lookup ${name} reads ${JSON.stringify(lookup.table)}, which is not declared in tables`, didYouMean(ref.table, tables.keys()));
        continue;
      }
      if (typeof lookup.key === 'string') report.checkIdentifier(at('key'), lookup.key);
      const key = typeof lookup.key === 'string' ? [lookup.key] : readColumns(report, at('key'), lookup.key, 'the key');
      const returns = readColumns(report, at('returns'), lookup.returns, 'returns');
      const table = model.find((t) => t.key === entry.key);
      if (citus && table !== undefined && table.distribution === 'distributed') {
        report.error(at('table'), 'citus-lookup', `with \`target: citus\` lookup ${name} would run on the workers as the lookup role, which cannot log in`, {
          help: 'look the row up in a reference table (or a local one) that maps the key to the tenant',
        });
      }
      out.push({ name, table: entry.key, tableName: entry.name, key, returns });
    }
    return out;
  },
});
