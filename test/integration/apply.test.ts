import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type ApplyEvent, ApplyError, ApplyLockedError, applyMigrations } from '../../src/apply/apply-migrations.js';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { runCli } from '../helpers/cli.js';
import { crmDatabase, freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const appliedCount = (connection: Parameters<typeof withClient>[0]): Promise<number> =>
  withClient(connection, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM rlsgen.migrations WHERE id > 0')).rows[0]?.n));

describe.each(testServers())('rlsgen apply on $label', (server) => {
  it('lists pending migrations with --dry-run and changes nothing', async () => {
    const db = await crmDatabase(server);
    try {
      const r = runCli(['apply', '--dry-run', '--database-url', connectionUrl(db.connection)]);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('0 migration(s) of generated-sql already applied; 303 pending:');
      expect(r.stdout).toContain('  0094_tenant_index_calls.sql  prepare  (outside a transaction)');
      const schema = await withClient(db.connection, (c) => c.query("SELECT to_regnamespace('rlsgen') AS s"));
      expect(schema.rows[0]).toEqual({ s: null });
    } finally {
      await db.drop();
    }
  });

  it('applies by stage from the CLI, then is a no-op', async () => {
    const db = await crmDatabase(server);
    try {
      const url = connectionUrl(db.connection);
      const prepare = runCli(['apply', '--stage', 'prepare', '--database-url', url], { env: { CI: 'true' } });
      expect(prepare.code).toBe(0);
      expect(prepare.stdout).toContain('applied 194 migration(s) (0001_bootstrap.sql .. 0194_set_not_null_performance_alerts.sql)');
      expect(prepare.stdout).toContain('  backfill public.calls: 2 row(s) filled, 1 left without a tenant (rlsgen audit lists them)');
      expect(prepare.stdout).toContain('109 enforce-stage migration(s) pending: deploy the application');
      expect(runCli(['apply', '--database-url', url]).stdout).toContain('applied 109 migration(s)');
      expect(runCli(['apply', '--database-url', url]).stdout).toBe('nothing to apply: 303 migration(s) of generated-sql already applied\n');
    } finally {
      await db.drop();
    }
  });

  it('never runs two applies at once: the second waits, or exits with --no-wait', async () => {
    const db = await crmDatabase(server);
    try {
      const events: ApplyEvent['kind'][] = [];
      const [a, b] = await Promise.all([
        applyMigrations({ connection: db.connection, dir: 'generated-sql' }),
        applyMigrations({ connection: db.connection, dir: 'generated-sql', onEvent: (e) => void events.push(e.kind) }),
      ]);
      expect(a.applied.length + b.applied.length).toBe(303);
      expect([a.applied.length, b.applied.length]).toContain(0);
      expect(await appliedCount(db.connection)).toBe(303);

      const holder = new pg.Client(db.connection);
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(125822483809646)');
        await expect(applyMigrations({ connection: db.connection, dir: 'generated-sql', wait: false })).rejects.toBeInstanceOf(ApplyLockedError);
        const cli = runCli(['apply', '--no-wait', '--database-url', connectionUrl(db.connection)]);
        expect(cli.code).toBe(1);
        expect(cli.stderr).toMatch(/^error: another rlsgen apply or rollback is running on this database \(backend pid \d+\); try again when it has finished\n$/);
      } finally {
        await holder.end();
      }
    } finally {
      await db.drop();
    }
  });

  it('leaves nothing of a migration that fails half-way, and points at the failing line', async () => {
    const db = await freshDatabase(server, 'fail');
    const dir = tempDir('fail');
    writeFileSync(join(dir, '0001_good.sql'), 'CREATE TABLE public.good (id int PRIMARY KEY);\n');
    writeFileSync(join(dir, '0002_bad.sql'), '-- a comment\nCREATE TABLE public.half (id int);\nINSERT INTO public.half VALUES (1);\nINSERT INTO public.missing VALUES (1);\n');
    try {
      const error = await applyMigrations({ connection: db.connection, dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      const e = error as ApplyError;
      expect(e.file?.fileName).toBe('0002_bad.sql');
      expect(e.details).toMatchObject({ code: '42P01', line: 4, column: 13 });
      const state = await withClient(db.connection, async (c) => ({
        half: (await c.query("SELECT to_regclass('public.half') AS t")).rows[0],
        good: (await c.query("SELECT to_regclass('public.good')::text AS t")).rows[0],
        applied: (await c.query('SELECT name FROM rlsgen.migrations WHERE id > 0')).rows,
      }));
      expect(state).toEqual({ half: { t: null }, good: { t: 'good' }, applied: [{ name: 'good' }] });
      const cli = runCli(['apply', '--dir', dir, '--database-url', connectionUrl(db.connection)]);
      expect(cli.code).toBe(1);
      expect(cli.stderr.split('\n').slice(0, 4)).toEqual([
        `${join(dir, '0002_bad.sql')}:4:13 error[42P01]: relation "public.missing" does not exist`,
        '  | INSERT INTO public.missing VALUES (1);',
        '  |             ^',
        '  the migration was rolled back: nothing of it remains; fix the cause and run apply again',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('refuses to go on when an applied file changed, naming it', async () => {
    const db = await freshDatabase(server, 'changed');
    const dir = tempDir('changed');
    cpSync('generated-sql', dir, { recursive: true });
    const first = tempDir('first');
    cpSync(join('generated-sql', '0001_bootstrap.sql'), join(first, '0001_bootstrap.sql'));
    try {
      // The fixture is not loaded: only the bootstrap can apply.
      await applyMigrations({ connection: db.connection, dir: first });
      expect(await appliedCount(db.connection)).toBe(1);
      appendFileSync(join(dir, '0001_bootstrap.sql'), '-- edited\n');
      const error = await applyMigrations({ connection: db.connection, dir }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `${join(dir, '0001_bootstrap.sql')} changed after it was applied to this database; applied migrations must never change (restore it from version control and put the change in a new migration)`,
      );
    } finally {
      await db.drop();
    }
  });

  it('stops before NOT NULL when rows have no tenant, naming the table and the count', async () => {
    const dir = tempDir('unresolved');
    writeFileSync(join(dir, 'policies.yaml'), readFileSync('policies.yaml', 'utf8').replace('    unresolved: keep              # the orphan', '    # the orphan'));
    const generated = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
    expect(generated.kind).toBe('written');
    const db = await crmDatabase(server);
    try {
      const error = await applyMigrations({ connection: db.connection, dir: join(dir, 'generated-sql') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      expect((error as ApplyError).message).toBe('rlsgen: 1 row(s) of public.calls have no company_id and no backfill path resolves them');
      expect((error as ApplyError).file?.fileName).toMatch(/_require_tenant_calls\.sql$/);
      expect((error as ApplyError).details.hint).toContain('unresolved: keep');
    } finally {
      await db.drop();
    }
  });

  it('retries a migration that hits lock_timeout until the lock is free', async () => {
    const db = await crmDatabase(server);
    const holder = new pg.Client(db.connection);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM public.users');
      const events: ApplyEvent[] = [];
      const release = setTimeout(() => void holder.query('COMMIT'), 3000);
      const dir = tempDir('retry');
      for (const f of readdirSync('generated-sql').filter((n) => n.endsWith('.sql')).slice(0, 2)) cpSync(join('generated-sql', f), join(dir, f));
      // No waiting for long transactions: the lock request itself times out and is retried.
      const result = await applyMigrations({ connection: db.connection, dir, maxHolderWaitMs: 0, onEvent: (e) => void events.push(e) });
      clearTimeout(release);
      expect(result.applied.map((f) => f.fileName)).toEqual(['0001_bootstrap.sql', '0002_add_tenant_column_users.sql']);
      const retries = events.filter((e) => e.kind === 'retry');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries[0]).toMatchObject({ file: { fileName: '0002_add_tenant_column_users.sql' }, attempt: 1 });
    } finally {
      await holder.end().catch(() => undefined);
      await db.drop();
    }
  });

  it('waits for a long transaction on the table without queueing for its lock, so the application is not held behind it', async () => {
    const db = await crmDatabase(server);
    const holder = new pg.Client({ ...db.connection, application_name: 'long report' });
    const app = new pg.Client(db.connection);
    await holder.connect();
    await app.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM public.users');
      await new Promise((r) => setTimeout(r, 600));
      const dir = tempDir('long-holder');
      for (const f of readdirSync('generated-sql').filter((n) => n.endsWith('.sql')).slice(0, 2)) cpSync(join('generated-sql', f), join(dir, f));
      const events: ApplyEvent[] = [];
      let appMs = -1;
      const onEvent = (e: ApplyEvent): void => {
        events.push(e);
        if (e.kind !== 'waiting-for-table') return;
        // While rlsgen waits, the application's statements on the table go through at once; then the report ends.
        void (async () => {
          await new Promise((r) => setTimeout(r, 300));
          const started = performance.now();
          await app.query("SET statement_timeout = '5s'");
          await app.query('UPDATE public.users SET id = id WHERE false');
          appMs = performance.now() - started;
          await holder.query('COMMIT');
        })();
      };
      // lock_timeout 300ms: the report, open for longer, counts as long.
      const result = await applyMigrations({ connection: db.connection, dir, lockTimeout: '300ms', onEvent });
      expect(result.applied.map((f) => f.fileName)).toEqual(['0001_bootstrap.sql', '0002_add_tenant_column_users.sql']);
      const waits = events.filter((e) => e.kind === 'waiting-for-table');
      expect(waits).toHaveLength(1);
      expect(waits[0]).toMatchObject({ file: { fileName: '0002_add_tenant_column_users.sql' }, table: 'public.users', holders: [{ application: 'long report' }] });
      expect(events.filter((e) => e.kind === 'retry')).toEqual([]);
      expect(appMs).toBeGreaterThanOrEqual(0);
      // Not queued behind an ACCESS EXCLUSIVE request: well under the 5 s it would wait otherwise.
      expect(appMs).toBeLessThan(2000);
    } finally {
      await holder.end().catch(() => undefined);
      await app.end().catch(() => undefined);
      await db.drop();
    }
  });
});
