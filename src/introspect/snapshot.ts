import { memberClosure } from '../apply/check-rlsgen-schema.js';
import type { RlsgenCatalog } from '../apply/rlsgen-catalog.js';

/**
 * What rlsgen knows about a live database, read once from the catalogs and
 * then only passed around: lint, diff, init, audit and verify are pure
 * functions of a snapshot (plus the manifest).
 */

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  /** Base type name when the column's type is a domain or array element, for value generation. */
  readonly typeCategory: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: boolean;
  readonly generated: boolean;
  /** Labels when the type is an enum. */
  readonly enumLabels: readonly string[] | null;
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: QualifiedName;
  readonly referencedColumns: readonly string[];
  readonly onDelete: string;
  readonly onUpdate: string;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
  readonly match: 'simple' | 'full' | 'partial';
  /** A copy a partition holds of its parent's key (it goes with the parent's). */
  readonly inherited: boolean;
  readonly validated: boolean;
  readonly definition: string;
}

export interface ConstraintInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly validated: boolean;
  readonly definition: string;
}

export interface IndexInfo {
  readonly name: string;
  /** Key columns in order; null where the key is an expression. */
  readonly columns: readonly (string | null)[];
  readonly unique: boolean;
  readonly primary: boolean;
  readonly valid: boolean;
  readonly partial: boolean;
  readonly definition: string;
}

export interface PolicyInfo {
  readonly name: string;
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly permissive: boolean;
  /** Role names; `public` for PUBLIC. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly check: string | null;
}

export interface TriggerInfo {
  readonly name: string;
  readonly function: QualifiedName;
  readonly definition: string;
}

export interface GrantInfo {
  /** Role name, or `PUBLIC`. */
  readonly grantee: string;
  readonly privileges: readonly string[];
}

export interface TableInfo extends QualifiedName {
  readonly oid: number;
  readonly kind: 'table' | 'partitioned';
  readonly owner: string;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  readonly estimatedRows: number;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[] | null;
  readonly uniques: readonly ConstraintInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
  readonly checks: readonly ConstraintInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly policies: readonly PolicyInfo[];
  readonly triggers: readonly TriggerInfo[];
  /** Table privileges (the owner's implicit ones are not listed). */
  readonly grants: readonly GrantInfo[];
  /** Privileges granted on some of its columns (GRANT SELECT (email) ...), by grantee. */
  readonly columnGrants: readonly GrantInfo[];
  /** Parent table when this one is a partition or an inheritance child. */
  readonly parent: QualifiedName | null;
  readonly isPartition: boolean;
  /** Columns of PARTITION BY for a partitioned table (null where an expression), else empty. */
  readonly partitionKey: readonly (string | null)[];
}

export interface ViewInfo extends QualifiedName {
  readonly oid: number;
  readonly materialized: boolean;
  readonly owner: string;
  readonly securityInvoker: boolean;
  readonly securityBarrier: boolean;
  /** Tables the view reads (direct dependencies). */
  readonly reads: readonly QualifiedName[];
  /** Its columns, in order. */
  readonly columns: readonly string[];
  /** Privileges on the view (the owner's implicit ones are not listed). */
  readonly grants: readonly GrantInfo[];
}

export interface SequenceInfo extends QualifiedName {
  readonly owner: string;
  /** Privileges on the sequence (the owner's implicit ones are not listed). */
  readonly grants: readonly GrantInfo[];
  /** The column that owns it (serial, identity, OWNED BY), or null. */
  readonly ownedBy: { readonly table: QualifiedName; readonly column: string } | null;
}

/** A schema and its privileges (defaults made explicit: USAGE needs a grant unless PUBLIC has it). */
export interface SchemaInfo {
  readonly name: string;
  readonly owner: string;
  readonly grants: readonly GrantInfo[];
}

/** The database itself: who may connect and create temporary tables (defaults made explicit). */
export interface DatabaseInfo {
  readonly name: string;
  readonly owner: string;
  readonly grants: readonly GrantInfo[];
}

