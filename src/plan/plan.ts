import type { Command, FkAction, FkMatch, Partitioning, TableMode, TableName, TenantType, UnresolvedPolicy } from '../manifest/model.js';

/**
 * What the migration must do, in order, before any SQL text exists. The
 * renderer turns each step into one migration file (and its rollback).
 *
 * Stages: `prepare` steps are safe while the old application runs (it keeps
 * working, its inserts get a tenant from the fill trigger); `enforce` steps
 * turn isolation on and need the application that sets the tenant variable;
 * `distribute` (target: citus) moves the tables into a Citus cluster.
 */
export type Stage = 'prepare' | 'enforce' | 'distribute';

/** Stages in the order they run; `rlsgen apply --stage X` stops after X. */
export const STAGES: readonly Stage[] = ['prepare', 'enforce', 'distribute'];

/** One hop of a resolved backfill path, with real table names. */
export interface PlannedHop {
  readonly column: string;
  readonly table: TableName;
  readonly match: string;
  /** True when `match` is the target's primary key: at most one row matches. */
  readonly unique: boolean;
}

export interface PlannedPath {
  readonly hops: readonly PlannedHop[];
  /** Tenant column read on the last table of the path. */
  readonly tenantColumn: string;
}

export interface PlannedForeignKey {
  /** The composite constraint rlsgen adds. */
  readonly name: string;
  readonly column: string;
  readonly parent: TableName;
  readonly parentKey: string;
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly match: FkMatch;
  /** Where the manifest declares it (`tables.calls.foreign_keys.user_id`), for error messages. */
  readonly manifestPath: string;
}

/**
 * A single-column key into a shared table, kept, and the trigger that
 * refuses a reference to another tenant's row there (global rows allowed):
 * its error is the one a missing row gives, so it tells nothing either.
 */
export interface PlannedGuard {
  readonly column: string;
  readonly parent: TableName;
  readonly parentKey: string;
  readonly trigger: string;
  readonly function: TableName;
  /** The constraint name its errors carry. */
  readonly constraint: string;
}

/** A partition or inheritance child of a scoped table, with the names of what rlsgen creates on it. */
export interface PartitionPlan {
  readonly name: TableName;
  readonly parent: TableName;
  /** Sub-partitioned: no rows of its own, an ON ONLY index attached to its parent's. */
  readonly partitioned: boolean;
  readonly tenantIndex: string;
  readonly tenantForeignKey: string;
}

/** Everything the templates need to know about one scoped table. */
export interface TablePlan {
  readonly key: string;
  readonly name: TableName;
  readonly mode: Exclude<TableMode, 'exempt'>;
  /**
   * The tenant table itself: `column` is its key, and it only gets the
   * enforce stage (grants, row security, a policy matching its own row).
   */
  readonly root: boolean;
  readonly column: string;
  readonly type: TenantType;
  /** The column is added by rlsgen (false: it exists already). */
  readonly addColumn: boolean;
  readonly primaryKey: string;
  readonly tenantForeignKey: string;
  readonly tenantIndex: string;
  /**
   * The tenant index is unique on `indexColumns`: the table is the parent of
   * a composite (tenant, key) foreign key, which must reference a unique
   * index, or becomes a distributed table, whose primary key the index
   * becomes. Otherwise it is a plain index on the tenant column alone, which
   * serves the tenant-filtered queries as well and, deduplicated, is a
   * fraction of the size (its build writes that much less).
   */
  readonly tenantIndexUnique: boolean;
  readonly notNullCheck: string;
  readonly fillTrigger: string;
  readonly fillFunction: TableName;
  readonly backfill: readonly PlannedPath[];
  readonly unresolved: UnresolvedPolicy;
  readonly legacyOwner: string | null;
  readonly compositeForeignKeys: readonly PlannedForeignKey[];
  /** Keys into shared tables, each kept within the row's tenant by a trigger. */
  readonly referenceGuards: readonly PlannedGuard[];
  readonly commands: readonly Command[];
  readonly partitioning: Partitioning;
  /** Columns of the tenant index when it is unique: (tenant, primary key), plus the partition key of a partitioned table. */
  readonly indexColumns: readonly string[];
  /** Every partition or inheritance child, in tree order (a parent before its partitions). */
  readonly partitions: readonly PartitionPlan[];
}

export interface ExemptTablePlan {
  readonly key: string;
  readonly name: TableName;
  readonly reason: string;
  readonly commands: readonly Command[];
}

/** A view the application reads: security_invoker (PostgreSQL 15+) and granted. */
export interface ViewPlan {
  readonly name: TableName;
  readonly commands: readonly Command[];
  readonly reason: string | null;
}

