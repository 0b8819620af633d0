import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { failures, type VerifyResult } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { crmDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The example manifest with its own role names: roles are cluster-wide, and
 * these tests break roles on purpose.
 */
function variant(tag: string): { model: Model; dir: string } {
  const text = readFileSync('policies.yaml', 'utf8').replace('name: crm_app ', `name: crm_app_${tag} `).replace('name: crm_support ', `name: crm_support_${tag} `);
  const dir = tempDir(`verify-${tag}`);
  writeFileSync(join(dir, 'policies.yaml'), text);
  const result = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
  if (result.kind !== 'written') throw new Error(`generate: ${result.kind}`);
  const loaded = loadManifest(text, 'policies.yaml');
  if (!loaded.ok) throw new Error('manifest');
  return { model: loaded.model, dir: join(dir, 'generated-sql') };
}

async function prepared(server: Parameters<typeof crmDatabase>[0], tag: string): Promise<{ model: Model; connection: ConnectionInfo; drop: () => Promise<void> }> {
  const { model, dir } = variant(tag);
  const db = await crmDatabase(server);
  await applyMigrations({ connection: db.connection, dir });
  return { model, connection: db.connection, drop: db.drop };
}

const verify = (model: Model, connection: ConnectionInfo): Promise<VerifyResult> =>
  withClient(connection, (client) => verifyIsolation({ model, client }));

const failedTables = (result: VerifyResult): string[] => [...new Set(failures(result).map((f) => f.table))].sort();
const failedChecks = (result: VerifyResult, table: string): string[] =>
  [...new Set(failures(result).filter((f) => f.table === table).map((f) => f.check.check))].sort();

describe.each(testServers())('rlsgen verify on $label', (server) => {
  it('proves isolation of the example manifest, and leaves the database as it found it', async () => {
    const db = await prepared(server, 'ok');
    try {
      const count = () => withClient(db.connection, async (c) => (await c.query<{ n: string }>('SELECT count(*) AS n FROM workflows')).rows[0]?.n);
      const before = await count();
      const result = await verify(db.model, db.connection);
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.tables).toHaveLength(32);
      const deals = result.tables.find((t) => t.table === 'deals');
      expect(deals?.checks.filter((c) => c.status === 'pass').map((c) => c.check)).toEqual(
        expect.arrayContaining(['read-other', 'unset-fresh', 'unset-pooled', 'malformed', 'insert-other', 'hop', 'upsert', 'reference', 'truncate', 'row-security-off', 'set-role-owner', 'prepared', 'cross-read', 'cross-write']),
      );
      expect(result.tables.find((t) => t.table === 'calls')?.checks.find((c) => c.check === 'legacy-owner')?.status).toBe('pass');
      expect(result.tables.find((t) => t.table === 'email_templates')?.checks.find((c) => c.check === 'global-write')?.status).toBe('pass');
      expect(result.tables.find((t) => t.table === 'users')?.mode).toBe('exempt');
      expect(await count()).toBe(before);
    } finally {
      await db.drop();
    }
  });

  it('fails and names the table when a policy is dropped', async () => {
    const db = await prepared(server, 'nopolicy');
    try {
      await withClient(db.connection, (c) => c.query('DROP POLICY rlsgen_tenant_select ON deals'));
      const result = await verify(db.model, db.connection);
      expect(result.ok).toBe(false);
      expect(failedTables(result)).toEqual(['deals']);
      expect(failedChecks(result, 'deals')).toContain('read-own');
    } finally {
      await db.drop();
    }
  });

  it('fails when row security is not forced and the application role owns the table', async () => {
    const db = await prepared(server, 'owner');
    try {
      await withClient(db.connection, async (c) => {
        await c.query('ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY');
        await c.query('ALTER TABLE contacts OWNER TO crm_app_owner');
      });
      const result = await verify(db.model, db.connection);
      expect(failedTables(result)).toEqual(['contacts']);
      expect(failedChecks(result, 'contacts')).toEqual(expect.arrayContaining(['read-other', 'set-role-owner', 'update-other', 'truncate']));
      const leak = failures(result).find((f) => f.check.check === 'read-other');
      expect(leak?.check.sql).toMatch(/^SET ROLE crm_app_owner; SELECT set_config\('app.company_id', '[0-9a-f-]+', false\); SELECT count\(\*\)/);
    } finally {
      await db.drop();
    }
  });

  it('fails when an update policy has no real WITH CHECK', async () => {
    const db = await prepared(server, 'check');
    try {
      await withClient(db.connection, async (c) => {
        await c.query('DROP POLICY rlsgen_tenant_update ON quotes');
        await c.query(
          "CREATE POLICY rlsgen_tenant_update ON quotes FOR UPDATE TO crm_app_check USING (company_id = (SELECT NULLIF(current_setting('app.company_id', true), '')::uuid)) WITH CHECK (true)",
        );
      });
      const result = await verify(db.model, db.connection);
      expect(failedTables(result)).toEqual(['quotes']);
      expect(failedChecks(result, 'quotes')).toContain('hop');
    } finally {
      await db.drop();
    }
  });

  it('fails on every table when the application role gets BYPASSRLS', async () => {
    const db = await prepared(server, 'bypass');
    try {
      await withClient(db.connection, (c) => c.query('ALTER ROLE crm_app_bypass BYPASSRLS'));
      const result = await verify(db.model, db.connection);
      expect(result.roleChecks.find((c) => c.check === 'role-attributes')?.status).toBe('fail');
      expect(failedTables(result)).toEqual(['(roles)', ...db.model.tables.filter((t) => t.mode !== 'exempt').map((t) => t.key)].sort());
    } finally {
      await withClient(db.connection, (c) => c.query('ALTER ROLE crm_app_bypass NOBYPASSRLS')).catch(() => undefined);
      await db.drop();
    }
  });

  it('fails when a single-column foreign key lets one tenant probe another tenant\'s ids', async () => {
    const db = await prepared(server, 'oracle');
    try {
      await withClient(db.connection, async (c) => {
        await c.query('ALTER TABLE deals DROP CONSTRAINT deals_contact_id_tenant_fkey');
        await c.query('ALTER TABLE deals ADD CONSTRAINT deals_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts (id)');
      });
      const result = await verify(db.model, db.connection);
      expect(failedTables(result)).toEqual(['deals']);
      expect(failedChecks(result, 'deals')).toEqual(['reference']);
    } finally {
      await db.drop();
    }
  });

  it('fails when a policy reads the variable through an IMMUTABLE function (cached plans keep one tenant)', async () => {
    const db = await prepared(server, 'immutable');
    try {
      await withClient(db.connection, async (c) => {
        await c.query("CREATE FUNCTION public.tenant_immutable() RETURNS uuid LANGUAGE sql IMMUTABLE AS $$ SELECT NULLIF(current_setting('app.company_id', true), '')::uuid $$");
        await c.query('DROP POLICY rlsgen_tenant_select ON pipelines');
        await c.query('CREATE POLICY rlsgen_tenant_select ON pipelines FOR SELECT TO crm_app_immutable USING (company_id = public.tenant_immutable())');
      });
      const result = await verify(db.model, db.connection);
      expect(failedChecks(result, 'pipelines')).toContain('prepared');
    } finally {
      await db.drop();
    }
  });
});
