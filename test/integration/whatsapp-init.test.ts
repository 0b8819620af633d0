import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathText } from '../../src/audit/path-consistency.js';
import { connectionUrl } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';

const FIXTURE = 'test/fixtures/whatsapp-crm';

/** Seed 004's "Tables with organization_id added" and the derivation it gives each (first_of paths joined by " | "). */
const SEED_DERIVATIONS: Readonly<Record<string, string>> = {
  messages: 'customer_id -> customers',
  campaigns: 'created_by -> users',
  jobs: 'campaign_id -> campaigns',
  job_status: 'customer_id -> customers',
  orders: 'customer_id -> customers',
  order_items: 'order_id -> orders',
  payments: 'order_id -> orders',
  payment_transactions: 'order_id -> orders',
  referrer_tracking: 'customer_id -> customers',
  customer_addresses: 'customer_id -> customers',
  address_collection_sessions: 'customer_id -> customers',
  // Seed: "derives from campaigns"; both paths name the same organization on every row, init takes the nearer one.
  campaign_recipients: 'customer_id -> customers',
  quick_replies: 'created_by -> users',
  leads: 'customer_id -> customers',
  zoho_mappings: 'created_by -> users',
  flow_logs: 'wa_id -> customers(wa_id)',
  campaign_logs: 'campaign_id -> campaigns',
  whatsapp_api_logs: 'campaign_id -> campaigns | job_id -> jobs',
  zoho_payload_logs: 'wa_id -> customers(wa_id)',
  number_flow_configs: 'phone_number_id -> whatsapp_numbers(phone_number_id)',
};

describe.each(testServers())('init on the WhatsApp CRM of seed 004 on $label', (server) => {
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-wa-'));
  const manifest = join(work, 'policies.yaml');
  const dir = join(work, 'generated-sql');
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let model: Model;

  beforeAll(async () => {
    db = await freshDatabase(server, 'wa');
    await runSqlFile(db.connection, `${FIXTURE}/schema.sql`);
    await runSqlFile(db.connection, `${FIXTURE}/data.sql`);
    const init = runCli(['init', '--database-url', connectionUrl(db.connection), '--tenant-table', 'organizations', '--tenant-column', 'organization_id', '--setting', 'app.organization_id', '--app-role', 'wa_init_app', '--cross-role', 'wa_init_staff', '--out', manifest]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const loaded = loadManifest(readFileSync(manifest, 'utf8'), manifest);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    model = loaded.model;
  });
  afterAll(async () => {
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it("proposes the seed's derivations, the non-key ones included, with their coverage", () => {
    const derived = Object.fromEntries(
      model.tables.filter((t) => t.backfill.length > 0).map((t) => [t.key, t.backfill.map((p) => pathText(model, p)).join(' | ')]),
    );
    for (const [table, derivation] of Object.entries(SEED_DERIVATIONS)) expect([table, derived[table]]).toEqual([table, derivation]);
    for (const table of ['users', 'customers', 'whatsapp_numbers']) expect(model.tables.find((t) => t.key === table)?.existingColumn).toBe('uuid');
    const text = readFileSync(manifest, 'utf8');
    expect(text).toContain('flow_logs:  # no organization_id and no foreign key; wa_id matches the unique public.customers.wa_id (same name and type): 3 of 4 distinct wa_id value(s) found in public.customers.wa_id; 1 held by several tenants there');
    expect(text).toContain('number_flow_configs:  # no organization_id and no foreign key; phone_number_id matches the unique public.whatsapp_numbers.phone_number_id (same name and type): 2 of 2');
    expect(text).toContain('    backfill:\n      first_of: [campaign_id -> campaigns, job_id -> jobs]\n');
    expect(text).toContain('  setting: app.organization_id\n');
  });

  it('scopes the 21 tables the seed lists, templates shared, and gives the catalogue read-only access', () => {
    const scoped = model.tables.filter((t) => t.mode !== 'exempt').map((t) => t.key);
    // Seed 004's "Tables with organization_id added": the 20 it derives, and templates, "nullable (to be set manually)".
    const added = [...Object.keys(SEED_DERIVATIONS), 'templates'];
    expect(added).toHaveLength(21);
    const listed = [...added, 'users', 'customers', 'whatsapp_numbers'];
    expect(scoped.filter((t) => listed.includes(t)).sort()).toEqual(listed.sort());
    // Each template is used by one organization's campaigns: shared and read-only, today's rows global until the DBA assigns one.
    const templates = model.tables.find((t) => t.key === 'templates');
    expect([templates?.mode, templates?.backfill, templates?.commands]).toEqual(['shared', [], ['select']]);
    expect(readFileSync(manifest, 'utf8')).toContain('  templates:  # lookup table referenced by campaigns; each of its 2 referenced rows is referenced from one tenant only: per-tenant rows beside global ones\n    mode: shared\n');
    expect(model.tables.find((t) => t.key === 'campaigns')?.foreignKeys.find((fk) => fk.column === 'template_id')?.guarded).toBe(true);
    for (const lookup of ['roles', 'categories', 'sub_categories', 'products', 'costs']) {
      const table = model.tables.find((t) => t.key === lookup);
      expect([lookup, table?.mode, table?.commands]).toEqual([lookup, 'exempt', ['select']]);
    }
    // roles: role 1 is used by two organizations' users, a system-wide lookup.
    expect(readFileSync(manifest, 'utf8')).toContain('  roles:\n    mode: exempt\n    reason: "lookup table referenced by users;');
    for (const alone of ['alembic_version', 'files']) expect(readFileSync(manifest, 'utf8')).toMatch(new RegExp(`  ${alone}:\\n    mode: exempt\\n[^\\n]*\\n    # review: exempt \\(as written\\)[^\\n]*\\n    #   or mode: shared`));
  });

  it('generates, applies and verifies without edits', () => {
    const generated = runCli(['generate', '--manifest', manifest, '--out', dir]);
    expect(generated.code).toBe(0);
    const serverUrl = connectionUrl({ ...server.connection, database: 'postgres' });
    const verified = runCli(['verify', '--manifest', manifest, '--dir', dir, '--schema', `${FIXTURE}/schema.sql`, '--data', `${FIXTURE}/data.sql`, '--database-url', serverUrl]);
    expect(verified.stdout).toContain(`PASS: no tenant can read or change another tenant's rows in any of the ${model.tables.filter((t) => t.mode !== 'exempt').length} scoped tables`);
    expect(verified.code).toBe(0);
  });
});
