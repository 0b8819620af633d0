import type pg from 'pg';
import type { DatabaseInfo, SchemaInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows } from './catalog-sql.js';

/**
 * Schemas with their privileges, PostgreSQL's defaults made explicit
 * (acldefault: a schema without grants is its owner's alone).
 */
export async function readSchemas(client: pg.ClientBase): Promise<SchemaInfo[]> {
  const rows = await queryRows<{ name: string; owner: string; grants: GrantRow[] }>(client, `
    SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner,
           ${aclJson("COALESCE(n.nspacl, acldefault('n', n.nspowner))")} AS grants
      FROM pg_namespace n
     WHERE n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
     ORDER BY 1`);
  return rows.map((r) => ({ name: r.name, owner: r.owner, grants: groupGrants(r.grants) }));
}

/**
 * The current database's privileges with the defaults made explicit: unless
 * revoked, PUBLIC may CONNECT and create TEMPORARY tables.
 */
export async function readDatabase(client: pg.ClientBase): Promise<DatabaseInfo> {
  const [row] = await queryRows<{ name: string; owner: string; grants: GrantRow[] }>(client, `
    SELECT d.datname AS name, pg_get_userbyid(d.datdba) AS owner,
           ${aclJson("COALESCE(d.datacl, acldefault('d', d.datdba))")} AS grants
      FROM pg_database d WHERE d.datname = current_database()`);
  return { name: row?.name ?? '', owner: row?.owner ?? '', grants: groupGrants(row?.grants ?? []) };
}
