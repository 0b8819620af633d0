import type pg from 'pg';
import type { QualifiedName, ViewInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows, USER_SCHEMAS } from './catalog-sql.js';

interface ViewRow {
  oid: number;
  schema: string;
  name: string;
  materialized: boolean;
  owner: string;
  options: string[] | null;
  reads: QualifiedName[];
  columns: string[];
  grants: GrantRow[];
}

/** Whether a boolean reloption (`security_invoker=true`) is on. */
function option(options: readonly string[] | null, name: string): boolean {
  const entry = (options ?? []).find((o) => o.startsWith(`${name}=`));
  return entry !== undefined && ['true', 'on', '1', 'yes'].includes(entry.slice(name.length + 1).toLowerCase());
}

/** Views and materialized views, with the relations their rewrite rule reads. */
export async function readViews(client: pg.ClientBase): Promise<ViewInfo[]> {
  const views = await queryRows<ViewRow>(client, `
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized, pg_get_userbyid(c.relowner) AS owner,
           c.reloptions::text[] AS options,
           COALESCE((SELECT json_agg(DISTINCT jsonb_build_object('schema', dn.nspname, 'name', dc.relname))
                       FROM pg_rewrite rw
                       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                       JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                      WHERE rw.ev_class = c.oid AND d.refobjid <> c.oid AND dc.relkind IN ('r', 'p', 'v', 'm', 'f')), '[]'::json) AS reads,
           ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
           ${aclJson('c.relacl')} AS grants
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS}
     ORDER BY n.nspname, c.relname`);
  return views.map(
    (v): ViewInfo => ({
      oid: v.oid,
      schema: v.schema,
      name: v.name,
      materialized: v.materialized,
      owner: v.owner,
      securityInvoker: option(v.options, 'security_invoker'),
      securityBarrier: option(v.options, 'security_barrier'),
      reads: v.reads,
      columns: v.columns,
      grants: groupGrants(v.grants),
    }),
  );
}
