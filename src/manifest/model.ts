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
  /**
   * A key into a shared table's primary key: it stays single-column (a
   * composite key would refuse the global rows, whose tenant is NULL), and a
   * trigger refuses a reference to another tenant's row exactly as the key
   * refuses a missing one. Absent in state files written before it existed.
   */
  readonly guarded?: boolean;
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
  /**
   * The tenant table itself (`companies`). In `tenant` mode each tenant sees
   * only its own row, matched on the tenant key; it never gets a tenant column.
   */
  readonly tenantTable: boolean;
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

export interface AppRoleSpec extends RoleSpec {
  /**
   * `idle_in_transaction_session_timeout` the application's transactions run
   * with (a PostgreSQL duration, `30s`); null: the server's setting.
   */
  readonly idleInTransactionSessionTimeout: string | null;
}

export interface CrossTenantRoleSpec extends RoleSpec {
  /** May the cross-tenant role write across tenants, or only read. */
  readonly write: boolean;
}

export interface MigrationSettings {
  readonly lockTimeout: string;
  readonly statementTimeout: string;
  readonly batchSize: number;
  /** Pause between two backfill batches, a duration (`50ms`); `0` for none. */
  readonly batchPause: string;
  /** The role that owns the rlsgen schema and its objects; absent: the role that applies. */
  readonly owner?: string;
}

/**
 * A pre-tenant lookup (`lookups:`): a row found by an exact key before any
 * tenant is known (sign-in by email, a webhook's phone number id), through a
 * generated SECURITY DEFINER function `rlsgen_lookup.<name>(key...)` that
 * returns only `returns`, owned by the lookup role and executable by the
 * application role only.
 */
export interface LookupModel {
  readonly name: string;
  /** Manifest key of the table it reads. */
  readonly table: string;
  readonly tableName: TableName;
  /** Columns compared for equality with the arguments, in argument order. */
  readonly key: readonly string[];
  /** Columns of the row it returns, in order. */
  readonly returns: readonly string[];
}

/** The schema the lookup functions live in (and nothing else). */
export const LOOKUP_SCHEMA = 'rlsgen_lookup';

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
    /** Manifest key of the users table (`user.references`); null when not declared. */
    readonly table: string | null;
    /** The users table's key the owner columns hold. */
    readonly key: string;
  };
  readonly roles: {
    readonly app: AppRoleSpec;
    readonly crossTenant: CrossTenantRoleSpec | null;
    /** Owns the lookup functions and nothing else (used only when there are lookups). */
    readonly lookup: RoleSpec;
  };
  readonly migration: MigrationSettings;
  readonly context: ContextMode;
  readonly target: Target;
  /** Folder (relative to the manifest) whose templates override the built-in ones. */
  readonly templates: string | null;
  readonly tables: readonly TableModel[];
  /** Views the application reads (`views:`). */
  readonly views: readonly ViewModel[];
  /** Functions whose EXECUTE the manifest revokes (`functions:`). */
  readonly functions: readonly FunctionModel[];
  /** Exposures accepted on review (`acknowledgements:`). */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly database: DatabaseSettings;
  readonly lookups: readonly LookupModel[];
}

/** Row-level security applies to the table (tenant or shared mode, the tenant table included). */
export function isScoped(table: TableModel): boolean {
  return table.mode !== 'exempt';
}

/** Scoped through the tenant column (every scoped table except the tenant table itself). */
export function isTenantScoped(table: TableModel): boolean {
  return table.mode !== 'exempt' && !table.tenantTable;
}

/** The tenant table in `tenant` mode: each tenant sees its own row. */
export function isTenantRoot(table: TableModel): boolean {
  return table.mode !== 'exempt' && table.tenantTable;
}

/** True when the table has (or will have) the tenant column. */
export function hasTenantColumn(table: TableModel): boolean {
  return !table.tenantTable && (table.mode !== 'exempt' || table.existingColumn !== null);
}

export function findTable(model: Model, key: string): TableModel | undefined {
  return model.tables.find((t) => t.key === key);
}

export function tableByKey(model: Model, key: string): TableModel {
  const table = findTable(model, key);
  if (table === undefined) throw new Error(`internal: table ${key} is not in the model`);
  return table;
}

/** `schema.name` of a table, as a map key (not quoted: never SQL). */
export const qualifiedKey = (name: TableName): string => `${name.schema}.${name.name}`;

/**
 * Citus: the table every distributed tenant table is co-located with, and
 * the column it is distributed by: the tenant table by its key, unless the
 * manifest makes it a reference table; then the manifest's first distributed
 * tenant table, by the tenant column. Null when there is none.
 */
export function citusColocationAnchor(model: Model): { readonly table: TableName; readonly column: string } | null {
  const root = model.tables.find((t) => t.tenantTable);
  if (root?.distribution !== 'reference') return { table: model.tenant.tableName, column: model.tenant.key };
  const first = model.tables.find((t) => t.mode === 'tenant' && !t.tenantTable && t.distribution === 'distributed');
  return first === undefined ? null : { table: first.name, column: model.tenant.column };
}

/** A view the application reads: made security_invoker (PostgreSQL 15+) and granted. */
export interface ViewModel {
  /** The key it has in `views:`. */
  readonly key: string;
  readonly name: TableName;
  /** Commands granted to the application role (default: select). */
  readonly commands: readonly Command[];
  readonly reason: string | null;
}

/** A function the manifest names in `functions:`. */
export interface FunctionModel {
  /** The key it has in `functions:` (`report(integer)`). */
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  /** Argument types as PostgreSQL prints them (`integer, character varying`). */
  readonly argumentTypes: string;
  /** REVOKE EXECUTE from PUBLIC and the application role. */
  readonly revokeExecute: boolean;
  readonly reason: string | null;
}

/** An exposure accepted on review: silences exactly this finding (a lint rule or verify probe id) on this object. */
export interface Acknowledgement {
  /** The object as lint and verify name it: `table public.users`, `function public.report(integer)`. */
  readonly object: string;
  /** A lint rule id (`ban-exempt-tenant-data`) or a verify probe id (`reference`). */
  readonly finding: string;
  readonly reason: string;
}

/** Database-wide privileges. */
export interface DatabaseSettings {
  readonly temporary: {
    /** REVOKE TEMPORARY ON DATABASE ... FROM PUBLIC (and from the application role). */
    readonly revokeFromPublic: boolean;
    /** Roles that keep creating temporary tables (granted TEMPORARY explicitly). */
    readonly grantTo: readonly string[];
  };
}

/**
 * The fields a model generated by an earlier rlsgen may lack
 * (generated-sql/rlsgen.state.json), with what their absence meant.
 */
export const LATER_MODEL_FIELDS: Pick<Model, 'views' | 'functions' | 'acknowledgements' | 'database'> = {
  views: [],
  functions: [],
  acknowledgements: [],
  database: { temporary: { revokeFromPublic: false, grantTo: [] } },
};
