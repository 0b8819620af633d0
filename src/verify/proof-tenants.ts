import type pg from 'pg';
import type { DbSnapshot, TableInfo } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { quoteQualified } from '../sql/quote.js';
import type { RowSeeder } from './seed-rows.js';

/** The first candidate whose rows live on another node than the first candidate's. */
async function tenantOnAnotherNode(client: pg.ClientBase, model: Model, candidates: readonly string[]): Promise<string | undefined> {
  const root = quoteQualified(model.tenant.tableName.schema, model.tenant.tableName.name);
  const nodeOf = async (tenant: string): Promise<string> => {
    const { rows } = await client.query<{ node: string }>(
      `SELECT p.nodename || ':' || p.nodeport AS node FROM pg_dist_shard_placement AS p
        WHERE p.shardid = get_shard_id_for_distribution_column($1::regclass, $2::${model.tenant.type}) LIMIT 1`,
      [root, tenant],
    );
    return rows[0]?.node ?? '';
  };
  const first = candidates[0];
  if (first === undefined) return undefined;
  const home = await nodeOf(first);
  for (const candidate of candidates.slice(1)) if ((await nodeOf(candidate)) !== home) return candidate;
  return candidates[1];
}

/**
 * Tenants A and B of the proof: the two with the most rows (created when the
 * tenant table has fewer than two). On Citus, A and B live on different
 * workers when the data allows it, so the proof crosses nodes (a missing SET
 * propagation only shows there).
 */
export async function proofTenants(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, seeder: RowSeeder, tables: readonly TableInfo[]): Promise<[string, string]> {
  const candidates = await seeder.tenants(snapshot.citus === null ? 2 : 8, tables);
  const a = candidates[0];
  const b = snapshot.citus === null ? candidates[1] : await tenantOnAnotherNode(client, model, candidates);
  if (a === undefined || b === undefined) throw new Error(`the tenant table ${model.tenant.tableName.name} needs two rows and none could be created`);
  return [a, b];
}
