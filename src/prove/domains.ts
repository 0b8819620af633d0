import type { Terms } from './collect-terms.js';
import { cast, FALSE, NULL, type Outcome, outcomes, TRUE, type ValueType, value, valueType } from './values.js';

/**
 * The values the prover tries for each free variable. The predicates compare
 * columns and settings with each other and with constants, so trying NULL,
 * every constant that appears, and a few values of each type in play that
 * no constant equals (their text forms for settings) covers every case the
 * predicate can tell apart: the small-model property of equality logic.
 * Ordering comparisons on text stay unknown (they depend on the collation).
 */
export interface Domains {
  readonly tenantType: ValueType;
  /** Tenant A, the session's tenant: a value no constant equals, then each constant of the tenant's type. */
  readonly tenantChoices: readonly Outcome[];
  /** Another tenant's value, equal to no constant. */
  readonly b: Outcome;
  /** Values of a column of `type` (for the tenant column: NULL, A, B, a third tenant, and the constants). */
  column(type: ValueType): Outcome[];
  /** A setting's possible values: unset, empty, a stray string, and the text of every value in play. */
  readonly setting: readonly Outcome[];
  readonly sessionUser: readonly Outcome[];
}

/** The login role the prover takes the application to connect as (session_user). */
export const SESSION_LOGIN = 'app_login';

const SAMPLES: Record<ValueType, readonly string[]> = {
  uuid: ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'dddddddd-dddd-4ddd-8ddd-dddddddddddd'],
  int: ['90001', '90002', '90003', '90004'],
  numeric: ['90001.5', '90002.5', '90003.5', '90004.5'],
  text: ['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d'],
  bool: [],
  any: [],
};

/** Types whose values the prover can write down. */
export function modelled(type: ValueType): boolean {
  return SAMPLES[type].length > 0;
}

export function buildDomains(tenantType: ValueType, terms: Terms, columnTypes: readonly ValueType[]): Domains {
  const constantsOf = (type: ValueType): Outcome[] =>
    outcomes(terms.constants.flatMap((c) => cast(value(valueType(c.type) === 'any' ? 'text' : valueType(c.type), c.value), type).filter((o) => o.k === 'value')));
  const samples = (type: ValueType): Outcome[] => {
    const taken = new Set(constantsOf(type).map((o) => (o.k === 'value' ? o.text : '')));
    return SAMPLES[type].filter((s) => !taken.has(s)).map((s) => value(type, s));
  };
  const [a, b, c] = samples(tenantType);
  if (a === undefined || b === undefined || c === undefined) throw new Error(`no sample values for tenant type ${tenantType}`);
  const inPlay = [...new Set<ValueType>([tenantType, ...columnTypes])].filter(modelled);
  const texts = (os: readonly Outcome[]): Outcome[] => os.flatMap((o) => cast(o, 'text'));
  return {
    tenantType,
    tenantChoices: [a, ...constantsOf(tenantType)],
    b,
    column(type) {
      if (type === 'bool') return [NULL, TRUE, FALSE];
      if (!modelled(type)) return [NULL, { k: 'some', type: 'any' }];
      if (type === tenantType) return outcomes([NULL, a, b, c, ...constantsOf(type)]);
      return outcomes([NULL, ...samples(type).slice(0, 2), ...constantsOf(type)]);
    },
    setting: outcomes([NULL, value('text', ''), value('text', 'x'), ...texts(inPlay.flatMap((t) => samples(t).slice(0, 2))), ...constantsOf('text')]),
    sessionUser: outcomes([value('text', SESSION_LOGIN), ...constantsOf('text')]),
  };
}
