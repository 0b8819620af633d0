import type pg from 'pg';
import { introspectDatabase } from '../introspect/introspect-database.js';
import { findTableInfo } from '../introspect/snapshot.js';
import { eventualTenantSql } from '../audit/eventual-tenant.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { proposeManifest } from './propose-manifest.js';
import { renderManifest, type TableCounts, tableKey } from './render-manifest.js';

export interface InitOptions {
  readonly tenantTable: string;
  readonly tenantColumn: string;
  readonly appRole: string;
  readonly crossRole: string;
}

/**
 * `rlsgen init`: a complete manifest for the database behind `client`. Reads
 * the catalog, proposes a mode and a backfill path per table, and counts the
 * rows each path would leave without a tenant (those tables keep them).
 */
export async function initManifest(client: pg.ClientBase, options: InitOptions): Promise<string> {
  const snapshot = await introspectDatabase(client);
  const proposal = proposeManifest(snapshot, options);
  const renderOptions = { appRole: options.appRole, crossRole: options.crossRole };
  // First without counts, to get the manifest's model; then count with it.
  const draft = loadManifest(renderManifest(proposal, { ...renderOptions, counts: new Map() }), 'policies.yaml');
  if (!draft.ok) throw new Error(`rlsgen init proposed an invalid manifest: ${draft.diagnostics.map((d) => d.message).join('; ')}`);
  const model = draft.model;
  const counts = new Map<string, TableCounts>();
  for (const table of model.tables) {
    if (table.mode === 'exempt' || table.tenantTable) continue;
    const info = findTableInfo(snapshot, table.name);
    const hasColumn = info?.columns.some((c) => c.name === options.tenantColumn) === true;
    const missing = hasColumn ? `t.${quoteIdent(options.tenantColumn)} IS NULL` : 'true';
    const resolved = eventualTenantSql(model, snapshot, table.key, 't');
    const { rows } = await client.query<{ missing: string; unresolved: string }>(
      `SELECT count(*) FILTER (WHERE ${missing}) AS missing, count(*) FILTER (WHERE ${missing} AND ${resolved} IS NULL) AS unresolved
         FROM ${quoteQualified(table.name.schema, table.name.name)} AS t`,
    );
    counts.set(tableKey(table.name), { missing: Number(rows[0]?.missing ?? 0), unresolved: Number(rows[0]?.unresolved ?? 0) });
  }
  return renderManifest(proposal, { ...renderOptions, counts });
}
