import type pg from 'pg';
import type { PolicyInfo } from '../snapshot.js';
import { byOid, queryRows } from './catalog-sql.js';

interface PolicyRow {
  oid: number;
  name: string;
  cmd: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  check: string | null;
}

export const POLICY_COMMANDS: Record<string, PolicyInfo['command']> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

/** Every row-level security policy, by the oid of its table; roles are names, `public` for PUBLIC. */
export async function readPolicies(client: pg.ClientBase): Promise<Map<number, PolicyInfo[]>> {
  const rows = await queryRows<PolicyRow>(client, `
    SELECT p.polrelid::int AS oid, p.polname AS name, p.polcmd::text AS cmd, p.polpermissive AS permissive,
           ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
           pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p ORDER BY p.polrelid, p.polname`);
  return byOid(rows, (p): PolicyInfo => ({
    name: p.name,
    command: POLICY_COMMANDS[p.cmd] ?? 'ALL',
    permissive: p.permissive,
    roles: p.roles,
    using: p.using,
    check: p.check,
  }));
}
