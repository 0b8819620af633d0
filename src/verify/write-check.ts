import { type Outcome, fail, pass, rows } from './check.js';
import type { CheckResult } from './result.js';

/** A write aimed at another tenant's rows: denied (42501) or 0 rows passes; rows changed fail with the statement. */
export function writeCheck(check: string, outcome: Outcome<number>, what: string, sql: string): CheckResult {
  if (!outcome.ok) return outcome.code === '42501' ? pass(check, `denied: ${outcome.message}`) : fail(check, outcome.message);
  return outcome.value === 0 ? pass(check, '0 rows affected') : fail(check, `${outcome.value} rows of ${what}`, sql);
}

/** A blind write: its statement, the tenant it runs as, and how many rows that tenant may change. */
export interface BlindWrite {
  readonly statement: 'DELETE' | 'UPDATE';
  /** `a tenant that owns no row`, `tenant <id>`. */
  readonly as: string;
  readonly owns: number;
  readonly sql: string;
}

/**
 * The failure of a blind write (`DELETE FROM t`, `UPDATE t SET tenant = ...`,
 * no WHERE), or null when it changed no more rows than its tenant owns. It
 * reads no column, so no SELECT policy filters it, only the command's own
 * (https://www.postgresql.org/docs/current/sql-createpolicy.html, "Policies
 * Applied by Command Type": SELECT policies join only when the statement
 * reads the rows, in its WHERE, SET or RETURNING): every row past its own is
 * another tenant's (or a shared table's global row), and so are the rows
 * behind a foreign key it trips.
 */
export function blindWriteFailure(check: string, write: BlindWrite, outcome: Outcome<number>): CheckResult | null {
  const blind = `${write.statement === 'UPDATE' ? 'an' : 'a'} ${write.statement} without WHERE, as ${write.as},`;
  if (!outcome.ok) {
    // Citus refuses to change a row's distribution column outright (0A000), whatever rows the policy lets through.
    if (outcome.code === '42501' || (outcome.code === '0A000' && /partition value/.test(outcome.message))) return null;
    return fail(check, `${blind} failed for another reason than row security: ${outcome.code} ${outcome.message}`, write.sql);
  }
  if (outcome.value <= write.owns) return null;
  return fail(check, `${blind} ${write.statement === 'DELETE' ? 'removed' : 'changed'} ${rows(outcome.value)}${write.owns === 0 ? '' : `; it owns ${write.owns}`}`, write.sql);
}
