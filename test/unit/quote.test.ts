import { describe, expect, it } from 'vitest';
import { objectName, quoteDollar, quoteIdent, quoteLiteral, quoteQualified } from '../../src/sql/quote.js';

describe('quoteIdent', () => {
  it.each([
    ['calls', 'calls'],
    ['company_id', 'company_id'],
    ['Calls', '"Calls"'],
    ['call log', '"call log"'],
    ['say "hi"', '"say ""hi"""'],
    ['user', '"user"'],
    ['order', '"order"'],
    ['select', '"select"'],
    ['json_table', '"json_table"'],
    ['1st', '"1st"'],
    ['naïve', '"naïve"'],
  ])('%s -> %s', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });

  it('rejects names PostgreSQL would truncate or cannot store', () => {
    expect(() => quoteIdent('a'.repeat(64))).toThrow(/longer than 63 bytes/);
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/longer than 63 bytes/);
    expect(quoteIdent('a'.repeat(63))).toBe('a'.repeat(63));
    expect(() => quoteIdent('')).toThrow(/empty/);
    expect(() => quoteIdent('a\u0000b')).toThrow(/NUL/);
  });

  it('qualifies with both parts quoted', () => {
    expect(quoteQualified('Billing', 'order')).toBe('"Billing"."order"');
  });
});

describe('quoteLiteral', () => {
  it('doubles quotes and escapes backslashes in the E form', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(quoteLiteral('')).toBe("''");
  });
});

describe('objectName', () => {
  it('joins short names unchanged', () => {
    expect(objectName('calls', 'company_id', 'fkey')).toBe('calls_company_id_fkey');
  });
  it('cuts long names to 63 bytes with a hash, so two long names stay distinct', () => {
    const a = objectName('a'.repeat(40), 'company_id_and_more', 'x', 'fkey');
    const b = objectName('a'.repeat(40), 'company_id_and_more', 'y', 'fkey');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(objectName('a'.repeat(40), 'company_id_and_more', 'x', 'fkey')).toBe(a);
  });
});

describe('quoteDollar', () => {
  it('picks a tag the body does not contain', () => {
    expect(quoteDollar('x')).toBe('$rlsgen$x$rlsgen$');
    expect(quoteDollar('a $rlsgen$ b')).toBe('$rlsgen1$a $rlsgen$ b$rlsgen1$');
  });
});
