import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { RULES } from '../../src/lint/registry.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { readFileSync } from 'node:fs';
import { provePolicies } from '../../src/prove/prove-policies.js';
import type { ProofResult } from '../../src/prove/result.js';
import { runCli } from '../helpers/cli.js';
import { crmDatabase, freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';

const [server] = testServers();

const NULLIF = "NULLIF(current_setting('app.company_id', true), '')::int";
const tag = Math.random().toString(36).slice(2, 8);
const APP = `prove_app_${tag}`;

/** A table whose only policies are `policies` (SQL after `CREATE POLICY name ON <table>`). */
function table(name: string, policies: readonly string[], columns = 'id int PRIMARY KEY, company_id int NOT NULL, owner_id int, status text'): string {
  return `CREATE TABLE hand.${name} (${columns});
    GRANT SELECT, INSERT, UPDATE, DELETE ON hand.${name} TO ${APP};
    ALTER TABLE hand.${name} ENABLE ROW LEVEL SECURITY; ALTER TABLE hand.${name} FORCE ROW LEVEL SECURITY;
    ${policies.map((p, i) => `CREATE POLICY p${i} ON hand.${name} ${p};`).join('\n')}`;
}

/** Hand-written policy sets, each with the verdict a DBA should get. */
const HAND: { name: string; sql: string; verdict: ProofResult['verdict']; leaks?: string[] }[] = [
  { name: 'plain', sql: table('plain', [`TO ${APP} USING (company_id = ${NULLIF})`]), verdict: 'PROVEN' },
  { name: 'or_true', sql: table('or_true', [`TO ${APP} USING (company_id = ${NULLIF} OR true)`]), verdict: 'LEAK', leaks: ['SELECT'] },
  {
    name: 'is_null_or',
    sql: table('is_null_or', [`TO ${APP} USING (current_setting('app.company_id', true) IS NULL OR company_id = ${NULLIF})`]),
    verdict: 'LEAK',
    leaks: ['SELECT'],
  },
  { name: 'other_variable', sql: table('other_variable', [`TO ${APP} USING (company_id = NULLIF(current_setting('app.org_id', true), '')::int)`]), verdict: 'LEAK' },
  // A restrictive tenant fence over a permissive true, for every command: the fence holds.
  { name: 'fence_all', sql: table('fence_all', [`TO ${APP} USING (true)`, `AS RESTRICTIVE TO ${APP} USING (company_id = ${NULLIF})`]), verdict: 'PROVEN' },
  // The same fence on SELECT only: writes go through the permissive true.
  { name: 'fence_select', sql: table('fence_select', [`TO ${APP} USING (true)`, `AS RESTRICTIVE FOR SELECT TO ${APP} USING (company_id = ${NULLIF})`]), verdict: 'LEAK' },
  // WITH CHECK that forgets the tenant: another tenant's row can be inserted.
  { name: 'check_status', sql: table('check_status', [`FOR ALL TO ${APP} USING (company_id = ${NULLIF}) WITH CHECK (status IN ('draft', 'sent'))`]), verdict: 'LEAK', leaks: ['INSERT', 'UPDATE'] },
  // Without NULLIF, '' on a pooled connection fails the cast: an error, not a leak.
  { name: 'bare_cast', sql: table('bare_cast', [`TO ${APP} USING (company_id = current_setting('app.company_id', true)::int)`]), verdict: 'PROVEN' },
  // A helper in plpgsql is not followed.
  {
    name: 'plpgsql_helper',
    sql: `CREATE FUNCTION hand.tenant() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN ${NULLIF}; END $$;
      ${table('plpgsql_helper', [`TO ${APP} USING (company_id = hand.tenant())`])}`,
    verdict: 'UNVERIFIED',
  },
  // A SQL helper is inlined, as the planner does.
  {
    name: 'sql_helper',
    sql: `CREATE FUNCTION hand.current_company() RETURNS int LANGUAGE sql STABLE AS $$ SELECT ${NULLIF} $$;
      ${table('sql_helper', [`TO ${APP} USING (company_id = (SELECT hand.current_company()))`])}`,
    verdict: 'PROVEN',
  },
  // A sub-select reading another table is not followed.
  {
    name: 'membership',
    sql: `${table('members', [`TO ${APP} USING (company_id = ${NULLIF})`], 'company_id int NOT NULL, user_id int')}
      ${table('membership', [`TO ${APP} USING (company_id IN (SELECT m.company_id FROM hand.members m WHERE m.user_id = NULLIF(current_setting('app.user_id', true), '')::int))`])}`,
    verdict: 'UNVERIFIED',
  },
  { name: 'members', sql: '', verdict: 'PROVEN' },
  // Keyed on the login every tenant shares.
  { name: 'role_keyed', sql: table('role_keyed', [`TO ${APP} USING (owner_role = current_user)`], 'id int PRIMARY KEY, company_id int NOT NULL, owner_role name'), verdict: 'LEAK', leaks: ['SELECT'] },
  { name: 'login_keyed', sql: table('login_keyed', [`TO ${APP} USING (owner_role = session_user)`], 'id int PRIMARY KEY, company_id int NOT NULL, owner_role name'), verdict: 'LEAK', leaks: ['SELECT'] },
  // Row security off on a tenant table.
  { name: 'no_rls', sql: `CREATE TABLE hand.no_rls (id int PRIMARY KEY, company_id int NOT NULL); GRANT SELECT ON hand.no_rls TO ${APP};`, verdict: 'LEAK' },
];

/** Supabase-style policies keyed on auth.uid(), the tenant being the user. */
const SUPABASE = `CREATE SCHEMA auth;
  CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
  CREATE TABLE public.notes (id bigint PRIMARY KEY, user_id uuid NOT NULL, body text);
  ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY; ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;
  CREATE POLICY own ON public.notes FOR ALL TO ${APP} USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
  CREATE TABLE public.posts (id bigint PRIMARY KEY, user_id uuid NOT NULL, body text);
  ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY; ALTER TABLE public.posts FORCE ROW LEVEL SECURITY;
  CREATE POLICY broken ON public.posts FOR SELECT TO ${APP} USING (auth.uid() IS NULL OR user_id = auth.uid());
  CREATE POLICY ins ON public.posts FOR INSERT TO ${APP} WITH CHECK (user_id = auth.uid());`;

describe.runIf(server !== undefined)('rlsgen prove', () => {
  const drops: (() => Promise<void>)[] = [];
  /** Databases the CLI test runs on, filled by the tests before it. */
  const urls: { crm?: string; hand?: string; supabase?: string } = {};
  beforeAll(async () => {
    if (server === undefined) return;
    await withClient(server.connection, (c) => c.query(`CREATE ROLE ${APP} NOLOGIN`));
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    if (server !== undefined) await withClient(server.connection, (c) => c.query(`DROP ROLE IF EXISTS ${APP}`)).catch(() => undefined);
  });

  it('proves the seed CRM after its generated migrations', async () => {
    if (server === undefined) return;
    const db = await crmDatabase(server);
    drops.push(db.drop);
    await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    urls.crm = connectionUrl(db.connection);
    const loaded = loadManifest(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');
    if (!loaded.ok) throw new Error('manifest');
    const snapshot = await withClient(db.connection, introspectDatabase);
    const result = provePolicies(snapshot, { model: loaded.model });
    const notProven = result.tables.filter((t) => t.verdict !== 'PROVEN');
    expect(notProven.map((t) => [t.table.name, t.verdict, t.reason ?? t.commands.flatMap((c) => c.checks.filter((k) => k.verdict !== 'PROVEN').map((k) => `${c.command} ${k.check}: ${k.detail}`))])).toEqual([]);
    expect(result.tables.length).toBeGreaterThan(20);
    expect(result.verdict).toBe('PROVEN');
  });

  // Every golden folder that runs on plain PostgreSQL (Citus' needs a cluster: test/integration/citus.test.ts).
  // signed scopes part of the modes schema, so the other tables are outside its manifest.
  it.each([
    { golden: 'modes', schema: 'test/golden/modes/schema.sql', expected: [] as string[], skip: [] as string[] },
    { golden: 'quoting', schema: 'test/golden/quoting/schema.sql', expected: [], skip: [] },
    { golden: 'reach', schema: 'test/golden/reach/schema.sql', expected: [], skip: [] },
    { golden: 'signed', schema: 'test/golden/modes/schema.sql', expected: [], skip: ['require-manifest-coverage'] },
  ])('lint and prove report nothing else on the $golden golden SQL', async ({ golden, schema, expected, skip }) => {
    if (server === undefined) return;
    const db = await freshDatabase(server, 'prove');
    drops.push(db.drop);
    await runSqlFile(db.connection, schema);
    await applyMigrations({ connection: db.connection, dir: `test/golden/${golden}/expected` });
    const loaded = loadManifest(readFileSync(`test/golden/${golden}/policies.yaml`, 'utf8'), 'policies.yaml');
    if (!loaded.ok) throw new Error('manifest');
    const snapshot = await withClient(db.connection, introspectDatabase);
    const findings = lintDatabase(snapshot, { model: loaded.model, rules: RULES.filter((r) => !skip.includes(r.id)) });
    expect(findings.map((f) => `${f.rule} ${f.message.split(':')[0]}`)).toEqual(expected);
    const result = provePolicies(snapshot, { model: loaded.model });
    expect(result.tables.filter((t) => t.verdict !== 'PROVEN').map((t) => [t.table.name, t.verdict, t.reason ?? t.commands.flatMap((c) => c.checks.filter((k) => k.verdict !== 'PROVEN').map((k) => `${c.command} ${k.check}: ${k.detail}`))])).toEqual([]);
    expect(result.tables.length).toBeGreaterThan(1);
  });

  it('gives each hand-written policy set its verdict', async () => {
    if (server === undefined) return;
    const db = await freshDatabase(server, 'prove');
    drops.push(db.drop);
    await withClient(db.connection, async (c) => {
      await c.query('CREATE SCHEMA hand');
      for (const h of HAND) if (h.sql !== '') await c.query(h.sql);
    });
    urls.hand = connectionUrl(db.connection);
    const snapshot = await withClient(db.connection, introspectDatabase);
    const result = provePolicies(snapshot, { model: null, appRole: APP });
    const got = Object.fromEntries(result.tables.map((t) => [t.table.name, t.verdict]));
    expect(got).toEqual(Object.fromEntries(HAND.map((h) => [h.name, h.verdict])));
    const leaking = (name: string): string[] => result.tables.find((t) => t.table.name === name)?.commands.filter((c) => c.verdict === 'LEAK').map((c) => c.command) ?? [];
    for (const h of HAND) if (h.leaks !== undefined) expect(leaking(h.name), h.name).toEqual(expect.arrayContaining(h.leaks));
    // Commands the fence covers stay proven; the others leak through the permissive true.
    expect(leaking('fence_select')).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(leaking('check_status')).toEqual(['INSERT', 'UPDATE']);
  });

  it('Supabase-style auth.uid() policies', async () => {
    if (server === undefined) return;
    const db = await freshDatabase(server, 'prove');
    drops.push(db.drop);
    await withClient(db.connection, (c) => c.query(SUPABASE));
    urls.supabase = connectionUrl(db.connection);
    const snapshot = await withClient(db.connection, introspectDatabase);
    const result = provePolicies(snapshot, { model: null, appRole: APP, tenantColumn: 'user_id', setting: 'request.jwt.claim.sub' });
    expect(Object.fromEntries(result.tables.map((t) => [t.table.name, t.verdict]))).toEqual({ notes: 'PROVEN', posts: 'LEAK' });
  });

  it('rlsgen prove: a line per table, counterexamples, and exit 0 proven, 1 leak or unverified, 2 usage', () => {
    if (server === undefined || urls.crm === undefined || urls.hand === undefined || urls.supabase === undefined) throw new Error('the tests above did not run');
    const env = { DATABASE_URL: '' };
    const crm = runCli(['prove', '--database-url', urls.crm], { env });
    expect(crm.code, crm.stderr).toBe(0);
    expect(crm.stdout).toContain('PROVEN public.deals');
    expect(crm.stdout).toMatch(/^PROVEN: \d+ tenant table\(s\) for role crm_app, app.company_id -> company_id: \d+ proven, 0 leak, 0 unverified$/m);
    // Without the manifest, in a folder that has none.
    const hand = runCli(['prove', '--database-url', urls.hand, '--role', APP], { env, cwd: 'test' });
    expect(hand.code).toBe(1);
    expect(hand.stdout).toContain('LEAK hand.or_true');
    expect(hand.stdout).toContain("SELECT read: with app.company_id unset, a row with company_id = '90001' is visible");
    expect(hand.stdout).toContain('UNVERIFIED hand.plpgsql_helper');
    expect(hand.stdout).toContain('plpgsql function hand.tenant() is not followed');
    expect(hand.stdout).toContain('PROVEN hand.fence_all');
    const json = runCli(['prove', '--database-url', urls.supabase, '--role', APP, '--tenant-column', 'user_id', '--setting', 'request.jwt.claim.sub', '--json'], { env, cwd: 'test' });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as ProofResult;
    const posts = parsed.tables.find((t) => t.table.name === 'posts');
    expect(posts?.commands.find((c) => c.command === 'SELECT')?.checks[0]?.counterexample).toMatchObject({ scenario: 'unset', settingValue: null, row: { user_id: expect.any(String) } });
    expect(runCli(['prove'], { env, cwd: 'test' }).code).toBe(2);
    expect(runCli(['prove', '--database-url', urls.crm, '--role', 'no_such_role'], { env }).code).toBe(2);
  });
});
