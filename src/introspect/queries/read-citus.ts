import type pg from 'pg';
import type { CitusInfo, CitusLoginSetting, CitusPlacement, CitusTableInfo, PolicyInfo } from '../snapshot.js';
import { POLICY_COMMANDS } from './read-policies.js';

const CITUS_METHODS: Record<string, CitusTableInfo['method']> = { h: 'distributed', n: 'reference' };

/**
 * What a placement enforces, run on its node with `%s` replaced by the
 * shard's name: the same columns the coordinator's policies are read with
 * (read-policies.ts), so the two compare as they are.
 */
const PLACEMENT_SQL = `SELECT json_build_object('rls', c.relrowsecurity, 'force', c.relforcerowsecurity, 'policies', coalesce((
    SELECT json_agg(json_build_object('name', p.polname, 'cmd', p.polcmd, 'permissive', p.polpermissive,
             'roles', ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r ORDER BY 1),
             'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)) ORDER BY p.polname)
      FROM pg_policy p WHERE p.polrelid = c.oid), '[]'))
  FROM pg_class c WHERE c.oid = '%s'::regclass`;

interface PlacementJson {
  rls: boolean;
  force: boolean;
  policies: { name: string; cmd: string; permissive: boolean; roles: string[]; using: string | null; check: string | null }[];
}

/** Every placement of one table, read on its node (run_command_on_placements); one that fails is kept with its error. */
async function readPlacements(client: pg.ClientBase, table: { oid: number; schema: string; name: string }): Promise<CitusPlacement[]> {
  const { rows } = await client.query<{ node: string; shardid: string; success: boolean; result: string }>(
    `SELECT nodename || ':' || nodeport AS node, shardid::text, success, result FROM run_command_on_placements($1::regclass, $2) ORDER BY shardid, nodename, nodeport`,
    [table.oid, PLACEMENT_SQL],
  );
  return rows.map((r) => {
    const base = { table: { schema: table.schema, name: table.name }, shard: r.shardid, node: r.node };
    if (!r.success) return { ...base, error: r.result, rlsEnabled: false, rlsForced: false, policies: [] };
    const read = JSON.parse(r.result) as PlacementJson;
    const policies = read.policies.map((p): PolicyInfo => ({ name: p.name, command: POLICY_COMMANDS[p.cmd] ?? 'ALL', permissive: p.permissive, roles: p.roles, using: p.using, check: p.check }));
    return { ...base, error: null, rlsEnabled: read.rls, rlsForced: read.force, policies };
  });
}

/**
 * The value each login role starts a session with in this database, in
 * PostgreSQL's order of precedence: its setting for this database, its
 * setting for all databases, the database's, then the server's
 * (configuration file, else built-in). A setting of a role it is a member of
 * never applies (https://www.postgresql.org/docs/current/sql-alterrole.html).
 */
async function readLoginSettings(client: pg.ClientBase): Promise<CitusLoginSetting[]> {
  const { rows } = await client.query<{ role: string; value: string }>(`
    WITH db AS (SELECT oid FROM pg_database WHERE datname = current_database()),
    entries AS (
      SELECT s.setrole, s.setdatabase, substr(c, length('citus.propagate_set_commands=') + 1) AS value
        FROM pg_db_role_setting s, unnest(s.setconfig) AS c
       WHERE c LIKE 'citus.propagate\\_set\\_commands=%' AND s.setdatabase IN (0, (SELECT oid FROM db))),
    server AS (
      SELECT coalesce((SELECT f.setting FROM pg_file_settings f WHERE f.name = 'citus.propagate_set_commands' AND f.applied ORDER BY f.seqno DESC LIMIT 1),
                      (SELECT boot_val FROM pg_settings WHERE name = 'citus.propagate_set_commands'), 'none') AS value)
    SELECT r.rolname AS role,
           coalesce((SELECT value FROM entries WHERE setrole = r.oid AND setdatabase <> 0),
                    (SELECT value FROM entries WHERE setrole = r.oid AND setdatabase = 0),
                    (SELECT value FROM entries WHERE setrole = 0),
                    (SELECT value FROM server)) AS value
      FROM pg_roles r WHERE r.rolcanlogin ORDER BY 1`);
  return rows.map((r) => ({ role: r.role, propagateSetCommands: r.value }));
}

/** Citus's catalog, what every placement enforces and how login roles propagate SET; null without the extension. */
export async function readCitus(client: pg.ClientBase): Promise<CitusInfo | null> {
  const present = await client.query<{ ok: boolean }>("SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS ok");
  if (present.rows[0]?.ok !== true) return null;
  const { rows } = await client.query<{ oid: number; schema: string; name: string; method: string; col: string | null; colocation: number }>(`
    SELECT p.logicalrelid::oid::int AS oid, n.nspname AS schema, c.relname AS name, p.partmethod::text AS method,
           CASE WHEN p.partkey IS NULL THEN NULL ELSE column_to_column_name(p.logicalrelid, p.partkey) END AS col,
           p.colocationid AS colocation
      FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     ORDER BY 2, 3`);
  const tables: CitusTableInfo[] = rows.map((r) => ({
    table: { schema: r.schema, name: r.name },
    method: CITUS_METHODS[r.method] ?? 'local',
    column: r.col,
    colocationId: r.colocation,
  }));
  const placements: CitusPlacement[] = [];
  for (const row of rows.filter((r) => CITUS_METHODS[r.method] !== undefined)) placements.push(...(await readPlacements(client, row)));
  const workers = await client.query<{ node: string }>(
    "SELECT nodename || ':' || nodeport AS node FROM pg_dist_node WHERE isactive AND noderole = 'primary' AND groupid <> 0 ORDER BY nodename, nodeport",
  );
  return { tables, placements, workers: workers.rows.map((w) => w.node), loginSettings: await readLoginSettings(client) };
}
