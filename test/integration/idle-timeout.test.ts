import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withClient } from '../../src/db/server.js';
import { createTenantPool } from '../../src/runtime/index.js';
import { appLogin, freshDatabase, type TestServer, testServers } from '../helpers/servers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `SHOW idle_in_transaction_session_timeout` on a fresh connection as `login`. */
async function shown(login: pg.ClientConfig): Promise<string> {
  const client = new pg.Client(login);
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]?.v ?? '';
  } finally {
    await client.end();
  }
}

/** Opens a transaction as `login`, stays idle in it for `ms`, then tries a statement: whether the server ended it. */
async function endedAfterIdle(login: pg.ClientConfig, ms: number): Promise<boolean> {
  const client = new pg.Client(login);
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN');
    await sleep(ms);
    return await client.query('SELECT 1').then(() => false, () => true);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe.each(testServers())('idle_in_transaction_session_timeout for the application logins on $label', (server: TestServer) => {
  it('a role setting on the application role does not reach its login members; the runtime and a setting on the login do', async () => {
    const db = await freshDatabase(server, 'idle');
    const role = `idle_app_${randomBytes(4).toString('hex')}`;
    try {
      await withClient(db.connection, async (c) => {
        await c.query(`CREATE ROLE ${role} NOLOGIN`);
        await c.query(`ALTER ROLE ${role} SET idle_in_transaction_session_timeout = '300ms'`);
      });
      const login = await appLogin(db.connection, role);
      // Measured: the member login starts with the server default, not its role's setting.
      expect(await shown(login)).toBe('0');
      expect(await endedAfterIdle(login, 900)).toBe(false);

      // rlsgen/runtime sets it with the tenant, transaction-locally: it fires, and nothing stays on the connection.
      const pool = new pg.Pool({ ...login, max: 1 });
      pool.on('error', () => undefined);
      const tenants = createTenantPool(pool, { type: 'text', setting: 'app.tenant', idleInTransactionSessionTimeout: '300ms' });
      try {
        const inside = await tenants.withTenant('a', async (c) => (await c.query<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]?.v);
        expect(inside).toBe('300ms');
        await expect(
          tenants.withTenant('a', async (c) => {
            await sleep(900);
            await c.query('SELECT 1');
          }),
        ).rejects.toThrow();
        // The ended connection was destroyed, not pooled: the next request works.
        expect(await tenants.withTenant('a', async (c) => (await c.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n)).toBe(1);
      } finally {
        await pool.end();
      }
      expect(await shown(login)).toBe('0');

      // What generate advises for other stacks: the setting on the login itself, in this database.
      await withClient(db.connection, (c) => c.query(`ALTER ROLE ${login.user} IN DATABASE ${db.connection.database} SET idle_in_transaction_session_timeout = '300ms'`));
      expect(await shown(login)).toBe('300ms');
      expect(await endedAfterIdle(login, 900)).toBe(true);
    } finally {
      await db.drop();
      await withClient(server.connection, (c) => c.query(`DROP ROLE IF EXISTS ${role}`)).catch(() => undefined);
    }
  });
});
