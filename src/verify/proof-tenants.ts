import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { findTableInfo, type CitusInfo, type DbSnapshot, type QualifiedName, type TableInfo } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import type { RowSeeder } from './seed-rows.js';

/** Tenants A and B of the proof and, on Citus, the node holding each one's rows. */
export interface ProofTenants {
  readonly tenants: readonly [string, string];
  /** `host:port` of A's and B's shards; null without Citus. */
  readonly nodes: readonly [string, string] | null;
  /** The table whose shards tell a tenant's node; null without Citus or when no table is distributed by the tenant key. */
  readonly placedBy: QualifiedName | null;
}

/** The table distributed by the tenant key that places a tenant on a node: the tenant table itself, else a tenant table distributed by the tenant column. */
function placingTable(citus: CitusInfo, model: Model): QualifiedName | null {
  const root = model.tenant.tableName;
  const distributed = citus.tables.filter((t) => t.method === 'distributed');
  const own = distributed.find((t) => t.table.schema === root.schema && t.table.name === root.name && t.column === model.tenant.key);
  return (own ?? distributed.find((t) => t.column === model.tenant.column))?.table ?? null;
}

/** The node (`host:port`) of the shard a tenant key maps to in `table`, '' when it has none. */
async function nodeOf(client: pg.ClientBase, table: QualifiedName, type: string, tenant: string): Promise<string> {
  const { rows } = await client.query<{ node: string }>(
    `SELECT p.nodename || ':' || p.nodeport AS node FROM pg_dist_shard_placement AS p
      WHERE p.shardid = get_shard_id_for_distribution_column($1::regclass, $2::${type}) ORDER BY 1 LIMIT 1`,
    [quoteQualified(table.schema, table.name), tenant],
  );
  return rows[0]?.node ?? '';
}

/**
 * A tenant key no tenant has whose shard lives on another node than `home`:
 * the distribution function is asked about 256 fresh candidates, so
 * the tenant created for it lands where the proof needs it.
 */
async function keyOnAnotherNode(client: pg.ClientBase, model: Model, table: QualifiedName, home: string): Promise<string | null> {
  const type = model.tenant.type;
  const tenantTable = quoteQualified(model.tenant.tableName.schema, model.tenant.tableName.name);
  // Past the largest key for integers; random, so unused, otherwise.
  const start = type === 'integer' || type === 'bigint'
    ? BigInt((await client.query<{ n: string }>(`SELECT coalesce(max(${quoteIdent(model.tenant.key)}), 0)::text AS n FROM ${tenantTable}`)).rows[0]?.n ?? '0')
    : 0n;
  const candidates = Array.from({ length: 256 }, (_, i) => (type === 'uuid' ? randomUUID() : type === 'text' ? `rlsgen-probe-${randomUUID()}` : String(start + BigInt(i + 1))));
  // The placement catalog only: Citus plans no correlated sub-query over a distributed table here.
  const { rows } = await client.query<{ k: string }>(
    `SELECT c.k FROM unnest($3::text[]) WITH ORDINALITY AS c (k, i)
      WHERE (SELECT p.nodename || ':' || p.nodeport FROM pg_dist_shard_placement AS p
              WHERE p.shardid = get_shard_id_for_distribution_column($1::regclass, c.k::${type}) ORDER BY 1 LIMIT 1) <> $2
      ORDER BY c.i LIMIT 1`,
    [quoteQualified(table.schema, table.name), home, candidates],
  );
  return rows[0]?.k ?? null;
}

/**
 * Tenants A and B of the proof: the two with the most rows (created when the
 * tenant table has fewer than two). On Citus, B's rows live on another
 * worker than A's, so the proof crosses nodes (a missing SET propagation only
 * shows there): the first tenant of the data on another node, else a probe
 * tenant created with a key the distribution function places there. When
 * the cluster cannot give two nodes, `nodes` says so and the citus-workers
 * check fails.
 */
export async function proofTenants(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, seeder: RowSeeder, tables: readonly TableInfo[]): Promise<ProofTenants> {
  const citus = snapshot.citus;
  const candidates = await seeder.tenants(citus === null ? 2 : 8, tables);
  const a = candidates[0];
  const fallback = candidates[1];
  if (a === undefined || fallback === undefined) throw new Error(`the tenant table ${model.tenant.tableName.name} needs two rows and none could be created`);
  if (citus === null) return { tenants: [a, fallback], nodes: null, placedBy: null };
  const table = placingTable(citus, model);
  if (table === null) return { tenants: [a, fallback], nodes: ['', ''], placedBy: null };
  const type = model.tenant.type;
  const home = await nodeOf(client, table, type, a);
  for (const candidate of candidates.slice(1)) {
    const node = await nodeOf(client, table, type, candidate);
    if (node !== home) return { tenants: [a, candidate], nodes: [home, node], placedBy: table };
  }
  const fresh = await keyOnAnotherNode(client, model, table, home);
  const info = findTableInfo(snapshot, model.tenant.tableName);
  if (fresh === null || info === undefined) return { tenants: [a, fallback], nodes: [home, home], placedBy: table };
  const created = await seeder.insert(info, null, 0, model.tenant.key, { [model.tenant.key]: `${quoteLiteral(fresh)}::${type}` });
  const b = created ?? fallback;
  return { tenants: [a, b], nodes: [home, await nodeOf(client, table, type, b)], placedBy: table };
}