/** A function whose EXECUTE is revoked from PUBLIC and the application role. */
export interface FunctionPlan {
  readonly schema: string;
  readonly name: string;
  readonly argumentTypes: string;
  readonly reason: string | null;
}

/** TEMPORARY on the database: revoked from PUBLIC and the application role, granted to `grantTo`. */
export interface TemporaryPlan {
  readonly revokeFromPublic: boolean;
  readonly grantTo: readonly string[];
}

/** One pre-tenant lookup, as its function is generated. */
export interface LookupPlan {
  readonly name: string;
  /** `rlsgen_lookup.<name>`. */
  readonly function: TableName;
  readonly table: TableName;
  readonly key: readonly string[];
  readonly returns: readonly string[];
}

/** What the lookup role may read of one table: SELECT on these columns, and a policy of its own when row security is on. */
export interface LookupAccess {
  readonly table: TableName;
  readonly columns: readonly string[];
  readonly policy: boolean;
}

/** How one table's access for the lookup role changes (either side null: none). */
export interface LookupAccessChange {
  readonly table: TableName;
  readonly from: LookupAccess | null;
  readonly to: LookupAccess | null;
}

/** The lookup role, the application role that may call the functions, and what the lookup role may read. */
export interface LookupState {
  readonly role: string;
  readonly createRole: boolean;
  readonly app: string;
  readonly lookups: readonly LookupPlan[];
  readonly access: readonly LookupAccess[];
  /** Schemas of the lookup tables (USAGE for the lookup role). */
  readonly schemas: readonly string[];
}

/** The users table a `legacy_owner` row's owner must belong to. */
export interface UserTablePlan {
  readonly name: TableName;
  readonly key: string;
}

/** Settings every template may read. */
export interface PlanSettings {
  readonly tenantColumn: string;
  readonly tenantType: TenantType;
  readonly tenantTable: TableName;
  readonly tenantKey: string;
  readonly tenantSetting: string;
  readonly userSetting: string;
  readonly userType: TenantType;
  readonly userTable: UserTablePlan | null;
  readonly appRole: { readonly name: string; readonly create: boolean };
  readonly crossTenantRole: { readonly name: string; readonly create: boolean; readonly write: boolean } | null;
  readonly lockTimeout: string;
  readonly statementTimeout: string;
  readonly batchSize: number;
  readonly batchPause: string;
  /** The role that owns the rlsgen schema and its objects (null: the role that applies). */
  readonly owner: string | null;
  readonly context: 'plain' | 'signed';
}

export type Step =
  | { readonly kind: 'bootstrap'; readonly schemas: readonly string[] }
  | { readonly kind: 'add-tenant-column'; readonly table: TablePlan }
  | { readonly kind: 'tenant-index'; readonly table: TablePlan }
  | { readonly kind: 'partition-index'; readonly table: TablePlan; readonly partition: PartitionPlan }
  | { readonly kind: 'attach-tenant-index'; readonly table: TablePlan }
  /** Before a later generation builds a partitioned table's unique tenant index: its partition keys are in the index's columns. */
  | { readonly kind: 'check-partition-key'; readonly table: TablePlan }
  /** The plain tenant index of a table upgraded to the unique one, which serves the same queries. */
  | { readonly kind: 'drop-plain-tenant-index'; readonly table: TablePlan }
  | { readonly kind: 'secure-partitions'; readonly table: TablePlan; readonly partitions: readonly PartitionPlan[] }
  | { readonly kind: 'backfill'; readonly table: TablePlan }
  /** VACUUM (ANALYZE) after a backfill rewrote the table's rows. */
  | { readonly kind: 'vacuum'; readonly table: TablePlan }
  /** After the backfill: the tenant foreign key (`foreignKey`, for a column rlsgen added) and, where rows must have a tenant, the NOT NULL check; both NOT VALID. */
  | { readonly kind: 'require-tenant'; readonly table: TablePlan; readonly foreignKey: boolean }
  | { readonly kind: 'validate-tenant'; readonly table: TablePlan }
  | { readonly kind: 'set-not-null'; readonly table: TablePlan }
  | { readonly kind: 'add-composite-foreign-keys'; readonly table: TablePlan; readonly foreignKeys: readonly PlannedForeignKey[] }
  | { readonly kind: 'validate-composite-foreign-keys'; readonly table: TablePlan; readonly foreignKeys: readonly PlannedForeignKey[] }
  | { readonly kind: 'drop-single-foreign-keys'; readonly table: TablePlan; readonly foreignKeys: readonly PlannedForeignKey[] }
  | { readonly kind: 'drop-composite-foreign-keys'; readonly table: TablePlan; readonly foreignKeys: readonly PlannedForeignKey[] }
  | { readonly kind: 'add-reference-guards'; readonly table: TablePlan; readonly guards: readonly PlannedGuard[] }
  | { readonly kind: 'validate-reference-guards'; readonly table: TablePlan; readonly guards: readonly PlannedGuard[] }
  | { readonly kind: 'drop-reference-guards'; readonly table: TablePlan; readonly guards: readonly PlannedGuard[] }
  | { readonly kind: 'enable-policies'; readonly table: TablePlan }
  | { readonly kind: 'replace-policies'; readonly previous: TablePlan; readonly table: TablePlan; readonly previousSettings: PlanSettings }
  | { readonly kind: 'drop-not-null'; readonly table: TablePlan }
  | { readonly kind: 'remove-policies'; readonly table: TablePlan; readonly previousSettings: PlanSettings; readonly reason: string }
  | { readonly kind: 'exempt-tables'; readonly tables: readonly ExemptTablePlan[]; readonly previous: readonly ExemptTablePlan[] }
  | { readonly kind: 'views'; readonly views: readonly ViewPlan[]; readonly previous: readonly ViewPlan[] }
  | { readonly kind: 'function-privileges'; readonly functions: readonly FunctionPlan[]; readonly previous: readonly FunctionPlan[] }
  | { readonly kind: 'temporary-privileges'; readonly temporary: TemporaryPlan; readonly previous: TemporaryPlan }
  | {
      readonly kind: 'lookups';
      /** What holds after this file (null: no lookups left) and before it (null: none yet). */
      readonly next: LookupState | null;
      readonly previous: LookupState | null;
      readonly create: readonly LookupPlan[];
      readonly drop: readonly LookupPlan[];
      readonly access: readonly LookupAccessChange[];
    }
  | { readonly kind: 'citus-prepare'; readonly tenants: readonly TablePlan[]; readonly references: readonly TableName[] }
  | { readonly kind: 'citus-primary-key'; readonly table: TablePlan }
  | {
      readonly kind: 'citus-distribute';
      /** The tenant table, distributed by its key (null when an earlier migration did it, or when it is a reference table). */
      readonly root: TableName | null;
      readonly tenants: readonly TablePlan[];
      readonly references: readonly TableName[];
      /**
       * The table every distributed tenant table is co-located with: the
       * tenant table when it is distributed, else the manifest's first
       * distributed tenant table (which is created in a group of its own).
       */
      readonly colocateWith: TableName;
    };

