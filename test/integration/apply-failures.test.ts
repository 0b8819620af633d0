import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApplyEvent, ApplyError, applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { startEmbedded } from '../../src/db/embedded.js';
import { type ConnectionInfo, connectionUrl, withClient } from '../../src/db/server.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { type CliResult, runCli, runCliAsync } from '../helpers/cli.js';
import { crmDatabase, freshDatabase, type TestServer, testServers } from '../helpers/servers.js';

/**
 * How apply fails: each kind of failure with its one message, its advice and
 * its exit status, through the built CLI; the lock_timeout retries, the
 * clean-up of an invalid index included; nothing left behind by a killed run.
 */
const work = mkdtempSync(join(tmpdir(), 'rlsgen-failures-'));
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const files = readdirSync('generated-sql').filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
/** The id of the generated file named `<id>_<name>.sql`. */
const idOf = (name: string): number => {
  const index = files.findIndex((f) => f.endsWith(`_${name}.sql`));
  if (index < 0) throw new Error(`no generated file ${name}`);
  return index + 1;
};
const fileOf = (name: string): string => files[idOf(name) - 1] ?? '';
const prepareFiles = files.filter((f) => readFileSync(join('generated-sql', f), 'utf8').includes('"stage":"prepare"')).length;

/** A folder with the first `n` generated files (and their rollbacks). */
function firstFiles(n: number, name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'down'), { recursive: true });
  for (const f of files.slice(0, n)) {
    cpSync(join('generated-sql', f), join(dir, f));
    cpSync(join('generated-sql', 'down', f.replace(/\.sql$/, '.down.sql')), join(dir, 'down', f.replace(/\.sql$/, '.down.sql')));
  }
  return dir;
}

/** A folder of hand-written migrations. */
function folder(name: string, migrations: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, sql] of Object.entries(migrations)) writeFileSync(join(dir, file), sql);
  return dir;
}

async function database(server: TestServer, crm = true): Promise<ConnectionInfo> {
  const db = crm ? await crmDatabase(server) : await freshDatabase(server, 'fail');
  drops.unshift(db.drop);
  return db.connection;
}

async function login(server: TestServer, db: ConnectionInfo, grants = ''): Promise<ConnectionInfo> {
  const user = `fail_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(8).toString('hex');
  await withClient(db, (c) => c.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'; ${grants.replaceAll('$user', user).replaceAll('$db', db.database)}`));
  drops.push(() => withClient(server.connection, (c) => c.query(`DROP ROLE IF EXISTS ${user}`)).then(() => undefined));
  return { ...db, user, password };
}

const recorded = (db: ConnectionInfo): Promise<string[]> =>
  withClient(db, async (c) => {
    if ((await c.query("SELECT to_regclass('rlsgen.migrations') AS t")).rows[0]?.t === null) return [];
    return (await c.query<{ name: string }>('SELECT name FROM rlsgen.migrations WHERE id > 0 ORDER BY id')).rows.map((r) => r.name);
  });

const apply = (db: ConnectionInfo, ...args: string[]): CliResult => runCli(['apply', '--database-url', connectionUrl(db), ...args], { env: { CI: 'true' } });

