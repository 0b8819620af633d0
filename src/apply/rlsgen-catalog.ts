import type pg from 'pg';
import { RLSGEN_SCHEMA } from './generated-objects.js';

/** One entry of an ACL, with the default ACL expanded (a function nobody revoked is executable by PUBLIC). */
export interface AclEntry {
  /** Role name, or `PUBLIC`. */
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

export type RlsgenObjectKind =
  | 'table'
  | 'view'
  | 'materialized view'
  | 'sequence'
  | 'foreign table'
  | 'composite type'
  | 'function'
  | 'procedure'
  | 'aggregate'
  | 'type'
  | 'operator'
  | 'trigger';

/** An object in the rlsgen schema (or a trigger on one of its tables), as the catalog has it. */
export interface RlsgenObject {
  readonly kind: RlsgenObjectKind;
  readonly name: string;
  /** How to name it to a person: `rlsgen.backfill(regclass, name, ...)`, `trigger t on rlsgen.migrations`. */
  readonly label: string;
  readonly owner: string;
  readonly acl: readonly AclEntry[];
  /** pg_proc.prosrc for routines; null otherwise. */
  readonly body: string | null;
  /** The extension the object belongs to (`CREATE EXTENSION` put it there), or null. */
  readonly extension: string | null;
}

export interface RoleMembership {
  readonly name: string;
  readonly superuser: boolean;
  /** Roles whose rights this role has or can take (direct grants). */
  readonly memberOf: readonly string[];
}

/** The rlsgen schema as the catalog has it; `schema` is null when there is none. */
export interface RlsgenCatalog {
  readonly schema: { readonly owner: string; readonly acl: readonly AclEntry[] } | null;
  readonly objects: readonly RlsgenObject[];
  readonly roles: readonly RoleMembership[];
}

/** The ACL of a catalog row as JSON entries; `kind` is the SQL of acldefault's object type. */
const ACL = (column: string, kind: string, owner: string): string => `COALESCE((
  SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
           'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
           'privilege', a.privilege_type, 'grantable', a.is_grantable))
    FROM pg_catalog.aclexplode(COALESCE(${column}, pg_catalog.acldefault(${kind}, ${owner}))) AS a), '[]'::json)`;

/** The extension an object belongs to, from pg_depend. */
const EXTENSION = (catalog: string, oid: string): string => `(
  SELECT e.extname::text FROM pg_catalog.pg_depend AS d JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid
   WHERE d.classid = '${catalog}'::pg_catalog.regclass AND d.objid = ${oid}
     AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e')`;

/**
 * Reads the rlsgen schema and everything in it from the catalogs, with
 * every name qualified: it runs before rlsgen trusts anything in the
 * database, so it reads no table or function of that schema.
 */
export async function readRlsgenCatalog(client: pg.ClientBase): Promise<RlsgenCatalog> {
  const version = Number((await client.query<{ v: string }>("SELECT pg_catalog.current_setting('server_version_num') AS v")).rows[0]?.v);
  // PostgreSQL 16 splits membership into INHERIT and SET options: a member
  // with neither gains nothing from the role.
  const usable = version >= 160000 ? 'AND (m.inherit_option OR m.set_option)' : '';
  const roles = await client.query<{ name: string; superuser: boolean; member_of: string[] }>(`
    SELECT r.rolname AS name, r.rolsuper AS superuser,
           ARRAY(SELECT g.rolname::text FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid
                  WHERE m.member = r.oid ${usable} ORDER BY 1) AS member_of
      FROM pg_catalog.pg_roles AS r ORDER BY 1`);
  const schema = await client.query<{ oid: number; owner: string; acl: AclEntry[] }>(
    `SELECT n.oid::int AS oid, pg_catalog.pg_get_userbyid(n.nspowner) AS owner, ${ACL('n.nspacl', `'n'`, 'n.nspowner')} AS acl
       FROM pg_catalog.pg_namespace AS n WHERE n.nspname = $1`,
    [RLSGEN_SCHEMA],
  );
  const found = schema.rows[0];
  const roleList = roles.rows.map((r) => ({ name: r.name, superuser: r.superuser, memberOf: r.member_of }));
  if (found === undefined) return { schema: null, objects: [], roles: roleList };
  const objects = await client.query<RlsgenObject>(
    `SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                           WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'composite type' END AS kind,
            c.relname AS name, pg_catalog.format('%I.%I', $2::text, c.relname) AS label,
            pg_catalog.pg_get_userbyid(c.relowner) AS owner,
            ${ACL('c.relacl', `(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char"`, 'c.relowner')} AS acl,
            NULL::text AS body,
            ${EXTENSION('pg_catalog.pg_class', 'c.oid')} AS extension
       FROM pg_catalog.pg_class AS c
      WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
     UNION ALL
     SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'f' THEN 'function' ELSE 'aggregate' END,
            p.proname, p.oid::pg_catalog.regprocedure::text, pg_catalog.pg_get_userbyid(p.proowner),
            ${ACL('p.proacl', `'f'`, 'p.proowner')}, p.prosrc, ${EXTENSION('pg_catalog.pg_proc', 'p.oid')}
       FROM pg_catalog.pg_proc AS p WHERE p.pronamespace = $1::oid
     UNION ALL
     SELECT 'type', t.typname, pg_catalog.format('%I.%I', $2::text, t.typname), pg_catalog.pg_get_userbyid(t.typowner), '[]'::json, NULL, ${EXTENSION('pg_catalog.pg_type', 't.oid')}
       FROM pg_catalog.pg_type AS t
      WHERE t.typnamespace = $1::oid AND t.typrelid = 0 AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
     UNION ALL
     SELECT 'operator', o.oprname, o.oid::pg_catalog.regoperator::text, pg_catalog.pg_get_userbyid(o.oprowner), '[]'::json, NULL, ${EXTENSION('pg_catalog.pg_operator', 'o.oid')}
       FROM pg_catalog.pg_operator AS o WHERE o.oprnamespace = $1::oid
     UNION ALL
     SELECT 'trigger', g.tgname, pg_catalog.format('trigger %I on %I.%I', g.tgname, $2::text, c.relname), pg_catalog.pg_get_userbyid(c.relowner), '[]'::json, NULL, NULL
       FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_class AS c ON c.oid = g.tgrelid
      WHERE c.relnamespace = $1::oid AND NOT g.tgisinternal
     ORDER BY 1, 3`,
    [found.oid, RLSGEN_SCHEMA],
  );
  return { schema: { owner: found.owner, acl: found.acl }, objects: objects.rows, roles: roleList };
}

/** Owners of the tables named (quoted, qualified), for the tables that exist. */
export async function readTableOwners(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const { rows } = await client.query<{ owner: string }>(
    `SELECT DISTINCT pg_catalog.pg_get_userbyid(c.relowner) AS owner
       FROM pg_catalog.unnest($1::text[]) AS t(name) JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(t.name)
      ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.owner);
}
