import type pg from 'pg';
import { eventualTenantSql } from '../audit/eventual-tenant.js';
import type { DbSnapshot, QualifiedName } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import type { Proposal, ProposedTable } from './propose-manifest.js';
import { tableKey } from './render-manifest.js';

/** A lookup table init proposes as `mode: shared`, and what the data showed. */
export interface SharedLookup {
  /** Its rows the tenant tables reference, each from one tenant only. */
  readonly referenced: number;
  readonly readers: readonly QualifiedName[];
}

const same = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

/**
 * Lookup tables whose rows look per tenant: referenced by tenant tables,
 * linked to no other table without a tenant (a catalogue's tables stay
 * together: making one of them per tenant would make the others reference
 * tenant rows), and every referenced row referenced from one tenant only
 * (seed 004's `templates`, "nullable, to be set manually"). A row referenced
 * from several tenants marks a system-wide lookup (`roles`): it stays exempt
 * and read-only. Rows no tenant row references say nothing either way.
 */
export async function sharedLookups(client: pg.ClientBase, snapshot: DbSnapshot, proposal: Proposal, model: Model): Promise<Map<string, SharedLookup>> {
  const unscoped = proposal.tables.filter((t) => t.mode === 'exempt' && !same(t.name, proposal.tenantTable));
  const out = new Map<string, SharedLookup>();
  for (const table of unscoped) {
    if (table.primaryKey === null || linkedToUnscoped(table, unscoped)) continue;
    const references = readerKeys(proposal, table);
    const branches = references.flatMap(({ reader, column }) => {
      const key = model.tables.find((m) => m.name.schema === reader.schema && m.name.name === reader.name)?.key;
      if (key === undefined) return [];
      const tenant = eventualTenantSql(model, snapshot, key, 'r');
      return [`SELECT r.${quoteIdent(column)}::text AS k, (${tenant})::text AS tenant FROM ${quoteQualified(reader.schema, reader.name)} AS r WHERE r.${quoteIdent(column)} IS NOT NULL`];
    });
    if (branches.length === 0) continue;
    const { rows } = await client.query<{ referenced: string; several: string; tenants: string }>(
      `WITH x AS (SELECT k, tenant FROM (${branches.join(' UNION ALL ')}) AS b WHERE tenant IS NOT NULL),
            y AS (SELECT k, count(DISTINCT tenant) AS tenants FROM x GROUP BY k)
       SELECT (SELECT count(*) FROM y) AS referenced, (SELECT count(*) FROM y WHERE tenants > 1) AS several, (SELECT count(DISTINCT tenant) FROM x) AS tenants`,
    );
    const referenced = Number(rows[0]?.referenced ?? 0);
    // Two tenants at least, each on rows of its own: one tenant's data says nothing of the others'.
    const readers = [...new Map(references.map((r) => [tableKey(r.reader), r.reader])).values()];
    if (Number(rows[0]?.tenants ?? 0) >= 2 && Number(rows[0]?.several ?? 0) === 0) out.set(tableKey(table.name), { referenced, readers });
  }
  return out;
}

function linkedToUnscoped(table: ProposedTable, unscoped: readonly ProposedTable[]): boolean {
  return table.foreignKeys.some((fk) => unscoped.some((o) => same(o.name, fk.table))) || unscoped.some((o) => !same(o.name, table.name) && o.foreignKeys.some((fk) => same(fk.table, table.name)));
}

/** The single-column keys of tenant tables into `table`'s primary key. */
function readerKeys(proposal: Proposal, table: ProposedTable): { reader: QualifiedName; column: string }[] {
  return proposal.tables
    .filter((t) => t.mode === 'tenant' && !same(t.name, proposal.tenantTable))
    .flatMap((t) => t.foreignKeys.filter((fk) => same(fk.table, table.name) && fk.referencesKey).map((fk) => ({ reader: t.name, column: fk.column })));
}
