import type pg from 'pg';
import type { GrantInfo } from '../snapshot.js';

// Schemas that hold no application tables. rlsgen's own helper schema is
// left out too: its objects are checked through the manifest, not as tables.
export const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'rlsgen')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** A JSON list of `{grantee, privilege}` for an ACL column (`c.relacl`); PUBLIC is grantee 0. */
export const aclJson = (acl: string): string => `COALESCE((SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                                       'privilege', a.privilege_type))
                       FROM aclexplode(${acl}) AS a), '[]'::json)`;

export interface GrantRow {
  grantee: string;
  privilege: string;
}

export async function queryRows<T extends object>(client: pg.ClientBase, sql: string): Promise<T[]> {
  return (await client.query<T>(sql)).rows;
}

/** ACL rows grouped by grantee, grantees and privileges sorted. */
export function groupGrants(rows: readonly GrantRow[]): GrantInfo[] {
  const by = new Map<string, string[]>();
  for (const row of rows) by.set(row.grantee, [...(by.get(row.grantee) ?? []), row.privilege]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([grantee, privileges]) => ({ grantee, privileges: privileges.sort() }));
}

/** Rows grouped by the table (oid) they belong to, in query order. */
export function byOid<T extends { oid: number }, U>(rows: readonly T[], map: (row: T) => U): Map<number, U[]> {
  const out = new Map<number, U[]>();
  for (const row of rows) out.set(row.oid, [...(out.get(row.oid) ?? []), map(row)]);
  return out;
}
