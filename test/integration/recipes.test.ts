import { sql as drizzleSql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { appLogin, crmDatabase, testServers } from '../helpers/servers.js';

// The README's recipes, run as written against the migrated seed CRM.

interface Database {
  deals: { id: string; company_id: string; title: string };
}

/** README, "Kysely": a transaction whose first statement sets the tenant. */
function withTenantKysely<T>(db: Kysely<Database>, companyId: string, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.company_id', ${companyId}, true)`.execute(trx);
    return fn(trx);
  });
}

const [server] = testServers();

describe.runIf(server !== undefined)('recipes', () => {
  let db: { connection: ConnectionInfo; drop: () => Promise<void> };
  let login: ConnectionInfo;
  beforeAll(async () => {
    if (server === undefined) return;
    db = await crmDatabase(server);
    await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    login = await appLogin(db.connection, 'crm_app');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const company = async (name: string): Promise<string> =>
    withClient(db.connection, async (c) => (await c.query<{ id: string }>('SELECT id FROM companies WHERE name = $1', [name])).rows[0]?.id ?? '');

  it('Kysely: db.transaction() + set_config(..., true)', async () => {
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ ...login, max: 2 }) }) });
    try {
      const sunstone = await company('Sunstone');
      const rows = await withTenantKysely(kysely, sunstone, (trx) => trx.selectFrom('deals').select(['company_id']).distinct().execute());
      expect(rows).toEqual([{ company_id: sunstone }]);
      const outside = await kysely.selectFrom('deals').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirst();
      expect(outside).toEqual({ n: '0' });
    } finally {
      await kysely.destroy();
    }
  });

  it('Drizzle: db.transaction() + set_config(..., true)', async () => {
    const pool = new pg.Pool({ ...login, max: 2 });
    const orm = drizzle(pool);
    try {
      const nadanId = await company('nadan');
      const rows = await orm.transaction(async (tx) => {
        await tx.execute(drizzleSql`SELECT set_config('app.company_id', ${nadanId}, true)`);
        return (await tx.execute<{ company_id: string; n: number }>(drizzleSql`SELECT company_id, count(*)::int AS n FROM deals GROUP BY 1`)).rows;
      });
      expect(rows).toEqual([{ company_id: nadanId, n: 4 }]);
    } finally {
      await pool.end();
    }
  });
});
