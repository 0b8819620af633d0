import { type DbSnapshot, findTableInfo, type QualifiedName, qualified, type TableInfo } from '../introspect/snapshot.js';
import { TenantData } from '../introspect/tenant-data.js';
import type { TenantType } from '../manifest/model.js';

/** One hop of a foreign-key path: `column -> table(match)`. */
export interface ProposedHop {
  readonly column: string;
  readonly table: QualifiedName;
  readonly match: string;
  readonly matchIsKey: boolean;
}

export interface ProposedTable {
  readonly name: QualifiedName;
  readonly mode: 'tenant' | 'exempt';
  /** Type of the tenant column the table already has, or null. */
  readonly existingColumn: TenantType | null;
  readonly primaryKey: string | null;
  /** The chosen backfill path (shortest, then by name), if any. */
  readonly path: readonly ProposedHop[] | null;
  /** Other paths of the same length, for the DBA to choose from. */
  readonly alternatives: readonly (readonly ProposedHop[])[];
  readonly foreignKeys: readonly { readonly column: string; readonly table: QualifiedName; readonly references: string; readonly referencesKey: boolean }[];
  /** Why the table got its mode, one line. */
  readonly reason: string;
}

/** A view or materialized view that reads tenant tables (directly or through other views). */
export interface ProposedView {
  readonly name: QualifiedName;
  readonly materialized: boolean;
  readonly reads: readonly QualifiedName[];
}

export interface Proposal {
  readonly tenantTable: QualifiedName;
  readonly tenantKey: string;
  readonly tenantColumn: string;
  readonly tenantType: TenantType;
  readonly tables: readonly ProposedTable[];
  readonly views: readonly ProposedView[];
}

export class InitError extends Error {
  override readonly name = 'InitError';
}

const TYPES: Record<string, TenantType> = { uuid: 'uuid', bigint: 'bigint', integer: 'integer', text: 'text' };

const same = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

function singleKey(table: TableInfo): string | null {
  return table.primaryKey !== null && table.primaryKey.length === 1 ? (table.primaryKey[0] ?? null) : null;
}


/**
 * Reads a schema and proposes a manifest: tables that have the tenant column
 * are tenant tables; tables that reach one through foreign keys get the
 * shortest path as their backfill (ties broken by column and table name, the
 * others listed); tables with no path are exempt, marked for review. Pure.
 */
export function proposeManifest(snapshot: DbSnapshot, options: { tenantTable: string; tenantColumn: string }): Proposal {
  const [schemaPart, namePart] = options.tenantTable.includes('.') ? options.tenantTable.split('.', 2) : ['public', options.tenantTable];
  const tenantName = { schema: schemaPart ?? 'public', name: namePart ?? options.tenantTable };
  const tenant = findTableInfo(snapshot, tenantName);
  if (tenant === undefined) throw new InitError(`tenant table ${qualified(tenantName)} does not exist`);
  const tenantKey = singleKey(tenant);
  if (tenantKey === null) throw new InitError(`tenant table ${qualified(tenantName)} needs a single-column primary key`);
  const keyColumn = tenant.columns.find((c) => c.name === tenantKey);
  const tenantType = TYPES[keyColumn?.type ?? ''];
  if (tenantType === undefined) {
    throw new InitError(`the key ${tenantKey} of ${qualified(tenantName)} is ${keyColumn?.type ?? 'unknown'}; rlsgen supports uuid, bigint, integer and text tenant ids`);
  }
  const column = options.tenantColumn;
  const hasColumn = (t: TableInfo): boolean => t.columns.some((c) => c.name === column);
  const tables = snapshot.tables.filter((t) => !t.isPartition);

  const edges = (from: TableInfo): ProposedHop[] =>
    from.foreignKeys
      .filter((fk) => fk.columns.length === 1 && fk.columns[0] !== column)
      .map((fk) => {
        const target = findTableInfo(snapshot, fk.references);
        const match = fk.referencedColumns[0] ?? '';
        return { column: fk.columns[0] ?? '', table: fk.references, match, matchIsKey: target !== undefined && singleKey(target) === match };
      })
      .sort((a, b) => a.column.localeCompare(b.column) || qualified(a.table).localeCompare(qualified(b.table)));

  // Distance of every table to the nearest table that has the tenant column,
  // along foreign keys (0: has it). A table is filled from a neighbour one
  // step closer, so every backfill reads a table filled before it and the
  // paths can never form a cycle.
  const distance = new Map<string, number>();
  for (const t of tables) if (hasColumn(t) && !same(t, tenantName)) distance.set(qualified(t), 0);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of tables) {
      if (same(t, tenantName)) continue;
      for (const hop of edges(t)) {
        const d = distance.get(qualified(hop.table));
        const mine = distance.get(qualified(t));
        if (d !== undefined && !same(hop.table, t) && (mine === undefined || d + 1 < mine)) {
          distance.set(qualified(t), d + 1);
          changed = true;
        }
      }
    }
  }
  /** Hops to neighbours one step closer to the tenant column (for a table that has it: to other tables that have it). */
  const paths = (start: TableInfo): ProposedHop[][] => {
    const mine = distance.get(qualified(start));
    if (mine === undefined) return [];
    const want = Math.max(0, mine - 1);
    return edges(start)
      .filter((hop) => !same(hop.table, start) && !same(hop.table, tenantName) && distance.get(qualified(hop.table)) === want)
      .map((hop) => [hop]);
  };

  const proposed: ProposedTable[] = tables.map((table) => {
    const foreignKeys = edges(table).map((hop) => ({ column: hop.column, table: hop.table, references: hop.match, referencesKey: hop.matchIsKey }));
    const primaryKey = singleKey(table);
    if (same(table, tenantName)) {
      return { name: table, mode: 'exempt', existingColumn: null, primaryKey, path: null, alternatives: [], foreignKeys, reason: 'the tenant table' };
    }
    const existing = table.columns.find((c) => c.name === column);
    const found = paths(table);
    const [path, ...alternatives] = found;
    if (existing !== undefined) {
      const type = TYPES[existing.type];
      if (type !== tenantType) throw new InitError(`${qualified(table)}.${column} is ${existing.type}, but the tenant key is ${tenantType}`);
      return { name: table, mode: 'tenant', existingColumn: type, primaryKey, path: path ?? null, alternatives, foreignKeys, reason: `has ${column} (${existing.type})` };
    }
    if (path !== undefined && primaryKey !== null) {
      return { name: table, mode: 'tenant', existingColumn: null, primaryKey, path, alternatives, foreignKeys, reason: `no ${column}; reaches one through foreign keys` };
    }
    return {
      name: table,
      mode: 'exempt',
      existingColumn: null,
      primaryKey,
      path: null,
      alternatives: [],
      foreignKeys,
      reason:
        path !== undefined
          ? `reaches ${column} but has no single-column primary key to batch its backfill: review`
          : `no ${column} and no foreign-key path to a table with one: review (exempt, or shared if it holds per-tenant rows)`,
    };
  });
  const data = new TenantData(snapshot, { tenantColumn: column, tenantTable: tenantName, scoped: proposed.filter((t) => t.mode === 'tenant').map((t) => t.name) });
  const views = snapshot.views
    .map((v) => ({ name: { schema: v.schema, name: v.name }, materialized: v.materialized, reads: data.viewReads(v).map((t) => ({ schema: t.schema, name: t.name })) }))
    .filter((v) => v.reads.length > 0);
  return { tenantTable: tenantName, tenantKey, tenantColumn: column, tenantType, tables: proposed, views };
}
