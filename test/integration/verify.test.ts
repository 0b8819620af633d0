import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { acceptedExposures, failures, type VerifyResult } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { crmDatabase, testServers } from '../helpers/servers.js';

/**
 * The example manifest, changed by `edit`, with its own role names: roles
 * are cluster-wide, and these tests break roles on purpose.
 */
function variant(tag: string, edit: (text: string) => string = (t) => t): { model: Model; dir: string } {
  const text = edit(readFileSync('policies.yaml', 'utf8')).replace('name: crm_app ', `name: crm_app_${tag} `).replace('name: crm_support ', `name: crm_support_${tag} `).replace('name: crm_lookup ', `name: crm_lookup_${tag} `);
  const dir = mkdtempSync(join(tmpdir(), `rlsgen-verify-${tag}-`));
  writeFileSync(join(dir, 'policies.yaml'), text);
  const result = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
  if (result.kind !== 'written') throw new Error(`generate: ${result.kind}`);
  const loaded = loadManifest(text, 'policies.yaml');
  if (!loaded.ok) throw new Error('manifest');
  return { model: loaded.model, dir: join(dir, 'generated-sql') };
}

async function prepared(server: Parameters<typeof crmDatabase>[0], tag: string, edit?: (text: string) => string): Promise<{ model: Model; connection: ConnectionInfo; drop: () => Promise<void> }> {
  const { model, dir } = variant(tag, edit);
  const db = await crmDatabase(server);
  await applyMigrations({ connection: db.connection, dir });
  return { model, connection: db.connection, drop: db.drop };
}

