import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ApplyError, applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { initManifest } from '../../src/init/init-manifest.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { failures } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { pgDumpFor, schemaDump } from '../helpers/schema-dump.js';
import { comparableSchema, crmDatabase, freshDatabase, legacyServers, runSqlFile, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = 'test/fixtures/partitioned-crm';
const LEAVES = ['calls_2024', 'calls_2025_voice', 'calls_2025_other', 'calls_default'];
const PARTITIONS = ['calls_2024', 'calls 2025', ...LEAVES.slice(1)];

/** The fixture's manifest in a folder of its own, changed by `edit`, generated. */
function generated(edit: (text: string) => string = (t) => t): { dir: string; out: string; manifest: string; model: () => Model; regenerate: (edit: (text: string) => string) => void } {
  const dir = tempDir('part');
  const manifest = join(dir, 'policies.yaml');
  const out = join(dir, 'generated-sql');
  const write = (text: string): void => {
    writeFileSync(manifest, text);
    const result = generateMigrations({ manifestPath: manifest, outDir: out });
    if (result.kind !== 'written') throw new Error(`generate: ${result.kind} ${JSON.stringify(result.diagnostics)}`);
  };
  write(edit(readFileSync(join(FIXTURE, 'policies.yaml'), 'utf8')));
  return {
    dir,
    out,
    manifest,
    model: () => {
      const loaded = loadManifest(readFileSync(manifest, 'utf8'), manifest);
      if (!loaded.ok) throw new Error('manifest');
      return loaded.model;
    },
    regenerate: (change) => write(change(readFileSync(manifest, 'utf8'))),
  };
}

async function asTenant<T>(c: pg.ClientBase, company: number, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    await c.query('SET LOCAL ROLE pcrm_app');
    await c.query("SELECT set_config('app.company_id', $1, true)", [String(company)]);
    return await fn();
  } finally {
    await c.query('ROLLBACK');
  }
}

const count = async (c: pg.ClientBase, sql: string): Promise<number> => Number(Object.values((await c.query(sql)).rows[0] ?? {})[0]);

/** What identifies the schema: pg_dump --schema-only where a pg_dump can dump this server, and the catalog snapshot. */
async function schemaOf(connection: ConnectionInfo, pgDump: string | null): Promise<{ dump: string | null; catalog: unknown }> {
  return { dump: pgDump === null ? null : await schemaDump(pgDump, connection), catalog: comparableSchema(await withClient(connection, introspectDatabase)) };
}

/** PostgreSQL 13 and 14 cannot keep a composite SET NULL / SET DEFAULT: the same fixture with those keys RESTRICT. */
const WITHOUT_COLUMN_LISTS_SQL = `
  ALTER TABLE public.calls DROP CONSTRAINT calls_customer_id_fkey,
    ADD CONSTRAINT calls_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public."Customers"(id) ON UPDATE CASCADE ON DELETE RESTRICT;
  ALTER TABLE public.deals DROP CONSTRAINT deals_owner_fk,
    ADD CONSTRAINT deals_owner_fk FOREIGN KEY (owner_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;`;
const withoutColumnLists = (text: string): string =>
  text
    .replace('customer_id: { references: Customers, on_delete: set_null, on_update: cascade }', 'customer_id: { references: Customers, on_delete: restrict, on_update: cascade }')
    .replace('owner_id: { references: users, on_delete: set_default, on_update: cascade }', 'owner_id: { references: users, on_delete: restrict, on_update: cascade }');

