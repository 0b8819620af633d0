import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { dropTestDatabase, FIXTURE_DATA, FIXTURE_SCHEMA, type TestServer } from './servers.js';
import { tempDir } from './temp.js';

/** The example manifest with role names of its own: roles are cluster-wide. */
export function taggedManifest(tag: string): { model: Model; dir: string; manifestPath: string } {
  const text = readFileSync('policies.yaml', 'utf8').replace('name: crm_app ', `name: crm_app_${tag} `).replace('name: crm_support ', `name: crm_support_${tag} `).replace('name: crm_lookup ', `name: crm_lookup_${tag} `);
  const dir = tempDir(`managed-${tag}`);
  const manifestPath = join(dir, 'policies.yaml');
  writeFileSync(manifestPath, text);
  const result = generateMigrations({ manifestPath, outDir: join(dir, 'generated-sql') });
  if (result.kind !== 'written') throw new Error(`generate: ${result.kind}`);
  const loaded = loadManifest(text, 'policies.yaml');
  if (!loaded.ok) throw new Error('manifest');
  return { model: loaded.model, dir: join(dir, 'generated-sql'), manifestPath };
}

export interface ManagedDatabase {
  readonly model: Model;
  readonly dir: string;
  readonly manifestPath: string;
  /** The platform's administrator: LOGIN CREATEROLE CREATEDB (or less), not a superuser, owner of the database and of every table. */
  readonly admin: ConnectionInfo;
  /** The server's superuser, on the same database: for the comparison run and for planting hazards. */
  readonly superuser: ConnectionInfo;
  readonly app: string;
  readonly cross: string;
  drop(): Promise<void>;
}

export interface ManagedOptions {
  /** Attributes of the administrator (default `CREATEROLE CREATEDB`). */
  readonly attributes?: string;
  /** SQL the superuser runs before the administrator applies the migrations ({admin}, {app}, {cross}, {lookup} replaced by quoted names). */
  readonly before?: string;
  /** Apply the migrations (default true). */
  readonly apply?: boolean;
}

/**
 * A managed platform, simulated: a login that is not a superuser creates the
 * database, loads the seed CRM into it (so it owns every table) and applies
 * the migrations (creating the manifest's roles). `drop()` removes the
 * database and every role of it.
 */
export async function managedDatabase(server: TestServer, options: ManagedOptions = {}): Promise<ManagedDatabase> {
  const tag = randomBytes(4).toString('hex');
  const { model, dir, manifestPath } = taggedManifest(tag);
  const name = `managed_${tag}`;
  const adminRole = `dba_admin_${tag}`;
  const password = randomBytes(12).toString('hex');
  const app = model.roles.app.name;
  const cross = model.roles.crossTenant?.name ?? '';
  const lookup = model.roles.lookup.name;
  await withClient(server.connection, (c) => c.query(`CREATE ROLE ${quoteIdent(adminRole)} LOGIN ${options.attributes ?? 'CREATEROLE CREATEDB'} NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`));
  const admin: ConnectionInfo = { ...server.connection, user: adminRole, password, database: 'postgres' };
  const fill = (sql: string) => sql.replaceAll('{admin}', quoteIdent(adminRole)).replaceAll('{app}', quoteIdent(app)).replaceAll('{cross}', quoteIdent(cross)).replaceAll('{lookup}', quoteIdent(lookup));
  if (options.before !== undefined) await withClient(server.connection, (c) => c.query(fill(options.before ?? '')));
  await withClient(server.connection, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(adminRole)}`));
  const adminDb = { ...admin, database: name };
  await withClient(adminDb, async (c) => {
    await c.query(readFileSync(FIXTURE_SCHEMA, 'utf8'));
    await c.query(readFileSync(FIXTURE_DATA, 'utf8'));
  });
  if (options.apply !== false) await applyMigrations({ connection: adminDb, dir });
  return {
    model,
    dir,
    manifestPath,
    admin: adminDb,
    superuser: { ...server.connection, database: name },
    app,
    cross,
    drop: async () => {
      await withClient(server.connection, async (c) => {
        await dropTestDatabase(c, name);
        const { rows } = await c.query<{ r: string }>(`SELECT rolname AS r FROM pg_roles WHERE rolname LIKE '%\\_${tag}' OR rolname LIKE '%\\_${tag}\\_%'`);
        for (const { r } of rows.filter((x) => x.r !== adminRole)) await c.query(`DROP ROLE IF EXISTS ${quoteIdent(r)}`);
        await c.query(`DROP ROLE IF EXISTS ${quoteIdent(adminRole)}`);
      });
    },
  };
}

/** What the proof could leave behind: memberships, roles, FORCE flags, row counts of every table. */
export async function leftovers(connection: ConnectionInfo): Promise<unknown> {
  return withClient(connection, async (c) => {
    const members = await c.query("SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member ORDER BY 1, 2");
    const roles = await c.query('SELECT rolname FROM pg_roles ORDER BY 1');
    const tables = await c.query<{ t: string; forced: boolean }>(
      "SELECT c.oid::regclass::text AS t, c.relforcerowsecurity AS forced FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' ORDER BY 1",
    );
    const counts: Record<string, number> = {};
    for (const { t } of tables.rows) counts[t] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n);
    return { members: members.rows, roles: roles.rows, forced: tables.rows, counts };
  });
}
