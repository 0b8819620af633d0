import type pg from 'pg';
import { readRlsgenCatalog } from '../apply/rlsgen-catalog.js';
import type {
  CitusInfo,
  CitusShardPolicies,
  CitusTableInfo,
  ColumnInfo,
  ConstraintInfo,
  DbSnapshot,
  DefaultPrivilegeInfo,
  ForeignKeyInfo,
  FunctionInfo,
  GrantInfo,
  IndexInfo,
  PolicyInfo,
  QualifiedName,
  RoleInfo,
  TableInfo,
  TriggerInfo,
  ViewInfo,
} from './snapshot.js';

// Schemas that hold no application tables. rlsgen's own helper schema is
// left out too: its objects are checked through the manifest, not as tables.
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'rlsgen')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  owner: string;
  rls_enabled: boolean;
  rls_forced: boolean;
  estimated_rows: number;
  is_partition: boolean;
  parent: QualifiedName | null;
  grants: { grantee: string; privilege: string }[];
}
interface ColumnRow {
  oid: number;
  name: string;
  type: string;
  category: string;
  not_null: boolean;
  default: string | null;
  identity: boolean;
  generated: boolean;
  enum_labels: string[] | null;
}
interface ConstraintRow {
  oid: number;
  name: string;
  type: 'p' | 'u' | 'f' | 'c';
  validated: boolean;
  definition: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
}
interface IndexRow {
  oid: number;
  name: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  partial: boolean;
  definition: string;
  columns: (string | null)[];
}
interface PolicyRow {
  oid: number;
  name: string;
  cmd: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  check: string | null;
}
interface TriggerRow {
  oid: number;
  name: string;
  fschema: string;
  fname: string;
  definition: string;
}
interface ViewRow {
  schema: string;
  name: string;
  materialized: boolean;
  owner: string;
  options: string[] | null;
  reads: QualifiedName[];
}
interface FunctionRow {
  oid: number;
  schema: string;
  name: string;
  args: string;
  language: string;
  security_definer: boolean;
  volatility: string;
  leakproof: boolean;
  search_path: string | null;
  owner: string;
  source: string;
  from_extension: boolean;
}
interface RoleRow {
  name: string;
  superuser: boolean;
  bypass_rls: boolean;
  can_login: boolean;
  inherit: boolean;
  member_of: string[];
}
interface DefaultPrivilegeRow {
  owner: string;
  schema: string | null;
  type: string;
  grants: { grantee: string; privilege: string }[];
}

const COMMANDS: Record<string, PolicyInfo['command']> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };
const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const OBJECT_TYPES: Record<string, DefaultPrivilegeInfo['objectType']> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

function groupGrants(rows: readonly { grantee: string; privilege: string }[]): GrantInfo[] {
  const by = new Map<string, string[]>();
  for (const row of rows) by.set(row.grantee, [...(by.get(row.grantee) ?? []), row.privilege]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([grantee, privileges]) => ({ grantee, privileges: privileges.sort() }));
}

function option(options: readonly string[] | null, name: string): boolean {
  const entry = (options ?? []).find((o) => o.startsWith(`${name}=`));
  return entry !== undefined && ['true', 'on', '1', 'yes'].includes(entry.slice(name.length + 1).toLowerCase());
}

const byOid = <T extends { oid: number }>(rows: readonly T[]): Map<number, T[]> => {
  const map = new Map<number, T[]>();
  for (const row of rows) map.set(row.oid, [...(map.get(row.oid) ?? []), row]);
  return map;
};

/**
 * Reads the catalogs into a snapshot: one query per kind of object, whatever
 * the number of tables. Works on PostgreSQL 13 and newer.
 */
