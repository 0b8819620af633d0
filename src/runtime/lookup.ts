import type pg from 'pg';
import { quoteIdent } from '../sql/quote.js';
import type { TenantIdType } from './tenant-id.js';
import { TenantContextError, type TenantPool, unscopedConnect } from './tenant-pool.js';

/**
 * The key and row types of your lookups, declared by augmenting this
 * interface (the names and columns are those of the manifest's `lookups:`):
 *
 * ```ts
 * declare module 'rlsgen/runtime' {
 *   interface LookupTypes {
 *     user_by_email: { key: [email: string]; row: { id: string; company_id: string | null; password_hash: string } };
 *   }
 * }
 * ```
 * Undeclared, any name is accepted and the row is a plain record.
 */
export interface LookupTypes {}

export type LookupName = [keyof LookupTypes] extends [never] ? string : keyof LookupTypes;
export type LookupKey<N> = N extends keyof LookupTypes ? (LookupTypes[N] extends { key: infer K extends readonly unknown[] } ? K : unknown[]) : unknown[];
export type LookupRow<N> = N extends keyof LookupTypes ? (LookupTypes[N] extends { row: infer R } ? R : Record<string, unknown>) : Record<string, unknown>;

const NAME = /^[a-z_][a-z0-9_]*$/;

/** The SQL rlsgen/runtime sends for a lookup: `SELECT * FROM rlsgen_lookup.user_by_email($1)`. */
export function lookupSql(name: string, keys: number): string {
  if (!NAME.test(name)) throw new TenantContextError(`${JSON.stringify(name)} is not a lookup name (a key of the manifest's lookups:)`);
  if (keys < 1) throw new TenantContextError(`lookup ${name} needs its key`);
  return `SELECT * FROM rlsgen_lookup.${quoteIdent(name)}(${Array.from({ length: keys }, (_, i) => `$${i + 1}`).join(', ')})`;
}

/**
 * A pre-tenant lookup (`lookups:` in the manifest): the one row whose key
 * equals `key`, with the lookup's columns only, or null. Usable on a
 * tenant-scoped pool outside `withTenant` (sign-in, webhooks): it runs one
 * statement, outside any transaction, that can only call the generated
 * function, so nothing else runs on the pool without a tenant. A null or
 * undefined key part finds nothing, as in the database.
 *
 * ```ts
 * const user = await lookup(pool, 'user_by_email', email);
 * // SELECT * FROM rlsgen_lookup.user_by_email($1)
 * ```
 */
export async function lookup<N extends LookupName, T extends TenantIdType = TenantIdType>(
  pool: TenantPool<T> | pg.Pool,
  name: N,
  ...key: LookupKey<N>
): Promise<LookupRow<N> | null> {
  const sql = lookupSql(name, key.length);
  if (key.some((part) => part === null || part === undefined)) return null;
  const client = await unscopedConnect(pool)();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query(sql, [...(key as readonly unknown[])]);
    if (rows.length > 1) throw new TenantContextError(`lookup ${name} returned ${rows.length} rows; a lookup finds at most one`);
    return (rows[0] ?? null) as LookupRow<N> | null;
  } catch (error) {
    // A statement error leaves the connection usable; a broken connection is destroyed.
    broken = error instanceof Error && !('code' in error) ? error : undefined;
    throw error;
  } finally {
    client.release(broken);
  }
}