export type StepKind = Step['kind'];

export interface PlannedStep {
  readonly stage: Stage;
  /** False for statements PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, a procedure that commits, VACUUM). */
  readonly transactional: boolean;
  /** File name part after the number: `add_tenant_column_calls`. */
  readonly slug: string;
  readonly step: Step;
}

export interface Plan {
  readonly settings: PlanSettings;
  readonly steps: readonly PlannedStep[];
  /** The scoped tables (qualified keys) whose tenant index is unique once this plan is applied: what the next generation starts from. */
  readonly uniqueTenantIndexes: readonly string[];
}

export const STEP_STAGE: Readonly<Record<StepKind, Stage>> = {
  bootstrap: 'prepare',
  'add-tenant-column': 'prepare',
  'tenant-index': 'prepare',
  'partition-index': 'prepare',
  'attach-tenant-index': 'prepare',
  'check-partition-key': 'prepare',
  'drop-plain-tenant-index': 'prepare',
  'secure-partitions': 'enforce',
  backfill: 'prepare',
  vacuum: 'prepare',
  'require-tenant': 'prepare',
  'validate-tenant': 'prepare',
  'set-not-null': 'prepare',
  'add-composite-foreign-keys': 'enforce',
  'validate-composite-foreign-keys': 'enforce',
  'drop-single-foreign-keys': 'enforce',
  'drop-composite-foreign-keys': 'enforce',
  'add-reference-guards': 'enforce',
  'validate-reference-guards': 'enforce',
  'drop-reference-guards': 'enforce',
  'enable-policies': 'enforce',
  'replace-policies': 'enforce',
  'drop-not-null': 'enforce',
  'remove-policies': 'enforce',
  'exempt-tables': 'enforce',
  views: 'enforce',
  'function-privileges': 'enforce',
  'temporary-privileges': 'enforce',
  lookups: 'enforce',
  'citus-prepare': 'distribute',
  'citus-primary-key': 'distribute',
  'citus-distribute': 'distribute',
};

export const NON_TRANSACTIONAL: ReadonlySet<StepKind> = new Set<StepKind>(['tenant-index', 'partition-index', 'drop-plain-tenant-index', 'backfill', 'vacuum']);

/** Steps whose rollback is an index built or dropped CONCURRENTLY, outside a transaction (a backfill's or VACUUM's is not). */
export const NON_TRANSACTIONAL_DOWN: ReadonlySet<StepKind> = new Set<StepKind>(['tenant-index', 'partition-index', 'drop-plain-tenant-index']);
