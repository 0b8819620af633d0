import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { createTenantPool, lookup, type TenantPool } from '../../src/runtime/index.js';
import { failures } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { appLogin, freshDatabase, legacyServers, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = 'test/fixtures/whatsapp-crm';

/** The payload Meta posts for an inbound text message (trimmed to what the handler reads). */
function inbound(phoneNumberId: string, waId: string, wamid: string, text: string): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{ changes: [{ field: 'messages', value: { metadata: { phone_number_id: phoneNumberId }, contacts: [{ wa_id: waId, profile: { name: 'Tom' } }], messages: [{ id: wamid, from: waId, type: 'text', text: { body: text } }] } }] }],
  };
}

interface Inbound {
  entry: { changes: { value: { metadata: { phone_number_id: string }; contacts: { wa_id: string; profile: { name: string } }[]; messages: { id: string; text: { body: string } }[] } }[] }[];
}

/**
 * The application's webhook handler: the organization is not known until the
 * phone number id is looked up; everything after runs inside it, with no
 * organization_id in any query.
 */
async function receive(pool: pg.Pool, tenants: TenantPool, body: unknown): Promise<{ organization: string; message: string } | null> {
  const value = (body as Inbound).entry[0]?.changes[0]?.value;
  if (value === undefined) return null;
  const number = await lookup(pool, 'organization_by_phone_number_id', value.metadata.phone_number_id);
  if (number === null) return null;
  const organization = String(number['organization_id']);
  const contact = value.contacts[0];
  const message = value.messages[0];
  if (contact === undefined || message === undefined) return null;
  const id = await tenants.withTenant(organization, async (c) => {
    const customer = await c.query<{ id: number }>(
      'INSERT INTO customers (wa_id, name) VALUES ($1, $2) ON CONFLICT (organization_id, wa_id) DO UPDATE SET updated_at = now() RETURNING id',
      [contact.wa_id, contact.profile.name],
    );
    const row = await c.query<{ id: string }>(
      "INSERT INTO messages (customer_id, whatsapp_number_id, direction, wamid, body) VALUES ($1, $2, 'inbound', $3, $4) RETURNING id",
      [customer.rows[0]?.id, number['id'], message.id, message.text.body],
    );
    return row.rows[0]?.id ?? '';
  });
  return { organization, message: id };
}

