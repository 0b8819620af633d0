import type pg from 'pg';
import { introspectDatabase } from '../introspect/introspect-database.js';
import { type DbSnapshot, findTableInfo, qualified } from '../introspect/snapshot.js';
import { hasTenantColumn, type Model } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { eventualTenantSql } from './eventual-tenant.js';
import { checkPathConsistency, type ConsistencyReport } from './path-consistency.js';
import { unreadableTables } from './unreadable-tables.js';

export interface TableAudit {
  readonly table: string;
  readonly rows: number;
  /** Whether the table has the tenant column yet. */
  readonly hasColumn: boolean;
  /** Rows without a tenant (all rows when the column does not exist yet). */
  readonly withoutTenant: number;
  /** Of those, rows no backfill path of the manifest resolves; null without a manifest. */
  readonly unresolvable: number | null;
}

export interface CrossReference {
  readonly table: string;
  readonly column: string;
  readonly parent: string;
  /** Rows whose tenant differs from the tenant of the row they reference. */
  readonly rows: number;
}

/** A table the connection could not count in full, and why: its counts are left out, not reported as zero. */
export interface UndeterminedTable {
  readonly table: string;
  readonly reason: string;
}

/** A `legacy_owner` table: its owner branch can be retired once no row is left without a tenant. */
export interface LegacyOwnerAudit {
  /** The manifest key. */
  readonly table: string;
  readonly ownerColumn: string;
  readonly withoutTenant: number;
  /** No row without a tenant remains: `unresolved: fail` and one `rlsgen generate` retire the branch. */
  readonly retirable: boolean;
}

export interface AuditReport {
  readonly tables: readonly TableAudit[];
  readonly crossReferences: readonly CrossReference[];
  /** With a manifest: every candidate derivation path against the data, and what the enforce stage would reject. */
  readonly consistency: ConsistencyReport | null;
  /** Tables (and the foreign keys between them) the audit could not determine on this connection. */
  readonly undetermined: readonly UndeterminedTable[];
  readonly legacyOwners: readonly LegacyOwnerAudit[];
}

/** The `legacy_owner` tables whose owner branch is still in the policies, and whether rows still need it. */
export function legacyOwnerAudit(model: Model | null, tables: readonly TableAudit[]): LegacyOwnerAudit[] {
  if (model === null) return [];
  return model.tables
    .filter((t) => t.legacyOwner !== null && t.mode === 'tenant' && t.unresolved === 'keep')
    .flatMap((t) => {
      const audit = tables.find((a) => a.table === qualified(t.name));
      if (audit === undefined || !audit.hasColumn) return [];
      return [{ table: t.key, ownerColumn: t.legacyOwner ?? '', withoutTenant: audit.withoutTenant, retirable: audit.withoutTenant === 0 }];
    });
}

/**
 * `rlsgen audit`: the data checks a migration needs, as set-based queries
 * (one per table and per foreign key): rows without a tenant and whether the
 * manifest's paths resolve them, and rows pointing at another tenant's rows.
 * A table the connection cannot read in full (no SELECT, or row-level
 * security filtering it, as for a pg_read_all_data auditor) is listed as
 * undetermined instead of counted.
 */
export async function auditDatabase(client: pg.ClientBase, options: { model: Model | null; tenantColumn?: string; snapshot?: DbSnapshot; limit?: number }): Promise<AuditReport> {
  const snapshot = options.snapshot ?? (await introspectDatabase(client));
  const model = options.model;
  const column = model?.tenant.column ?? options.tenantColumn ?? 'company_id';
  const col = quoteIdent(column);
  const hasColumn = (schema: string, name: string): boolean => findTableInfo(snapshot, { schema, name })?.columns.some((c) => c.name === column) === true;
  const subjects = model
    ? model.tables.filter(hasTenantColumn).map((t) => ({ key: t.key as string | null, name: t.name }))
    : snapshot.tables.filter((t) => t.columns.some((c) => c.name === column)).map((t) => ({ key: null, name: { schema: t.schema, name: t.name } }));
  const candidates = [...new Map([...subjects.map((s) => s.name), ...snapshot.tables.filter((t) => t.columns.some((c) => c.name === column))]
    .filter((t) => findTableInfo(snapshot, t) !== undefined)
    .map((t) => [`${t.schema}.${t.name}`, { schema: t.schema, name: t.name }])).values()];
  const unreadable = await unreadableTables(client, candidates);
  const undetermined = [...unreadable].map(([table, reason]) => ({ table, reason })).sort((a, b) => a.table.localeCompare(b.table));
  const readable = (t: { schema: string; name: string }): boolean => !unreadable.has(`${t.schema}.${t.name}`);
  const tables: TableAudit[] = [];
  for (const subject of subjects) {
    if (findTableInfo(snapshot, subject.name) === undefined || !readable(subject.name)) continue;
    const present = hasColumn(subject.name.schema, subject.name.name);
    const missing = present ? `t.${col} IS NULL` : 'true';
    const resolved = subject.key === null || model === null ? null : eventualTenantSql(model, snapshot, subject.key, 't');
    const { rows } = await client.query<{ total: string; missing: string; unresolvable: string | null }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE ${missing}) AS missing,
              ${resolved === null ? 'NULL' : `count(*) FILTER (WHERE ${missing} AND ${resolved} IS NULL)`} AS unresolvable
         FROM ${quoteQualified(subject.name.schema, subject.name.name)} AS t`,
    );
    const row = rows[0];
    tables.push({
      table: qualified(subject.name),
      rows: Number(row?.total ?? 0),
      hasColumn: present,
      withoutTenant: Number(row?.missing ?? 0),
      unresolvable: row?.unresolvable === null || row?.unresolvable === undefined ? null : Number(row.unresolvable),
    });
  }

  const crossReferences: CrossReference[] = [];
  for (const table of snapshot.tables) {
    if (!table.columns.some((c) => c.name === column)) continue;
    for (const fk of table.foreignKeys) {
      if (fk.columns.includes(column) || fk.columns.length !== 1 || !hasColumn(fk.references.schema, fk.references.name)) continue;
      if (!readable(table) || !readable(fk.references)) continue;
      const child = fk.columns[0] ?? '';
      const parentColumn = fk.referencedColumns[0] ?? '';
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoteQualified(table.schema, table.name)} AS c
           JOIN ${quoteQualified(fk.references.schema, fk.references.name)} AS p ON p.${quoteIdent(parentColumn)} = c.${quoteIdent(child)}
          WHERE c.${col} IS DISTINCT FROM p.${col} AND c.${col} IS NOT NULL AND p.${col} IS NOT NULL`,
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) crossReferences.push({ table: qualified(table), column: child, parent: qualified(fk.references), rows: n });
    }
  }
  const consistency = model === null ? null : await checkPathConsistency(client, model, snapshot, options.limit === undefined ? {} : { limit: options.limit });
  return { tables, crossReferences, consistency, undetermined, legacyOwners: legacyOwnerAudit(model, tables) };
}
