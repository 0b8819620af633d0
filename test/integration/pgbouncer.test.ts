import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectionInfo, connectionUrl, withClient } from '../../src/db/server.js';
import { createTenantPool } from '../../src/runtime/index.js';
import { findPgbouncer, type Pgbouncer, pgbouncerVersion, startPgbouncer } from '../helpers/pgbouncer.js';
import { probePython, runPytest, summarizePytest } from '../helpers/python.js';
import { appLogin, testServers } from '../helpers/servers.js';
import { countItems, FaultyClient, itemCountMismatches, runTenantStress, stressDatabase, stressTenant } from '../helpers/tenant-stress.js';
import { removeTempDir, tempDir } from '../helpers/temp.js';

/**
 * A real PgBouncer in transaction pooling mode in front of each test server:
 * 20 client connections share 5 server connections, so consecutive
 * transactions of one client land on different server connections and
 * clients share them. What rlsgen sets is transaction-local and survives
 * that; the session-level SET the negative control uses does not.
 */
const bin = findPgbouncer();
const python = probePython();
const CLIENTS = 20;
const SERVER_CONNECTIONS = 5;

async function idleInTransaction(admin: ConnectionInfo): Promise<number> {
  const { rows } = await withClient(admin, (c) =>
    c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'", [admin.database]),
  );
  return rows[0]?.n ?? -1;
}

