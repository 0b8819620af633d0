import type pg from 'pg';
import type { RoleInfo, RoleSettingInfo } from '../snapshot.js';
import { queryRows } from './catalog-sql.js';

interface RoleRow {
  name: string;
  superuser: boolean;
  bypass_rls: boolean;
  can_login: boolean;
  inherit: boolean;
  member_of: string[];
}

/** Every role, its attributes and the roles it is directly a member of. */
export async function readRoles(client: pg.ClientBase): Promise<RoleInfo[]> {
  const roles = await queryRows<RoleRow>(client, `
    SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcanlogin AS can_login, r.rolinherit AS inherit,
           ARRAY(SELECT b.rolname::text FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of
      FROM pg_roles r ORDER BY r.rolname`);
  return roles.map(
    (r): RoleInfo => ({
      name: r.name,
      superuser: r.superuser,
      bypassRls: r.bypass_rls,
      canLogin: r.can_login,
      inherit: r.inherit,
      memberOf: r.member_of,
    }),
  );
}

/** Settings made with ALTER ROLE ... SET, for this database or all databases. */
export async function readRoleSettings(client: pg.ClientBase): Promise<RoleSettingInfo[]> {
  return queryRows<{ role: string; settings: string[] }>(client, `
    SELECT r.rolname AS role, array_agg(c ORDER BY c) AS settings
      FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS c
     WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
     GROUP BY r.rolname ORDER BY r.rolname`);
}