describe.each([...testServers(), ...legacyServers()])('the WhatsApp CRM (seed 004) with its manifest, on $label', (server: TestServer) => {
  let db: { connection: ConnectionInfo; drop: () => Promise<void> };
  let out: string;
  let pool: pg.Pool;
  let tenants: TenantPool;
  const ACME = 'org:acme';
  const BLOOM = 'org:bloom';
  let ids: Record<string, string>;
  beforeAll(async () => {
    db = await freshDatabase(server, 'wacrm');
    await runSqlFile(db.connection, `${FIXTURE}/schema.sql`);
    await runSqlFile(db.connection, `${FIXTURE}/data.sql`);
    out = tempDir('wa');
    const generated = generateMigrations({ manifestPath: `${FIXTURE}/policies.yaml`, outDir: join(out, 'generated-sql') });
    expect(generated.kind).toBe('written');
    await applyMigrations({ connection: db.connection, dir: join(out, 'generated-sql') });
    ids = await withClient(db.connection, async (c) =>
      Object.fromEntries((await c.query<{ k: string; v: string }>("SELECT 'org:' || slug AS k, id::text AS v FROM organizations")).rows.map((r) => [r.k, r.v])),
    );
    pool = new pg.Pool({ ...(await appLogin(db.connection, 'wa_crm_app')), max: 2 });
    tenants = createTenantPool(pool, { setting: 'app.organization_id', idleInTransactionSessionTimeout: '15s' });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  it("files an inbound message under the organization that owns the phone number, found by phone_number_id", async () => {
    const bloom = ids[BLOOM] ?? '';
    // Tom (447700900555) writes to both organizations; this message reaches Bloom's number.
    const got = await receive(pool, tenants, inbound('113746892211904', '447700900555', 'wamid.HBgMNDQ3NzAwOTAwNTU1FQIAEhgUWkZ', 'Tulips instead?'));
    expect(got?.organization).toBe(bloom);
    const stored = await withClient(db.connection, async (c) =>
      (await c.query('SELECT m.organization_id::text AS org, c.id AS customer, c.organization_id::text AS customer_org FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.wamid = $1', ['wamid.HBgMNDQ3NzAwOTAwNTU1FQIAEhgUWkZ'])).rows,
    );
    expect(stored).toEqual([{ org: bloom, customer: 4, customer_org: bloom }]);
    // Acme never sees it; an unknown number finds no organization; a pattern is no phone number id.
    const acmeSees = await tenants.withTenant(ids[ACME] ?? '', async (c) => (await c.query('SELECT count(*)::int AS n FROM messages WHERE wamid = $1', ['wamid.HBgMNDQ3NzAwOTAwNTU1FQIAEhgUWkZ'])).rows[0]);
    expect(acmeSees).toEqual({ n: 0 });
    expect(await receive(pool, tenants, inbound('999999999999999', '447700900555', 'wamid.x', 'hi'))).toBeNull();
    expect(await lookup(pool, 'organization_by_phone_number_id', '%')).toBeNull();
    expect(await lookup(pool, 'organization_by_phone_number_id', '105954558954427')).toEqual({ organization_id: ids[ACME], id: 1 });
  });

  it("handles the payment provider's callback through its reference", async () => {
    const payment = await lookup(pool, 'payment_by_provider_ref', 'pi_3OtL9bKc0aXy1nQe');
    expect(payment).toEqual({ organization_id: ids[BLOOM], order_id: 3, payment_id: 2 });
    const updated = await tenants.withTenant(String(payment?.['organization_id']), async (c) => (await c.query("UPDATE orders SET status = 'shipped' WHERE id = $1", [payment?.['order_id']])).rowCount);
    expect(updated).toBe(1);
    // The same order id under another organization changes nothing.
    const elsewhere = await tenants.withTenant(ids[ACME] ?? '', async (c) => (await c.query("UPDATE orders SET status = 'cancelled' WHERE id = 3")).rowCount);
    expect(elsewhere).toBe(0);
  });

  it("keeps a campaign's template global or its own organization's, refusing another's exactly as a missing one", async () => {
    const acme = ids[ACME] ?? '';
    const bloom = ids[BLOOM] ?? '';
    // Template 2 becomes Bloom's own (set manually, as the seed says); template 1 stays global.
    await withClient(db.connection, (c) => c.query('UPDATE templates SET organization_id = $1 WHERE id = 2', [bloom]));
    try {
      const point = (org: string, template: number): Promise<string> =>
        tenants.withTenant(org, async (c) => {
          const campaign = (await c.query<{ id: number }>('SELECT id FROM campaigns ORDER BY id LIMIT 1')).rows[0]?.id;
          await c.query('SAVEPOINT attempt');
          return c.query('UPDATE campaigns SET template_id = $1 WHERE id = $2', [template, campaign]).then(
            (r) => `updated ${r.rowCount}`,
            async (e: { code?: string; message?: string; detail?: string }) => {
              await c.query('ROLLBACK TO SAVEPOINT attempt');
              return `${e.code} ${e.message} ${(e.detail ?? '').replace(/=\(\d+\)/, '=(…)')}`;
            },
          );
        });
      expect(await point(acme, 1)).toBe('updated 1');
      expect(await point(bloom, 2)).toBe('updated 1');
      const other = await point(acme, 2);
      expect(other).toMatch(/^23503 insert or update on table "campaigns" violates foreign key constraint "campaigns_template_id_tenant_guard" Key \(template_id\)=\(…\) is not present in table "templates"\.$/);
      expect(await point(acme, 987654)).toBe(other);
    } finally {
      await withClient(db.connection, (c) => c.query('UPDATE templates SET organization_id = NULL WHERE id = 2'));
    }
  });

  it('proves every table and lookup, the reference into the shared templates included', async () => {
    const loaded = loadManifest(readFileSync(`${FIXTURE}/policies.yaml`, 'utf8'), 'policies.yaml');
    if (!loaded.ok) throw new Error('manifest');
    const result = await withClient(db.connection, (client) => verifyIsolation({ model: loaded.model, client }));
    expect(result.lookups.map((l) => [l.lookup, l.checks.every((c) => c.status === 'pass')])).toEqual([
      ['organization_by_phone_number_id', true],
      ['payment_by_provider_ref', true],
      ['user_by_email', true],
    ]);
    expect(result.tables.find((t) => t.table === 'organizations')?.checks.every((c) => c.status === 'pass')).toBe(true);
    // A tenant table pointing into a shared one (campaigns.template_id -> templates) keeps a
    // single-column key (a composite one would refuse the global templates) and a trigger.
    expect(failures(result).map((f) => `${f.table} ${f.check.check}`)).toEqual([]);
  });
});
