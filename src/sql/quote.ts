import { createHash } from 'node:crypto';
import { NON_UNRESERVED_KEYWORDS } from './keywords.js';

/**
 * The one place where text becomes SQL. Every identifier rlsgen writes goes
 * through {@link quoteIdent} and every literal through {@link quoteLiteral}
 * (or is sent as a bind parameter); templates and SQL builders never
 * concatenate names themselves.
 */

/** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const BARE_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;

export class SqlQuoteError extends Error {
  override readonly name = 'SqlQuoteError';
}

function assertNoNul(text: string, what: string): void {
  if (text.includes('\u0000')) {
    throw new SqlQuoteError(`${what} contains a NUL character, which PostgreSQL cannot store`);
  }
}

/**
 * Quotes an identifier the way `quote_ident()` does: bare when it is a
 * lower-case name that is not a keyword, double-quoted (with inner quotes
 * doubled) otherwise.
 *
 * @example quoteIdent('calls') === 'calls'
 * @example quoteIdent('Call Log') === '"Call Log"'
 * @example quoteIdent('user') === '"user"'
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new SqlQuoteError('an identifier cannot be empty');
  assertNoNul(name, `identifier ${JSON.stringify(name)}`);
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new SqlQuoteError(
      `identifier ${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it`,
    );
  }
  if (BARE_IDENTIFIER.test(name) && !NON_UNRESERVED_KEYWORDS.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.name`, each part quoted by {@link quoteIdent}. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * Quotes a string literal the way `quote_literal()` does: single quotes
 * doubled, and the `E''` form with doubled backslashes when the text has a
 * backslash, so the result means the same whatever
 * `standard_conforming_strings` is set to.
 */
export function quoteLiteral(value: string): string {
  assertNoNul(value, 'a literal');
  const body = value.replaceAll("'", "''");
  if (body.includes('\\')) return `E'${body.replaceAll('\\', '\\\\')}'`;
  return `'${body}'`;
}

/**
 * Builds a name for an object rlsgen creates (index, constraint, trigger)
 * from its parts, joined by `_`. A name that would exceed 63 bytes is cut and
 * suffixed with a hash of the whole name, so two long names never collide
 * after PostgreSQL's truncation and the same input always gives the same name.
 */
export function objectName(...parts: readonly string[]): string {
  const full = parts.join('_');
  if (Buffer.byteLength(full, 'utf8') <= MAX_IDENTIFIER_BYTES) return full;
  const hash = createHash('sha256').update(full, 'utf8').digest('hex').slice(0, 10);
  let head = full;
  while (Buffer.byteLength(`${head}_${hash}`, 'utf8') > MAX_IDENTIFIER_BYTES) {
    head = [...head].slice(0, -1).join('');
  }
  return `${head}_${hash}`;
}

/**
 * Wraps a body in dollar quotes whose tag does not occur in it, so a name
 * that contains `$rlsgen$` cannot end the quoted body early.
 */
export function quoteDollar(body: string): string {
  let tag = '$rlsgen$';
  for (let i = 1; body.includes(tag); i++) tag = `$rlsgen${i}$`;
  return `${tag}${body}${tag}`;
}
