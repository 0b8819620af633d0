import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { setContextSecret } from '../../src/apply/set-context-secret.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { createTenantPool, TenantContextError, TenantIdError, TenantPool, withTenant } from '../../src/runtime/index.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { appLogin, crmDatabase, freshDatabase, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';
import { countItems, FaultyClient, itemCountMismatches, md5Uuid, runTenantStress, stressDatabase } from '../helpers/tenant-stress.js';

const id = md5Uuid;
const NADAN = id('company:nadan');
const SUNSTONE = id('company:sunstone');

describe.each(testServers())('rlsgen/runtime on $label', (server: TestServer) => {
  let db: { connection: ConnectionInfo; drop: () => Promise<void> };
  let login: ConnectionInfo;
  beforeAll(async () => {
    db = await crmDatabase(server);
    await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    login = await appLogin(db.connection, 'crm_app');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs fn in a transaction with the tenant set, commits, and leaves nothing on the connection', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const raw = pool.connect.bind(pool);
    const tenants = createTenantPool(pool);
    try {
      const deals = await tenants.withTenant(SUNSTONE, async (client) => (await client.query<{ c: string }>('SELECT DISTINCT company_id AS c FROM deals')).rows);
      expect(deals).toEqual([{ c: SUNSTONE }]);
      const inserted = await tenants.withTenant(NADAN, async (client) =>
        (await client.query<{ company_id: string }>("INSERT INTO pipelines (name) VALUES ('runtime') RETURNING company_id")).rows[0],
      );
      expect(inserted).toEqual({ company_id: NADAN });
      await expect(tenants.withTenant(NADAN, async (client) => {
        await client.query("INSERT INTO pipelines (name) VALUES ('rolled back')");
        throw new Error('boom');
      })).rejects.toThrow('boom');
      const names = await withClient(db.connection, async (c) => (await c.query("SELECT name FROM pipelines WHERE name IN ('runtime', 'rolled back')")).rows);
      expect(names).toEqual([{ name: 'runtime' }]);
      // The one pooled connection: no tenant, no session-level setting, no open transaction.
      const client = await raw();
      try {
        const state = await client.query<{ tenant: string | null; session: string[]; tx: string }>(
          "SELECT current_setting('app.company_id', true) AS tenant, ARRAY(SELECT name FROM pg_settings WHERE source = 'session') AS session, (SELECT state FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS tx",
        );
        expect(state.rows[0]).toEqual({ tenant: '', session: [], tx: 'active' });
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('fails loudly outside withTenant, with a used-up client, and on malformed ids', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool);
    try {
      expect(() => pool.query('SELECT 1')).toThrow(TenantContextError);
      expect(() => pool.connect()).toThrow(/pool.connect\(\) on a tenant-scoped pool outside withTenant\(\)/);
      let leaked: pg.PoolClient | null = null;
      await tenants.withTenant(NADAN, async (client) => {
        leaked = client;
        expect(() => client.release()).toThrow(/releases the client itself/);
      });
      expect(() => (leaked as unknown as pg.PoolClient).query('SELECT 1')).toThrow(/has ended/);
      for (const bad of ['', 'not-a-uuid', null, undefined, 42]) {
        await expect(tenants.withTenant(bad as unknown as string, async () => 1)).rejects.toBeInstanceOf(TenantIdError);
      }
      expect(pool.totalCount).toBeLessThanOrEqual(1);
      expect(createTenantPool(pool)).toBeInstanceOf(TenantPool);
      const own = await withClient(db.connection, async (c) => (await c.query('SELECT count(*)::int AS n FROM pipelines WHERE company_id = $1', [NADAN])).rows[0]);
      await expect(withTenant(pool, NADAN, async (c) => (await c.query('SELECT count(*)::int AS n FROM pipelines')).rows[0])).resolves.toEqual(own);
    } finally {
      await pool.end();
    }
  });

  it('rolls back and reports a transaction that failed inside fn', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool);
    try {
      await expect(
        tenants.withTenant(NADAN, async (client) => {
          await client.query("INSERT INTO pipelines (name) VALUES ('aborted')");
          await client.query('SELECT 1/0').catch(() => undefined);
        }),
      ).rejects.toThrow(/was rolled back; nothing was committed/);
      const n = await withClient(db.connection, async (c) => (await c.query("SELECT count(*)::int AS n FROM pipelines WHERE name = 'aborted'")).rows[0]);
      expect(n).toEqual({ n: 0 });
    } finally {
      await pool.end();
    }
  });

  it('destroys a connection that breaks inside fn, and the next request gets a fresh one', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool);
    try {
      await expect(
        tenants.withTenant(NADAN, async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await withClient(db.connection, (c) => c.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]));
          await client.query('SELECT 1');
        }),
      ).rejects.toThrow();
      const after = await tenants.withTenant(NADAN, async (client) => (await client.query<{ c: string }>('SELECT DISTINCT company_id AS c FROM pipelines')).rows);
      expect(after).toEqual([{ c: NADAN }]);
    } finally {
      await pool.end();
    }
  });

  it('sets the user for legacy_owner rows, which are visible to their owner within the owner\'s company only', async () => {
    const pool = new pg.Pool({ ...login, max: 2 });
    const tenants = createTenantPool(pool);
    const legacy = await withClient(db.connection, async (c) => (await c.query<{ id: string }>('INSERT INTO calls (company_id, user_id) VALUES (NULL, $1) RETURNING id', [id('user:nadan:1')])).rows[0]?.id);
    try {
      const count = (tenant: string, userId?: string) =>
        tenants.withTenant(tenant, async (c) => (await c.query('SELECT count(*)::int AS n FROM calls WHERE company_id IS NULL')).rows[0], userId === undefined ? {} : { userId });
      expect(await count(NADAN, id('user:nadan:1'))).toEqual({ n: 1 });
      // The user variable alone reaches nothing: not from another company, not for an owner without one.
      expect(await count(SUNSTONE, id('user:nadan:1'))).toEqual({ n: 0 });
      expect(await count(NADAN, id('user:orphan'))).toEqual({ n: 0 });
      expect(await count(NADAN, id('user:nadan:2'))).toEqual({ n: 0 });
      expect(await count(NADAN)).toEqual({ n: 0 });
    } finally {
      await pool.end();
      await withClient(db.connection, (c) => c.query('DELETE FROM calls WHERE id = $1', [legacy]));
    }
  });

  it('a prepared statement reused on one connection across tenants returns each tenant its own rows', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool);
    const statement = { name: 'deals_by_tenant', text: 'SELECT company_id AS c, count(*)::int AS n FROM deals GROUP BY 1' };
    try {
      for (let round = 0; round < 8; round++) {
        for (const tenant of [NADAN, SUNSTONE]) {
          const rows = await tenants.withTenant(tenant, async (c) => (await c.query(statement)).rows);
          expect(rows, `round ${round}`).toEqual([{ c: tenant, n: tenant === NADAN ? 4 : 96 }]);
        }
      }
    } finally {
      await pool.end();
    }
  });

  it('refuses a transaction open past transactionTimeoutMs: rolled back, connection closed, nothing left idle in transaction', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool, { transactionTimeoutMs: 300 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const idleInTransaction = () =>
      withClient(db.connection, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1 AND state LIKE 'idle in transaction%'", [login.user])).rows[0]?.n);
    try {
      // A request awaiting something slow with its transaction open, then using the client again.
      await expect(
        tenants.withTenant(NADAN, async (client) => {
          await client.query("INSERT INTO pipelines (name) VALUES ('expired, then queried')");
          await sleep(800);
          await client.query('SELECT 1');
        }),
      ).rejects.toThrow(/open longer than 300 ms \(transactionTimeoutMs\): it was rolled back and its connection closed/);
      // One that resolves late without touching the client: not committed either.
      await expect(
        tenants.withTenant(NADAN, async (client) => {
          await client.query("INSERT INTO pipelines (name) VALUES ('expired, then returned')");
          await sleep(800);
          return 'late';
        }),
      ).rejects.toThrow(TenantContextError);
      expect(await idleInTransaction()).toBe(0);
      const left = await withClient(db.connection, async (c) => (await c.query("SELECT count(*)::int AS n FROM pipelines WHERE name LIKE 'expired,%'")).rows[0]);
      expect(left).toEqual({ n: 0 });
      // Within the bound: committed, and the bound reached the server too; 0 leaves the server's value.
      const settings = await tenants.withTenant(NADAN, async (c) => (await c.query("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]);
      expect(settings).toEqual({ v: '300ms' });
      const unbounded = await tenants.withTenant(NADAN, async (c) => (await c.query("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0], { transactionTimeoutMs: 0 });
      expect(unbounded).toEqual({ v: '0' });
      expect(() => createTenantPool(new pg.Pool(login), { transactionTimeoutMs: -1 })).toThrow(/whole number of milliseconds/);
    } finally {
      await pool.end();
    }
  });

  it('the server ends the transaction of an application process that is stuck', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool, { transactionTimeoutMs: 400 });
    // A child process watches the backend while this process is blocked (no timer of ours can fire).
    const watch = `const pg = require('pg'); setTimeout(async () => { const c = new pg.Client(JSON.parse(process.env.ADMIN)); await c.connect();
      const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [Number(process.env.PID)]); console.log(r.rows[0].n); await c.end(); }, 1500);`;
    try {
      let seen = '';
      await expect(
        tenants.withTenant(SUNSTONE, async (client) => {
          await client.query("INSERT INTO pipelines (name) VALUES ('stuck')");
          const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
          seen = execFileSync(process.execPath, ['-e', watch], { env: { ...process.env, ADMIN: JSON.stringify(db.connection), PID: String(pid) }, encoding: 'utf8' });
          await client.query('SELECT 1');
        }),
      ).rejects.toThrow();
      expect(seen.trim()).toBe('0');
      const left = await withClient(db.connection, async (c) => (await c.query("SELECT count(*)::int AS n FROM pipelines WHERE name = 'stuck'")).rows[0]);
      expect(left).toEqual({ n: 0 });
      const after = await tenants.withTenant(SUNSTONE, async (c) => (await c.query<{ c: string }>('SELECT DISTINCT company_id AS c FROM pipelines')).rows);
      expect(after).toEqual([{ c: SUNSTONE }]);
    } finally {
      await pool.end();
    }
  });

  it('citus mode: SET LOCAL with a validated, quoted literal', async () => {
    const pool = new pg.Pool({ ...login, max: 1 });
    const tenants = createTenantPool(pool, { mode: 'citus' });
    try {
      const rows = await tenants.withTenant(SUNSTONE, async (c) => (await c.query('SELECT DISTINCT company_id AS c FROM contacts')).rows);
      expect(rows).toEqual([{ c: SUNSTONE }]);
    } finally {
      await pool.end();
    }
    const text = new pg.Pool({ ...login, max: 1 });
    const textTenants = createTenantPool(text, { mode: 'citus', type: 'text', setting: 'app.label' });
    try {
      const value = await textTenants.withTenant("o'neil; DROP TABLE deals; --", async (c) => (await c.query("SELECT current_setting('app.label') AS v")).rows[0]);
      expect(value).toEqual({ v: "o'neil; DROP TABLE deals; --" });
    } finally {
      await text.end();
    }
  });
});

describe.each(testServers())('signed tenant context on $label', (server) => {
  it('works through the runtime; forged, expired and other-tenant tokens see and write nothing', async () => {
    const db = await freshDatabase(server, 'signed');
    try {
      await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
      await applyMigrations({ connection: db.connection, dir: 'test/golden/signed/expected' });
      const secret = await setContextSecret(db.connection);
      const login = await appLogin(db.connection, 'wa_signed_app');
      const pool = new pg.Pool({ ...login, max: 2 });
      const tenants = createTenantPool(pool, { mode: 'signed', secret, setting: 'app.company_id' });
      const orgA = id('org:a');
      const orgB = id('org:b');
      try {
        const own = await tenants.withTenant(orgA, async (c) => (await c.query('SELECT DISTINCT organization_id AS o FROM orders')).rows);
        expect(own).toEqual([{ o: orgA }]);
        // Injected SQL can call set_config, but cannot sign.
        const raw = new pg.Client(login);
        await raw.connect();
        try {
          const token = await tenants.withTenant(orgA, async (c) => (await c.query("SELECT current_setting('app.company_id') AS t")).rows[0]?.t as string);
          const pid = (await raw.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
          const attempts = {
            forged: token.replace(orgA, orgB),
            otherConnection: token,
            expired: token.replace(/^v1\.\d+\./, 'v1.1.'),
            plainId: orgB,
            rebound: token.replace(/^(v1\.\d+\.)\d+\./, `$1${pid}.`),
          };
          for (const [label, value] of Object.entries(attempts)) {
            await raw.query('BEGIN');
            await raw.query('SELECT set_config($1, $2, true)', ['app.company_id', value]);
            const seen = (await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]?.n;
            expect(seen, label).toBe(0);
            const write = await raw.query("INSERT INTO orders (organization_id, customer_id) VALUES ($1, NULL)", [orgB]).then(() => 'inserted', (e: { code?: string }) => e.code);
            expect(write, label).toBe('42501');
            await raw.query('ROLLBACK');
          }
        } finally {
          await raw.end();
        }
      } finally {
        await pool.end();
      }
      const loaded = loadManifest(readFileSync('test/golden/signed/policies.yaml', 'utf8'), 'policies.yaml');
      if (!loaded.ok) throw new Error('manifest');
      const result = await withClient(db.connection, (client) => verifyIsolation({ model: loaded.model, client }));
      expect(result.tables.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.table} ${c.check} ${c.detail}`))).toEqual([]);
      expect(result.tables.find((t) => t.table === 'orders')?.checks.find((c) => c.check === 'signed-token')?.status).toBe('pass');
    } finally {
      await db.drop();
    }
  });
});

describe.each(testServers())('stress on $label', (server) => {
  it('20,000 requests over 100 tenants through 10 connections, one in seven failing (BEGIN, set_config, callback, statement): nothing crosses tenants', async () => {
    const db = await stressDatabase(server, 'stress');
    try {
      const login = await appLogin(db.connection, 'stress_app');
      const pool = new pg.Pool({ ...login, max: 10, Client: FaultyClient });
      const raw = pool.connect.bind(pool);
      const tenants = createTenantPool(pool);
      const before = await countItems(db.connection);
      const result = await runTenantStress(tenants, 20_000, 20);
      expect(result.violations).toEqual([]);
      expect(result.failed).toEqual({ begin: 715, set_config: 714, callback: 714, statement: 714 });
      expect(await itemCountMismatches(db.connection, before, result.committed)).toEqual([]);
      // Every pooled connection comes back with no tenant on it, and none is left checked out.
      expect([pool.waitingCount, pool.idleCount]).toEqual([0, pool.totalCount]);
      const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => raw()));
      try {
        for (const client of clients) {
          const state = (await client.query<{ t: string | null }>("SELECT current_setting('app.company_id', true) AS t")).rows[0];
          expect(state?.t === '' || state?.t === null).toBe(true);
        }
        expect(clients.length).toBe(10);
      } finally {
        for (const client of clients) client.release();
      }
      await pool.end();
    } finally {
      await db.drop();
    }
  });
});