export interface FunctionInfo extends QualifiedName {
  readonly oid: number;
  /** `name(argument types)`, as regprocedure and `\df` print it: `report(integer, text)`. */
  readonly signature: string;
  /** The input argument types alone: `integer, text`. */
  readonly argumentTypes: string;
  readonly language: string;
  readonly securityDefiner: boolean;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly leakproof: boolean;
  /** `search_path` fixed with SET on the function, or null. */
  readonly searchPath: string | null;
  readonly owner: string;
  readonly source: string;
  readonly fromExtension: boolean;
  /** EXECUTE and the other privileges, with PostgreSQL's default (EXECUTE to PUBLIC) made explicit. */
  readonly grants: readonly GrantInfo[];
  /** STRICT: NULL for any NULL argument, without running the body. */
  readonly strict: boolean;
  /** Argument names in order ('' where unnamed). */
  readonly argumentNames: readonly string[];
  /** A SQL-standard body (`RETURN ...` or `BEGIN ATOMIC ... END`, PostgreSQL 14+), whose `source` is empty; else null. */
  readonly sqlBody: string | null;
}

export interface RoleInfo {
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  readonly canLogin: boolean;
  readonly inherit: boolean;
  /** Roles this role is directly a member of. */
  readonly memberOf: readonly string[];
}

export interface DefaultPrivilegeInfo {
  readonly owner: string;
  readonly schema: string | null;
  readonly objectType: 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';
  readonly grants: readonly GrantInfo[];
}

/** A table Citus manages: hash-distributed, reference (replicated), or Citus-local. */
export interface CitusTableInfo {
  readonly table: QualifiedName;
  readonly method: 'distributed' | 'reference' | 'local';
  readonly column: string | null;
  readonly colocationId: number;
}

/**
 * What one placement of a shard enforces, read on its worker: its row
 * security flags and its policies (expressions deparsed there), or the error
 * that kept it from being read.
 */
export interface CitusPlacement {
  readonly table: QualifiedName;
  readonly shard: string;
  /** `host:port` of the node holding the placement. */
  readonly node: string;
  /** Null when the placement was read; else why it could not be. */
  readonly error: string | null;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  readonly policies: readonly PolicyInfo[];
}

/** The value of `citus.propagate_set_commands` a login role starts its sessions with in this database. */
export interface CitusLoginSetting {
  readonly role: string;
  readonly propagateSetCommands: string;
}

/** What the Citus catalogs say, when the extension is installed. */
export interface CitusInfo {
  readonly tables: readonly CitusTableInfo[];
  /** Every placement of every distributed and reference table. */
  readonly placements: readonly CitusPlacement[];
  /** Active worker nodes (`host:port`), the coordinator excluded. */
  readonly workers: readonly string[];
  /** The effective `citus.propagate_set_commands` of every login role. */
  readonly loginSettings: readonly CitusLoginSetting[];
}

export interface RoleSettingInfo {
  readonly role: string;
  /** `name=value` entries set for the role in this database or in all databases. */
  readonly settings: readonly string[];
}

export interface DbSnapshot {
  /** rlsgen's own schema and its objects; absent from snapshots that did not read it. */
  readonly rlsgen?: RlsgenCatalog;
  readonly serverVersionNum: number;
  readonly database: string;
  readonly currentUser: string;
  readonly tables: readonly TableInfo[];
  readonly views: readonly ViewInfo[];
  readonly sequences: readonly SequenceInfo[];
  readonly functions: readonly FunctionInfo[];
  readonly schemas: readonly SchemaInfo[];
  readonly databaseInfo: DatabaseInfo;
  readonly roles: readonly RoleInfo[];
  readonly defaultPrivileges: readonly DefaultPrivilegeInfo[];
  readonly roleSettings: readonly RoleSettingInfo[];
  /** Null when the citus extension is not installed. */
  readonly citus: CitusInfo | null;
}

export const qualified = (n: QualifiedName): string => `${n.schema}.${n.name}`;

export function findTableInfo(snapshot: DbSnapshot, name: QualifiedName): TableInfo | undefined {
  return snapshot.tables.find((t) => t.schema === name.schema && t.name === name.name);
}

/** Every role `role` belongs to, directly or through other roles (itself included). */
export function roleClosure(snapshot: DbSnapshot, role: string): Set<string> {
  return memberClosure(snapshot.roles, role);
}
