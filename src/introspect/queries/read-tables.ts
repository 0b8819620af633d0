import type pg from 'pg';
import type { QualifiedName, TableInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows, USER_SCHEMAS } from './catalog-sql.js';
import { readColumns } from './read-columns.js';
import { readConstraints } from './read-constraints.js';
import { readIndexes } from './read-indexes.js';
import { readPolicies } from './read-policies.js';
import { readTriggers } from './read-triggers.js';

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
  partition_key: (string | null)[];
  grants: GrantRow[];
  column_grants: GrantRow[];
}

/**
 * Every ordinary and partitioned table of the user's schemas, with its
 * columns, constraints, indexes, policies, triggers and grants: one query
 * per kind of object, whatever the number of tables.
 */
export async function readTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const tables = await queryRows<TableRow>(client, `
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
           pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
           c.reltuples::float8 AS estimated_rows, c.relispartition AS is_partition,
           (SELECT json_build_object('schema', pn.nspname, 'name', p.relname)
              FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno LIMIT 1) AS parent,
           ARRAY(SELECT a.attname::text FROM pg_partitioned_table pt CROSS JOIN LATERAL unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(num, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.num
                  WHERE pt.partrelid = c.oid ORDER BY k.ord) AS partition_key,
           ${aclJson('c.relacl')} AS grants,
           COALESCE((SELECT json_agg(DISTINCT jsonb_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                                                  'privilege', a.privilege_type))
                       FROM pg_attribute col, aclexplode(col.attacl) AS a
                      WHERE col.attrelid = c.oid AND col.attnum > 0 AND NOT col.attisdropped AND col.attacl IS NOT NULL), '[]'::json) AS column_grants
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
     ORDER BY n.nspname, c.relname`);
  const columns = await readColumns(client);
  const constraints = await readConstraints(client);
  const indexes = await readIndexes(client);
  const policies = await readPolicies(client);
  const triggers = await readTriggers(client);
  return tables.map((t) => {
    const cons = constraints.get(t.oid);
    return Object.freeze({
      oid: t.oid,
      schema: t.schema,
      name: t.name,
      kind: t.kind === 'p' ? 'partitioned' : 'table',
      owner: t.owner,
      rlsEnabled: t.rls_enabled,
      rlsForced: t.rls_forced,
      estimatedRows: Math.max(0, t.estimated_rows),
      columns: columns.get(t.oid) ?? [],
      primaryKey: cons?.primaryKey ?? null,
      uniques: cons?.uniques ?? [],
      foreignKeys: cons?.foreignKeys ?? [],
      checks: cons?.checks ?? [],
      indexes: indexes.get(t.oid) ?? [],
      policies: policies.get(t.oid) ?? [],
      triggers: triggers.get(t.oid) ?? [],
      grants: groupGrants(t.grants),
      columnGrants: groupGrants(t.column_grants),
      parent: t.parent,
      isPartition: t.is_partition,
      partitionKey: t.partition_key,
    });
  });
}
