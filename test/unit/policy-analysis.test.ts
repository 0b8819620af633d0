import { describe, expect, it } from 'vitest';
import { topLevelOperands } from '../../src/lint/policy-analysis.js';

describe('topLevelOperands', () => {
  it('splits what pg_get_expr prints at the top-level OR, flattening nested ones', () => {
    expect(topLevelOperands("((company_id IS NULL) OR (company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid))", 'OR')).toEqual([
      'company_id IS NULL',
      "company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid",
    ]);
    expect(topLevelOperands('((a OR b) OR (c AND (d OR e)))', 'OR')).toEqual(['a', 'b', 'c AND (d OR e)']);
    expect(topLevelOperands('((company_id IS NULL) AND (owner_id = 1))', 'AND')).toEqual(['company_id IS NULL', 'owner_id = 1']);
  });

  it('is one operand without the operator, and ignores it inside string literals', () => {
    expect(topLevelOperands('(company_id = 1)', 'OR')).toEqual(['company_id = 1']);
    expect(topLevelOperands("(name = ' OR (true')", 'OR')).toEqual(["name = ' OR (true'"]);
    expect(topLevelOperands("(a) OR (b = 'x'' OR y')", 'OR')).toEqual(['a', "b = 'x'' OR y'"]);
  });
});
