import type pg from 'pg';
import type { CitusInfo, CitusShardPolicies, CitusTableInfo } from '../snapshot.js';

const CITUS_METHODS: Record<string, CitusTableInfo['method']> = { h: 'distributed', n: 'reference' };

/** Citus's catalog and the policies each shard carries; null without the extension. */
export async function readCitus(client: pg.ClientBase): Promise<CitusInfo | null> {
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
