import type { Command, OnDelete, TableMode, TenantType } from './model.js';

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
  on_delete?: OnDelete;
  composite?: boolean;
}

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
  migration?: { lock_timeout?: string; statement_timeout?: string; batch_size?: number };
  context?: 'plain' | 'signed';
  target?: 'postgres' | 'citus';
  defaults?: { schema?: string; primary_key?: string };
  templates?: string;
  tables: Record<string, RawTable>;
  lookups?: Record<string, RawLookup>;
}