export async function introspectDatabase(client: pg.ClientBase): Promise<DbSnapshot> {
  const q = async <T extends object>(sql: string): Promise<T[]> => (await client.query<T>(sql)).rows;
  const [info] = await q<{ version: string; database: string; current_user: string }>(
    "SELECT current_setting('server_version_num') AS version, current_database() AS database, current_user AS current_user",
  );
  const tables = await q<TableRow>(`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
           pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
           c.reltuples::float8 AS estimated_rows, c.relispartition AS is_partition,
           (SELECT json_build_object('schema', pn.nspname, 'name', p.relname)
              FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno LIMIT 1) AS parent,
           COALESCE((SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                                       'privilege', a.privilege_type))
                       FROM aclexplode(c.relacl) AS a), '[]'::json) AS grants
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
     ORDER BY n.nspname, c.relname`);
  const columns = byOid(
    await q<ColumnRow>(`
    SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           COALESCE(bt.typcategory, t.typcategory)::text AS category, a.attnotnull AS not_null,
           pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
           (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS enum_labels
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
     ORDER BY a.attrelid, a.attnum`),
  );
  const constraints = byOid(
    await q<ConstraintRow>(`
    SELECT con.conrelid::int AS oid, con.conname AS name, con.contype::text AS type, con.convalidated AS validated,
           pg_get_constraintdef(con.oid) AS definition,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
           rn.nspname AS ref_schema, rc.relname AS ref_table,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns,
           con.confdeltype::text AS on_delete
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class rc ON rc.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE con.contype IN ('p', 'u', 'f', 'c') AND ${USER_SCHEMAS}
     ORDER BY con.conrelid, con.conname`),
  );
  const indexes = byOid(
    await q<IndexRow>(`
    SELECT i.indrelid::int AS oid, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
           i.indisvalid AS valid, i.indpred IS NOT NULL AS partial, pg_get_indexdef(i.indexrelid) AS definition,
           ARRAY(SELECT CASE WHEN k.num = 0 THEN NULL ELSE a.attname::text END
                   FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                  WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_SCHEMAS}
     ORDER BY i.indrelid, ic.relname`),
  );
  const policies = byOid(
    await q<PolicyRow>(`
    SELECT p.polrelid::int AS oid, p.polname AS name, p.polcmd::text AS cmd, p.polpermissive AS permissive,
           ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
           pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p ORDER BY p.polrelid, p.polname`),
  );
  const triggers = byOid(
    await q<TriggerRow>(`
    SELECT t.tgrelid::int AS oid, t.tgname AS name, pn.nspname AS fschema, p.proname AS fname, pg_get_triggerdef(t.oid) AS definition
      FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
     WHERE NOT t.tgisinternal ORDER BY t.tgrelid, t.tgname`),
  );
  const views = await q<ViewRow>(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized, pg_get_userbyid(c.relowner) AS owner,
           c.reloptions::text[] AS options,
           COALESCE((SELECT json_agg(DISTINCT jsonb_build_object('schema', dn.nspname, 'name', dc.relname))
                       FROM pg_rewrite rw
                       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                       JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                      WHERE rw.ev_class = c.oid AND d.refobjid <> c.oid AND dc.relkind IN ('r', 'p', 'v', 'm', 'f')), '[]'::json) AS reads
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS}
     ORDER BY n.nspname, c.relname`);
  const functions = await q<FunctionRow>(`
    SELECT p.oid::int AS oid, n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
           l.lanname AS language, p.prosecdef AS security_definer, p.provolatile::text AS volatility, p.proleakproof AS leakproof,
           (SELECT substr(c, 13) FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%') AS search_path,
           pg_get_userbyid(p.proowner) AS owner, p.prosrc AS source,
           EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') AS from_extension
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
     ORDER BY n.nspname, p.proname, 4`);
  const roles = await q<RoleRow>(`
    SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcanlogin AS can_login, r.rolinherit AS inherit,
           ARRAY(SELECT b.rolname::text FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of
      FROM pg_roles r ORDER BY r.rolname`);
  const defaults = await q<DefaultPrivilegeRow>(`
    SELECT pg_get_userbyid(d.defaclrole) AS owner, n.nspname AS schema, d.defaclobjtype::text AS type,
           COALESCE((SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                                       'privilege', a.privilege_type))
                       FROM aclexplode(d.defaclacl) AS a), '[]'::json) AS grants
      FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
     ORDER BY 1, 2, 3`);

  const roleSettings = await q<{ role: string; settings: string[] }>(`
    SELECT r.rolname AS role, array_agg(c ORDER BY c) AS settings
      FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS c
     WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
     GROUP BY r.rolname ORDER BY r.rolname`);
  const citus = await introspectCitus(client);

  const tableInfos: TableInfo[] = tables.map((t) => {
    const cons = constraints.get(t.oid) ?? [];
    const constraint = (c: ConstraintRow): ConstraintInfo => ({ name: c.name, columns: c.columns, validated: c.validated, definition: c.definition });
    const primary = cons.find((c) => c.type === 'p');
    return Object.freeze({
      oid: t.oid,
      schema: t.schema,
      name: t.name,
      kind: t.kind === 'p' ? 'partitioned' : 'table',
      owner: t.owner,
      rlsEnabled: t.rls_enabled,
      rlsForced: t.rls_forced,
      estimatedRows: Math.max(0, t.estimated_rows),
      columns: (columns.get(t.oid) ?? []).map(
        (c): ColumnInfo => ({
          name: c.name,
          type: c.type,
          typeCategory: c.category,
          notNull: c.not_null,
          default: c.default,
          identity: c.identity,
          generated: c.generated,
          enumLabels: c.enum_labels,
        }),
      ),
      primaryKey: primary === undefined ? null : primary.columns,
      uniques: cons.filter((c) => c.type === 'u').map(constraint),
      foreignKeys: cons
        .filter((c) => c.type === 'f')
        .map(
          (c): ForeignKeyInfo => ({
            name: c.name,
            columns: c.columns,
            references: { schema: c.ref_schema ?? '', name: c.ref_table ?? '' },
            referencedColumns: c.ref_columns,
            onDelete: ON_DELETE[c.on_delete] ?? c.on_delete,
            validated: c.validated,
            definition: c.definition,
          }),
        ),
      checks: cons.filter((c) => c.type === 'c').map(constraint),
      indexes: (indexes.get(t.oid) ?? []).map(
        (i): IndexInfo => ({
          name: i.name,
          columns: i.columns,
          unique: i.unique,
          primary: i.primary,
          valid: i.valid,
          partial: i.partial,
          definition: i.definition,
        }),
      ),
      policies: (policies.get(t.oid) ?? []).map(
        (p): PolicyInfo => ({
          name: p.name,
          command: COMMANDS[p.cmd] ?? 'ALL',
          permissive: p.permissive,
          roles: p.roles,
          using: p.using,
          check: p.check,
        }),
      ),
      triggers: (triggers.get(t.oid) ?? []).map(
        (tr): TriggerInfo => ({ name: tr.name, function: { schema: tr.fschema, name: tr.fname }, definition: tr.definition }),
      ),
      grants: groupGrants(t.grants),
      parent: t.parent,
      isPartition: t.is_partition,
    });
  });

  const rlsgen = await readRlsgenCatalog(client);
  return Object.freeze({
    rlsgen,
    serverVersionNum: Number(info?.version ?? 0),
    database: info?.database ?? '',
    currentUser: info?.current_user ?? '',
    tables: tableInfos,
    views: views.map(
      (v): ViewInfo => ({
        schema: v.schema,
        name: v.name,
        materialized: v.materialized,
        owner: v.owner,
        securityInvoker: option(v.options, 'security_invoker'),
        securityBarrier: option(v.options, 'security_barrier'),
        reads: v.reads,
      }),
    ),
    functions: functions.map(
      (f): FunctionInfo => ({
        oid: f.oid,
        schema: f.schema,
        name: f.name,
        signature: `${f.name}(${f.args})`,
        language: f.language,
        securityDefiner: f.security_definer,
        volatility: f.volatility === 'i' ? 'immutable' : f.volatility === 's' ? 'stable' : 'volatile',
        leakproof: f.leakproof,
        searchPath: f.search_path,
        owner: f.owner,
        source: f.source,
        fromExtension: f.from_extension,
      }),
    ),
    roles: roles.map(
      (r): RoleInfo => ({
        name: r.name,
        superuser: r.superuser,
        bypassRls: r.bypass_rls,
        canLogin: r.can_login,
        inherit: r.inherit,
        memberOf: r.member_of,
      }),
    ),
    roleSettings,
    citus,
    defaultPrivileges: defaults.map(
      (d): DefaultPrivilegeInfo => ({
        owner: d.owner,
        schema: d.schema,
        objectType: OBJECT_TYPES[d.type] ?? 'tables',
        grants: groupGrants(d.grants),
      }),
    ),
  });
}

const CITUS_METHODS: Record<string, CitusTableInfo['method']> = { h: 'distributed', n: 'reference' };

/** Citus's catalog and the policies each shard carries; null without the extension. */
async function introspectCitus(client: pg.ClientBase): Promise<CitusInfo | null> {
  const present = await client.query<{ ok: boolean }>("SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS ok");
  if (present.rows[0]?.ok !== true) return null;
  const { rows } = await client.query<{ oid: number; schema: string; name: string; method: string; col: string | null; colocation: number; replicated: boolean }>(`
    SELECT p.logicalrelid::oid::int AS oid, n.nspname AS schema, c.relname AS name, p.partmethod::text AS method,
           CASE WHEN p.partkey IS NULL THEN NULL ELSE column_to_column_name(p.logicalrelid, p.partkey) END AS col,
           p.colocationid AS colocation, p.repmodel = 't' AS replicated
      FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     ORDER BY 2, 3`);
  const tables: CitusTableInfo[] = rows.map((r) => ({
    table: { schema: r.schema, name: r.name },
    method: CITUS_METHODS[r.method] ?? 'local',
    column: r.col,
    colocationId: r.colocation,
  }));
  const shardPolicies: CitusShardPolicies[] = [];
  for (const row of rows.filter((r) => r.method === 'h')) {
    const shards = await client.query<{ shardid: string; result: string; success: boolean }>(
      `SELECT shardid::text, result, success FROM run_command_on_shards($1::regclass,
         $$SELECT coalesce(json_agg(json_build_object('name', polname, 'permissive', polpermissive) ORDER BY polname), '[]') FROM pg_policy WHERE polrelid = '%s'::regclass$$)`,
      [row.oid],
    );
    for (const shard of shards.rows) {
      if (!shard.success) continue;
      shardPolicies.push({ table: { schema: row.schema, name: row.name }, shard: shard.shardid, policies: JSON.parse(shard.result) as { name: string; permissive: boolean }[] });
    }
  }
  return { tables, shardPolicies };
}
