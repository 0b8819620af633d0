import type { CheckResult } from './result.js';

/** What a probe's statement did: its value, or the error PostgreSQL raised. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false } & ProbeError;

/** The fields of a PostgreSQL error a probe compares (node-postgres' `DatabaseError`). */
export interface ProbeError {
  readonly code: string;
  readonly message: string;
  readonly detail: string;
  readonly constraint: string;
  readonly schema: string;
  readonly table: string;
}

export const pass = (check: string, detail: string): CheckResult => ({ check, status: 'pass', detail });
export const skipped = (check: string, detail: string): CheckResult => ({ check, status: 'skipped', detail });
export const notApplicable = (check: string, detail: string): CheckResult => ({ check, status: 'n/a', detail });
export const fail = (check: string, detail: string, sql?: string): CheckResult => (sql === undefined ? { check, status: 'fail', detail } : { check, status: 'fail', detail, sql });

/** `1 row`, `3 rows`. */
export const rows = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;
