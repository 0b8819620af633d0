import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import type { DbSnapshot } from '../../src/introspect/snapshot.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { isTenantScoped, type Model } from '../../src/manifest/model.js';
import { quoteQualified } from '../../src/sql/quote.js';
import { comparableSchema, crmDatabase, testServers } from '../helpers/servers.js';

const loaded = loadManifest(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');
if (!loaded.ok) throw new Error('policies.yaml does not load');
const model: Model = loaded.model;
const scoped = model.tables.filter(isTenantScoped);
/** Every migration of the folder: the count changes with the manifest, the assertions below must not. */
const FILES = readdirSync('generated-sql').filter((f) => /^\d{4}_.*\.sql$/.test(f)).length;
const companies = { nadan: 'company:nadan', sunstone: 'company:sunstone', testco: 'company:testco' };


async function asTenant<T>(client: pg.Client, company: string | null, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL ROLE crm_app');
    if (company !== null) await client.query("SELECT set_config('app.company_id', md5($1)::uuid::text, true)", [company]);
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

describe.each(testServers())('generated SQL on $label', (server) => {
  let db: { connection: ConnectionInfo; drop: () => Promise<void> };
  let before: DbSnapshot;
  let backfilled: Map<string, { filled: number; unresolved: number }>;

  beforeAll(async () => {
    db = await crmDatabase(server);
    before = await withClient(db.connection, introspectDatabase);
    const result = await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    expect(result.applied).toHaveLength(FILES);
    backfilled = new Map(result.backfills.map((b) => [b.table, b]));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reports what each backfill filled and what it could not', () => {
    expect(backfilled.get('public.calls')).toEqual({ table: 'public.calls', filled: 2, unresolved: 1 });
    expect(backfilled.get('public.contacts')).toEqual({ table: 'public.contacts', filled: 2, unresolved: 0 });
    expect(backfilled.get('public.sms_messages')).toEqual({ table: 'public.sms_messages', filled: 1, unresolved: 0 });
    expect(backfilled.get('public.email_templates')).toEqual({ table: 'public.email_templates', filled: 1, unresolved: 1 });
    expect(backfilled.get('public.inbox')).toEqual({ table: 'public.inbox', filled: 1, unresolved: 0 });
  });

  it('leaves no NULL tenant except shared global rows and the rows reported unresolvable', async () => {
    await withClient(db.connection, async (client) => {
      const nulls: Record<string, number> = {};
      for (const table of scoped) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteQualified(table.name.schema, table.name.name)} WHERE company_id IS NULL`);
        const n = Number(rows[0]?.n);
        if (n > 0) nulls[table.key] = n;
      }
      expect(nulls).toEqual({ users: 2, sessions: 1, audit_logs: 1, calls: 1, email_templates: 1 });
      const orphan = await client.query("SELECT user_id = md5('user:orphan')::uuid AS orphan FROM calls WHERE company_id IS NULL");
      expect(orphan.rows).toEqual([{ orphan: true }]);
    });
  });

  it('enables and forces row-level security on every tenant table, with the tenant column NOT NULL where required', async () => {
    const after = await withClient(db.connection, introspectDatabase);
    for (const table of scoped) {
      const info = after.tables.find((t) => t.name === table.name.name);
      expect(info?.rlsEnabled, table.key).toBe(true);
      expect(info?.rlsForced, table.key).toBe(true);
      const column = info?.columns.find((c) => c.name === 'company_id');
      expect(column?.notNull, table.key).toBe(table.mode === 'tenant' && table.unresolved === 'fail');
      expect(info?.indexes.some((i) => i.columns[0] === 'company_id' && i.valid), table.key).toBe(true);
    }
    for (const table of model.tables.filter((t) => t.mode === 'exempt')) {
      expect(after.tables.find((t) => t.name === table.name.name)?.rlsEnabled, table.key).toBe(false);
    }
  });

  it('shows a company exactly its own rows in every table, and none without a company', async () => {
    await withClient(db.connection, async (client) => {
      for (const table of scoped) {
        const name = quoteQualified(table.name.schema, table.name.name);
        for (const company of Object.values(companies)) {
          const own = await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${name} WHERE company_id = md5($1)::uuid${table.mode === 'shared' ? ' OR company_id IS NULL' : ''}`,
            [company],
          );
          const seen = await asTenant(client, company, () => client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`));
          expect(Number(seen.rows[0]?.n), `${table.key} as ${company}`).toBe(Number(own.rows[0]?.n));
        }
        const none = await asTenant(client, null, () => client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} WHERE company_id IS NOT NULL`));
        expect(Number(none.rows[0]?.n), `${table.key} with no company`).toBe(0);
      }
    });
  });

  it("cannot insert, update or delete another company's rows", async () => {
    await withClient(db.connection, async (client) => {
      for (const table of scoped) {
        const name = quoteQualified(table.name.schema, table.name.name);
        const other = await client.query<{ row: Record<string, unknown> }>(
          `SELECT to_jsonb(t) AS row FROM ${name} AS t WHERE company_id = md5($1)::uuid LIMIT 1`,
          [companies.sunstone],
        );
        if (table.commands.includes('update')) {
          const updated = await asTenant(client, companies.nadan, () =>
            client.query(`UPDATE ${name} SET company_id = company_id WHERE company_id = md5($1)::uuid`, [companies.sunstone]),
          );
          expect(updated.rowCount, `${table.key} update`).toBe(0);
        }
        if (table.commands.includes('delete')) {
          const deleted = await asTenant(client, companies.nadan, () =>
            client.query(`DELETE FROM ${name} WHERE company_id = md5($1)::uuid`, [companies.sunstone]),
          );
          expect(deleted.rowCount, `${table.key} delete`).toBe(0);
        }
        const row = other.rows[0]?.row;
        if (row === undefined) continue;
        // A fresh key of the table's own type (uuid, or an integer that fits int4).
        const copy = { ...row, id: typeof row['id'] === 'number' ? 2_000_000_000 + Math.floor(Math.random() * 100_000_000) : crypto.randomUUID() };
        const inserted = await asTenant(client, companies.nadan, () =>
          client.query(`INSERT INTO ${name} SELECT * FROM jsonb_populate_record(NULL::${name}, $1)`, [JSON.stringify(copy)]).then(
            () => 'inserted',
            (e: { code?: string }) => e.code,
          ),
        );
        expect(inserted, `${table.key} insert of another company's row`).toBe('42501');
      }
    });
  });

  it('is a no-op the second time', async () => {
    const again = await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(FILES);
  });

  it('rolls back to exactly the schema it started from', async () => {
    const result = await rollbackMigrations({ connection: db.connection, dir: 'generated-sql', to: 0 });
    expect(result.rolledBack).toHaveLength(FILES);
    const after = await withClient(db.connection, introspectDatabase);
    expect(comparableSchema(after)).toEqual(comparableSchema(before));
    const schema = await withClient(db.connection, (c) => c.query("SELECT to_regnamespace('rlsgen') AS s"));
    expect(schema.rows[0]).toEqual({ s: null });
  });
});
