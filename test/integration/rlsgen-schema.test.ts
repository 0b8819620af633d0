import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGeneratedObjects } from '../../src/apply/generated-objects.js';
import { readMigrationFolder } from '../../src/apply/migration-folder.js';
import { type ConnectionInfo, connectionUrl, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { requireTrustedRlsgenSchema } from '../../src/lint/rules/require-trusted-rlsgen-schema.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { runCli } from '../helpers/cli.js';
import { crmDatabase, FIXTURE_DATA, FIXTURE_SCHEMA, freshDatabase, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';

/**
 * The rlsgen schema as a place where a weaker role could plant code that a
 * stronger role's apply then runs: apply, rollback and lint refuse anything
 * there that a role apply does not trust owns, or that differs from what the
 * migrations create.
 */
const folder = readMigrationFolder('generated-sql');
const generated = readGeneratedObjects(folder);
const bootstrap = folder[0];
if (bootstrap === undefined) throw new Error('no bootstrap');
const work = mkdtempSync(join(tmpdir(), 'rlsgen-trust-'));
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

/** A login role of its own (roles are cluster-wide), dropped after the file's databases. */
async function login(server: TestServer, db: ConnectionInfo, grants: string): Promise<ConnectionInfo> {
  const user = `weak_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(8).toString('hex');
  await withClient(db, async (c) => {
    await c.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
    await c.query(grants.replaceAll('$user', user).replaceAll('$db', db.database));
  });
  drops.push(() => withClient(server.connection, (c) => c.query(`DROP ROLE IF EXISTS ${user}`)).then(() => undefined));
  return { ...db, user, password };
}

/** The application roles the bootstrap creates, so that a role without CREATEROLE can run it. */
const ensureRoles = (db: ConnectionInfo): Promise<unknown> =>
  withClient(db, (c) =>
    c.query(`DO $$ BEGIN CREATE ROLE crm_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN CREATE ROLE crm_support NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN CREATE ROLE crm_lookup NOLOGIN NOBYPASSRLS NOINHERIT; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`),
  );

const applied = (db: ConnectionInfo): Promise<number> =>
  withClient(db, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM rlsgen.migrations WHERE id > 0')).rows[0]?.n));

const lintFindings = async (db: ConnectionInfo) => {
  const snapshot = await withClient(db, introspectDatabase);
  return lintDatabase(snapshot, { model: null, generated, rules: [requireTrustedRlsgenSchema] });
};

const PLANTED = `CREATE OR REPLACE PROCEDURE rlsgen.backfill(target_table regclass, key_column name, tenant_column name, batch_update text,
    batch_size integer DEFAULT 5000, batch_lock_timeout text DEFAULT '2s', batch_pause interval DEFAULT '0')
  LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ran as %', current_user; END $$`;

describe.each(testServers())('the rlsgen schema on $label', (server) => {
  it('a weaker login that planted rlsgen.backfill: apply, rollback and lint refuse, naming it and its owner', async () => {
    const db = await crmDatabase(server);
    drops.unshift(db.drop);
    await ensureRoles(db.connection);
    const weak = await login(server, db.connection, 'GRANT CREATE ON DATABASE $db TO $user');
    const weakUrl = connectionUrl(weak);

    // The login runs apply: the preflight refuses before anything, and nothing is recorded.
    const refused = runCli(['apply', '--database-url', weakUrl]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${weak.user} cannot run the pending migrations:`);
    expect(refused.stderr).toMatch(/ownership of \d+ tables owned by postgres \(public\.\w+, /);
    expect(refused.stderr).toMatch(/needed by generated-sql\/0002_add_tenant_column_\w+\.sql:/);
    expect(refused.stderr).toContain('nothing was applied');
    expect(await withClient(db.connection, async (c) => (await c.query("SELECT to_regnamespace('rlsgen') AS s")).rows[0])).toEqual({ s: null });

    // What an apply without those checks let it do: run and record the
    // bootstrap as itself (its GRANT on public only warns), then replace the procedure.
    await withClient(weak, async (c) => {
      await c.query('BEGIN');
      await c.query('CREATE SCHEMA rlsgen');
      await c.query('CREATE TABLE rlsgen.migrations (id integer PRIMARY KEY, name varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL, executed_at timestamp DEFAULT current_timestamp)');
      await c.query(bootstrap.sql);
      await c.query('INSERT INTO rlsgen.migrations (id, name, hash) VALUES (1, $1, $2)', [bootstrap.name, bootstrap.hash]);
      await c.query('COMMIT');
      await c.query(PLANTED);
    });

    // A superuser's apply refuses, naming the procedure and its owner; the planted body never runs.
    const apply = runCli(['apply', '--database-url', connectionUrl(db.connection)]);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain("error: the rlsgen schema holds 10 object(s) apply does not trust; nothing was run:");
    expect(apply.stderr).toMatch(
      new RegExp(
        `  - procedure rlsgen\\.backfill\\(regclass,name,name,text,integer,text,interval\\), owner ${weak.user}: owned by ${weak.user}, a role apply does not trust; its body differs from what rlsgen generated \\(sha256 [0-9a-f]{12} in the database, [0-9a-f]{12} in 0001_bootstrap\\.sql\\)\\n`,
      ),
    );
    expect(apply.stderr).toContain(`  - schema rlsgen, owner ${weak.user}: owned by ${weak.user}, a role apply does not trust`);
    expect(apply.stderr).toContain(`  - table rlsgen.migrations, owner ${weak.user}: owned by ${weak.user}, a role apply does not trust`);
    expect(apply.stderr).not.toContain('ran as');
    expect(await applied(db.connection)).toBe(1);

    const rollback = runCli(['rollback', '--to', '0', '--database-url', connectionUrl(db.connection)]);
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toContain('procedure rlsgen.backfill(regclass,name,name,text,integer,text,interval), owner');
    expect(await applied(db.connection)).toBe(1);

    const findings = await lintFindings(db.connection);
    expect(findings.map((f) => f.object)).toContain('procedure rlsgen.backfill(regclass,name,name,text,integer,text,interval)');
    expect(findings.every((f) => f.rule === 'require-trusted-rlsgen-schema' && f.severity === 'error')).toBe(true);
  });

  it("the tables' owner applies without being a superuser; its members and superusers may go on", async () => {
    const db = await freshDatabase(server, 'owned');
    drops.unshift(db.drop);
    await ensureRoles(db.connection);
    // The lookup functions are handed to the lookup role: the owner must be a member of it, as the preflight says.
    const owner = await login(server, db.connection, 'ALTER DATABASE $db OWNER TO $user; GRANT crm_lookup TO $user');
    await runSqlFile(owner, FIXTURE_SCHEMA);
    await runSqlFile(owner, FIXTURE_DATA);
    const prepare = runCli(['apply', '--stage', 'prepare', '--database-url', connectionUrl(owner)]);
    expect(prepare.stderr).toBe('');
    expect(prepare.code).toBe(0);
    const member = await login(server, db.connection, `GRANT ${owner.user} TO $user`);
    const enforce = runCli(['apply', '--database-url', connectionUrl(member)]);
    expect(enforce.stderr).toBe('');
    const enforceFiles = readdirSync('generated-sql').filter((f) => f.endsWith('.sql') && readFileSync(join('generated-sql', f), 'utf8').includes('"stage":"enforce"')).length;
    expect(enforce.stdout).toContain(`applied ${enforceFiles} migration(s)`);
    expect(runCli(['apply', '--database-url', connectionUrl(db.connection)]).stdout).toContain('nothing to apply');
    expect(await lintFindings(db.connection)).toEqual([]);
  });

  it('a body or a grant changed after apply is refused, by a superuser too', async () => {
    const db = await crmDatabase(server);
    drops.unshift(db.drop);
    const url = connectionUrl(db.connection);
    expect(runCli(['apply', '--stage', 'prepare', '--database-url', url]).code).toBe(0);
    expect(await lintFindings(db.connection)).toEqual([]);
    const acl = await withClient(db.connection, async (c) =>
      (await c.query<{ routine: string; grantee: string }>(`
        SELECT p.oid::regprocedure::text AS routine, a.grantee::regrole::text AS grantee
          FROM pg_proc p, aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) a
         WHERE p.pronamespace = 'rlsgen'::regnamespace AND a.grantee = 0`)).rows,
    );
    expect(acl).toEqual([]);
    // The same apply again: nothing to do, nothing refused.
    expect(runCli(['apply', '--stage', 'prepare', '--database-url', url]).stdout).toContain('nothing to apply');

    await withClient(db.connection, (c) => c.query(PLANTED));
    const edited = runCli(['apply', '--database-url', url]);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/procedure rlsgen\.backfill\(regclass,name,name,text,integer,text,interval\), owner postgres: its body differs from what rlsgen generated/);
    expect((await lintFindings(db.connection)).map((f) => f.message)).toEqual([expect.stringMatching(/^procedure rlsgen\.backfill\(.*\) \(owner postgres\): its body differs/)]);

    // Restored from the file, then opened to PUBLIC: refused again.
    await withClient(db.connection, async (c) => {
      await c.query('DROP PROCEDURE rlsgen.backfill');
      const start = bootstrap.sql.indexOf('CREATE OR REPLACE PROCEDURE rlsgen.backfill');
      const source = bootstrap.sql.slice(start, bootstrap.sql.indexOf('$rlsgen$;', start) + '$rlsgen$;'.length);
      await c.query(source);
    });
    const opened = runCli(['apply', '--database-url', url]);
    expect(opened.stderr).toContain('procedure rlsgen.backfill(regclass,name,name,text,integer,text,interval), owner postgres: PUBLIC has EXECUTE on it');
    expect(opened.code).toBe(2);
    await withClient(db.connection, (c) => c.query('REVOKE ALL ON PROCEDURE rlsgen.backfill FROM PUBLIC'));
    expect(runCli(['apply', '--database-url', url]).code).toBe(0);
  });

  it('the signed context: pgcrypto, installed into rlsgen by the bootstrap, is trusted there', async () => {
    const db = await freshDatabase(server, 'signed');
    drops.unshift(db.drop);
    await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
    await withClient(db.connection, (c) => c.query('DROP EXTENSION IF EXISTS pgcrypto'));
    const dir = 'test/golden/signed/expected';
    const url = connectionUrl(db.connection);
    expect(runCli(['apply', '--stage', 'prepare', '-d', dir, '--database-url', url]).code).toBe(0);
    const where = await withClient(db.connection, async (c) => (await c.query("SELECT extnamespace::regnamespace::text AS s FROM pg_extension WHERE extname = 'pgcrypto'")).rows[0]);
    expect(where).toEqual({ s: 'rlsgen' });
    const again = runCli(['apply', '-d', dir, '--database-url', url]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const snapshot = await withClient(db.connection, introspectDatabase);
    expect(lintDatabase(snapshot, { model: null, generated: readGeneratedObjects(readMigrationFolder(dir)), rules: [requireTrustedRlsgenSchema] })).toEqual([]);
  });

  it('migration.owner: the schema and everything in it belong to the named role, and apply trusts it', async () => {
    const owner = `rlsgen_owner_${randomBytes(3).toString('hex')}`;
    const dir = join(work, owner);
    writeFileSync(join(work, `${owner}.yaml`), readFileSync('policies.yaml', 'utf8').replace('migration:\n', `migration:\n  owner: ${owner}\n`));
    expect(generateMigrations({ manifestPath: join(work, `${owner}.yaml`), outDir: dir }).kind).toBe('written');
    const db = await crmDatabase(server);
    drops.unshift(db.drop);
    await withClient(db.connection, (c) => c.query(`CREATE ROLE ${owner} NOLOGIN`));
    drops.push(() => withClient(server.connection, (c) => c.query(`DROP ROLE IF EXISTS ${owner}`)).then(() => undefined));
    const url = connectionUrl(db.connection);
    const first = runCli(['apply', '--stage', 'prepare', '-d', dir, '--database-url', url]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const owners = await withClient(db.connection, async (c) =>
      (await c.query<{ owner: string; n: string }>(`
        SELECT owner, count(*) AS n FROM (
          SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'rlsgen'
          UNION ALL SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'rlsgen'::regnamespace AND relkind = 'r'
          UNION ALL SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'rlsgen'::regnamespace) AS o
        GROUP BY owner`)).rows,
    );
    // The schema, its tables, the backfill procedure and the fill trigger functions.
    expect(owners.map((o) => o.owner)).toEqual([owner]);
    expect(runCli(['apply', '-d', dir, '--database-url', url]).code).toBe(0);
    // Owned by a role that is not the one migration.owner names: refused.
    await withClient(db.connection, (c) => c.query('ALTER TABLE rlsgen.backfill_progress OWNER TO crm_app'));
    const refused = runCli(['apply', '-d', dir, '--database-url', url]);
    expect(refused.stderr).toContain(`table rlsgen.backfill_progress, owner crm_app: owned by crm_app, a role apply does not trust`);
    expect(refused.stderr).toContain(`${owner} (migration.owner)`);
  });
});
