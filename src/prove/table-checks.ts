import { admits, type CheckSpace, display, otherTenants, rowFor, rowRecord, rowVariables, type ScenarioValue, sessionFor, sessionRecord, sessionVariables, termsOf } from './check-space.js';
import type { Admission } from './logic.js';
import type { Clauses } from './policy-clauses.js';
import { describeLeak } from './describe-leak.js';
import type { CheckKind, CheckProof, Counterexample } from './result.js';
import { combinations, forEachAssignment, type Variable } from './search.js';
import { cast, NULL, type Outcome } from './values.js';

/** Past this many assignments per scenario the prover says UNVERIFIED instead of trying them all. */
export const ASSIGNMENT_LIMIT = 20_000;

interface Hit {
  readonly counterexample: Counterexample;
  readonly unknowns: readonly string[];
}

/** Tracks the first certain leak and the first possible one. */
class Findings {
  yes: Hit | null = null;
  maybe: Hit | null = null;

  note(admission: Admission, hit: () => Hit): boolean {
    if (admission === 'yes') this.yes = hit();
    else if (admission === 'maybe' && this.maybe === null) this.maybe = hit();
    return this.yes !== null;
  }

  verdict(space: CheckSpace, check: CheckKind): CheckProof {
    if (this.yes !== null) return { check, verdict: 'LEAK', detail: describeLeak(check, this.yes.counterexample, space.tenantColumn), counterexample: this.yes.counterexample };
    if (this.maybe !== null) {
      const unknowns = [...new Set(this.maybe.unknowns)].sort();
      return { check, verdict: 'UNVERIFIED', detail: `may leak (${describeLeak(check, this.maybe.counterexample, space.tenantColumn)}) depending on ${unknowns.join('; ') || 'what the prover cannot follow'}`, unknowns };
    }
    return { check, verdict: 'PROVEN', detail: 'no row of another tenant' };
  }
}

function tooMany(check: CheckKind, n: number): CheckProof {
  const reason = `${n} combinations of rows and settings to try (more than ${ASSIGNMENT_LIMIT})`;
  return { check, verdict: 'UNVERIFIED', detail: `not decided: ${reason}`, unknowns: [reason] };
}

function counterexample(space: CheckSpace, scenario: ScenarioValue, a: ReadonlyMap<string, Outcome>, extra: Partial<Counterexample> = {}): Counterexample {
  return {
    scenario: scenario.scenario,
    setting: space.setting,
    settingValue: display(scenario.setting),
    tenant: scenario.tenant === null ? null : display(scenario.tenant),
    row: rowRecord(rowFor(a)),
    session: sessionRecord(a),
    ...extra,
  };
}

/** read, delete, update-out (another tenant's row passes USING) and insert (a new row for another tenant passes WITH CHECK). */
export function rowCheck(space: CheckSpace, clauses: Clauses, check: CheckKind): CheckProof {
  const terms = termsOf(space, clauses);
  const found = new Findings();
  for (const scenario of space.scenarios) {
    const vars = [...sessionVariables(space, terms), ...rowVariables(space, terms, otherTenants(space, scenario))];
    if (combinations(vars) > ASSIGNMENT_LIMIT) return tooMany(check, combinations(vars));
    forEachAssignment(vars, (a) => {
      const reasons = new Set<string>();
      const result = admits(space, clauses, rowFor(a), sessionFor(space, scenario, a), reasons);
      return found.note(result, () => ({ counterexample: counterexample(space, scenario, a), unknowns: [...reasons] }));
    });
    if (found.yes !== null) break;
  }
  return found.verdict(space, check);
}

/** The best admission of any row of `vars` in a session, with the row and what was unknown. */
function bestRow(space: CheckSpace, clauses: Clauses, vars: readonly Variable[], session: ReturnType<typeof sessionFor>, prefix: string): { admission: Admission; row: Map<string, Outcome>; reasons: string[] } {
  let best: { admission: Admission; row: Map<string, Outcome>; reasons: string[] } = { admission: 'no', row: new Map(), reasons: [] };
  forEachAssignment(vars, (a) => {
    const reasons = new Set<string>();
    const row = rowFor(a, prefix);
    const result = admits(space, clauses, row, session, reasons);
    if (result === 'yes' || (result === 'maybe' && best.admission === 'no')) best = { admission: result, row, reasons: [...reasons] };
    return result === 'yes';
  });
  return best;
}

