import { type Outcome, fail, pass, notApplicable } from './check.js';
import type { CheckResult } from './result.js';
import type { TableUnderProof } from './table-under-proof.js';

/**
 * The verdict of a probe that must see no tenant row (the variable unset,
 * empty or malformed): an error or zero rows passes, rows fail.
 */
export function noRowsVisible(t: TableUnderProof, check: string, outcome: Outcome<number> | undefined, tenant: string | null, label: string): CheckResult {
  if (outcome === undefined) return notApplicable(check, 'not run');
  if (!outcome.ok) return outcome.code === '22P02' ? pass(check, `${label}: error ${outcome.code}, nothing shown`) : pass(check, `${label}: ${outcome.code} ${outcome.message}`);
  return outcome.value === 0 ? pass(check, `${label}: no tenant rows visible`) : fail(check, `${label}: ${outcome.value} tenant rows visible`, t.session.reproduce(tenant, t.visibleSql));
}
