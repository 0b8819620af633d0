import type { CheckResult } from './result.js';
import type { ProbeSession } from './probe-session.js';
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

export type Probe = TableProbe | RoleProbe;