/** Per request: a session-level SET of its tenant, then a read, as separate statements. Returns the requests that read another tenant's rows. */
async function sessionSetLeaks(pool: pg.Pool, requests: number): Promise<number> {
  let leaks = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      if (n >= requests) return;
      const tenant = stressTenant(1 + ((n * 37) % 100));
      const client = await pool.connect();
      try {
        await client.query(`SET app.company_id = '${tenant}'`);
        const { rows } = await client.query<{ c: string }>('SELECT DISTINCT company_id AS c FROM items');
        if (rows.some((row) => row.c !== tenant)) leaks++;
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return leaks;
}

describe.skipIf(bin === null)(`PgBouncer ${bin === null ? '(skipped: pgbouncer is not installed: apt-get install pgbouncer)' : pgbouncerVersion(bin)}, transaction pooling`, () => {
  describe.each(testServers())('in front of $label', (server) => {
    let db: { connection: ConnectionInfo; drop: () => Promise<void> };
    let login: ConnectionInfo;
    let bouncer: Pgbouncer;
    let through: ConnectionInfo;

    beforeAll(async () => {
      db = await stressDatabase(server, 'bouncer');
      login = await appLogin(db.connection, 'stress_app');
      bouncer = await startPgbouncer(bin ?? '', { server: db.connection, users: [login], poolSize: SERVER_CONNECTIONS });
      through = bouncer.connection(login);
    });

    afterAll(async () => {
      await bouncer?.stop();
      await db?.drop();
    });

    it('node-postgres withTenant: 20,000 requests over 100 tenants, one in seven failing (BEGIN, set_config, callback, statement): 0 leaks, 0 idle in transaction, no client leaked', async () => {
      const pool = new pg.Pool({ ...through, max: CLIENTS, Client: FaultyClient });
      const tenants = createTenantPool(pool);
      const before = await countItems(db.connection);
      try {
        const result = await runTenantStress(tenants, 20_000, CLIENTS * 2);
        expect(result.violations).toEqual([]);
        expect(result.failed).toEqual({ begin: 715, set_config: 714, callback: 714, statement: 714 });
        expect(await itemCountMismatches(db.connection, before, result.committed)).toEqual([]);
        // No client is left checked out, not even those whose BEGIN failed.
        expect({ waiting: pool.waitingCount, checkedOut: pool.totalCount - pool.idleCount }).toEqual({ waiting: 0, checkedOut: 0 });
        expect(await idleInTransaction(db.connection)).toBe(0);
        const pools = await withClient(bouncer.admin, async (c) => (await c.query<{ database: string; cl_waiting: string; sv_active: string }>('SHOW POOLS')).rows);
        const mine = pools.find((p) => p.database === db.connection.database);
        expect({ waiting: Number(mine?.cl_waiting), serverActive: Number(mine?.sv_active) }).toEqual({ waiting: 0, serverActive: 0 });
        console.log(
          `PgBouncer, node-postgres on ${server.label}: ${result.requests} requests, ${result.tenants} tenants, ${Object.values(result.failed).reduce((a, b) => a + b, 0)} failures injected ${JSON.stringify(result.failed)}, ${result.violations.length} cross-tenant reads or writes, ${await idleInTransaction(db.connection)} idle in transaction`,
        );
      } finally {
        await pool.end();
      }
      // Each server connection, held at once so that PgBouncer hands out all of them: no tenant and no session setting left.
      const plain = new pg.Pool({ ...through, max: SERVER_CONNECTIONS });
      const clients = await Promise.all(Array.from({ length: SERVER_CONNECTIONS }, () => plain.connect()));
      try {
        await Promise.all(clients.map((c) => c.query('BEGIN')));
        const states = await Promise.all(
          clients.map(async (c) => (await c.query<{ pid: number; tenant: string | null; session: number }>(
            "SELECT pg_backend_pid() AS pid, current_setting('app.company_id', true) AS tenant, (SELECT count(*)::int FROM pg_settings WHERE source = 'session' AND name NOT IN ('application_name', 'client_encoding', 'DateStyle', 'TimeZone', 'standard_conforming_strings', 'extra_float_digits', 'search_path', 'intervalstyle')) AS session",
          )).rows[0]),
        );
        expect(new Set(states.map((s) => s?.pid)).size).toBe(SERVER_CONNECTIONS);
        for (const state of states) expect([state?.tenant ?? '', state?.session]).toEqual(['', 0]);
        await Promise.all(clients.map((c) => c.query('ROLLBACK')));
      } finally {
        for (const c of clients) c.release();
        await plain.end();
      }
    });

    it.skipIf(!python.ok)(
      `SQLAlchemy (psycopg2) and psycopg 3 through PgBouncer: 0 leaks${python.ok ? '' : ` (skipped: ${python.reason})`}`,
      async () => {
        const figures = join(tempDir('bouncer-py'), 'figures.json');
        const { results, output } = await runPytest(['recipes/python/tests/pgbouncer'], {
          RLSGEN_PGBOUNCER_URL: connectionUrl(through).replace(/^postgres:/, 'postgresql:'),
          RLSGEN_STRESS_ADMIN_URL: connectionUrl(db.connection).replace(/^postgres:/, 'postgresql:'),
          RLSGEN_PGBOUNCER_FIGURES: figures,
        });
        console.log(`${summarizePytest(`PgBouncer, ${server.label}`, { results })}\n  ${existsSync(figures) ? readFileSync(figures, 'utf8') : 'no figures'}`);
        removeTempDir(dirname(figures));
        const failed = [...results].filter(([, r]) => r.outcome !== 'passed');
        expect(results.size, output).toBeGreaterThan(0);
        expect(failed, output).toEqual([]);
        expect(await idleInTransaction(db.connection)).toBe(0);
      },
    );

    it('negative control: a session-level SET leaks across requests through PgBouncer, and not on direct connections', async () => {
      const viaBouncer = new pg.Pool({ ...through, max: CLIENTS });
      const direct = new pg.Pool({ ...login, max: CLIENTS });
      try {
        const leaked = await sessionSetLeaks(viaBouncer, 2_000);
        const directLeaks = await sessionSetLeaks(direct, 2_000);
        console.log(`PgBouncer negative control on ${server.label}: session-level SET, 2000 requests: ${leaked} read another tenant's rows through PgBouncer, ${directLeaks} on direct connections`);
        expect(leaked).toBeGreaterThan(0);
        expect(directLeaks).toBe(0);
      } finally {
        await viaBouncer.end();
        await direct.end();
      }
    });
  });
});
