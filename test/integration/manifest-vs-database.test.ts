import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { runCliAsync } from '../helpers/cli.js';
import { freshDatabase, type TestServer, testServers } from '../helpers/servers.js';
import { removeTempDir, tempDir } from '../helpers/temp.js';

// A table that has the tenant column already, with its own foreign key, as
// teams that started the migration by hand leave it.
const SCHEMA = `
CREATE TABLE companies (id bigint PRIMARY KEY);
CREATE TABLE users (id bigint PRIMARY KEY, company_id bigint NOT NULL REFERENCES companies (id));
CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), body text);
INSERT INTO companies VALUES (1), (2);
INSERT INTO users VALUES (1, 1), (2, 2);
INSERT INTO notes VALUES (1, 1, 'a'), (2, 2, 'b');
`;

const manifest = (users: string, notes: string): string => `version: 1
tenant: { column: company_id, type: bigint, references: companies(id) }
roles: { app: { name: mvd_app } }
tables:
  companies: { mode: exempt, reason: the tenant table, commands: [select] }
  users: ${users}
  notes:
    ${notes}
    backfill: user_id -> users
    foreign_keys: { user_id: users }
`;

describe.each(testServers())('apply where the manifest and the database disagree on the tenant column, on $label', (server: TestServer) => {
  const attempt = async (users: string, notes: string) => {
    const db = await freshDatabase(server, 'mvd');
    const dir = tempDir('mvd');
    try {
      await withClient(db.connection, (c) => c.query(SCHEMA));
      writeFileSync(join(dir, 'policies.yaml'), manifest(users, notes));
      const generated = await runCliAsync(['generate', '--manifest', join(dir, 'policies.yaml'), '--out', join(dir, 'sql')]);
      expect(generated.code, generated.stderr).toBe(0);
      const applied = await runCliAsync(['apply', '--database-url', connectionUrl(db.connection), '--dir', join(dir, 'sql')], { env: { CI: 'true' } });
      const left = await withClient(db.connection, async (c) => ({
        defaults: (await c.query("SELECT attrelid::regclass::text AS t FROM pg_attrdef JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum WHERE attname = 'company_id'")).rows,
        notesColumn: (await c.query("SELECT 1 FROM pg_attribute WHERE attrelid = 'notes'::regclass AND attname = 'company_id' AND NOT attisdropped")).rowCount,
        triggers: (await c.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).rows,
      }));
      return { applied, left };
    } finally {
      await db.drop();
      removeTempDir(dir);
    }
  };

  it('a column the manifest would add exists already: stops before changing the table, naming the key to declare', async () => {
    const { applied, left } = await attempt('{}', 'existing_column: bigint');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('rlsgen: public.users has a column company_id (bigint) already, which the manifest says to add');
    expect(applied.stderr).toContain('tables.users.existing_column: its type (rlsgen init does)');
    expect(left).toEqual({ defaults: [], notesColumn: 0, triggers: [] });
  });

  it('existing_column on a table without the column, or of another type: stops the same way', async () => {
    const missing = await attempt('{ existing_column: bigint }', 'existing_column: bigint');
    expect(missing.applied.code).toBe(1);
    expect(missing.applied.stderr).toContain('rlsgen: public.notes has no column company_id, but the manifest says it has the column company_id of type bigint');
    expect(missing.applied.stderr).toContain('correct tables.notes.existing_column in the manifest, or remove it');
    // Nothing of notes changed; users' file before it stays applied, as every
    // prepare file does (the old application works at each file boundary; apply resumes there).
    expect(missing.left).toEqual({ defaults: [{ t: 'users' }], notesColumn: 0, triggers: [] });
  });
});
