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

/** A foreign key as init writes it: where it points and what it does. */
export interface ProposedForeignKey {
  readonly column: string;
  readonly table: QualifiedName;
  readonly references: string;
  readonly referencesKey: boolean;
  readonly onDelete: string;
  readonly onUpdate: string;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly match: string;
}

export interface ProposedPartition {
  readonly name: QualifiedName;
  readonly parent: QualifiedName;
  readonly partitioned: boolean;
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
  readonly foreignKeys: readonly ProposedForeignKey[];
  /** Why the table got its mode, one line. */
  readonly reason: string;
  readonly partitioning: 'none' | 'partitioned' | 'inheritance';
  /** PARTITION BY columns of the table and its sub-partitioned partitions. */
  readonly partitionKey: readonly string[];
  /** Partitions at any depth, or inheritance children, in tree order. */
  readonly partitions: readonly ProposedPartition[];
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

function singleKey(table: TableInfo, partitionKey: readonly (string | null)[] = table.partitionKey): string | null {
  // A partitioned table's key must contain its partition keys: the column left besides them is the row's key.
  const own = (table.primaryKey ?? []).filter((c) => !partitionKey.includes(c));
  return own.length === 1 ? (own[0] ?? null) : null;
}

/** Partitions (at any depth) or inheritance children of `root`, in tree order. */
function descendants(snapshot: DbSnapshot, root: TableInfo): ProposedPartition[] {
  const out: ProposedPartition[] = [];
  const walk = (parent: TableInfo): void => {
    const children = snapshot.tables.filter((t) => t.parent !== null && same(t.parent, parent)).sort((a, b) => qualified(a).localeCompare(qualified(b)));
    for (const child of children) {
      out.push({ name: { schema: child.schema, name: child.name }, parent: { schema: parent.schema, name: parent.name }, partitioned: child.kind === 'partitioned' });
      if (root.kind === 'partitioned') walk(child);
    }
  };
  walk(root);
  return out;
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
  // Partitions and inheritance children are listed under their parent, not as tables.
  const tables = snapshot.tables.filter((t) => t.parent === null);
  const tree = new Map(tables.map((t) => [qualified(t), descendants(snapshot, t)]));

  /** The table's foreign keys, with those declared on its partitions or children only (some dumps have them there). */
  const keysOf = (from: TableInfo): ProposedForeignKey[] => {
    const infos = [from, ...(tree.get(qualified(from)) ?? []).flatMap((p) => findTableInfo(snapshot, p.name) ?? [])];
    const seen = new Set<string>();
    const out: ProposedForeignKey[] = [];
    for (const fk of infos.flatMap((t) => t.foreignKeys.filter((k) => !k.inherited))) {
      if (fk.columns.length !== 1 || fk.columns[0] === column) continue;
      const target = findTableInfo(snapshot, fk.references);
      const match = fk.referencedColumns[0] ?? '';
      const key = JSON.stringify([fk.columns[0], qualified(fk.references), match]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        column: fk.columns[0] ?? '',
        table: fk.references,
        references: match,
        referencesKey: target !== undefined && singleKey(target) === match,
        onDelete: fk.onDelete,
        onUpdate: fk.onUpdate,
        deferrable: fk.deferrable,
        initiallyDeferred: fk.initiallyDeferred,
        match: fk.match,
      });
    }
    return out.sort((a, b) => a.column.localeCompare(b.column) || qualified(a.table).localeCompare(qualified(b.table)));
  };
  const edges = (from: TableInfo): ProposedHop[] =>
    keysOf(from).map((fk) => ({ column: fk.column, table: fk.table, match: fk.references, matchIsKey: fk.referencesKey }));
  const partitioningOf = (table: TableInfo): Pick<ProposedTable, 'partitioning' | 'partitionKey' | 'partitions'> => {
    const partitions = tree.get(qualified(table)) ?? [];
    const keyColumns = [table, ...partitions.flatMap((p) => findTableInfo(snapshot, p.name) ?? [])].flatMap((t) => t.partitionKey);
    const partitionKey = [...new Set(keyColumns.filter((c): c is string => c !== null && c !== column))];
    const partitioning = table.kind === 'partitioned' ? 'partitioned' : partitions.length > 0 ? 'inheritance' : 'none';
    return { partitioning, partitionKey: partitioning === 'partitioned' ? partitionKey : [], partitions };
  };

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
    const foreignKeys = keysOf(table);
    const parts = partitioningOf(table);
    const primaryKey = singleKey(table, [...parts.partitionKey, ...table.partitionKey]);
    if (same(table, tenantName)) {
      // Scoped to its own row: a tenant reading every tenant's row is a leak too.
      return { name: table, mode: 'tenant', existingColumn: null, primaryKey, path: null, alternatives: [], foreignKeys: [], reason: 'the tenant table', ...parts };
    }
    const existing = table.columns.find((c) => c.name === column);
    const found = paths(table);
    const [path, ...alternatives] = found;
    if (existing !== undefined) {
      const type = TYPES[existing.type];
      if (type !== tenantType) throw new InitError(`${qualified(table)}.${column} is ${existing.type}, but the tenant key is ${tenantType}`);
      return { name: table, mode: 'tenant', existingColumn: type, primaryKey, path: path ?? null, alternatives, foreignKeys, reason: `has ${column} (${existing.type})`, ...parts };
    }
    if (path !== undefined && primaryKey !== null) {
      return { name: table, mode: 'tenant', existingColumn: null, primaryKey, path, alternatives, foreignKeys, reason: `no ${column}; reaches one through foreign keys`, ...parts };
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
      ...parts,
    };
  });
  const data = new TenantData(snapshot, { tenantColumn: column, tenantTable: tenantName, scoped: proposed.filter((t) => t.mode === 'tenant').map((t) => t.name) });
  const views = snapshot.views
    .map((v) => ({ name: { schema: v.schema, name: v.name }, materialized: v.materialized, reads: data.viewReads(v).map((t) => ({ schema: t.schema, name: t.name })) }))
    .filter((v) => v.reads.length > 0);
  return { tenantTable: tenantName, tenantKey, tenantColumn: column, tenantType, tables: proposed, views };
}