describe.each([...testServers(), ...legacyServers()])('partitions, inheritance, foreign-key actions and sequences on $label', (server) => {
  const columnLists = server.versionNum >= 150000;

  it('init lists partitions under their parent, reads keys declared on partitions, and writes every key action', async () => {
    const db = await freshDatabase(server, 'partinit');
    try {
      await runSqlFile(db.connection, join(FIXTURE, 'schema.sql'));
      const text = await withClient(db.connection, (c) => initManifest(c, { tenantTable: 'companies', tenantColumn: 'company_id', appRole: 'pcrm_app', crossRole: 'pcrm_support' }));
      const loaded = loadManifest(text, 'policies.yaml');
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (!loaded.ok) return;
      const calls = loaded.model.tables.find((t) => t.key === 'calls');
      expect(calls?.mode).toBe('tenant');
      expect(calls?.primaryKey).toBe('id');
      expect(calls?.partitionKey).toEqual(['started_at', 'channel']);
      expect(calls?.partitions.map((p) => [p.name.name, p.parent.name, p.partitioned])).toEqual([
        ['calls 2025', 'calls', true],
        ['calls_2025_other', 'calls 2025', false],
        ['calls_2025_voice', 'calls 2025', false],
        ['calls_2024', 'calls', false],
        ['calls_default', 'calls', false],
      ]);
      expect(calls?.foreignKeys.map((k) => [k.column, k.table, k.onDelete, k.onUpdate])).toEqual([
        ['customer_id', 'Customers', 'set_null', 'cascade'],
        ['user_id', 'users', 'no_action', 'no_action'],
      ]);
      const notes = loaded.model.tables.find((t) => t.key === 'notes');
      expect(notes?.partitioning).toBe('inheritance');
      expect(notes?.foreignKeys.find((k) => k.column === 'author_id')).toMatchObject({ deferrable: true, initiallyDeferred: true });
      expect(loaded.model.tables.find((t) => t.key === 'deals')?.foreignKeys.find((k) => k.column === 'customer_id')).toMatchObject({ onDelete: 'restrict', onUpdate: 'restrict', match: 'full' });
      expect(loaded.model.tables.some((t) => t.key === 'notes_archive' || t.key === 'calls_2024')).toBe(false);
      expect(text).toContain('      calls 2025:\n        partitions:\n          calls_2025_other:\n          calls_2025_voice:\n');
    } finally {
      await db.drop();
    }
  });

  it('the seed CRM: rollback --to 0 gives an identical pg_dump --schema-only', async () => {
    const db = await crmDatabase(server);
    const found = await pgDumpFor(server);
    const pgDump = 'path' in found ? found.path : null;
    try {
      const before = await schemaOf(db.connection, pgDump);
      await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
      await rollbackMigrations({ connection: db.connection, dir: 'generated-sql', to: 0 });
      const after = await schemaOf(db.connection, pgDump);
      expect(after.catalog).toEqual(before.catalog);
      if (pgDump !== null) expect(after.dump).toBe(before.dump);
    } finally {
      await db.drop();
    }
  });

  it.runIf(!columnLists)('refuses a composite SET NULL before changing anything, naming the table', async () => {
    const db = await freshDatabase(server, 'part13');
    const gen = generated();
    try {
      await runSqlFile(db.connection, join(FIXTURE, 'schema.sql'));
      const before = await schemaOf(db.connection, null);
      const error = await applyMigrations({ connection: db.connection, dir: gen.out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      expect((error as ApplyError).file?.fileName).toBe('0004_add_tenant_column_deals.sql');
      expect((error as ApplyError).message).toMatch(/public\.deals needs PostgreSQL 15 or newer: a composite foreign key with ON DELETE SET NULL or SET DEFAULT must name the column it changes/);
      await rollbackMigrations({ connection: db.connection, dir: gen.out, to: 0 });
      expect(await schemaOf(db.connection, null)).toEqual(before);
    } finally {
      await db.drop();
      rmSync(gen.dir, { recursive: true, force: true });
    }
  });

  it('generates, applies, isolates every partition, keeps every key action, and rolls back to an identical pg_dump', async () => {
    const db = await freshDatabase(server, 'part');
    const gen = generated(columnLists ? undefined : withoutColumnLists);
    const found = await pgDumpFor(server);
    const pgDump = 'path' in found ? found.path : null;
    try {
      await runSqlFile(db.connection, join(FIXTURE, 'schema.sql'));
      if (!columnLists) await withClient(db.connection, (c) => c.query(WITHOUT_COLUMN_LISTS_SQL));
      const before = await schemaOf(db.connection, pgDump);

      const result = await applyMigrations({ connection: db.connection, dir: gen.out });
      expect(Object.fromEntries(result.backfills.map((b) => [b.table, [b.filled, b.unresolved]]))).toEqual({
        'public.deals': [2, 0],
        'public.deal_items': [2, 0],
        'public.calls': [4, 0],
        'public.notes': [3, 0],
      });

      await withClient(db.connection, async (c) => {
        // Row-level security, forced, on the parent and on every partition and child, each with its policies.
        const { rows } = await c.query<{ relname: string; on: boolean; forced: boolean; policies: number }>(
          `SELECT c.relname, c.relrowsecurity AS on, c.relforcerowsecurity AS forced, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
             FROM pg_class c WHERE c.relname = ANY ($1) ORDER BY 1`,
          [['calls', ...PARTITIONS, 'notes', 'notes_archive']],
        );
        for (const row of rows) expect(row, row.relname).toMatchObject({ on: true, forced: true, policies: 5 });
        expect(rows).toHaveLength(PARTITIONS.length + 3);
        // The parent's tenant index is valid, made of the partitions' indexes;
        // plain (on company_id alone), since no composite key references calls.
        expect((await c.query("SELECT indisvalid, indisunique, indnatts FROM pg_index WHERE indexrelid = 'public.calls_company_id_tenant_idx'::regclass")).rows).toEqual([
          { indisvalid: true, indisunique: false, indnatts: 1 },
        ]);
        expect(await count(c, "SELECT count(*) AS n FROM pg_partition_tree('public.calls_company_id_tenant_idx') WHERE isleaf")).toBe(LEAVES.length);
        // deals, a parent of deal_items' composite key, has the unique one.
        expect((await c.query("SELECT indisvalid, indisunique FROM pg_index WHERE indexrelid = 'public.deals_company_id_id_key'::regclass")).rows).toEqual([{ indisvalid: true, indisunique: true }]);
        // The composite keys keep each action; each leaf has one key per column, adopted from the parent.
        const keys = await c.query<{ rel: string; def: string }>(
          `SELECT conrelid::regclass::text AS rel, pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN ('public.calls'::regclass, 'public.calls_2024'::regclass, 'public.deals'::regclass, 'public.deal_items'::regclass, 'public.notes'::regclass, 'public.notes_archive'::regclass)
            ORDER BY 1, 2`,
        );
        const setNull = columnLists ? 'ON DELETE SET NULL (customer_id)' : 'ON DELETE RESTRICT';
        const setDefault = columnLists ? 'ON DELETE SET DEFAULT (owner_id)' : 'ON DELETE RESTRICT';
        expect(keys.rows.map((k) => `${k.rel}: ${k.def}`)).toEqual([
          `calls: FOREIGN KEY (company_id, customer_id) REFERENCES "Customers"(company_id, id) ON UPDATE CASCADE ${setNull}`,
          'calls: FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, id)',
          'calls: FOREIGN KEY (company_id) REFERENCES companies(id)',
          `calls_2024: FOREIGN KEY (company_id, customer_id) REFERENCES "Customers"(company_id, id) ON UPDATE CASCADE ${setNull}`,
          'calls_2024: FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, id)',
          'calls_2024: FOREIGN KEY (company_id) REFERENCES companies(id)',
          'deal_items: FOREIGN KEY (company_id, deal_id) REFERENCES deals(company_id, id) ON DELETE CASCADE DEFERRABLE',
          'deal_items: FOREIGN KEY (company_id) REFERENCES companies(id)',
          'deals: FOREIGN KEY (company_id) REFERENCES companies(id)',
          'deals: FOREIGN KEY (company_id, customer_id) REFERENCES "Customers"(company_id, id) ON UPDATE RESTRICT ON DELETE RESTRICT',
          `deals: FOREIGN KEY (company_id, owner_id) REFERENCES users(company_id, id) ON UPDATE CASCADE ${setDefault}`,
          'deals: FOREIGN KEY (currency) REFERENCES currencies(code) ON UPDATE SET NULL ON DELETE SET NULL',
          'notes: FOREIGN KEY (company_id) REFERENCES companies(id)',
          'notes: FOREIGN KEY (company_id, author_id) REFERENCES users(company_id, id) DEFERRABLE INITIALLY DEFERRED',
          'notes: FOREIGN KEY (company_id, customer_id) REFERENCES "Customers"(company_id, id) ON DELETE CASCADE',
          'notes_archive: FOREIGN KEY (company_id) REFERENCES companies(id)',
          'notes_archive: FOREIGN KEY (company_id, author_id) REFERENCES users(company_id, id) DEFERRABLE INITIALLY DEFERRED',
          'notes_archive: FOREIGN KEY (company_id, customer_id) REFERENCES "Customers"(company_id, id) ON DELETE CASCADE',
        ].sort((a, b) => a.localeCompare(b)).sort());

        // As the application: its own rows only, through the parent and through each partition by name.
        await asTenant(c, 1, async () => {
          expect(await count(c, 'SELECT count(*) FROM calls')).toBe(2);
          expect(await count(c, 'SELECT count(*) FROM calls_2025_voice')).toBe(0);
          expect(await count(c, 'SELECT count(*) FROM calls_2025_other')).toBe(1);
          expect(await count(c, 'SELECT count(*) FROM notes')).toBe(2);
          expect(await count(c, 'SELECT count(*) FROM ONLY notes_archive')).toBe(1);
          // Inserts draw on a sequence no column owns.
          await c.query("INSERT INTO deals (customer_id, owner_id, amount) VALUES (101, 1, 5)");
          await c.query("INSERT INTO calls (started_at, user_id, customer_id) VALUES ('2024-05-05', 1, 101)");
        });
        await asTenant(c, 2, async () => {
          expect(await count(c, 'SELECT count(*) FROM calls_2025_voice')).toBe(1);
          expect(await count(c, 'SELECT count(*) FROM calls_default')).toBe(1);
        });

        // Actions, as the database owner: SET NULL keeps the tenant, CASCADE follows, RESTRICT refuses.
        await c.query('BEGIN');
        await c.query('DELETE FROM deals WHERE customer_id = 102');
        if (columnLists) {
          await c.query('DELETE FROM "Customers" WHERE id = 102');
          expect((await c.query('SELECT company_id, customer_id FROM calls WHERE user_id = 2 ORDER BY started_at')).rows).toEqual([
            { company_id: '2', customer_id: null },
            { company_id: '2', customer_id: null },
          ]);
          expect(await count(c, 'SELECT count(*) FROM notes WHERE company_id = 2')).toBe(0);
        }
        await c.query('ROLLBACK');
        await expect(withClient(db.connection, (c2) => c2.query('DELETE FROM "Customers" WHERE id = 101'))).rejects.toThrow(/deals_customer_id_tenant_fkey/);
        await c.query('BEGIN');
        await c.query('DELETE FROM deals WHERE customer_id = 101');
        await c.query('DELETE FROM notes WHERE customer_id = 101');
        await c.query('UPDATE "Customers" SET id = 111 WHERE id = 101');
        expect(await count(c, 'SELECT count(*) FROM calls WHERE customer_id = 111')).toBe(2);
        await c.query('ROLLBACK');
        // Deferred: checked at commit, not at the statement.
        await c.query('BEGIN');
        await c.query('UPDATE notes SET author_id = 99 WHERE id = 1');
        await expect(c.query('COMMIT')).rejects.toThrow(/notes_author_id_tenant_fkey/);
      });

      const proof = await withClient(db.connection, (client) => verifyIsolation({ model: gen.model(), client }));
      expect(failures(proof)).toEqual([]);

      // A partition created after the migration: lint names it; the manifest lists it; a new migration secures it.
      await withClient(db.connection, (c) => c.query("CREATE TABLE public.calls_2026 PARTITION OF public.calls FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"));
      const lint = lintDatabase(await withClient(db.connection, introspectDatabase), { model: gen.model() });
      expect(lint.filter((f) => f.rule === 'require-child-policies').map((f) => f.object)).toEqual(['table public.calls_2026']);
      gen.regenerate((t) => t.replace('      calls_default:\n', '      calls_default:\n      calls_2026:\n'));
      const later = await applyMigrations({ connection: db.connection, dir: gen.out });
      expect(later.applied.map((f) => f.name)).toEqual(['secure_partitions_calls']);
      const relint = lintDatabase(await withClient(db.connection, introspectDatabase), { model: gen.model() });
      expect(relint.filter((f) => f.rule === 'require-child-policies')).toEqual([]);
      await withClient(db.connection, (c) =>
        asTenant(c, 1, async () => {
          await c.query("INSERT INTO calls (started_at, user_id) VALUES ('2026-02-02', 1)");
          expect(await count(c, 'SELECT count(*) FROM calls_2026')).toBe(1);
        }),
      );

      await rollbackMigrations({ connection: db.connection, dir: gen.out, to: 0 });
      await withClient(db.connection, (c) => c.query('DROP TABLE public.calls_2026'));
      const after = await schemaOf(db.connection, pgDump);
      expect(after.catalog).toEqual(before.catalog);
      if (pgDump !== null) expect(after.dump).toBe(before.dump);
    } finally {
      await db.drop();
      rmSync(gen.dir, { recursive: true, force: true });
    }
  });
});
