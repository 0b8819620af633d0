/** What `rlsgen verify` found, as data: the CLI prints it as a matrix or JSON. */

/** The id of the probe that made a check (src/verify/registry.ts; docs/verify/<id>.md). */
export type CheckId = string;

export type CheckStatus = 'pass' | 'fail' | 'n/a';

export interface CheckResult {
  readonly check: CheckId;
  readonly status: CheckStatus;
  /** What was observed (counts, error codes), or why the check does not apply. */
  readonly detail: string;
  /** The statement that leaked, with its values, runnable as the application role. */
  readonly sql?: string;
}

export interface TableVerdict {
  readonly table: string;
  readonly mode: 'tenant' | 'shared' | 'exempt';
  readonly reason: string | null;
  readonly checks: readonly CheckResult[];
  /** Rows rlsgen created for the proof (rolled back afterwards), per tenant. */
  readonly seeded: number;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly tenants: readonly [string, string];
  readonly appRole: string;
  readonly roleChecks: readonly CheckResult[];
  readonly tables: readonly TableVerdict[];
  readonly serverVersion: string;
}

export function cellStatus(checks: readonly CheckResult[], ids: readonly CheckId[]): CheckStatus {
  const relevant = checks.filter((c) => ids.includes(c.check));
  if (relevant.some((c) => c.status === 'fail')) return 'fail';
  if (relevant.some((c) => c.status === 'pass')) return 'pass';
  return 'n/a';
}

export function failures(result: VerifyResult): { table: string; check: CheckResult }[] {
  return [
    ...result.roleChecks.filter((c) => c.status === 'fail').map((check) => ({ table: '(roles)', check })),
    ...result.tables.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((check) => ({ table: t.table, check }))),
  ];
}
