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

export interface RawView {
  schema?: string;
  commands?: Command[];
  reason?: string;
}

export interface RawFunction {
  revoke_execute?: boolean;
  reason?: string;
}

/** One of the object keys names what is acknowledged. */
export interface RawAcknowledgement {
  table?: string;
  view?: string;
  materialized_view?: string;
  sequence?: string;
  function?: string;
  role?: string;
  finding: string;
  reason: string;
}

export interface RawLookup {
  table: string;
  key: string | string[];
  returns: string[];
}

export interface RawManifest {
  version: 1;
  tenant: { column: string; type: TenantType; references: string; setting?: string };
  user?: { setting?: string; type?: TenantType; references?: string };
  roles: {
    app: { name: string; create?: boolean; idle_in_transaction_session_timeout?: string };
    cross_tenant?: { name: string; create?: boolean; write?: boolean };
    lookup?: { name: string; create?: boolean };
  };
  migration?: { lock_timeout?: string; statement_timeout?: string; batch_size?: number; batch_pause?: string };
  context?: 'plain' | 'signed';
  target?: 'postgres' | 'citus';
  defaults?: { schema?: string; primary_key?: string };
  templates?: string;
  tables: Record<string, RawTable>;
  views?: Record<string, RawView | null>;
  functions?: Record<string, RawFunction | null>;
  acknowledgements?: RawAcknowledgement[];
  database?: { temporary?: { revoke_from_public?: boolean; grant_to?: string[] } };
  lookups?: Record<string, RawLookup>;
}
