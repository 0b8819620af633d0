import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { setContextSecret } from '../../src/apply/set-context-secret.js';
import { withClient } from '../../src/db/server.js';
import { createTenantPool, lookup, signTenantToken, signUserToken } from '../../src/runtime/index.js';
import { fixtureId } from '../helpers/fixture-id.js';
import { appLogin, freshDatabase, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';

const id = fixtureId;

describe.each(testServers())('signed context: the user of legacy_owner rows, and lookups, on $label', (server: TestServer) => {
  it('shows a row without a tenant to its owner only with a signed user of the current tenant', async () => {
    const db = await freshDatabase(server, 'signeduser');
    try {
      await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
      await applyMigrations({ connection: db.connection, dir: 'test/golden/signed/expected' });
      const secret = await setContextSecret(db.connection);
      const legacy = id('cust:legacy');
      await withClient(db.connection, (c) => c.query('INSERT INTO customers (id, organization_id, owner_id, wa_id) VALUES ($1, NULL, $2, $3)', [legacy, id('user:a'), 'wa-legacy']));
      const login = await appLogin(db.connection, 'wa_signed_app');
      const pool = new pg.Pool({ ...login, max: 2 });
      const tenants = createTenantPool(pool, { mode: 'signed', secret, setting: 'app.company_id' });
      const legacyRows = (tenant: string, userId: string): Promise<number> =>
        tenants.withTenant(tenant, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE organization_id IS NULL')).rows[0]?.n ?? -1, { userId });
      try {
        expect(await legacyRows(id('org:a'), id('user:a'))).toBe(1);
        // The owner is A's: with B set, the same signed user sees nothing.
        expect(await legacyRows(id('org:b'), id('user:a'))).toBe(0);
        expect(await legacyRows(id('org:a'), id('user:b'))).toBe(0);
        // A lookup works on the signed pool too, outside withTenant.
        expect(await lookup(pool, 'order_organization', id('order:b'))).toEqual({ organization_id: id('org:b') });
      } finally {
        await pool.end();
      }
      // SQL injected into the application can set the user variable, but cannot sign it.
      const raw = new pg.Client(login);
      await raw.connect();
      try {
        const pid = (await raw.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
        const expires = Math.floor(Date.now() / 1000) + 60;
        const key = Buffer.from(secret, 'hex');
        const tenantToken = signTenantToken(key, { tenant: id('org:a'), expires, backendPid: pid });
        const attempts = {
          plain: id('user:a'),
          tenantTokenAsUser: signTenantToken(key, { tenant: id('user:a'), expires, backendPid: pid }),
          otherBackend: signUserToken(key, { user: id('user:a'), expires, backendPid: pid + 1 }),
          signed: signUserToken(key, { user: id('user:a'), expires, backendPid: pid }),
        };
        const seen: Record<string, number> = {};
        for (const [label, user] of Object.entries(attempts)) {
          await raw.query('BEGIN');
          await raw.query('SELECT set_config($1, $2, true), set_config($3, $4, true)', ['app.company_id', tenantToken, 'app.user_id', user]);
          seen[label] = (await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE organization_id IS NULL')).rows[0]?.n ?? -1;
          await raw.query('ROLLBACK');
        }
        expect(seen).toEqual({ plain: 0, tenantTokenAsUser: 0, otherBackend: 0, signed: 1 });
      } finally {
        await raw.end();
      }
    } finally {
      await db.drop();
    }
  });
});
