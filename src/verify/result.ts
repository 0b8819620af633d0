/** What `rlsgen verify` found, as data: the CLI prints it as a matrix or JSON. */

export type CheckId =
  | 'read-own'
  | 'read-other'
  | 'count'
  | 'join'
  | 'unset-fresh'
  | 'unset-pooled'
  | 'empty'
  | 'malformed'
  | 'insert-other'
  | 'update-other'
  | 'delete-other'
  | 'returning'
  | 'hop'
  | 'upsert'
  | 'reference'
  | 'truncate'
  | 'row-security-off'
  | 'set-role-owner'
  | 'prepared'
  | 'global-read'
  | 'global-write'
  | 'legacy-owner'
  | 'cross-read'
  | 'cross-write'
  | 'signed-token'
  | 'role-attributes'
  | 'role-membership';

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

/** Matrix columns: each groups related checks; a cell fails when any of its checks fails. */
export const MATRIX_COLUMNS: readonly { readonly title: string; readonly checks: readonly CheckId[] }[] = [
  { title: 'read', checks: ['read-own', 'read-other', 'count', 'join'] },
  { title: 'unset', checks: ['unset-fresh', 'unset-pooled', 'empty', 'malformed'] },
  { title: 'write', checks: ['insert-other', 'update-other', 'delete-other', 'returning'] },
  { title: 'hop', checks: ['hop'] },
  { title: 'upsert', checks: ['upsert'] },
  { title: 'ref', checks: ['reference'] },
  { title: 'trunc', checks: ['truncate'] },
  { title: 'rls-off', checks: ['row-security-off'] },
  { title: 'owner', checks: ['set-role-owner'] },
  { title: 'prep', checks: ['prepared'] },
  { title: 'global', checks: ['global-read', 'global-write'] },
  { title: 'legacy', checks: ['legacy-owner'] },
  { title: 'cross', checks: ['cross-read', 'cross-write'] },
  { title: 'signed', checks: ['signed-token'] },
];

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
