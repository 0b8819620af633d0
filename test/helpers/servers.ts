import type { DbSnapshot } from '../../src/introspect/snapshot.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { inject } from 'vitest';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { quoteIdent } from '../../src/sql/quote.js';

export interface TestServer {
  readonly label: string;
  readonly connection: ConnectionInfo;
  readonly versionNum: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    servers: TestServer[];
    legacyServers: TestServer[];
    skippedServers: string[];
  }
}

/** The servers started by the global setup; each integration test runs on all of them. */
export function testServers(): TestServer[] {
  return inject('servers');
}

/**
 * PostgreSQL 13 (no security_invoker), started by the global setup from the
 * pg13-linux-x64 devDependency, for the tests whose behaviour depends on the
 * major. Empty where that package cannot run.
 */
export function legacyServers(): TestServer[] {
  return inject('legacyServers');
}

export function skippedServers(): string[] {
  return inject('skippedServers');
}

/** A fresh empty database on `server`, dropped by the returned function. */
export async function freshDatabase(server: TestServer, prefix = 't'): Promise<{ connection: ConnectionInfo; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient(server.connection, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return {
    connection: { ...server.connection, database: name },
    drop: () => withClient(server.connection, (c) => dropTestDatabase(c, name)),
  };
}

/**
 * DROP DATABASE ... WITH (FORCE), once the connections being closed have gone.
 * pg.Pool's end() resolves before its connections are closed; a backend that
 * FORCE terminates first sends its client a FATAL 57P01, which the ended pool
 * re-emits as an 'error' nobody listens to: an uncaught exception in the test
 * run (measured: 42 drops in 100 right after pool.end()). Connections still
 * open after 5 s are a test's leak, and FORCE ends them as before. Citus's
 * own backends (its maintenance daemon, its connections between nodes) stay
 * for the database's life and are not waited for.
 */
export async function dropTestDatabase(admin: pg.ClientBase, name: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    const { rows } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND coalesce(application_name, '') NOT LIKE 'citus%'", [name]);
    if (rows[0]?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export async function runSqlFile(connection: ConnectionInfo, path: string): Promise<void> {
  await withClient(connection, (c) => c.query(readFileSync(path, 'utf8')));
}

export const FIXTURE_SCHEMA = 'test/fixtures/crm-legacy/schema.sql';

export const FIXTURE_DATA = 'test/fixtures/crm-legacy/data.sql';

/** A database with the seed CRM fixture (schema and legacy data) loaded. */
export async function crmDatabase(server: TestServer): Promise<{ connection: ConnectionInfo; drop: () => Promise<void> }> {
  const db = await freshDatabase(server, 'crm');
  await runSqlFile(db.connection, FIXTURE_SCHEMA);
  await runSqlFile(db.connection, FIXTURE_DATA);
  return db;
}

/** A schema snapshot without what legitimately differs between two reads (oids, statistics, the owner's own grants). */
export function comparableSchema(snapshot: DbSnapshot): unknown {
  return {
    tables: snapshot.tables.map((t) => ({ ...t, oid: 0, estimatedRows: 0, grants: t.grants.filter((g) => g.grantee !== t.owner) })),
    views: snapshot.views.map((v) => ({ ...v, oid: 0, grants: v.grants.filter((g) => g.grantee !== v.owner) })),
    functions: snapshot.functions.map((f) => ({ ...f, oid: 0 })),
    sequences: snapshot.sequences.map((s) => ({ ...s, grants: s.grants.filter((g) => g.grantee !== s.owner) })),
    database: snapshot.databaseInfo.grants,
    defaultPrivileges: snapshot.defaultPrivileges,
  };
}

/** A login that is a member of the application role, as a deployed application connects. */
export async function appLogin(connection: ConnectionInfo, role: string): Promise<ConnectionInfo> {
  const user = `login_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await withClient(connection, (c) => c.query(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD '${password}' IN ROLE ${quoteIdent(role)}`));
  return { ...connection, user, password };
}
