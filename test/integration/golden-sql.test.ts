import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { comparableSchema, freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';


describe.each(testServers())('golden SQL runs on $label', (server) => {
  it('quoting: every name with capitals, spaces, quotes and reserved words, in a non-public schema', async () => {
    const db = await freshDatabase(server, 'quoting');
    try {
      await runSqlFile(db.connection, 'test/golden/quoting/schema.sql');
      const before = await withClient(db.connection, introspectDatabase);
      const result = await applyMigrations({ connection: db.connection, dir: 'test/golden/quoting/expected' });
      expect(result.applied.length).toBe(23);
      await withClient(db.connection, async (c) => {
        await c.query('BEGIN');
        await c.query('SET LOCAL ROLE "App ""Role"""');
        await c.query("SELECT set_config('app.org_id', '1', true)");
        const { rows } = await c.query('SELECT count(*)::int AS n FROM "CRM Data"."order"');
        expect(rows[0]).toEqual({ n: 2 });
        const hashed = await c.query('SELECT count(*)::int AS n FROM "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names');
        expect(hashed.rows[0]).toEqual({ n: 1 });
        await c.query('ROLLBACK');
      });
      await rollbackMigrations({ connection: db.connection, dir: 'test/golden/quoting/expected', to: 0 });
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(comparableSchema(before));
    } finally {
      await db.drop();
    }
  });

  it('modes: shared, legacy owner, kept rows, multi-hop, non-key match, first-of', async () => {
    const db = await freshDatabase(server, 'modes');
    try {
      await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
      const before = await withClient(db.connection, introspectDatabase);
      const result = await applyMigrations({ connection: db.connection, dir: 'test/golden/modes/expected' });
      const filled = Object.fromEntries(result.backfills.map((b) => [b.table.replace('public.', ''), [b.filled, b.unresolved]]));
      expect(filled).toEqual({
        customers: [1, 0],
        orders: [2, 0],
        payments: [2, 0],
        payment_transactions: [2, 0],
        flow_logs: [1, 2], // wa-shared matches two organizations: ambiguous, left unresolved
        campaigns: [1, 0],
        jobs: [1, 0],
        whatsapp_api_logs: [2, 1],
        zoho_mappings: [1, 1],
      });
      await withClient(db.connection, async (c) => {
        const count = async (table: string, org: string | null): Promise<number> => {
          await c.query('BEGIN');
          await c.query('SET LOCAL ROLE wa_app');
          if (org !== null) await c.query("SELECT set_config('app.company_id', md5($1)::uuid::text, true)", [org]);
          const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          await c.query('ROLLBACK');
          return rows[0]?.n ?? -1;
        };
        expect(await count('payment_transactions', 'org:a')).toBe(1);
        expect(await count('templates', 'org:a')).toBe(1); // the global template
        expect(await count('zoho_mappings', 'org:b')).toBe(1); // the admin's global mapping only
        expect(await count('flow_logs', 'org:a')).toBe(1);
        expect(await count('customers', null)).toBe(0);
      });
      await rollbackMigrations({ connection: db.connection, dir: 'test/golden/modes/expected', to: 0 });
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(comparableSchema(before));
    } finally {
      await db.drop();
    }
  });

  it('incremental migrations (table added, mode changed, table removed) apply and roll back', async () => {
    const dir = tempDir('inc');
    cpSync('test/golden/modes/policies.yaml', join(dir, 'policies.yaml'));
    const out = join(dir, 'generated-sql');
    const manifest = join(dir, 'policies.yaml');
    const base = `${(await import('node:fs')).readFileSync(manifest, 'utf8')}`;
    const generate = (text: string): void => {
      writeFileSync(manifest, text);
      const r = generateMigrations({ manifestPath: manifest, outDir: out });
      expect(['written', 'up-to-date']).toContain(r.kind);
    };
    const db = await freshDatabase(server, 'incremental');
    try {
      await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
      await withClient(db.connection, (c) => c.query('CREATE TABLE notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), customer_id uuid REFERENCES customers (id), body text)'));
      const before = await withClient(db.connection, introspectDatabase);
      const withoutNotes = base.replace(/\n  templates:\n    mode: shared\n/, '\n  templates:\n    mode: shared\n');
      generate(withoutNotes);
      await applyMigrations({ connection: db.connection, dir: out });
      generate(`${withoutNotes}  notes:\n    backfill: customer_id -> customers\n    foreign_keys: { customer_id: customers }\n`);
      generate(`${withoutNotes.replace('  customers:\n    existing_column: uuid\n    unresolved: keep\n    legacy_owner: owner_id\n', '  customers:\n    mode: shared\n    existing_column: uuid\n')}  notes:\n    backfill: customer_id -> customers\n`);
      generate(
        `${withoutNotes
          .replace('  customers:\n    existing_column: uuid\n    unresolved: keep\n    legacy_owner: owner_id\n', '  customers:\n    mode: shared\n    existing_column: uuid\n')
          .replace(/  zoho_mappings:[\s\S]*$/, '')}  notes:\n    backfill: customer_id -> customers\n`,
      );
      const result = await applyMigrations({ connection: db.connection, dir: out });
      expect(result.applied.map((f) => f.name)).toContain('remove_policies_zoho_mappings');
      expect(result.applied.map((f) => f.name)).toContain('replace_policies_customers');
      const after = await withClient(db.connection, introspectDatabase);
      expect(after.tables.find((t) => t.name === 'zoho_mappings')?.rlsEnabled).toBe(false);
      expect(after.tables.find((t) => t.name === 'notes')?.rlsForced).toBe(true);
      await rollbackMigrations({ connection: db.connection, dir: out, to: 0 });
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(comparableSchema(before));
    } finally {
      await db.drop();
    }
  });
});
