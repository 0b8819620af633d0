import type { TableInfo } from '../introspect/snapshot.js';
import { collectTerms, emptyTerms, type Terms } from './collect-terms.js';
import { type Domains, SESSION_LOGIN } from './domains.js';
import { type EvalContext, evaluate, type Session } from './evaluate.js';
import { admission, type Admission, connective, truthsOf } from './logic.js';
import type { Clauses } from './policy-clauses.js';
import type { FunctionResolver } from './resolve-function.js';
import type { Row, Scenario } from './result.js';
import type { Variable } from './search.js';
import { cast, NULL, type Outcome, valueType } from './values.js';

/** One value of the tenant variable the prover tries, and the tenant it stands for. */
export interface ScenarioValue {
  readonly scenario: Scenario;
  /** What current_setting returns: NULL when unset. */
  readonly setting: Outcome;
  /** Tenant A in the tenant scenario, else null (no tenant). */
  readonly tenant: Outcome | null;
}

/** Everything a table's checks share: the table, the session's fixed parts, and the values to try. */
export interface CheckSpace {
  readonly table: TableInfo;
  readonly tenantColumn: string;
  readonly setting: string;
  readonly role: string | null;
  readonly resolver: FunctionResolver;
  readonly domains: Domains;
  readonly scenarios: readonly ScenarioValue[];
  readonly nullableTenant: boolean;
}

export function termsOf(space: CheckSpace, ...sets: readonly Clauses[]): Terms {
  const terms = emptyTerms();
  for (const set of sets) for (const c of [...set.permissive, ...set.restrictive]) collectTerms(c.expr, space.table, space.resolver, terms);
  terms.columns.add(space.tenantColumn);
  return terms;
}

export function scenariosFor(domains: Domains): ScenarioValue[] {
  const text = (o: Outcome): Outcome => cast(o, 'text')[0] ?? NULL;
  return [
    { scenario: 'unset', setting: NULL, tenant: null },
    { scenario: 'empty', setting: { k: 'value', type: 'text', text: '' }, tenant: null },
    // Not a tenant id of any type, and a LIKE pattern that matches everything.
    { scenario: 'malformed', setting: { k: 'value', type: 'text', text: '%' }, tenant: null },
    ...domains.tenantChoices.map((a): ScenarioValue => ({ scenario: 'tenant', setting: text(a), tenant: a })),
  ];
}

/** The session's free variables: settings other than the tenant's, what IMMUTABLE helpers kept, session_user. */
export function sessionVariables(space: CheckSpace, terms: Terms): Variable[] {
  return [
    ...[...terms.settings].filter((s) => s !== space.setting).sort().map((s) => ({ name: `setting:${s}`, values: space.domains.setting })),
    ...[...terms.stale].sort().map((s) => ({ name: `stale:${s}`, values: space.domains.setting })),
    ...(terms.sessionUser.used ? [{ name: 'session_user', values: space.domains.sessionUser }] : []),
  ];
}

/** The row's free variables: the tenant column takes `tenants`, every other column the policies read its type's values. */
export function rowVariables(space: CheckSpace, terms: Terms, tenants: readonly Outcome[], prefix = 'row'): Variable[] {
  return [...terms.columns].sort().map((name) => {
    if (name === space.tenantColumn) return { name: `${prefix}:${name}`, values: tenants };
    const type = space.table.columns.find((c) => c.name === name)?.type ?? 'unknown';
    return { name: `${prefix}:${name}`, values: space.domains.column(valueType(type)) };
  });
}

/** Rows of another tenant than the scenario's (any tenant when the session has none). */
export function otherTenants(space: CheckSpace, scenario: ScenarioValue): Outcome[] {
  const same = (o: Outcome): boolean => scenario.tenant !== null && o.k === 'value' && scenario.tenant.k === 'value' && o.text === scenario.tenant.text;
  return space.domains.column(space.domains.tenantType).filter((o) => o.k !== 'null' && !same(o));
}

export function sessionFor(space: CheckSpace, scenario: ScenarioValue, assignment: ReadonlyMap<string, Outcome>): Session {
  const settings = new Map<string, Outcome>([[space.setting, scenario.setting]]);
  const stale = new Map<string, Outcome>();
  for (const [name, value] of assignment) {
    if (name.startsWith('setting:')) settings.set(name.slice(8), value);
    else if (name.startsWith('stale:')) stale.set(name.slice(6), value);
  }
  return { settings, stale, sessionUser: assignment.get('session_user') ?? { k: 'value', type: 'text', text: SESSION_LOGIN }, signedTenant: scenario.tenant ?? NULL };
}

export function rowFor(assignment: ReadonlyMap<string, Outcome>, prefix = 'row'): Map<string, Outcome> {
  const row = new Map<string, Outcome>();
  for (const [name, value] of assignment) if (name.startsWith(`${prefix}:`)) row.set(name.slice(prefix.length + 1), value);
  return row;
}

/** Whether a row passes a command's clauses in a session: some permissive clause and every restrictive one. */
export function admits(space: CheckSpace, clauses: Clauses, row: ReadonlyMap<string, Outcome>, session: Session, reasons: Set<string>): Admission {
  if (clauses.permissive.length === 0) return 'no';
  const ctx: EvalContext = { resolver: space.resolver, table: space.table, currentUser: space.role ?? 'unknown', reasons };
  const one = (c: Clauses['permissive'][number]) => () => truthsOf(evaluate(c.expr, ctx, row, session));
  return admission(connective('and', [() => connective('or', clauses.permissive.map(one)), ...clauses.restrictive.map(one)]));
}

export function display(o: Outcome): string | null {
  return o.k === 'null' ? null : o.k === 'value' ? o.text : o.k === 'some' ? '(any value)' : '(error)';
}

export function rowRecord(row: ReadonlyMap<string, Outcome>): Row {
  return Object.fromEntries([...row].map(([k, v]) => [k, display(v)]));
}

export function sessionRecord(assignment: ReadonlyMap<string, Outcome>): Row {
  const out: Record<string, string | null> = {};
  for (const [name, value] of assignment) {
    if (name.startsWith('setting:')) out[name.slice(8)] = display(value);
    else if (name.startsWith('stale:')) out[`${name.slice(6)} (kept by an IMMUTABLE helper in a cached plan)`] = display(value);
    else if (name === 'session_user') out['session_user'] = display(value);
  }
  return out;
}
