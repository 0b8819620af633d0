import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { type ConnectionInfo, connectionUrl, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { acceptedExposures, failures, type VerifyResult } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { runCli } from '../helpers/cli.js';
import { comparableSchema, freshDatabase, legacyServers, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';

/**
 * Everything the application role can reach besides its tables, on the
 * rental fixture (test/golden/reach): the generated views, function and
 * TEMPORARY migrations on every server, and verify's probes, each with the
 * hazard it catches and the safe form it passes.
 */
const GOLDEN = 'test/golden/reach';
const manifestText = readFileSync(`${GOLDEN}/policies.yaml`, 'utf8');

/** The fixture's manifest text, with `extra` appended (a section), or `table` declared under tables: first. */
const manifestWith = (extra = '', table = ''): string => `${manifestText.replace('  customer:\n', `${table}  customer:\n`)}${extra}`;

/** The fixture's model, with `extra` appended (a section), or `table` declared under tables: first. */
function model(extra = '', table = ''): Model {
  const loaded = loadManifest(manifestWith(extra, table), 'policies.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.model;
}

async function rental(server: TestServer): Promise<{ connection: ConnectionInfo; drop: () => Promise<void> }> {
  const db = await freshDatabase(server, 'reach');
  await runSqlFile(db.connection, `${GOLDEN}/schema.sql`);
  await applyMigrations({ connection: db.connection, dir: `${GOLDEN}/expected` });
  return db;
}

const sql = (connection: ConnectionInfo, text: string): Promise<unknown> => withClient(connection, (c) => c.query(text));
const verify = (connection: ConnectionInfo, m: Model = model()): Promise<VerifyResult> => withClient(connection, (client) => verifyIsolation({ model: m, client }));
const failed = (result: VerifyResult): string[] => [...new Set(failures(result).map((f) => `${f.table} ${f.check.check}`))].sort();

/** Runs `fn` as the application role with store `store` set. */
async function asStore<T>(connection: ConnectionInfo, store: number | null, fn: (q: (text: string) => Promise<unknown[]>) => Promise<T>): Promise<T> {
  return withClient(connection, async (c) => {
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL ROLE rental_app');
      if (store !== null) await c.query("SELECT set_config('app.store_id', $1, true)", [String(store)]);
      return await fn(async (text) => (await c.query(text)).rows);
    } finally {
      await c.query('ROLLBACK');
    }
  });
}

describe.each([...testServers(), ...legacyServers()])('what the application role reaches, on $label', (server) => {
  const invoker = server.versionNum >= 150000;

  it('the generated views, function privileges and TEMPORARY apply, prove, and roll back exactly', async () => {
    const db = await freshDatabase(server, 'reach');
    try {
      await runSqlFile(db.connection, `${GOLDEN}/schema.sql`);
      const before = await withClient(db.connection, introspectDatabase);
      await applyMigrations({ connection: db.connection, dir: `${GOLDEN}/expected` });
      const after = await withClient(db.connection, introspectDatabase);
      const view = after.views.find((v) => v.name === 'customer_list');
      expect(view?.securityInvoker).toBe(invoker);
      expect(view?.grants.find((g) => g.grantee === 'rental_app')?.privileges ?? []).toEqual(invoker ? ['SELECT'] : []);
      expect(after.functions.find((f) => f.name === 'customer_report')?.grants.map((g) => g.grantee)).toEqual(['postgres']);
      expect(after.databaseInfo.grants.find((g) => g.grantee === 'PUBLIC')?.privileges).toEqual(['CONNECT']);
      expect(after.databaseInfo.grants.find((g) => g.grantee === 'rental_reporting')?.privileges).toEqual(['TEMPORARY']);
      if (invoker) {
        // Through the security_invoker view, store 1 sees its 2 customers only.
        expect(await asStore(db.connection, 1, (q) => q('SELECT count(*)::int AS n FROM customer_list'))).toEqual([{ n: 2 }]);
        expect(await asStore(db.connection, null, (q) => q('SELECT count(*)::int AS n FROM customer_list'))).toEqual([{ n: 0 }]);
      } else {
        await expect(asStore(db.connection, 1, (q) => q('SELECT count(*) FROM customer_list'))).rejects.toThrow(/permission denied/);
      }
      await expect(asStore(db.connection, 1, (q) => q('SELECT * FROM customer_report(2)'))).rejects.toThrow(/permission denied/);
      await expect(asStore(db.connection, 1, (q) => q('CREATE TEMP TABLE scratch (id int)'))).rejects.toThrow(/permission denied/);

      const result = await verify(db.connection);
      expect(failed(result)).toEqual([]);
      expect(result.ok).toBe(true);
      const objects = Object.fromEntries(result.objects.map((o) => [o.object, o.checks.map((c) => `${c.check} ${c.status}`)]));
      expect(objects['table public.film']).toEqual(['exempt-tenant-reference pass']);
      expect(objects['function public.customer_report(integer)']).toBeUndefined();
      if (invoker) expect(objects['view public.customer_list']).toEqual(['view-security-invoker pass']);
      else expect(objects['view public.customer_list']).toBeUndefined();
      expect(objects['sequence public.customer_customer_id_seq']).toEqual(['sequence-privileges pass']);

      await rollbackMigrations({ connection: db.connection, dir: `${GOLDEN}/expected`, to: 0 });
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(comparableSchema(before));
    } finally {
      await db.drop();
    }
  });

  it('init lists every view that reads a tenant table under views:, and the materialized ones in a comment', async () => {
    const db = await freshDatabase(server, 'reach');
    try {
      await runSqlFile(db.connection, `${GOLDEN}/schema.sql`);
      const r = runCli(['init', '--database-url', connectionUrl(db.connection), '--tenant-table', 'stores', '--tenant-column', 'store_id', '--setting', 'app.store_id', '--app-role', 'rental_app', '--out', '-']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('\nviews:\n  Payment Totals:  # reads payment\n  customer_list:  # reads customer\n');
      expect(r.stdout).toContain('\n# Materialized views over tenant tables have no row-level security: never grant them\n# to the application role.\n#   sales_by_store (reads customer, payment)');
    } finally {
      await db.drop();
    }
  });

  it('exempt table with tenant rows granted to the application role: fails naming it; ungranted, it passes', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE TABLE loyalty (id serial PRIMARY KEY, store_id bigint NOT NULL, points int NOT NULL);
        INSERT INTO loyalty (store_id, points) VALUES (1, 10), (2, 20), (2, 30);`);
      const withLoyalty = model('', '  loyalty:\n    mode: exempt\n    reason: points are computed nightly\n    existing_column: bigint\n');
      expect(failed(await verify(db.connection, withLoyalty))).toEqual([]);
      await sql(db.connection, 'GRANT SELECT, UPDATE ON loyalty TO rental_app');
      const result = await verify(db.connection, withLoyalty);
      expect(failed(result)).toEqual(['table public.loyalty exempt-tenant-data']);
      expect(failures(result)[0]?.check.detail).toMatch(/as tenant A it reads 2 rows of other tenants/);
      // Accepted with a reason: exit 0, and the verdict says so instead of PASS.
      const work = mkdtempSync(join(tmpdir(), 'rlsgen-reach-'));
      try {
        const manifest = join(work, 'policies.yaml');
        writeFileSync(manifest, manifestWith('acknowledgements:\n  - table: loyalty\n    finding: ban-exempt-tenant-data\n    reason: a store reads the chain-wide leaderboard\n', '  loyalty:\n    mode: exempt\n    reason: points are computed nightly\n    existing_column: bigint\n'));
        const r = runCli(['verify', '--manifest', manifest, '--database-url', connectionUrl(db.connection)]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^ACCEPTED, NOT A FULL PASS: 1 exposure\(s\) accepted in the manifest, listed below, are paths to other tenants' rows; apart from them no tenant can read or change/m);
        expect(r.stdout).not.toMatch(/^PASS/m);
        expect(r.stdout).toContain('Accepted in the manifest (1):\n  table public.loyalty exempt-tenant-data: a store reads the chain-wide leaderboard');
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    } finally {
      await db.drop();
    }
  });

  it('view over a tenant table without security_invoker granted to the application role: fails naming it; security_invoker, it passes', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, 'CREATE VIEW store_customers AS SELECT customer_id, store_id, first_name FROM customer; GRANT SELECT ON store_customers TO rental_app');
      const result = await verify(db.connection);
      expect(failed(result)).toEqual(['view public.store_customers view-security-invoker']);
      expect(failures(result)[0]?.check.detail).toMatch(/it reads public\.customer with the rights of postgres, who bypasses row-level security.*as tenant A it returns 1 row of other tenants/);
      if (invoker) await sql(db.connection, 'ALTER VIEW store_customers SET (security_invoker = true)');
      else await sql(db.connection, 'REVOKE SELECT ON store_customers FROM rental_app');
      expect(failed(await verify(db.connection))).toEqual([]);
      // The tenant table is out of the application role's reach (commands: []); a view hands it every store.
      await sql(db.connection, 'CREATE VIEW store_names AS SELECT id, name FROM stores; GRANT SELECT ON store_names TO rental_app');
      const names = await verify(db.connection);
      expect(failed(names)).toEqual(['view public.store_names view-security-invoker']);
      expect(failures(names)[0]?.check.detail).toContain('public.stores');
    } finally {
      await db.drop();
    }
  });

  it('SECURITY DEFINER function reading a tenant table, executable by PUBLIC: fails naming it; revoked, it passes', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE FUNCTION store_count(p_store bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ SELECT count(*) FROM public.customer WHERE store_id = p_store $$`);
      const result = await verify(db.connection);
      expect(failed(result)).toEqual(['function public.store_count(bigint) definer-function']);
      expect(failures(result)[0]?.check.detail).toContain('(through PUBLIC)');
      await sql(db.connection, 'REVOKE EXECUTE ON FUNCTION store_count(bigint) FROM PUBLIC');
      expect(failed(await verify(db.connection))).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('materialized view over tenant rows granted to the application role: fails naming it; ungranted, it passes', async () => {
    const db = await rental(server);
    try {
      expect(failed(await verify(db.connection))).toEqual([]);
      await sql(db.connection, 'GRANT SELECT ON sales_by_store TO rental_app');
      const result = await verify(db.connection);
      expect(failed(result)).toEqual(['materialized view public.sales_by_store materialized-view']);
      expect(failures(result)[0]?.check.detail).toMatch(/as tenant A it reads 1 row of other tenants/);
    } finally {
      await db.drop();
    }
  });

  it('inheritance child of a tenant table reachable directly without its own policies: fails naming it; with them, it passes', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE TABLE customer_archive () INHERITS (customer);
        INSERT INTO customer_archive (customer_id, store_id, first_name) VALUES (100, 1, 'Old'), (101, 2, 'Gone');
        GRANT SELECT ON customer_archive TO rental_app`);
      const result = await verify(db.connection);
      expect(failed(result)).toEqual(['table public.customer_archive child-policies']);
      await sql(db.connection, `ALTER TABLE customer_archive ENABLE ROW LEVEL SECURITY; ALTER TABLE customer_archive FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON customer_archive TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint)`);
      expect(failed(await verify(db.connection))).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('partition of a tenant table reachable directly without its own policies: fails naming it; with them, it passes', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE TABLE rentals (id bigint NOT NULL, store_id bigint NOT NULL REFERENCES stores (id), title text, PRIMARY KEY (store_id, id)) PARTITION BY LIST (store_id);
        CREATE TABLE rentals_1 PARTITION OF rentals FOR VALUES IN (1);
        CREATE TABLE rentals_2 PARTITION OF rentals FOR VALUES IN (2);
        INSERT INTO rentals VALUES (1, 1, 'a'), (2, 2, 'b');
        ALTER TABLE rentals ENABLE ROW LEVEL SECURITY; ALTER TABLE rentals FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON rentals TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
        GRANT SELECT ON rentals, rentals_2 TO rental_app`);
      const withRentals = model('', '  rentals:\n    existing_column: bigint\n    commands: [select]\n');
      const result = await verify(db.connection, withRentals);
      expect(failed(result).filter((f) => !f.startsWith('rentals '))).toEqual(['table public.rentals_2 child-policies']);
      await sql(db.connection, `ALTER TABLE rentals_2 ENABLE ROW LEVEL SECURITY; ALTER TABLE rentals_2 FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON rentals_2 TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint)`);
      expect(failed(await verify(db.connection, withRentals)).filter((f) => !f.startsWith('rentals '))).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('sub-partition of a tenant table: without its own policies it fails as a partition; with them it passes, and is never taken for an undeclared table', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE TABLE rentals (id bigint NOT NULL, store_id bigint NOT NULL REFERENCES stores (id), title text, PRIMARY KEY (store_id, id)) PARTITION BY LIST (store_id);
        CREATE TABLE rentals_1 PARTITION OF rentals FOR VALUES IN (1);
        CREATE TABLE rentals_2 PARTITION OF rentals FOR VALUES IN (2) PARTITION BY RANGE (id);
        CREATE TABLE rentals_2_early PARTITION OF rentals_2 FOR VALUES FROM (0) TO (1000);
        INSERT INTO rentals VALUES (1, 1, 'a'), (2, 2, 'b');
        ALTER TABLE rentals ENABLE ROW LEVEL SECURITY; ALTER TABLE rentals FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON rentals TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
        GRANT SELECT ON rentals, rentals_2_early TO rental_app`);
      const withRentals = model('', '  rentals:\n    existing_column: bigint\n    commands: [select]\n');
      const result = await verify(db.connection, withRentals);
      expect(failed(result).filter((f) => !f.startsWith('rentals '))).toEqual(['table public.rentals_2_early child-policies']);
      expect(failures(result).find((f) => f.table === 'table public.rentals_2_early')?.check.detail).toMatch(/^partition of public\.rentals_2, under public\.rentals; .*as tenant A it reads 1 row of other tenants/);
      await sql(db.connection, `ALTER TABLE rentals_2_early ENABLE ROW LEVEL SECURITY; ALTER TABLE rentals_2_early FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON rentals_2_early TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint)`);
      const safe = await verify(db.connection, withRentals);
      expect(failed(safe).filter((f) => !f.startsWith('rentals '))).toEqual([]);
      expect(safe.objects.find((o) => o.object === 'table public.rentals_2_early')?.checks.map((c) => `${c.check} ${c.status}`)).toEqual(['child-policies pass']);
    } finally {
      await db.drop();
    }
  });

  it('rlsgen verify exits 0 on the clean database and 1 with each of the five hazards, naming every one', async () => {
    const db = await rental(server);
    const dir = mkdtempSync(join(tmpdir(), 'rlsgen-hazards-'));
    const manifest = join(dir, 'policies.yaml');
    writeFileSync(manifest, manifestWith('', '  loyalty:\n    mode: exempt\n    reason: points are computed nightly\n    existing_column: bigint\n  rentals:\n    existing_column: bigint\n    commands: [select]\n'));
    try {
      const url = connectionUrl(db.connection);
      await sql(db.connection, `CREATE TABLE loyalty (id serial PRIMARY KEY, store_id bigint NOT NULL, points int NOT NULL);
        INSERT INTO loyalty (store_id, points) VALUES (1, 10), (2, 20);
        CREATE TABLE rentals (id bigint NOT NULL, store_id bigint NOT NULL REFERENCES stores (id), PRIMARY KEY (store_id, id)) PARTITION BY LIST (store_id);
        CREATE TABLE rentals_1 PARTITION OF rentals FOR VALUES IN (1);
        CREATE TABLE rentals_2 PARTITION OF rentals FOR VALUES IN (2);
        INSERT INTO rentals VALUES (1, 1), (2, 2);
        ALTER TABLE rentals ENABLE ROW LEVEL SECURITY; ALTER TABLE rentals FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON rentals TO rental_app USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
        GRANT SELECT ON rentals TO rental_app`);
      const clean = runCli(['verify', '--manifest', manifest, '--database-url', url]);
      expect(clean.code, clean.stdout).toBe(0);
      expect(clean.stdout).toMatch(/^PASS: /m);
      await sql(db.connection, `GRANT SELECT, UPDATE ON loyalty TO rental_app;
        CREATE VIEW store_customers AS SELECT customer_id, store_id FROM customer; GRANT SELECT ON store_customers TO rental_app;
        CREATE FUNCTION store_count(p_store bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
          AS $$ SELECT count(*) FROM public.customer WHERE store_id = p_store $$;
        GRANT SELECT ON sales_by_store TO rental_app;
        GRANT SELECT ON rentals_2 TO rental_app`);
      const r = runCli(['verify', '--manifest', manifest, '--database-url', url]);
      expect(r.code).toBe(1);
      const lines = r.stdout.split('\n');
      const named = lines.slice(lines.findIndex((l) => l.startsWith('FAIL: '))).filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(':')[0]);
      expect(named.sort()).toEqual([
        'function public.store_count(bigint) definer-function',
        'materialized view public.sales_by_store materialized-view',
        'table public.loyalty exempt-tenant-data',
        'table public.rentals_2 child-policies',
        'view public.store_customers view-security-invoker',
      ]);
      expect(r.stdout).toMatch(/^FAIL: 5 check\(s\) failed\.$/m);
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rlsgen verify exits 1 naming each object; an acknowledgement turns a failure into an accepted exposure', async () => {
    const db = await rental(server);
    try {
      await sql(db.connection, `CREATE VIEW store_customers AS SELECT customer_id, store_id FROM customer; GRANT SELECT ON store_customers TO rental_app;
        GRANT SELECT ON sales_by_store TO rental_app;
        CREATE FUNCTION store_count(p_store bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
          AS $$ SELECT count(*) FROM public.customer WHERE store_id = p_store $$`);
      const url = connectionUrl(db.connection);
      const r = runCli(['verify', '--manifest', `${GOLDEN}/policies.yaml`, '--database-url', url]);
      expect(r.code).toBe(1);
      for (const object of ['view public.store_customers view-security-invoker', 'materialized view public.sales_by_store materialized-view', 'function public.store_count(bigint) definer-function']) {
        expect(r.stdout).toContain(`  ${object}: `);
      }
      const accepted = model(`acknowledgements:
  - materialized_view: sales_by_store
    finding: ban-tenant-materialized-view
    reason: head-office totals, one row per store
`);
      const result = await verify(db.connection, accepted);
      expect(failed(result)).toEqual(['function public.store_count(bigint) definer-function', 'view public.store_customers view-security-invoker']);
      expect(acceptedExposures(result).map((a) => `${a.table} ${a.check.check}: ${a.check.acknowledged}`)).toEqual(['materialized view public.sales_by_store materialized-view: head-office totals, one row per store']);
    } finally {
      await db.drop();
    }
  });
});