const both = (a: Admission, b: Admission): Admission => (a === 'no' || b === 'no' ? 'no' : a === 'yes' && b === 'yes' ? 'yes' : 'maybe');

/** update-into: some row the UPDATE may touch (USING), written back as another tenant's row (WITH CHECK). */
export function updateIntoCheck(space: CheckSpace, using: Clauses, check: Clauses): CheckProof {
  const terms = termsOf(space, using, check);
  const found = new Findings();
  for (const scenario of space.scenarios) {
    const sessionVars = sessionVariables(space, terms);
    const oldVars = rowVariables(space, termsOf(space, using), space.domains.column(space.domains.tenantType), 'old');
    const newVars = rowVariables(space, termsOf(space, check), otherTenants(space, scenario));
    const n = combinations(sessionVars) * (combinations(oldVars) + combinations(newVars));
    if (n > ASSIGNMENT_LIMIT) return tooMany('update-into', n);
    forEachAssignment(sessionVars, (a) => {
      const session = sessionFor(space, scenario, a);
      const old = bestRow(space, using, oldVars, session, 'old');
      if (old.admission === 'no') return false;
      const written = bestRow(space, check, newVars, session, 'row');
      return found.note(both(old.admission, written.admission), () => ({
        counterexample: counterexample(space, scenario, a, { row: rowRecord(written.row), oldRow: rowRecord(old.row) }),
        unknowns: [...old.reasons, ...written.reasons],
      }));
    });
    if (found.yes !== null) break;
  }
  return found.verdict(space, 'update-into');
}

/**
 * write-global: tenant A writes a row without a tenant (INSERT, or UPDATE of
 * a row it may touch) and another tenant B's policies show that row, so one
 * tenant plants data in another's view. Only where the column admits NULL.
 */
export function writeGlobalCheck(space: CheckSpace, write: Clauses, read: Clauses, using: Clauses | null): CheckProof {
  const found = new Findings();
  const writerTerms = termsOf(space, write, ...(using === null ? [] : [using]));
  const reader: ScenarioValue = { scenario: 'tenant', setting: cast(space.domains.b, 'text')[0] ?? NULL, tenant: space.domains.b };
  const readerVars = sessionVariables(space, termsOf(space, read));
  for (const scenario of space.scenarios.filter((s) => s.scenario === 'tenant')) {
    const vars = [...sessionVariables(space, writerTerms), ...rowVariables(space, termsOf(space, write), [NULL])];
    const oldVars = using === null ? [] : rowVariables(space, termsOf(space, using), space.domains.column(space.domains.tenantType), 'old');
    const n = combinations(vars) * (combinations(readerVars) + combinations(oldVars));
    if (n > ASSIGNMENT_LIMIT) return tooMany('write-global', n);
    forEachAssignment(vars, (a) => {
      const reasons = new Set<string>();
      const session = sessionFor(space, scenario, a);
      const row = rowFor(a);
      const old = using === null ? { admission: 'yes' as Admission, reasons: [] as string[] } : bestRow(space, using, oldVars, session, 'old');
      const wrote = both(old.admission, admits(space, write, row, session, reasons));
      if (wrote === 'no') return false;
      let seen: Admission = 'no';
      let readerSession: ReadonlyMap<string, Outcome> = new Map();
      forEachAssignment(readerVars, (r) => {
        const result = admits(space, read, row, sessionFor(space, reader, r), reasons);
        if (result === 'yes' || (result === 'maybe' && seen === 'no')) [seen, readerSession] = [result, new Map(r)];
        return result === 'yes';
      });
      return found.note(both(wrote, seen), () => ({
        counterexample: counterexample(space, scenario, a, { reader: { tenant: display(space.domains.b) ?? '', session: sessionRecord(readerSession) } }),
        unknowns: [...reasons, ...old.reasons],
      }));
    });
    if (found.yes !== null) break;
  }
  return found.verdict(space, 'write-global');
}
