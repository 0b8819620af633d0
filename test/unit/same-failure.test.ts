import { describe, expect, it } from 'vitest';
import type { ProbeError } from '../../src/verify/check.js';
import { sameReferenceFailure } from '../../src/verify/same-failure.js';

/** A foreign-key violation as PostgreSQL reports it (ri_ReportViolation). */
const violation = (values: string, constraint = 'deals_company_id_contact_id_fkey', table = 'contacts'): ProbeError => ({
  code: '23503',
  message: `insert or update on table "deals" violates foreign key constraint "${constraint}"`,
  detail: `Key (company_id, contact_id)=(${values}) is not present in table "${table}".`,
  constraint,
  schema: 'public',
  table: 'deals',
});
const COLUMNS = ['company_id', 'contact_id'];
const MISSING = '-987654321';

describe('the reference probe compares errors structurally', () => {
  it('the same violation for another tenant\'s row and a missing one', () => {
    expect(sameReferenceFailure({ error: violation('7, 42'), value: '42' }, { error: violation(`7, ${MISSING}`), value: MISSING }, COLUMNS)).toBe(true);
  });

  it('the other row\'s id equal to the tenant\'s own id (bigint tenants) is no difference', () => {
    expect(sameReferenceFailure({ error: violation('42, 42'), value: '42' }, { error: violation(`42, ${MISSING}`), value: MISSING }, COLUMNS)).toBe(true);
  });

  it('the id\'s digits inside a constraint or table name are no difference', () => {
    const constraint = 'deals fk 42';
    const table = 'contacts 42';
    expect(sameReferenceFailure({ error: violation('7, 42', constraint, table), value: '42' }, { error: violation(`7, ${MISSING}`, constraint, table), value: MISSING }, COLUMNS)).toBe(true);
    const hashed = 'deals_company_id_contact_id_fkey_4242424242';
    expect(sameReferenceFailure({ error: violation('7, 4242424242', hashed), value: '4242424242' }, { error: violation(`7, ${MISSING}`, hashed), value: MISSING }, COLUMNS)).toBe(true);
  });

  it('another SQLSTATE, constraint, relation or table in the detail is a difference', () => {
    const missing = { error: violation(`7, ${MISSING}`), value: MISSING };
    const other = (error: ProbeError) => sameReferenceFailure({ error, value: '42' }, missing, COLUMNS);
    expect(other({ ...violation('7, 42'), code: '23505', message: 'duplicate key value violates unique constraint "deals_pkey"', detail: 'Key (id)=(42) already exists.', constraint: 'deals_pkey' })).toBe(false);
    expect(other(violation('7, 42', 'deals_contact_id_fkey'))).toBe(false);
    expect(other({ ...violation('7, 42'), table: 'deals_2024' })).toBe(false);
    expect(other(violation('7, 42', 'deals_company_id_contact_id_fkey', 'contacts_archive'))).toBe(false);
    expect(other({ ...violation('7, 42'), detail: 'Key (company_id, contact_id)=(7, 42) is still referenced from table "contacts".' })).toBe(false);
  });

  it('errors of other kinds are compared without the value written', () => {
    const check = (value: string): ProbeError => ({ code: '23514', message: 'new row for relation "deals" violates check constraint "deals_contact_check"', detail: `Failing row contains (1, 7, ${value}).`, constraint: 'deals_contact_check', schema: 'public', table: 'deals' });
    expect(sameReferenceFailure({ error: check('42'), value: '42' }, { error: check(MISSING), value: MISSING }, COLUMNS)).toBe(true);
    expect(sameReferenceFailure({ error: check('42'), value: '42' }, { error: check(`${MISSING}, x`), value: MISSING }, COLUMNS)).toBe(false);
  });
});
