import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsistencyReport } from '../../src/audit/path-consistency.js';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, legacyServers, runSqlFile, testServers } from '../helpers/servers.js';

const FIXTURE = 'test/fixtures/dvd-rental';
/** The rows of data.sql that belong to two stores: rentals 4 and 7 (customer of store 1, copy of store 2), payments 4 and 5. */
const CORRECT_SQL = `UPDATE rental SET customer_id = 3 WHERE rental_id IN (4, 7);
  UPDATE payment SET customer_id = 3, staff_id = 2 WHERE payment_id = 4;
  UPDATE payment SET staff_id = 1 WHERE payment_id = 5;`;

describe.each([...testServers(), ...legacyServers()])('a DVD-rental store chain (stores are the tenants) on $label', (server) => {
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-dvd-'));
  const manifest = join(work, 'policies.yaml');
  const dir = join(work, 'generated-sql');
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let url: string;
  const serverUrl = connectionUrl({ ...server.connection, database: 'postgres' });
  // payment's key to staff is ON DELETE SET NULL: as a composite key it needs SET NULL (column), PostgreSQL 15+.
  const columnLists = server.versionNum >= 150000;

  beforeAll(async () => {
    db = await freshDatabase(server, 'dvd');
    await runSqlFile(db.connection, `${FIXTURE}/schema.sql`);
    await runSqlFile(db.connection, `${FIXTURE}/data.sql`);
    url = connectionUrl(db.connection);
    const init = runCli(['init', '--database-url', url, '--tenant-table', 'store', '--tenant-column', 'store_id', '--setting', 'app.store_id', '--app-role', 'dvd_app', '--cross-role', 'dvd_hq', '--out', manifest]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const generated = runCli(['generate', '--manifest', manifest, '--out', dir]);
    expect(generated.code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('init proposes the path the data supports best and writes the disagreement into the comment', () => {
    const text = readFileSync(manifest, 'utf8');
    expect(text).toContain('  setting: app.store_id');
    const rental = text.slice(text.indexOf('\n  rental:'), text.indexOf('\n  staff:'));
    // inventory_id agrees with staff_id on every row; customer_id names store 1 for rentals 4 and 7.
    expect(rental).toContain('    backfill: inventory_id -> inventory\n');
    expect(rental).toContain('# also possible: backfill: customer_id -> customer  (resolves 7 of 7 row(s), another store_id than the backfill for 2)');
    expect(rental).toContain('# also possible: backfill: staff_id -> staff  (resolves 7 of 7 row(s), agreeing with the backfill)');
    expect(rental).toContain('# the data: the paths disagree on 2 row(s) (rental_id 4, 7)');
    expect(rental).toContain('# review: the composite key (store_id, customer_id) -> public.customer would reject 2 row(s) (rental_id 4, 7) and stop the enforce stage');
    // The catalogue is read-only for the application; the tenant table is read-only too.
    for (const lookup of ['film', 'language', 'category', 'film_category', 'address', 'city', 'country']) {
      expect(text).toMatch(new RegExp(`\\n  ${lookup}:\\n    mode: exempt\\n    reason: "lookup table [^\\n]*\\n    commands: \\[select\\]\\n`));
    }
    expect(text).toContain('  film:\n    mode: exempt\n    reason: "lookup table referenced by inventory;');
  });

  it('audit lists the rows a composite key would reject before anything is applied, and exits 1', () => {
    const json = runCli(['audit', '--database-url', url, '--manifest', manifest, '--json', '--limit', '1']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { consistency: ConsistencyReport };
    expect(report.consistency.enforceFails).toBe(true);
    const rental = report.consistency.tables.find((t) => t.table === 'public.rental');
    expect(rental?.disagreements).toEqual({ count: 2, keys: ['4'] });
    expect(rental?.unresolved.count).toBe(0);
    expect(rental?.rejected.map((r) => [r.column, r.count, r.keys])).toEqual([
      ['customer_id', 2, ['4']],
      ['inventory_id', 0, []],
      ['staff_id', 0, []],
    ]);
    const text = runCli(['audit', '--database-url', url, '--manifest', manifest]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('    composite key (store_id, customer_id) -> public.customer would reject 2 row(s): rental_id 4, 7');
    expect(text.stdout).toContain('    paths disagree on 2 row(s): rental_id 4, 7');
    expect(text.stdout).toContain('the enforce stage would fail on these rows');
  });

  it.runIf(columnLists)('the prepare stage refuses to start while the enforce stage would fail, unless told to go on', async () => {
    const refused = runCli(['apply', '--database-url', url, '--dir', dir, '--manifest', manifest]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: the enforce stage would fail on today's data; the prepare stage was not started");
    expect(refused.stderr).toContain('rental_id 4, 7');
    const applied = await withClient(db.connection, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'rental' AND column_name = 'store_id'"));
    expect(applied.rows[0]?.n).toBe('0');
    const forced = runCli(['apply', '--database-url', url, '--dir', dir, '--manifest', manifest, '--stage', 'prepare', '--ignore-data-check']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
  });

  it.runIf(!columnLists)('before PostgreSQL 15: apply stops at the file of the composite SET NULL key with what to change, and rollback --to 0 leaves the schema as it was', async () => {
    const columns = async (): Promise<string> =>
      (await withClient(db.connection, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'store_id'"))).rows[0]?.n ?? '';
    const before = await columns();
    const stopped = runCli(['apply', '--database-url', url, '--dir', dir, '--manifest', manifest, '--ignore-data-check']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/_add_tenant_column_payment\.sql error\[P0001\]: rlsgen: public\.payment needs PostgreSQL 15 or newer: a composite foreign key with ON DELETE SET NULL or SET DEFAULT must name the column it changes/);
    expect(stopped.stderr).toContain('help: upgrade to PostgreSQL 15, or set composite: false (or another on_delete) on those keys in the manifest');
    expect(stopped.stderr).toContain('the migration was rolled back: nothing of it remains');
    const back = runCli(['rollback', '--database-url', url, '--dir', dir, '--to', '0']);
    expect(back.code).toBe(0);
    expect(await columns()).toBe(before);
  });

  it.runIf(columnLists)('once the rows are corrected the audit is silent and the rollout completes and verifies', async () => {
    await withClient(db.connection, (c) => c.query(CORRECT_SQL));
    // The backfill already wrote the tenant columns: they follow the corrected references.
    await withClient(db.connection, (c) =>
      c.query(`UPDATE rental r SET store_id = i.store_id FROM inventory i WHERE i.inventory_id = r.inventory_id;
               UPDATE payment p SET store_id = c.store_id FROM customer c WHERE c.customer_id = p.customer_id`),
    );
    const audit = runCli(['audit', '--database-url', url, '--manifest', manifest]);
    expect(audit.stdout).toContain('every path agrees, every row resolves, every composite key validates');
    expect(audit.code).toBe(0);
    const applied = runCli(['apply', '--database-url', url, '--dir', dir, '--manifest', manifest]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const verified = runCli(['verify', '--manifest', manifest, '--database-url', url]);
    expect(verified.stdout).toContain('PASS');
    expect(verified.code).toBe(0);
  });

  it.runIf(columnLists)('verify --schema proves an empty database: the seeder creates a store together with its manager', () => {
    const r = runCli(['verify', '--manifest', manifest, '--dir', dir, '--schema', `${FIXTURE}/schema.sql`, '--database-url', serverUrl]);
    expect(r.stdout).toContain("PASS: no tenant can read or change another tenant's rows in any of the 6 scoped tables");
    expect(r.code).toBe(0);
  });

  it.runIf(columnLists)('verify --schema loads a plain pg_dump file with COPY blocks, and names the file and line of a bad row or statement', () => {
    const r = runCli(['verify', '--manifest', manifest, '--dir', dir, '--schema', `${FIXTURE}/dump.sql`, '--database-url', serverUrl]);
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
    const lines = readFileSync(`${FIXTURE}/dump.sql`, 'utf8').split('\n');
    const copy = lines.findIndex((l) => l.startsWith('COPY public.payment '));
    const badRow = [...lines];
    badRow[copy + 3] = (badRow[copy + 3] ?? '').replace(/^(\d+)\t\d+/, '$1\tx');
    const rowFile = join(work, 'bad-row.sql');
    writeFileSync(rowFile, badRow.join('\n'));
    const row = runCli(['verify', '--manifest', manifest, '--dir', dir, '--schema', rowFile, '--database-url', serverUrl]);
    expect(row.code).toBe(2);
    expect(row.stderr).toContain(`${rowFile}:${copy + 4}: invalid input syntax for type smallint: "x"`);
    const create = lines.findIndex((l) => l.startsWith('CREATE TABLE public.film ('));
    const badStatement = [...lines];
    badStatement[create + 2] = '    title character varyingg(255) NOT NULL,';
    const statementFile = join(work, 'bad-statement.sql');
    writeFileSync(statementFile, badStatement.join('\n'));
    const statement = runCli(['verify', '--manifest', manifest, '--dir', dir, '--schema', statementFile, '--database-url', serverUrl]);
    expect(statement.code).toBe(2);
    expect(statement.stderr).toContain(`${statementFile}:${create + 3}: `);
  });
});

describe.each(testServers())('lint without a manifest on $label', (server) => {
  it('flags the tables with the tenant column and not the tenant table whose key has its name', async () => {
    const db = await freshDatabase(server, 'dvdlint');
    try {
      await runSqlFile(db.connection, `${FIXTURE}/schema.sql`);
      const r = runCli(['lint', '--database-url', connectionUrl(db.connection), '--manifest', join(tmpdir(), 'rlsgen-no-such-manifest.yaml'), '--tenant-column', 'store_id', '--format', 'json']);
      const findings = JSON.parse(r.stdout) as { rule: string; object: string }[];
      const rls = findings.filter((f) => f.rule === 'require-rls-enabled').map((f) => f.object);
      expect(rls.some((o) => o.endsWith('public.staff'))).toBe(true);
      expect(rls.some((o) => o.endsWith('public.store'))).toBe(false);
    } finally {
      await db.drop();
    }
  });
});
