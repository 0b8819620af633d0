import type pg from 'pg';
import type { DefaultPrivilegeInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows } from './catalog-sql.js';

interface DefaultPrivilegeRow {
  owner: string;
  schema: string | null;
  type: string;
  grants: GrantRow[];
}

const OBJECT_TYPES: Record<string, DefaultPrivilegeInfo['objectType']> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

/** ALTER DEFAULT PRIVILEGES entries: what objects created later will grant. */
export async function readDefaultPrivileges(client: pg.ClientBase): Promise<DefaultPrivilegeInfo[]> {
  const defaults = await queryRows<DefaultPrivilegeRow>(client, `
    SELECT pg_get_userbyid(d.defaclrole) AS owner, n.nspname AS schema, d.defaclobjtype::text AS type,
           ${aclJson('d.defaclacl')} AS grants
      FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
     ORDER BY 1, 2, 3`);
  return defaults.map(
    (d): DefaultPrivilegeInfo => ({
      owner: d.owner,
      schema: d.schema,
      objectType: OBJECT_TYPES[d.type] ?? 'tables',
      grants: groupGrants(d.grants),
    }),
  );
}
