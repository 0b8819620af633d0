import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type ApplyEvent, applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A migration (or its rollback) that locks two tables the application also
 * writes, in the other order, closes a lock cycle with the application's
 * transaction; PostgreSQL breaks it by ending one of the two with 40P01.
 * When the migration's transaction is the one ended, nothing of it remains,
 * and apply and rollback run it again, as after a lock_timeout. (The CI run
 * of 46c25d1 failed on this: the rollback of a failed enforce stage,
 * dropping composite keys while the old application wrote deals, was a
 * deadlock's victim and stopped half-way.)
 */
const TWO_TABLES = 'SET LOCAL lock_timeout = \'10s\';\nLOCK TABLE public.parent IN SHARE ROW EXCLUSIVE MODE;\nLOCK TABLE public.child IN SHARE ROW EXCLUSIVE MODE;\n';

function folder(name: string): string {
  const dir = tempDir(name);
  mkdirSync(join(dir, 'down'));
  cpSync(join('generated-sql', '0001_bootstrap.sql'), join(dir, '0001_bootstrap.sql'));
  cpSync(join('generated-sql', 'down', '0001_bootstrap.down.sql'), join(dir, 'down', '0001_bootstrap.down.sql'));
  writeFileSync(join(dir, '0002_lock_parent_then_child.sql'), TWO_TABLES);
  writeFileSync(join(dir, 'down', '0002_lock_parent_then_child.down.sql'), TWO_TABLES);
  return dir;
}

/**
 * The application's transaction: writes child, then (once `waiting` says the
 * migration holds parent and waits for child) writes parent, which closes the
 * cycle. Its deadlock_timeout is long, so the migration, waiting longer,
 * always finds the cycle first and is the one PostgreSQL ends.
 */
async function applicationCycle(connection: ConnectionInfo, run: () => Promise<unknown>): Promise<{ result: unknown; appCommitted: boolean }> {
  const app = new pg.Client({ ...connection, application_name: 'application' });
  await app.connect();
  try {
    await app.query("SET deadlock_timeout = '60s'");
    await app.query('BEGIN');
    await app.query('INSERT INTO public.child (id) VALUES (1)');
    const running = run();
    running.catch(() => undefined);
    await waitForMigrationWaiting(connection);
    await app.query('INSERT INTO public.parent (id) VALUES (1)');
    await app.query('COMMIT');
    return { result: await running, appCommitted: true };
  } finally {
    await app.end().catch(() => undefined);
  }
}

/** Until a session other than the application waits for a lock on public.child. */
async function waitForMigrationWaiting(connection: ConnectionInfo): Promise<void> {
  await withClient(connection, async (c) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_catalog.pg_locks AS l JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
          WHERE NOT l.granted AND l.relation = 'public.child'::regclass AND a.application_name LIKE 'rlsgen%'`,
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the migration never waited for public.child');
  });
}

describe.each(testServers())('a deadlock with the application on $label', (server) => {
  it('apply runs the migration that was the victim again, and the application commits', async () => {
    const db = await freshDatabase(server, 'deadlock');
    try {
      await withClient(db.connection, (c) => c.query('CREATE TABLE public.parent (id int); CREATE TABLE public.child (id int)'));
      const dir = folder('deadlock-apply');
      const events: ApplyEvent[] = [];
      const { result, appCommitted } = await applicationCycle(db.connection, () =>
        applyMigrations({ connection: db.connection, dir, maxHolderWaitMs: 0, onEvent: (e) => void events.push(e) }),
      );
      expect(appCommitted).toBe(true);
      expect((result as Awaited<ReturnType<typeof applyMigrations>>).applied.map((f) => f.fileName)).toEqual(['0001_bootstrap.sql', '0002_lock_parent_then_child.sql']);
      const retries = events.filter((e) => e.kind === 'retry');
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ file: { fileName: '0002_lock_parent_then_child.sql' }, attempt: 1, reason: expect.stringMatching(/^deadlock detected/) });
      const rows = await withClient(db.connection, async (c) => (await c.query('SELECT (SELECT count(*) FROM public.parent)::int AS p, (SELECT count(*) FROM public.child)::int AS c')).rows[0]);
      expect(rows).toEqual({ p: 1, c: 1 });
    } finally {
      await db.drop();
    }
  });

  it('rollback runs the script that was the victim again', async () => {
    const db = await freshDatabase(server, 'deadlock');
    try {
      await withClient(db.connection, (c) => c.query('CREATE TABLE public.parent (id int); CREATE TABLE public.child (id int)'));
      const dir = folder('deadlock-rollback');
      await applyMigrations({ connection: db.connection, dir });
      const events: ApplyEvent[] = [];
      const { result } = await applicationCycle(db.connection, () => rollbackMigrations({ connection: db.connection, dir, to: 1, onEvent: (e) => void events.push(e) }));
      expect((result as Awaited<ReturnType<typeof rollbackMigrations>>).rolledBack.map((f) => f.fileName)).toEqual(['0002_lock_parent_then_child.sql']);
      const retries = events.filter((e) => e.kind === 'retry');
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ attempt: 1, reason: expect.stringMatching(/^deadlock detected/) });
      const applied = await withClient(db.connection, async (c) => (await c.query<{ id: number }>('SELECT id FROM rlsgen.migrations ORDER BY id')).rows.map((r) => r.id));
      expect(applied).toEqual([1]);
    } finally {
      await db.drop();
    }
  });
});
