import type pg from 'pg';
import type { FunctionInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows } from './catalog-sql.js';

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
  grants: GrantRow[];
}

/** Functions and procedures outside pg_catalog, with their security attributes and source. */
export async function readFunctions(client: pg.ClientBase): Promise<FunctionInfo[]> {
  const functions = await queryRows<FunctionRow>(client, `
    SELECT p.oid::int AS oid, n.nspname AS schema, p.proname AS name, oidvectortypes(p.proargtypes) AS args,
           l.lanname AS language, p.prosecdef AS security_definer, p.provolatile::text AS volatility, p.proleakproof AS leakproof,
           (SELECT substr(c, 13) FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%') AS search_path,
           pg_get_userbyid(p.proowner) AS owner, p.prosrc AS source,
           EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') AS from_extension,
           ${aclJson("COALESCE(p.proacl, acldefault('f', p.proowner))")} AS grants
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
     ORDER BY n.nspname, p.proname, 4`);
  return functions.map(
    (f): FunctionInfo => ({
      oid: f.oid,
      schema: f.schema,
      name: f.name,
      signature: `${f.name}(${f.args})`,
      argumentTypes: f.args,
      language: f.language,
      securityDefiner: f.security_definer,
      volatility: f.volatility === 'i' ? 'immutable' : f.volatility === 's' ? 'stable' : 'volatile',
      leakproof: f.leakproof,
      searchPath: f.search_path,
      owner: f.owner,
      source: f.source,
      fromExtension: f.from_extension,
      grants: groupGrants(f.grants),
    }),
  );
}
