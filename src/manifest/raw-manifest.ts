import type { Command, FkAction, FkMatch, TableMode, TenantType } from './model.js';

/**
 * The manifest as the YAML gives it, once it matches the JSON Schema
 * (schema/policies.schema.json): the sections turn it into the Model.
 */

export type RawPath = string | readonly (string | RawHopObject)[];

export interface RawHopObject {
  column: string;
  table: string;
  match?: string;
}

export interface RawForeignKeyObject {
  references: string;
  on_delete?: FkAction;
  on_update?: FkAction;
  deferrable?: boolean;
  initially_deferred?: boolean;
  match?: FkMatch;
  composite?: boolean;
}

/** A partition as written under `partitions:`: nothing (a leaf) or its own partitions. */
export type RawPartitions = readonly string[] | Record<string, null | { partitions: RawPartitions }>;

export interface RawTable {
  mode?: TableMode;
  schema?: string;
  reason?: string;
  existing_column?: TenantType;
  primary_key?: string;
  backfill?: RawPath | { first_of: readonly RawPath[] };
  unresolved?: 'fail' | 'keep';
  legacy_owner?: string;
  foreign_keys?: Record<string, string | RawForeignKeyObject>;
  composite_foreign_keys?: boolean;
  commands?: Command[];
  distribution?: 'distributed' | 'reference' | 'local';
  partition_key?: string[];
  partitions?: RawPartitions;
  children?: string[];
}

export interface RawManifest {
  version: 1;
  tenant: { column: string; type: TenantType; references: string; setting?: string };
  user?: { setting?: string; type?: TenantType };
  roles: {
    app: { name: string; create?: boolean };
    cross_tenant?: { name: string; create?: boolean; write?: boolean };
  };
  migration?: { lock_timeout?: string; statement_timeout?: string; batch_size?: number };
  context?: 'plain' | 'signed';
  target?: 'postgres' | 'citus';
  defaults?: { schema?: string; primary_key?: string };
  templates?: string;
  tables: Record<string, RawTable>;
}