/** The backend of a running apply, once it runs a query matching `like`. */
async function applyBackend(db: ConnectionInfo, like: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const pid = await withClient(db, async (c) =>
      (await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'rlsgen apply' AND query LIKE $1", [like])).rows[0]?.pid,
    );
    if (pid !== undefined) return pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no apply backend running ${like}`);
}

/** Waits for a server that restarts after a crash to take connections again. */
async function acceptsConnections(db: ConnectionInfo): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await withClient(db, (c) => c.query('SELECT 1')).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not come back');
}

describe.each(testServers())('lock_timeout on $label', (server) => {
  it('a concurrent index build that times out, and whose invalid index cannot be dropped at first, completes once the lock is released', async () => {
    const db = await database(server);
    const before = idOf('tenant_index_calls') - 1;
    await applyMigrations({ connection: db, dir: firstFiles(before, `first-${server.versionNum}`) });
    const holder = new pg.Client(db);
    await holder.connect();
    try {
      // A reader holding ACCESS SHARE on calls: the build waits for its snapshot, DROP INDEX CONCURRENTLY for its lock.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.calls IN ACCESS SHARE MODE');
      const reading = holder.query('SELECT pg_sleep(2.5)').then(() => holder.query('COMMIT'));
      const events: ApplyEvent[] = [];
      const result = await applyMigrations({ connection: db, dir: 'generated-sql', stage: 'prepare', lockTimeout: '200ms', onEvent: (e) => void events.push(e) });
      await reading;
      expect(result.applied[0]?.fileName).toBe(fileOf('tenant_index_calls'));
      expect(result.applied.length).toBe(prepareFiles - before);
      const retries = events.flatMap((e) => (e.kind === 'retry' && e.file.fileName === fileOf('tenant_index_calls') ? [e.reason] : []));
      expect(retries).toContain('lock_timeout: another transaction holds a conflicting lock');
      expect(retries).toContain('lock_timeout in DROP INDEX CONCURRENTLY of the invalid index left by an interrupted build');
      const dropped = events.find((e) => e.kind === 'invalid-index-dropped');
      expect(dropped).toMatchObject({ index: 'public.calls_company_id_id_key' });
      const index = await withClient(db, async (c) => (await c.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'public.calls_company_id_id_key'::regclass")).rows[0]);
      expect(index).toEqual({ valid: true });
      expect((await recorded(db)).length).toBe(prepareFiles);
    } finally {
      await holder.end().catch(() => undefined);
    }
  });
});

const server = testServers()[0];
if (server === undefined) throw new Error('no test server');

describe('each failure has one message, one piece of advice and its exit status', () => {
  it('lock_timeout on every retry: the file is rolled back and reported once', async () => {
    const db = await database(server);
    const holder = new pg.Client(db);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.calls IN ACCESS SHARE MODE');
      // The holder is older than lock_timeout by the time a slow machine reaches the file: queue for the lock at once instead of waiting for it.
      const r = apply(db, '--retries', '1', '--long-transaction-wait', '0');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        [
          `  ${fileOf('add_tenant_column_calls')}: lock_timeout: another transaction holds a conflicting lock; retry 1 in 500 ms`,
          `generated-sql/${fileOf('add_tenant_column_calls')} error[55P03]: canceling statement due to lock timeout, on every one of 1 retries over 1 s`,
          "  help: another transaction kept a lock that conflicts with this migration on public.calls; find it with SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY xact_start",
          '  the migration was rolled back: nothing of it remains; run apply again when that transaction has ended',
          '',
        ].join('\n'),
      );
      expect((await recorded(db)).length).toBe(idOf('add_tenant_column_calls') - 1);
    } finally {
      await holder.end();
    }
  });

  it.each([
    [
      'a VACUUM or another build (SHARE UPDATE EXCLUSIVE)',
      'SHARE UPDATE EXCLUSIVE',
      // The build never gets its lock: nothing is created, and the retry has no invalid index to drop.
      '',
      'no index public.calls_company_id_id_key was created',
      '',
    ],
    [
      'an open write transaction (ROW EXCLUSIVE)',
      'ROW EXCLUSIVE',
      // The build creates its index, then waits for the writer: the retry's DROP INDEX CONCURRENTLY waits for it too.
      ' (in DROP INDEX CONCURRENTLY of the invalid index left by an interrupted build)',
      'the build left public.calls_company_id_id_key invalid, and the next apply drops it and builds it again',
      '  dropped public.calls_company_id_id_key, left invalid by an interrupted build; building it again\n',
    ],
  ])('a concurrent index build that times out on every retry behind %s: reported once, with what it left; apply completes after', async (_holder, mode, step, advice, dropped) => {
    const db = await database(server);
    const index = idOf('tenant_index_calls');
    const name = mode.toLowerCase().replaceAll(' ', '-');
    await applyMigrations({ connection: db, dir: firstFiles(index - 1, `index-before-${name}`) });
    const dir = firstFiles(index, `index-${name}`);
    const file = fileOf('tenant_index_calls');
    const holder = new pg.Client(db);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE public.calls IN ${mode} MODE`);
      const r = apply(db, '-d', dir, '--retries', '1', '--lock-timeout', '100ms', '--long-transaction-wait', '0');
      expect(r.stderr).toBe(
        [
          `  ${file}: lock_timeout: another transaction holds a conflicting lock; retry 1 in 500 ms`,
          `${dir}/${file} error[55P03]: canceling statement due to lock timeout, on every one of 1 retries over 1 s${step}`,
          "  help: another transaction kept a lock that conflicts with this migration on public.calls; find it with SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY xact_start",
          `  ${advice}; run apply again when that transaction has ended`,
          '',
        ].join('\n'),
      );
      expect(r.code).toBe(1);
      expect((await recorded(db)).length).toBe(index - 1);
    } finally {
      await holder.end();
    }
    const again = apply(db, '-d', dir, '--lock-timeout', '100ms');
    expect(again.stderr).toBe(dropped);
    expect(again.stdout).toContain(`applied 1 migration(s) (${file} .. ${file})`);
    expect(again.code).toBe(0);
    const built = await withClient(db, async (c) => (await c.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'public.calls_company_id_id_key'::regclass")).rows[0]);
    expect(built).toEqual({ valid: true });
  });

  it('rollback retries a script that hits lock_timeout with the same backoff', async () => {
    const db = await database(server);
    const calls = idOf('add_tenant_column_calls');
    const dir = firstFiles(calls, 'rollback-retry');
    await applyMigrations({ connection: db, dir });
    const holder = new pg.Client(db);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.calls IN ACCESS SHARE MODE');
      const release = setTimeout(() => void holder.query('COMMIT'), 2500);
      const events: ApplyEvent[] = [];
      const result = await rollbackMigrations({ connection: db, dir, to: calls - 1, onEvent: (e) => void events.push(e) });
      clearTimeout(release);
      expect(result.rolledBack.map((f) => f.fileName)).toEqual([fileOf('add_tenant_column_calls')]);
      expect(events.find((e) => e.kind === 'retry')).toMatchObject({ attempt: 1, delayMs: 500, reason: 'lock_timeout: another transaction holds a conflicting lock' });
      expect((await recorded(db)).length).toBe(calls - 1);
    } finally {
      await holder.end();
    }
  });

  it('an applied file edited, a transactional one and a backfill alike: refused, not "safe to run again"', async () => {
    const db = await database(server);
    const backfill = idOf('backfill_calls');
    const dir = firstFiles(backfill, 'edited');
    expect(apply(db, '-d', dir).code).toBe(0);
    const edited = firstFiles(backfill, 'edited-copy');
    appendFileSync(join(edited, '0001_bootstrap.sql'), '-- edited\n');
    const transactional = apply(db, '-d', edited);
    expect(transactional.stderr).toBe(
      `error: ${edited}/0001_bootstrap.sql changed after it was applied to this database; applied migrations must never change (restore it from version control and put the change in a new migration)\n`,
    );
    expect(transactional.code).toBe(2);
    cpSync(join(dir, '0001_bootstrap.sql'), join(edited, '0001_bootstrap.sql'));
    appendFileSync(join(edited, fileOf('backfill_calls')), '-- edited\n');
    const resumable = apply(db, '-d', edited);
    expect(resumable.stderr).toBe(
      `error: ${edited}/${fileOf('backfill_calls')} changed after it was applied to this database; applied migrations must never change (restore it from version control and put the change in a new migration)\n`,
    );
    expect(resumable.code).toBe(2);
  });

  it('a file missing in the middle, the last applied file missing, a gap before a pending file', async () => {
    const db = await database(server);
    const backfill = idOf('backfill_calls');
    expect(apply(db, '-d', firstFiles(backfill, 'applied')).code).toBe(0);
    const middle = firstFiles(backfill + 20, 'middle');
    const contacts = idOf('add_tenant_column_contacts');
    unlinkSync(join(middle, fileOf('add_tenant_column_contacts')));
    const m = apply(db, '-d', middle);
    expect(m.stderr).toBe(`error: migration ${contacts} (add_tenant_column_contacts) is applied to this database but missing from ${middle} (between the applied files): restore it from version control\n`);
    expect(m.code).toBe(2);
    const last = firstFiles(backfill - 1, 'last');
    const l = apply(db, '-d', last);
    expect(l.stderr).toBe(`error: migration ${backfill} (backfill_calls) is applied to this database but missing from ${last} (the last applied file): restore it from version control\n`);
    expect(l.code).toBe(2);
    const gap = firstFiles(backfill + 20, 'gap');
    const removed = backfill + 10;
    unlinkSync(join(gap, files[removed - 1] ?? ''));
    const g = apply(db, '-d', gap);
    expect(g.stderr).toBe(`error: migration ${removed} is missing from ${gap}: the files go from ${files[removed - 2]} to ${files[removed]}; restore it (migrations run in order, without gaps)\n`);
    expect(g.code).toBe(2);
    expect((await recorded(db)).length).toBe(backfill);
  });

  it("a lost connection: the server's reason and SQLSTATE, and what is true of the file", async () => {
    const db = await database(server, false);
    const dir = folder('lost', { '0001_wait.sql': 'SELECT pg_sleep(60);\n' });
    const running = runCliAsync(['apply', '-d', dir, '--database-url', connectionUrl(db)], { env: { CI: 'true' } });
    const pid = await applyBackend(db, '%pg_sleep(60)%');
    await withClient(db, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    const r = await running;
    expect(r.stderr).toBe(
      [
        `${dir}/0001_wait.sql error[57P01]: lost the connection to the server: terminating connection due to administrator command`,
        '  the server rolls back the open transaction of a lost connection, so this migration is recorded only if its COMMIT had completed; run apply again once the server accepts connections: it skips what is recorded',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect(await recorded(db)).toEqual([]);
  });

  it('a connection ended between two statements still reports the reason the server gave', async () => {
    const db = await database(server, false);
    await withClient(db, (c) => c.query('CREATE TABLE public.busy (id int)'));
    const dir = folder('lost-idle', { '0001_lock.sql': "SET LOCAL lock_timeout = '100ms';\nLOCK TABLE public.busy IN ACCESS EXCLUSIVE MODE;\n" });
    const holder = new pg.Client(db);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.busy IN ACCESS SHARE MODE');
      // While apply waits to retry, its connection is idle: end it then.
      const error = await applyMigrations({
        connection: db,
        dir,
        onEvent: (e) => {
          if (e.kind === 'retry' && e.attempt === 1) void applyBackend(db, '%').then((pid) => withClient(db, (c) => c.query('SELECT pg_terminate_backend($1)', [pid])));
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      expect(error).toMatchObject({ kind: 'connection-lost', message: 'lost the connection to the server: terminating connection due to administrator command', details: { code: '57P01' } });
    } finally {
      await holder.end();
    }
  });

  it('a server process killed, then the server stopped at once: no reason given, then its reason and SQLSTATE', async () => {
    // A server of its own: a killed backend makes the postmaster reset every connection, and the stop ends them all.
    const own = await startEmbedded();
    try {
      const dir = folder('crash', { '0001_wait.sql': 'SELECT pg_sleep(30);\n' });
      const run = (): Promise<CliResult> => runCliAsync(['apply', '-d', dir, '--database-url', connectionUrl(own.connection)], { env: { CI: 'true' } });
      const killed = run();
      // SIGKILL sends the client nothing; the postmaster then restarts the server (restart_after_crash).
      process.kill(await applyBackend(own.connection, '%pg_sleep(30)%'), 'SIGKILL');
      const k = await killed;
      expect(k.stderr).toBe(
        [
          `${dir}/0001_wait.sql error: lost the connection to the server (Connection terminated unexpectedly; the server gave no reason: it may have crashed or been stopped, or the network failed)`,
          '  the server rolls back the open transaction of a lost connection, so this migration is recorded only if its COMMIT had completed; run apply again once the server accepts connections: it skips what is recorded',
          '',
        ].join('\n'),
      );
      expect(k.code).toBe(1);
      await acceptsConnections(own.connection);
      const stopped = run();
      const postmaster = Number(readFileSync(join(own.dataDir ?? '', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      await applyBackend(own.connection, '%pg_sleep(30)%');
      // SIGQUIT to the postmaster is pg_ctl stop -m immediate (https://www.postgresql.org/docs/current/server-shutdown.html).
      process.kill(postmaster, 'SIGQUIT');
      const s = await stopped;
      expect(s.stderr).toBe(
        [
          `${dir}/0001_wait.sql error[57P01]: lost the connection to the server: terminating connection due to immediate shutdown command`,
          '  the server rolls back the open transaction of a lost connection, so this migration is recorded only if its COMMIT had completed; run apply again once the server accepts connections: it skips what is recorded',
          '',
        ].join('\n'),
      );
      expect(s.code).toBe(1);
    } finally {
      await own.stop();
    }
  });

  it('permission denied for database: the preflight names the privilege and the statement; at run time the hint does', async () => {
    const db = await database(server, false);
    const weak = await login(server, db);
    const top = folder('schema-top', { '0001_schema.sql': 'CREATE SCHEMA app_extra;\n' });
    const refused = apply(weak, '-d', top);
    expect(refused.stderr).toBe(
      [
        `error: ${weak.user} cannot run the pending migrations: 1 privilege(s) or object(s) missing; nothing was applied:`,
        `  - CREATE on database ${db.database}: GRANT CREATE ON DATABASE ${db.database} TO ${weak.user}`,
        `      needed by ${top}/0001_schema.sql:1: CREATE SCHEMA app_extra`,
        '  help: run it as a role that owns the tables (or is a member of their owner), or grant what is listed, then run it again',
        '',
      ].join('\n'),
    );
    expect(refused.code).toBe(2);
    expect(apply(weak, '-d', top, '--dry-run').stderr).toBe(refused.stderr);
    // Dynamic SQL the preflight cannot read: PostgreSQL's error, with the privilege named.
    await withClient(db, (c) => c.query(`CREATE SCHEMA rlsgen AUTHORIZATION ${weak.user}`));
    const hidden = folder('schema-dynamic', { '0001_schema.sql': "DO $$ BEGIN EXECUTE 'CREATE SCHEMA ' || 'app_extra'; END $$;\n" });
    const failed = apply(weak, '-d', hidden);
    expect(failed.stderr).toBe(
      [
        `${hidden}/0001_schema.sql error[42501]: permission denied for database ${db.database}`,
        `  help: ${weak.user} lacks the CREATE privilege on database ${db.database}, which CREATE SCHEMA and CREATE EXTENSION need: GRANT CREATE ON DATABASE ${db.database} TO ${weak.user}`,
        '  context: SQL statement "CREATE SCHEMA app_extra"',
        '  the migration was rolled back: nothing of it remains; fix the cause and run apply again',
        '',
      ].join('\n'),
    );
    expect(failed.code).toBe(1);
    expect(await recorded(db)).toEqual([]);
  });

  it('a login without CREATEROLE: the preflight names the role the bootstrap would create and the role it needs that does not exist; nothing applied', async () => {
    const tag = randomBytes(3).toString('hex');
    const [app, support] = [`fail_app_${tag}`, `fail_support_${tag}`];
    // The shipped manifest with roles of this test's own (roles are cluster-wide): the cross-tenant one created when absent, the application one that must exist (create: false).
    const manifest = readFileSync('policies.yaml', 'utf8')
      .replace(/name: crm_app\b.*\n/, `name: ${app}\n    create: false\n`)
      .replaceAll('crm_support', support)
      .replaceAll('crm_lookup', `fail_lookup_${tag}`);
    writeFileSync(join(work, `roles-${tag}.yaml`), manifest);
    expect(generateMigrations({ manifestPath: join(work, `roles-${tag}.yaml`), outDir: join(work, `roles-${tag}`) }).kind).toBe('written');
    const bootstrap = readFileSync(join(work, `roles-${tag}`, '0001_bootstrap.sql'), 'utf8');
    const dir = folder(`roles-bootstrap-${tag}`, { '0001_bootstrap.sql': bootstrap });
    const lines = bootstrap.split('\n');
    // The guarded CREATE ROLE is in a DO block: the preflight names the block's first line.
    const createRole = lines.findIndex((l) => l.includes(`CREATE ROLE ${support} `));
    const block = lines.slice(0, createRole).findLastIndex((l) => l.startsWith('DO ')) + 1;
    const grant = lines.findIndex((l) => l === `GRANT USAGE ON SCHEMA public TO ${app};`) + 1;
    expect([createRole, block, grant].every((n) => n > 0)).toBe(true);
    const db = await database(server, false);
    // The database's owner: CREATE on it, and the public schema (owned by pg_database_owner) is its to grant.
    const owner = await login(server, db, 'ALTER DATABASE $db OWNER TO $user');
    const refused = apply(owner, '-d', dir);
    expect(refused.stderr).toBe(
      [
        `error: ${owner.user} cannot run the pending migrations: 2 privilege(s) or object(s) missing; nothing was applied:`,
        `  - CREATEROLE, to create role ${support}: create it beforehand (CREATE ROLE ${support} NOLOGIN NOBYPASSRLS), or ALTER ROLE ${owner.user} CREATEROLE`,
        `      needed by ${dir}/0001_bootstrap.sql:${block}: DO $rlsgen$`,
        `  - role ${app} does not exist: create it (CREATE ROLE ${app} NOLOGIN), or correct the manifest`,
        `      needed by ${dir}/0001_bootstrap.sql:${grant}: GRANT USAGE ON SCHEMA public TO ${app}`,
        '  help: run it as a role that owns the tables (or is a member of their owner), or grant what is listed, then run it again',
        '',
      ].join('\n'),
    );
    expect(refused.code).toBe(2);
    expect(await recorded(db)).toEqual([]);
    const left = await withClient(db, async (c) =>
      (await c.query("SELECT to_regnamespace('rlsgen') AS schema, (SELECT count(*)::int FROM pg_roles WHERE rolname = ANY ($1)) AS roles", [[app, support]])).rows[0],
    );
    expect(left).toEqual({ schema: null, roles: 0 });
  });

  it.each([
    ['GRANT', 'no privileges were granted', 'GRANT SELECT ON public.t TO', '01007'],
    // A REVOKE on a table warns once for the table and once for each of its columns: the message names the table once.
    ['REVOKE', 'no privileges could be revoked', 'REVOKE SELECT ON public.t FROM', '01006'],
  ])('a %s that PostgreSQL answers with "%s" fails the file', async (verb, answer, statement, code) => {
    const db = await database(server, false);
    const weak = await login(server, db, 'CREATE TABLE public.t (id int); GRANT SELECT ON public.t TO $user');
    await withClient(db, (c) => c.query(`CREATE SCHEMA rlsgen AUTHORIZATION ${weak.user}`));
    const name = verb.toLowerCase();
    const top = folder(`${name}-top`, { [`0001_${name}.sql`]: `${statement} PUBLIC;\n` });
    const refused = apply(weak, '-d', top);
    expect(refused.stderr).toContain(`  - ownership of table public.t (owned by postgres): run it as postgres or a role that is a member of it (GRANT postgres TO ${weak.user})`);
    expect(refused.code).toBe(2);
    const hidden = folder(`${name}-dynamic`, { [`0001_${name}.sql`]: `CREATE TABLE rlsgen.side (id int);\nDO $$ BEGIN EXECUTE '${statement} ' || 'PUBLIC'; END $$;\n` });
    const failed = apply(weak, '-d', hidden);
    expect(failed.stderr).toBe(
      [
        `${hidden}/0001_${name}.sql error[${code}]: ${verb} did nothing: PostgreSQL answered "${answer} for "t""`,
        `  help: the connecting role may ${name} only what it holds WITH GRANT OPTION; run apply as the owner of "t" or a member of the owning role`,
        '  the migration was rolled back: nothing of it remains; fix the cause and run apply again',
        '',
      ].join('\n'),
    );
    expect(failed.code).toBe(1);
    expect(await recorded(db)).toEqual([]);
    expect(await withClient(db, async (c) => (await c.query("SELECT to_regclass('rlsgen.side') AS t")).rows[0])).toEqual({ t: null });
  });

  it('a malformed --database-url is a usage error', () => {
    const r = runCli(['apply', '--database-url', 'postgres://x:y@[bad/db']);
    expect(r.stderr).toBe('error: not a PostgreSQL URL: postgres://x:***@[bad/db\n');
    expect(r.code).toBe(2);
  });

  it('reads the migrations in place: a killed apply leaves no copy behind', async () => {
    const db = await database(server, false);
    const dir = folder('killed', { '0001_wait.sql': 'SELECT pg_sleep(60);\n' });
    // A temp folder of its own: other runs on this machine use the system one.
    const temp = join(work, 'tmp');
    mkdirSync(temp);
    const child = spawn(process.execPath, [resolve('dist/src/cli/main.js'), 'apply', '-d', dir, '--database-url', connectionUrl(db)], {
      stdio: 'ignore',
      env: { ...process.env, TMPDIR: temp, TMP: temp, TEMP: temp },
    });
    const exited = new Promise((done) => child.on('exit', done));
    const pid = await applyBackend(db, '%pg_sleep(60)%');
    child.kill('SIGKILL');
    await exited;
    await withClient(db, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    expect(readdirSync(temp)).toEqual([]);
  });
});
