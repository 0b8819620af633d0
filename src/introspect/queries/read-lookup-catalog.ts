import type pg from 'pg';

/** A function as the lookup probe judges it. */
export interface RoutineFacts {
  readonly owner: string;
  readonly securityDefiner: boolean;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly searchPath: string | null;
  /** Number of input arguments. */
  readonly arguments: number;
  /** Names of the OUT / TABLE columns, in order. */
  readonly resultColumns: readonly string[];
  /** Roles that may execute it (`PUBLIC` included when granted, as by default). */
  readonly executors: readonly string[];
}

/** What a role may do in this database, as the lookup probe judges the lookup role. */
export interface RoleReach {
  /** `schema.table` of every table the role holds a table-level privilege on, with the privilege: `public.users:SELECT`. */
  readonly tablePrivileges: readonly string[];
  /** `schema.table.column:PRIVILEGE` of every column privilege it holds. */
  readonly columnPrivileges: readonly string[];
  /** Objects it owns in this database other than the functions named, as pg_describe_object prints them. */
  readonly ownsOther: readonly string[];
}

/** The function `schema.name`, or null when there is none (or several: a lookup's name is unique in its schema). */
export async function readRoutineFacts(client: pg.ClientBase, schema: string, name: string): Promise<RoutineFacts | null> {
  const { rows } = await client.query<{ owner: string; definer: boolean; volatility: string; strict: boolean; search_path: string | null; arguments: number; result_columns: string[]; executors: string[] }>(
    `SELECT pg_get_userbyid(p.proowner) AS owner, p.prosecdef AS definer, p.provolatile::text AS volatility, p.proisstrict AS strict,
            (SELECT substr(c, 13) FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%') AS search_path, p.pronargs::int AS arguments,
            ARRAY(SELECT a.n FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY AS a(n, m, i) WHERE a.m IN ('t', 'o') ORDER BY a.i)::text[] AS result_columns,
            CASE WHEN p.proacl IS NULL THEN ARRAY['PUBLIC', pg_get_userbyid(p.proowner)]::text[]
                 ELSE ARRAY(SELECT DISTINCT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END
                              FROM aclexplode(p.proacl) AS x WHERE x.privilege_type = 'EXECUTE' ORDER BY 1)::text[] END AS executors
       FROM pg_proc AS p WHERE p.pronamespace = to_regnamespace($1) AND p.proname = $2`,
    [schema, name],
  );
  const row = rows[0];
  if (row === undefined || rows.length > 1) return null;
  return {
    owner: row.owner,
    securityDefiner: row.definer,
    volatility: row.volatility === 'i' ? 'immutable' : row.volatility === 's' ? 'stable' : 'volatile',
    strict: row.strict,
    searchPath: row.search_path,
    arguments: row.arguments,
    resultColumns: row.result_columns,
    executors: row.executors,
  };
}

/** The privileges and objects of `role` in this database; `functions` (schema and names) are the ones it is meant to own. */
export async function readRoleReach(client: pg.ClientBase, role: string, functions: { readonly schema: string; readonly names: readonly string[] }): Promise<RoleReach> {
  const { rows } = await client.query<{ tables: string[]; columns: string[]; owns: string[] }>(
    `WITH r AS (SELECT oid FROM pg_roles WHERE rolname = $1)
     SELECT ARRAY(SELECT format('%s.%s:%s', n.nspname, c.relname, x.privilege_type)
                    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace, aclexplode(c.relacl) AS x
                   WHERE x.grantee = (SELECT oid FROM r) ORDER BY 1) AS tables,
            ARRAY(SELECT format('%s.%s.%s:%s', n.nspname, c.relname, a.attname, x.privilege_type)
                    FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace,
                         aclexplode(a.attacl) AS x
                   WHERE x.grantee = (SELECT oid FROM r) AND NOT a.attisdropped ORDER BY 1) AS columns,
            ARRAY(SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
                    FROM pg_shdepend AS d
                   WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = (SELECT oid FROM r) AND d.deptype = 'o'
                     AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                     AND NOT (d.classid = 'pg_proc'::regclass AND d.objid IN (
                       SELECT p.oid FROM pg_proc AS p WHERE p.pronamespace = to_regnamespace($2) AND p.proname = ANY ($3::text[])))
                   ORDER BY 1) AS owns`,
    [role, functions.schema, [...functions.names]],
  );
  const row = rows[0];
  return { tablePrivileges: row?.tables ?? [], columnPrivileges: row?.columns ?? [], ownsOther: row?.owns ?? [] };
}