/** The shipped manifest as it was before lookups: sign-in and sessions read exempt tables, and every company reads the company table. */
function beforeLookups(text: string): string {
  const start = text.indexOf('  # --- the tenant table');
  const end = text.indexOf('  # --- company_id exists already');
  const exempt = `  companies:
    mode: exempt
    reason: the tenant table itself
    commands: [select]
  roles:
    mode: exempt
    reason: system-wide role names
    commands: [select]
  users:
    mode: exempt
    reason: sign-in finds the user by email before any tenant is known
    existing_column: uuid
    commands: [select, update]
  audit_logs:
    mode: exempt
    reason: the platform's audit trail
    commands: [insert]
  sessions:
    mode: exempt
    reason: looked up by token at sign-in
    commands: [select, insert, delete]

`;
  const lookups = text.slice(text.indexOf('\nlookups:'), text.indexOf('\ntables:'));
  return `${text.slice(0, start)}${exempt}${text.slice(end)}`.replace(lookups, '');
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
      expect(result.tables.find((t) => t.table === 'users')?.checks.find((c) => c.check === 'read-other')?.status).toBe('pass');
      expect(result.tables.find((t) => t.table === 'companies')?.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      expect(result.lookups.map((l) => [l.lookup, l.exposes, l.checks.map((c) => c.status)])).toEqual([
        ['user_by_email', 'public.users by (email) -> id, company_id, password_hash', ['pass', 'pass', 'pass', 'pass', 'pass']],
        ['session_by_token', 'public.sessions by (token_hash) -> user_id, company_id, expires_at', ['pass', 'pass', 'pass', 'pass', 'pass']],
      ]);
      // Everything else the application role can use: no path found, nothing accepted.
      expect(acceptedExposures(result)).toEqual([]);
      expect(result.objects.find((o) => o.object === 'table public.roles')?.checks.map((c) => c.status)).toEqual(['pass']);
      expect(result.objects.filter((o) => o.object.startsWith('function rlsgen_lookup.')).map((o) => [o.object, o.checks.map((c) => `${c.check} ${c.status}`)])).toEqual([
        ['function rlsgen_lookup.session_by_token(text)', ['definer-function pass']],
        ['function rlsgen_lookup.user_by_email(text)', ['definer-function pass']],
      ]);
      expect(await count()).toBe(before);
    } finally {
      await db.drop();
    }
  });

  it('fails on the manifest before lookups (users, sessions and audit_logs exempt, every company row readable), naming what each exposes', async () => {
    const db = await prepared(server, 'exempt', beforeLookups);
    try {
      const result = await verify(db.model, db.connection);
      expect(result.ok).toBe(false);
      expect(failures(result).map((f) => `${f.table} ${f.check.check}`).sort()).toEqual([
        'table public.audit_logs exempt-tenant-reference',
        'table public.companies exempt-tenant-data',
        'table public.sessions exempt-tenant-reference',
        'table public.users exempt-tenant-data',
      ]);
      const users = failures(result).find((f) => f.table === 'table public.users')?.check;
      expect(users?.detail).toMatch(/^exempt, with company_id and no policies; crm_app_exempt can SELECT, UPDATE it \(through crm_app_exempt\); as tenant A it reads \d+ rows of other tenants; its UPDATE reaches every tenant's rows$/);
      expect(users?.sql).toMatch(/^SET ROLE crm_app_exempt; .* FROM public\.users WHERE company_id::text IS DISTINCT FROM /);
      expect(failures(result).find((f) => f.table === 'table public.sessions')?.check.detail).toContain('its rows belong to a tenant through user_id -> public.users');
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

describe.each(testServers())('rlsgen verify on lookups, the tenant table and legacy owners, on $label', (server) => {
  let db: { model: Model; connection: ConnectionInfo; drop: () => Promise<void> };
  beforeAll(async () => {
    db = await prepared(server, 'lookup');
  });
  afterAll(async () => {
    await db?.drop();
  });
  const sql = (text: string): Promise<unknown> => withClient(db.connection, (c) => c.query(text));
  const lookupFailures = (result: VerifyResult, lookup: string): string[] => failures(result).filter((f) => f.table === `lookup ${lookup}`).map((f) => f.check.detail);

  it('fails when PUBLIC may execute a lookup, and passes once it no longer may', async () => {
    await sql('GRANT EXECUTE ON FUNCTION rlsgen_lookup.user_by_email TO PUBLIC');
    const leaky = await verify(db.model, db.connection);
    expect(leaky.ok).toBe(false);
    expect(lookupFailures(leaky, 'user_by_email')).toEqual([expect.stringContaining('executable by PUBLIC (every role)')]);
    await sql('REVOKE EXECUTE ON FUNCTION rlsgen_lookup.user_by_email FROM PUBLIC');
    expect(lookupFailures(await verify(db.model, db.connection), 'user_by_email')).toEqual([]);
  });

  it('fails when a lookup lists rows by a pattern and returns more than its columns', async () => {
    await sql(`ALTER FUNCTION rlsgen_lookup.session_by_token RENAME TO session_by_token_safe`);
    await sql(`CREATE FUNCTION rlsgen_lookup.session_by_token(text) RETURNS TABLE (user_id uuid, company_id uuid, expires_at timestamptz, token_hash text)
      LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT s.user_id, s.company_id, s.expires_at, s.token_hash FROM public.sessions AS s WHERE s.token_hash LIKE $1 $$`);
    await sql('REVOKE ALL ON FUNCTION rlsgen_lookup.session_by_token FROM PUBLIC');
    await sql('GRANT EXECUTE ON FUNCTION rlsgen_lookup.session_by_token TO crm_app_lookup');
    await sql('GRANT SELECT ON public.sessions TO crm_lookup_lookup');
    await sql('ALTER FUNCTION rlsgen_lookup.session_by_token OWNER TO crm_lookup_lookup');
    try {
      const details = lookupFailures(await verify(db.model, db.connection), 'session_by_token');
      expect(details).toEqual([
        'session_by_token: it returns (user_id, company_id, expires_at, token_hash), not the declared (user_id, company_id, expires_at)',
        expect.stringContaining('its owner holds table privileges public.sessions:SELECT'),
        "session_by_token: the key '%' returned 4 rows: it matches a pattern",
      ]);
    } finally {
      await sql('DROP FUNCTION rlsgen_lookup.session_by_token');
      await sql('REVOKE SELECT ON public.sessions FROM crm_lookup_lookup');
      await sql('GRANT SELECT (company_id, expires_at, token_hash, user_id) ON public.sessions TO crm_lookup_lookup');
      await sql('ALTER FUNCTION rlsgen_lookup.session_by_token_safe RENAME TO session_by_token');
    }
    expect(lookupFailures(await verify(db.model, db.connection), 'session_by_token')).toEqual([]);
  });

  it('fails an undeclared definer function in the lookup schema, and a lookup handed to another owner, as definer functions', async () => {
    const declared = (result: VerifyResult): string[] => failures(result).filter((f) => f.table.startsWith('function rlsgen_lookup.')).map((f) => `${f.table} ${f.check.check}`);
    expect(declared(await verify(db.model, db.connection))).toEqual([]);
    await sql(`CREATE FUNCTION rlsgen_lookup.users_by_domain(text) RETURNS TABLE (id uuid, email text)
      LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT u.id, u.email FROM public.users AS u WHERE u.email LIKE '%@' || $1 $$`);
    try {
      const wide = await verify(db.model, db.connection);
      expect(declared(wide)).toEqual(['function rlsgen_lookup.users_by_domain(text) definer-function']);
      expect(failures(wide).find((f) => f.table === 'function rlsgen_lookup.users_by_domain(text)')?.check.detail).toMatch(/reads public\.users with its owner's rights; crm_app_lookup can EXECUTE it \(through PUBLIC\)/);
    } finally {
      await sql('DROP FUNCTION rlsgen_lookup.users_by_domain(text)');
    }
    await sql('ALTER FUNCTION rlsgen_lookup.user_by_email(text) OWNER TO CURRENT_USER');
    try {
      const moved = await verify(db.model, db.connection);
      expect(declared(moved)).toEqual(['function rlsgen_lookup.user_by_email(text) definer-function']);
      expect(lookupFailures(moved, 'user_by_email')).toEqual([expect.stringContaining('not the lookup role crm_lookup_lookup')]);
    } finally {
      await sql('ALTER FUNCTION rlsgen_lookup.user_by_email(text) OWNER TO crm_lookup_lookup');
    }
    expect(failures(await verify(db.model, db.connection))).toEqual([]);
  });

  it('fails when the lookup role owns something else or the application role can act as it', async () => {
    await sql('CREATE TABLE public.lookup_scratch (id int)');
    await sql('ALTER TABLE public.lookup_scratch OWNER TO crm_lookup_lookup');
    await sql('GRANT crm_lookup_lookup TO crm_app_lookup');
    try {
      const details = lookupFailures(await verify(db.model, db.connection), 'user_by_email');
      expect(details).toEqual([expect.stringMatching(/crm_app_lookup can act as its owner crm_lookup_lookup; its owner also owns table lookup_scratch$/)]);
    } finally {
      await sql('REVOKE crm_lookup_lookup FROM crm_app_lookup');
      await sql('DROP TABLE public.lookup_scratch');
    }
  });

  it('fails when a lookup key is no longer unique', async () => {
    await sql('ALTER TABLE users DROP CONSTRAINT users_email_key');
    try {
      const details = lookupFailures(await verify(db.model, db.connection), 'user_by_email');
      expect(details).toEqual(['user_by_email: no unique index of public.users covers (email): the lookup can return rows of several tenants']);
    } finally {
      await sql('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)');
    }
  });

  it('fails when every tenant may read every row of the tenant table', async () => {
    await sql('DROP POLICY rlsgen_tenant_select ON companies');
    await sql('CREATE POLICY rlsgen_tenant_select ON companies FOR SELECT TO crm_app_lookup USING (true)');
    try {
      const result = await verify(db.model, db.connection);
      expect(failedTables(result)).toEqual(['companies']);
      expect(failures(result).map((f) => f.check.detail)).toEqual([expect.stringMatching(/^tenant [0-9a-f-]+ sees 2 rows of other tenants$/)]);
    } finally {
      await sql('DROP POLICY rlsgen_tenant_select ON companies');
      await sql("CREATE POLICY rlsgen_tenant_select ON companies FOR SELECT TO crm_app_lookup USING (id = NULLIF(current_setting('app.company_id', true), '')::uuid)");
    }
  });

  it("fails when the legacy owner branch trusts the user variable alone (any company's user)", async () => {
    await sql('DROP POLICY rlsgen_tenant_select ON calls');
    await sql(`CREATE POLICY rlsgen_tenant_select ON calls FOR SELECT TO crm_app_lookup USING ((company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
      OR (company_id IS NULL AND user_id = NULLIF(current_setting('app.user_id', true), '')::uuid))`);
    try {
      const result = await verify(db.model, db.connection);
      expect(failedTables(result)).toEqual(['calls']);
      expect(failedChecks(result, 'calls')).toEqual(['legacy-owner']);
    } finally {
      await sql('DROP POLICY rlsgen_tenant_select ON calls');
    }
    await withClient(db.connection, async (c) => {
      const { rows } = await c.query<{ d: string }>("SELECT pg_get_expr(p.polqual, p.polrelid) AS d FROM pg_policy p WHERE p.polname = 'rlsgen_tenant_update' AND p.polrelid = 'calls'::regclass");
      await c.query(`CREATE POLICY rlsgen_tenant_select ON calls FOR SELECT TO crm_app_lookup USING (${rows[0]?.d ?? 'false'})`);
    });
    expect(failedTables(await verify(db.model, db.connection))).toEqual([]);
  });
});
