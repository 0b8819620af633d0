import type { ReachKind } from '../introspect/role-reach.js';
import type { LookupFunction } from '../manifest/lookup-functions.js';
import type { TableModel } from '../manifest/model.js';
import type { ObjectUnderProof } from './object-under-proof.js';
import type { ProbeSession } from './probe-session.js';
import type { CheckResult } from './result.js';
import type { TableUnderProof } from './table-under-proof.js';

/**
 * A verify probe: one file under src/verify/probes/ with an id (the check
 * it reports), what a pass proves, and a page docs/verify/<id>.md; it is
 * registered in src/verify/registry.ts and tested on a real server with the
 * hazard it catches and the safe form it passes.
 */
interface ProbeBase {
  readonly id: string;
  /** One line: what a pass proves. */
  readonly proves: string;
  /**
   * The lint rule that reports the same hazard from the catalog: an
   * acknowledgement naming either id accepts the finding in both.
   */
  readonly lintRule?: string;
}

/** Runs on every scoped table of the manifest, as the application role. */
export interface TableProbe extends ProbeBase {
  readonly scope: 'table';
  /** The column of the verify matrix the probe's result goes in. */
  readonly column: string;
  /** Runs on the connection before any probe has set the tenant variable on it. */
  readonly firstOnConnection?: boolean;
  /** One result, or more when the probe found several problems of its kind. */
  run(table: TableUnderProof): Promise<CheckResult[]>;
}

/** Runs once, on the application role itself. */
export interface RoleProbe extends ProbeBase {
  readonly scope: 'role';
  run(session: ProbeSession): Promise<CheckResult[]>;
}

/** Runs on the tenant table when the manifest scopes it to each tenant's own row. */
export interface TenantTableProbe extends ProbeBase {
  readonly scope: 'tenant-table';
  run(session: ProbeSession, table: TableModel, tenants: readonly [string, string]): Promise<CheckResult[]>;
}

/** Runs on each declared lookup function. */
export interface LookupProbe extends ProbeBase {
  readonly scope: 'lookup';
  run(session: ProbeSession, lookup: LookupFunction): Promise<CheckResult[]>;
}

/**
 * Runs on every object of its kinds that the application role can use
 * (through its own grants, PUBLIC, or a role it is a member of), other than
 * the scoped tables.
 */
export interface ObjectProbe extends ProbeBase {
  readonly scope: 'object';
  readonly kinds: readonly ReachKind[];
  /** The result for this object, or null when the probe has nothing to say about it. */
  run(object: ObjectUnderProof): Promise<CheckResult | null>;
}

export type Probe = TableProbe | RoleProbe | TenantTableProbe | LookupProbe | ObjectProbe;
