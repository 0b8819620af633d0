/**
 * The validated manifest: what every later stage (plan, render, apply,
 * verify, lint, runtime) reads. Produced only by `loadManifest`; plain,
 * readonly data that serialises to JSON (the generator's state file keeps the
 * model it generated last).
 */

export type TenantType = 'uuid' | 'bigint' | 'integer' | 'text';
export const TENANT_TYPES: readonly TenantType[] = ['uuid', 'bigint', 'integer', 'text'];

export type TableMode = 'tenant' | 'shared' | 'exempt';
export type Command = 'select' | 'insert' | 'update' | 'delete';
export const COMMANDS: readonly Command[] = ['select', 'insert', 'update', 'delete'];

/** What happens to rows that no backfill path resolves. */
export type UnresolvedPolicy = 'fail' | 'keep';
/** A referential action, as `ON DELETE` / `ON UPDATE` take it. */
export type FkAction = 'no_action' | 'restrict' | 'cascade' | 'set_null' | 'set_default';
export const FK_ACTIONS: readonly FkAction[] = ['no_action', 'restrict', 'cascade', 'set_null', 'set_default'];
export type FkMatch = 'simple' | 'full';
export type Target = 'postgres' | 'citus';
export type ContextMode = 'plain' | 'signed';

export interface TableName {
  readonly schema: string;
  readonly name: string;
}

/** One step of a backfill path: `column -> table(match)`. */
export interface Hop {
  /** Column on the table the hop starts from. */
  readonly column: string;
  /** Manifest key of the table the hop arrives at. */
  readonly table: string;
  /** Column of the arrived-at table compared with `column` (its primary key by default). */
  readonly match: string;
  /** True when the hop follows a declared foreign key; false for a plain column match. */
  readonly viaForeignKey: boolean;
}

/** Hops from the table to a table that carries the tenant column. */
export type BackfillPath = readonly Hop[];

export interface ForeignKey {
  readonly column: string;
  /** Manifest key of the referenced table. */
  readonly table: string;
  /** Referenced column (the referenced table's primary key by default). */
  readonly references: string;
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  /** MATCH of the single-column key; the composite key is always MATCH SIMPLE (see the README). */
  readonly match: FkMatch;
  /** Whether rlsgen replaces it with a composite (tenant, column) foreign key. */
  readonly composite: boolean;
}

/**
 * A partition (declarative partitioning) or an inheritance child of a
 * scoped table. Tree order: every table comes after its parent.
 */
export interface PartitionModel {
  readonly name: TableName;
  /** The table it is a partition or child of (the scoped table itself, or a sub-partitioned partition). */
  readonly parent: TableName;
  /** Itself partitioned (a sub-partitioned partition): it holds no rows, its partitions do. */
  readonly partitioned: boolean;
}

/** `none`, `partitioned` (PARTITION BY, `partitions:`), or `inheritance` (INHERITS, `children:`). */
export type Partitioning = 'none' | 'partitioned' | 'inheritance';

export interface TableModel {
  /** The key the table has in `tables:`; how the manifest refers to it. */
  readonly key: string;
  readonly name: TableName;
  readonly mode: TableMode;
  /** Why an `exempt` table is not tenant-scoped; null for other modes. */
  readonly reason: string | null;
  /** Type of a tenant column the table already has; null when rlsgen adds it. */
  readonly existingColumn: TenantType | null;
  readonly primaryKey: string;
  /** Paths tried in order; the first that resolves fills the row. Empty: no backfill. */
  readonly backfill: readonly BackfillPath[];
  readonly unresolved: UnresolvedPolicy;
  /** Owner column for the backward-compatible rule of rows whose tenant is still NULL. */
  readonly legacyOwner: string | null;
  readonly foreignKeys: readonly ForeignKey[];
  /** Commands the application role is granted. */
  readonly commands: readonly Command[];
  /** Citus: distribute by the tenant column or replicate as a reference table. */
  readonly distribution: 'distributed' | 'reference' | 'local';
  readonly partitioning: Partitioning;
  /** Partition key columns of the table and its sub-partitioned partitions: every unique key of a partitioned table must include them. */
  readonly partitionKey: readonly string[];
  /** Every partition (at any depth) or inheritance child, in tree order. */
  readonly partitions: readonly PartitionModel[];
}

export interface RoleSpec {
  readonly name: string;
  /** Create the role (NOLOGIN, NOBYPASSRLS) when it does not exist. */
  readonly create: boolean;
}

export interface CrossTenantRoleSpec extends RoleSpec {
  /** May the cross-tenant role write across tenants, or only read. */
  readonly write: boolean;
}

export interface MigrationSettings {
  readonly lockTimeout: string;
  readonly statementTimeout: string;
  readonly batchSize: number;
}

export interface Model {
  readonly version: 1;
  readonly tenant: {
    readonly column: string;
    readonly type: TenantType;
    /** Manifest key of the tenant table (`companies`). */
    readonly table: string;
    readonly tableName: TableName;
    readonly key: string;
    readonly setting: string;
  };
  readonly user: {
    readonly setting: string;
    readonly type: TenantType;
  };
  readonly roles: {
    readonly app: RoleSpec;
    readonly crossTenant: CrossTenantRoleSpec | null;
  };
  readonly migration: MigrationSettings;
  readonly context: ContextMode;
  readonly target: Target;
  /** Folder (relative to the manifest) whose templates override the built-in ones. */
  readonly templates: string | null;
  readonly tables: readonly TableModel[];
}

export function isScoped(table: TableModel): boolean {
  return table.mode !== 'exempt';
}

/** True when the table has (or will have) the tenant column. */
export function hasTenantColumn(table: TableModel): boolean {
  return table.mode !== 'exempt' || table.existingColumn !== null;
}

export function findTable(model: Model, key: string): TableModel | undefined {
  return model.tables.find((t) => t.key === key);
}

export function tableByKey(model: Model, key: string): TableModel {
  const table = findTable(model, key);
  if (table === undefined) throw new Error(`internal: table ${key} is not in the model`);
  return table;
}
