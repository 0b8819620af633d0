import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { comparableSchema, freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A table whose first generation built a plain tenant index (nothing
 * referenced it) and whose second makes it the parent of a composite key:
 * the unique index is built, the plain one dropped; rolling the second
 * generation back gives the first one's schema again.
 */
const SCHEMA = `
  CREATE TABLE companies (id uuid PRIMARY KEY);
  CREATE TABLE users (id bigint PRIMARY KEY, company_id uuid NOT NULL REFERENCES companies);
  CREATE TABLE deals (id bigint PRIMARY KEY, owner_id bigint REFERENCES users);
  CREATE TABLE deal_notes (id bigint PRIMARY KEY, deal_id bigint NOT NULL REFERENCES deals, body text);
  INSERT INTO companies VALUES ('00000000-0000-0000-0000-000000000001'), ('00000000-0000-0000-0000-000000000002');
  INSERT INTO users VALUES (1, '00000000-0000-0000-0000-000000000001'), (2, '00000000-0000-0000-0000-000000000002');
  INSERT INTO deals SELECT g, g % 2 + 1 FROM generate_series(1, 100) AS g;
  INSERT INTO deal_notes SELECT g, g, 'note' FROM generate_series(1, 100) AS g;`;
const manifest = (composite: boolean): string => `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: upgrade_app } }
tables:
  companies: { commands: [select] }
  users: { existing_column: uuid }
  deals:
    backfill: owner_id -> users
    foreign_keys: { owner_id: users }
  deal_notes:
    backfill: deal_id -> deals
    foreign_keys: { deal_id: ${composite ? 'deals' : '{ references: deals, composite: false }'} }
`;

const [server] = testServers();

describe.runIf(server !== undefined)('a table upgraded to the unique tenant index in a later generation', () => {
  it('builds the unique index, drops the plain one concurrently, and rolls back to the first generation exactly', async () => {
    if (server === undefined) return;
    const db = await freshDatabase(server, 'upgrade');
    const dir = tempDir('upgrade');
    const out = join(dir, 'generated-sql');
    const generate = (composite: boolean): void => {
      writeFileSync(join(dir, 'policies.yaml'), manifest(composite));
      const result = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: out });
      if (result.kind !== 'written') throw new Error(`generate: ${result.kind} ${JSON.stringify(result.diagnostics)}`);
    };
    const indexes = async (): Promise<unknown[]> =>
      withClient(db.connection, async (c) => (await c.query("SELECT indexrelid::regclass::text AS name, indisunique AS unique, indisvalid AS valid FROM pg_index WHERE indrelid = 'deals'::regclass AND NOT indisprimary ORDER BY 1")).rows);
    try {
      await withClient(db.connection, (c) => c.query(SCHEMA));
      generate(false);
      const first = readdirSync(out).filter((f) => f.endsWith('.sql')).length;
      await applyMigrations({ connection: db.connection, dir: out });
      expect(await indexes()).toEqual([{ name: 'deals_company_id_tenant_idx', unique: false, valid: true }]);
      const afterFirst = comparableSchema(await withClient(db.connection, introspectDatabase));

      generate(true);
      const second = await applyMigrations({ connection: db.connection, dir: out });
      expect(second.applied.map((f) => f.name).filter((n) => n.includes('index'))).toEqual(['tenant_index_deals_2', 'drop_plain_tenant_index_deals']);
      expect(await indexes()).toEqual([{ name: 'deals_company_id_id_key', unique: true, valid: true }]);

      await rollbackMigrations({ connection: db.connection, dir: out, to: first });
      expect(await indexes()).toEqual([{ name: 'deals_company_id_tenant_idx', unique: false, valid: true }]);
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(afterFirst);
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
