import type pg from 'pg';
import { introspectDatabase } from '../introspect/introspect-database.js';
import { type DbSnapshot, findTableInfo } from '../introspect/snapshot.js';
import { eventualTenantSql } from '../audit/eventual-tenant.js';
import { checkPathConsistency } from '../audit/path-consistency.js';
import type { Model } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { choosePaths } from './choose-paths.js';
import { draftModel } from './draft-model.js';
import { confirmColumnMatches } from './confirm-column-matches.js';
import { consistencyNotes } from './consistency-notes.js';
import { proposeManifest } from './propose-manifest.js';
import { sharedLookups } from './shared-lookups.js';
import { type Decision, renderManifest, type TableCounts, tableKey } from './render-manifest.js';

export interface InitOptions {
  readonly tenantTable: string;
  readonly tenantColumn: string;
  readonly appRole: string;
  readonly crossRole: string;
  /** The session variable the policies read (`app.company_id` by default). */
  readonly setting?: string;
}

/**
 * `rlsgen init`: a complete manifest for the database behind `client`. Reads
 * the catalog, proposes a mode and candidate paths per table, keeps the
 * column matches the data confirms, picks for each table the derivation the
 * data supports best (fewest references a composite key would reject, then
 * fewest rows left without a tenant, `first_of` when a second path fills
 * rows the first cannot), and writes what the data shows into the comments.
 */
export async function initManifest(client: pg.ClientBase, options: InitOptions): Promise<string> {
  const snapshot = await introspectDatabase(client);
  const proposal = await confirmColumnMatches(client, proposeManifest(snapshot, options));
  const base = { appRole: options.appRole, crossRole: options.crossRole, ...(options.setting === undefined ? {} : { setting: options.setting }) };
  const decisions = await choosePaths(client, snapshot, proposal, base);
  const model = draftModel(proposal, { ...base, decisions });
  const counts = await countRows(client, snapshot, model, options.tenantColumn);
  const consistency = await checkPathConsistency(client, model, snapshot, { limit: 5 });
  const withNotes = new Map(decisions);
  for (const t of consistency.tables) {
    const table = model.tables.find((m) => m.key === t.key);
    if (table === undefined) continue;
    const key = tableKey(table.name);
    const notes = consistencyNotes(t, options.tenantColumn);
    const decision: Decision = withNotes.get(key) ?? { paths: null, notes: [] };
    withNotes.set(key, { ...decision, notes: [...decision.notes, ...notes] });
  }
  const shared = await sharedLookups(client, snapshot, proposal, model);
  return renderManifest(proposal, { ...base, counts, decisions: withNotes, shared });
}

/** Rows without a tenant per scoped table, and how many of them the model's paths leave unresolved. */
async function countRows(client: pg.ClientBase, snapshot: DbSnapshot, model: Model, tenantColumn: string): Promise<Map<string, TableCounts>> {
  const counts = new Map<string, TableCounts>();
  for (const table of model.tables) {
    if (table.mode === 'exempt' || table.tenantTable) continue;
    const info = findTableInfo(snapshot, table.name);
    const hasColumn = info?.columns.some((c) => c.name === tenantColumn) === true;
    const missing = hasColumn ? `t.${quoteIdent(tenantColumn)} IS NULL` : 'true';
    const resolved = eventualTenantSql(model, snapshot, table.key, 't');
    const { rows } = await client.query<{ missing: string; unresolved: string }>(
      `SELECT count(*) FILTER (WHERE ${missing}) AS missing, count(*) FILTER (WHERE ${missing} AND ${resolved} IS NULL) AS unresolved
         FROM ${quoteQualified(table.name.schema, table.name.name)} AS t`,
    );
    counts.set(tableKey(table.name), { missing: Number(rows[0]?.missing ?? 0), unresolved: Number(rows[0]?.unresolved ?? 0) });
  }
  return counts;
}
