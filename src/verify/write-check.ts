import { type Outcome, fail, pass } from './check.js';
import type { CheckResult } from './result.js';

/** A write aimed at another tenant's rows: denied (42501) or 0 rows passes; rows changed fail with the statement. */
export function writeCheck(check: string, outcome: Outcome<number>, what: string, sql: string): CheckResult {
  if (!outcome.ok) return outcome.code === '42501' ? pass(check, `denied: ${outcome.message}`) : fail(check, outcome.message);
  return outcome.value === 0 ? pass(check, '0 rows affected') : fail(check, `${outcome.value} rows of ${what}`, sql);
}
