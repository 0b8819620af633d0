/** What `rlsgen verify` found, as data: the CLI prints it as a matrix or JSON. */

import type { ReachKind } from '../introspect/role-reach.js';

/** The id of the probe that made a check (src/verify/registry.ts; docs/verify/<id>.md). */
export type CheckId = string;

/**
 * `accepted`: it failed, and the manifest's acknowledgements accept exactly
 * that finding on that object. `skipped`: the connection lacked a privilege
 * the check needs (the detail names it); the verdict is then not a PASS.
 */
export type CheckStatus = 'pass' | 'fail' | 'n/a' | 'accepted' | 'skipped';

export interface CheckResult {
  readonly check: CheckId;
  readonly status: CheckStatus;
  /** What was observed (counts, error codes), or why the check does not apply. */
  readonly detail: string;
  /** The statement that leaked, with its values, runnable as the application role. */
  readonly sql?: string;
  /** The reason of the acknowledgement that accepts it (status `accepted`). */
  readonly acknowledged?: string;
}

export interface TableVerdict {
  readonly table: string;
  readonly mode: 'tenant' | 'shared' | 'exempt';
  /** The tenant table, scoped to each tenant's own row (its checks come from the tenant-table probes). */
  readonly tenantTable: boolean;
  readonly reason: string | null;
  readonly checks: readonly CheckResult[];
  /** Rows rlsgen created for the proof (rolled back afterwards), per tenant. */
  readonly seeded: number;
}

/** An object the application role can use besides the scoped tables, and what the probes found on it. */
export interface ObjectVerdict {
  /** `table public.users`, `view public.open_deals`, `function public.report(integer)`. */
  readonly object: string;
  readonly kind: ReachKind;
  readonly privileges: readonly string[];
  /** Where the privileges come from: the role itself, PUBLIC, a role it is a member of. */
  readonly via: readonly string[];
  readonly checks: readonly CheckResult[];
}

export interface AcknowledgementUse {
  readonly object: string;
  readonly finding: string;
  readonly reason: string;
  /** False when it matched no failed check of this run. */
  readonly used: boolean;
}

export interface LookupVerdict {
  readonly lookup: string;
  /** What the lookup exposes: `public.users by (email) -> id, company_id, password_hash`. */
  readonly exposes: string;
  readonly checks: readonly CheckResult[];
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly tenants: readonly [string, string];
  readonly appRole: string;
  readonly roleChecks: readonly CheckResult[];
  readonly tables: readonly TableVerdict[];
  /** Every other relation, view, materialized view, sequence and function the application role can use. */
  readonly objects: readonly ObjectVerdict[];
  readonly acknowledgements: readonly AcknowledgementUse[];
  /** Each declared lookup and what its probes found: accepted exposures, printed beside the verdict. */
  readonly lookups: readonly LookupVerdict[];
  readonly serverVersion: string;
  /** Who ran the proof, and how it acted as the application role. */
  readonly connectedAs: { readonly role: string; readonly superuser: boolean; readonly actingBy: 'SET SESSION AUTHORIZATION' | 'SET ROLE' };
}

const RANK: Record<CheckStatus, number> = { fail: 4, skipped: 3, accepted: 2, pass: 1, 'n/a': 0 };

/** The worst status among the checks with these ids: fail, then skipped, then accepted, then pass. */
export function cellStatus(checks: readonly CheckResult[], ids?: readonly CheckId[]): CheckStatus {
  const relevant = ids === undefined ? checks : checks.filter((c) => ids.includes(c.check));
  return relevant.reduce<CheckStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'n/a');
}

/** Where each check of a result was made: a table key, `(roles)`, an object's label, or `lookup <name>`. */
function located(result: VerifyResult): { table: string; check: CheckResult }[] {
  return [
    ...result.roleChecks.map((check) => ({ table: '(roles)', check })),
    ...result.tables.flatMap((t) => t.checks.map((check) => ({ table: t.table, check }))),
    ...result.objects.flatMap((o) => o.checks.map((check) => ({ table: o.object, check }))),
    ...result.lookups.flatMap((l) => l.checks.map((check) => ({ table: `lookup ${l.lookup}`, check }))),
  ];
}

export function failures(result: VerifyResult): { table: string; check: CheckResult }[] {
  return located(result).filter((c) => c.check.status === 'fail');
}

/** Checks the connection could not make, with the privilege each lacked. */
export function skippedChecks(result: VerifyResult): { table: string; check: CheckResult }[] {
  return located(result).filter((c) => c.check.status === 'skipped');
}

/** Exposures the manifest accepts, with their reasons. */
export function acceptedExposures(result: VerifyResult): { table: string; check: CheckResult }[] {
  return located(result).filter((c) => c.check.status === 'accepted');
}
