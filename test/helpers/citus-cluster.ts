import { randomBytes } from 'node:crypto';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { dropTestDatabase } from './servers.js';

/** A database of its own on a Citus cluster: on the coordinator and on the workers it was given. */
export interface CitusDatabase {
  readonly connection: ConnectionInfo;
  /** Each worker's connection to this database. */
  readonly workers: readonly ConnectionInfo[];
  drop(): Promise<void>;
}

/**
 * A fresh database on the cluster whose coordinator `lane` names (a
 * superuser connection to a database with the citus extension and its
 * workers added): created on the coordinator and on `workers` of its workers
 * (all by default) with the citus extension, the coordinator registered and
 * those workers added, so each test starts from an empty cluster. The
 * workers are reached with the coordinator's credentials.
 */
export async function createCitusDatabase(lane: ConnectionInfo, workers?: number): Promise<CitusDatabase> {
  const { coordinator, nodes } = await withClient(lane, async (c) => {
    const rows = (await c.query<{ host: string; port: number; group: number }>("SELECT nodename AS host, nodeport AS port, groupid AS group FROM pg_dist_node WHERE noderole = 'primary' AND isactive ORDER BY groupid")).rows;
    return { coordinator: rows.find((r) => r.group === 0) ?? { host: lane.host, port: lane.port }, nodes: rows.filter((r) => r.group !== 0) };
  });
  const chosen = nodes.slice(0, workers ?? nodes.length);
  const name = `rlsgen_citus_${randomBytes(4).toString('hex')}`;
  const on = (node: { host: string; port: number }, database = name): ConnectionInfo => ({ ...lane, host: node.host, port: node.port, database });
  const made: ConnectionInfo[] = [];
  const drop = async (): Promise<void> => {
    for (const db of made.reverse()) await withClient({ ...db, database: lane.database }, (c) => dropTestDatabase(c, name));
  };
  try {
    for (const node of chosen) {
      await withClient(on(node, lane.database), (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      made.push(on(node));
      await withClient(on(node), (c) => c.query('CREATE EXTENSION citus'));
    }
    await withClient(lane, async (c) => {
      await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
      // Four shards per table (two a worker) instead of 32: the same routing, a fraction of the placements to create and probe.
      await c.query(`ALTER DATABASE ${quoteIdent(name)} SET citus.shard_count = 4`);
    });
    const connection = { ...lane, database: name };
    made.push(connection);
    await withClient(connection, async (c) => {
      await c.query('CREATE EXTENSION citus');
      await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.host, coordinator.port]);
      for (const node of chosen) await c.query('SELECT citus_add_node($1, $2)', [node.host, node.port]);
    });
    return { connection, workers: chosen.map((n) => on(n)), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
