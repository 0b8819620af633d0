import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, type ApplyEvent } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { readTree } from '../helpers/golden.js';
import { freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';

/** Generates the migrations of a manifest into a temp folder. */
function generated(manifest: string): { dir: string; files: Map<string, string>; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'rlsgen-backfill-'));
  writeFileSync(join(root, 'policies.yaml'), manifest);
  const dir = join(root, 'generated-sql');
  const result = generateMigrations({ manifestPath: join(root, 'policies.yaml'), outDir: dir });
  if (result.kind !== 'written') throw new Error(`generate: ${result.kind}`);
  return { dir, files: readTree(dir), remove: () => rmSync(root, { recursive: true, force: true }) };
}

const fileOf = (files: Map<string, string>, part: string): string => {
  const name = [...files.keys()].find((f) => !f.startsWith('down/') && f.includes(part));
  if (name === undefined) throw new Error(`no generated file ${part}`);
  return files.get(name) ?? '';
};

/** Parents whose tenant is filled, and children whose foreign-key checks lock them: the application's inserts. */
const PARENTS = `version: 1
tenant: { column: tenant_id, type: uuid, references: tenants(id) }
roles: { app: { name: backfill_app } }
migration: { lock_timeout: 2s, batch_size: 500 }
tables:
  tenants: { mode: exempt, reason: the tenant table, commands: [select] }
  owners: { mode: exempt, reason: sign-in, existing_column: uuid, commands: [select] }
  parents: { backfill: owner_id -> owners }
  children: { backfill: parent_id -> parents }
`;
const PARENTS_SCHEMA = `
CREATE TABLE tenants (id uuid PRIMARY KEY);
CREATE TABLE owners (id uuid PRIMARY KEY, tenant_id uuid REFERENCES tenants (id));
CREATE TABLE parents (id uuid PRIMARY KEY, owner_id uuid REFERENCES owners (id), title text);
CREATE TABLE children (id bigserial PRIMARY KEY, parent_id uuid NOT NULL REFERENCES parents (id));
INSERT INTO tenants SELECT md5('t' || g)::uuid FROM generate_series(1, 4) AS g;
INSERT INTO owners SELECT md5('o' || g)::uuid, md5('t' || (1 + g % 4))::uuid FROM generate_series(1, 40) AS g;
INSERT INTO parents SELECT md5('p' || g)::uuid, md5('o' || (1 + g % 40))::uuid, 'p' || g FROM generate_series(1, 20000) AS g;
`;

describe.each(testServers())('the backfill on $label', (server) => {
  /** A database with the parents and children, their tenant columns added as generated, and `extra` run after; dropped after `fn`. */
  async function withParents<T>(extra: string, fn: (connection: ConnectionInfo, files: Map<string, string>) => Promise<T>): Promise<T> {
    const gen = generated(PARENTS);
    const db = await freshDatabase(server, 'parents');
    try {
      await withClient(db.connection, async (c) => {
        await c.query(PARENTS_SCHEMA);
        await c.query(fileOf(gen.files, '_bootstrap.sql'));
        await c.query(fileOf(gen.files, '_add_tenant_column_parents.sql'));
        await c.query(fileOf(gen.files, '_add_tenant_column_children.sql'));
        if (extra !== '') await c.query(extra);
      });
      return await fn(db.connection, gen.files);
    } finally {
      await db.drop();
      gen.remove();
    }
  }

  describe('on keys that are sparse, random and text, through two hops and a first-of with an ambiguous non-key match', () => {
    const generatedFixture = generated(readFileSync('test/fixtures/backfill/policies.yaml', 'utf8'));
    let db: { connection: ConnectionInfo; drop: () => Promise<void> };
    let reports: Map<string, { filled: number; unresolved: number }>;
    let events: ApplyEvent[];
    beforeAll(async () => {
      db = await freshDatabase(server, 'backfill');
      await runSqlFile(db.connection, 'test/fixtures/backfill/schema.sql');
      events = [];
      const result = await applyMigrations({ connection: db.connection, dir: generatedFixture.dir, stage: 'prepare', batchPause: '1ms', onEvent: (e) => events.push(e) });
      reports = new Map(result.backfills.map((b) => [b.table, b]));
    });
    afterAll(async () => {
      await db?.drop();
      generatedFixture.remove();
    });

    it('gives every row the tenant its path resolves, and no tenant where none resolves', async () => {
      await withClient(db.connection, async (c) => {
        const wrong = async (sql: string): Promise<number> => Number((await c.query<{ n: string }>(sql)).rows[0]?.n);
        expect(await wrong('SELECT count(*) AS n FROM accounts AS a JOIN owners AS o ON o.id = a.owner_id WHERE a.tenant_id IS DISTINCT FROM o.tenant_id')).toBe(0);
        expect(
          await wrong(
            'SELECT count(*) AS n FROM entries AS e JOIN accounts AS a ON a.id = e.account_id JOIN owners AS o ON o.id = a.owner_id WHERE e.tenant_id IS DISTINCT FROM o.tenant_id',
          ),
        ).toBe(0);
        // First of: the entry's tenant; else the note's, when every account with that note agrees.
        expect(
          await wrong(`SELECT count(*) AS n FROM "Event Log" AS l
            WHERE l.tenant_id IS DISTINCT FROM COALESCE(
              (SELECT e.tenant_id FROM entries AS e WHERE e.id = l.entry_id),
              (SELECT CASE WHEN count(DISTINCT a.tenant_id) = 1 THEN min(a.tenant_id) END FROM accounts AS a WHERE a.note = l.note))`),
        ).toBe(0);
        const open = await c.query<{ accounts: string; entries: string; events: string }>(
          `SELECT (SELECT count(*) FROM accounts WHERE tenant_id IS NULL) AS accounts, (SELECT count(*) FROM entries WHERE tenant_id IS NULL) AS entries,
                  (SELECT count(*) FROM "Event Log" WHERE tenant_id IS NULL) AS events`,
        );
        expect(reports.get('public.accounts')).toEqual({ table: 'public.accounts', filled: 2900, unresolved: 100 });
        expect(reports.get('public.entries')?.unresolved).toBe(Number(open.rows[0]?.entries));
        expect(reports.get('public."Event Log"')?.unresolved).toBe(Number(open.rows[0]?.events));
        expect(Number(open.rows[0]?.events)).toBeGreaterThan(0); // ambiguous notes stay unresolved
        expect(Number(open.rows[0]?.events)).toBeLessThan(3000);
      });
    });

    it('walks every key in batches of the manifest size, with the pause asked for', () => {
      const batches = events.filter((e) => e.kind === 'backfill' && e.event === 'batch' && e.table === 'public.accounts');
      expect(batches).toHaveLength(30);
      expect(batches.every((e) => e.kind === 'backfill' && e.batchSize === 100 && e.pauseMs === 1)).toBe(true);
    });

    it('builds the tenant index and the foreign key after the fill', async () => {
      await withClient(db.connection, async (c) => {
        const { rows } = await c.query<{ name: string; valid: boolean }>(
          `SELECT conname AS name, convalidated AS valid FROM pg_constraint WHERE conrelid = 'accounts'::regclass AND contype = 'f' AND conname LIKE '%tenant_id%'`,
        );
        expect(rows).toEqual([{ name: 'accounts_tenant_id_fkey', valid: true }]);
        // Plain, on the tenant column: no composite key references accounts.
        const index = await c.query("SELECT indisunique, indisvalid, indnatts FROM pg_index WHERE indexrelid = 'accounts_tenant_id_tenant_idx'::regclass");
        expect(index.rows).toEqual([{ indisunique: false, indisvalid: true, indnatts: 1 }]);
      });
    });
  });

  describe('while the application checks foreign keys against the rows being filled', () => {
    /** Holds an open transaction that inserted a child of `parent`: its foreign-key check holds KEY SHARE on the parent row. */
    async function childInserted(connection: ConnectionInfo, parent: string): Promise<pg.Client> {
      const app = new pg.Client(connection);
      await app.connect();
      await app.query('BEGIN');
      await app.query("INSERT INTO children (parent_id) VALUES (md5($1)::uuid)", [parent]);
      return app;
    }

    async function fillParents(unique: boolean): Promise<{ error: string | null }> {
      return withParents(unique ? 'CREATE UNIQUE INDEX parents_tenant_id_id_key ON parents (tenant_id, id)' : '', async (connection, files) => {
        const app = await childInserted(connection, 'p77');
        try {
          return await withClient(connection, async (c) => {
            c.on('notice', () => undefined);
            await c.query("SET lock_timeout = '300ms'");
            try {
              await c.query(fileOf(files, '_backfill_parents.sql').replace("'2s'", "'300ms'"));
              return { error: null };
            } catch (error) {
              return { error: (error as Error).message };
            }
          });
        } finally {
          await app.query('ROLLBACK');
          await app.end();
        }
      });
    }

    it('fills the rows: with no unique index on the column yet, the fill is a non-key update', async () => {
      expect(await fillParents(false)).toEqual({ error: null });
    });

    it('would wait for the application with the unique (tenant, id) index in place: the order rlsgen avoids', async () => {
      expect((await fillParents(true)).error).toMatch(/lock timeout/);
    });
  });

  describe('the pass that finds the batch ends', () => {
    /** rlsgen.backfill over `keys` (sparse bigints) in batches of `batch`, after the saved key `resume` when given: the total its start reports, how many batches it ran, and the rows it filled and left. */
    async function walk(keys: string, batch: number, resume: number | null): Promise<{ total: number; batches: number; filled: number; open: number }> {
      return withParents('', async (connection) =>
        withClient(connection, async (c) => {
          await c.query('CREATE TABLE sparse (id bigint PRIMARY KEY, tenant_id uuid)');
          await c.query(`INSERT INTO sparse (id) SELECT k FROM (${keys}) AS s (k)`);
          if (resume !== null) {
            await c.query("INSERT INTO rlsgen.backfill_progress (table_name, last_key, rows_done) SELECT 'public.sparse', $1::bigint::text, count(*) FROM sparse WHERE id <= $1::bigint", [resume]);
          }
          let total = -1;
          let batches = 0;
          c.on('notice', (n) => {
            if (n.detail === undefined) return;
            const d = JSON.parse(n.detail) as { event: string; total: number };
            if (d.event === 'start') total = d.total;
            if (d.event === 'batch') batches++;
          });
          await c.query(`CALL rlsgen.backfill('public.sparse', 'id', 'tenant_id',
            'UPDATE public.sparse AS t SET tenant_id = md5(t.id::text)::uuid WHERE t.id BETWEEN $1 AND $2 AND t.tenant_id IS NULL', ${batch})`);
          const { rows } = await c.query<{ filled: string; open: string }>('SELECT count(tenant_id) AS filled, count(*) - count(tenant_id) AS open FROM sparse');
          return { total, batches, filled: Number(rows[0]?.filled), open: Number(rows[0]?.open) };
        }),
      );
    }
    const sparse = (n: number): string => `SELECT g * 1000 + g % 7 FROM generate_series(1, ${n}) AS g`;

    it.each([
      { rows: 1000, batch: 100, batches: 10 },
      { rows: 1001, batch: 100, batches: 11 },
      { rows: 99, batch: 100, batches: 1 },
      { rows: 1, batch: 1, batches: 1 },
    ])('counts $rows rows in batches of $batch: $batches batches, every row filled', async ({ rows, batch, batches }) => {
      expect(await walk(sparse(rows), batch, null)).toEqual({ total: rows, batches, filled: rows, open: 0 });
    });

    it('counts an empty table as 0 rows and runs no batch', async () => {
      expect(await walk(sparse(0), 100, null)).toEqual({ total: 0, batches: 0, filled: 0, open: 0 });
    });

    it('resumes after the key it saved: the rows before it counted as done, only the rest walked', async () => {
      // 450 of 1000 rows done (keys up to 450,xxx); the rest, 550, is 6 batches of 100.
      const result = await walk(sparse(1000), 100, 450 * 1000 + (450 % 7));
      expect(result).toEqual({ total: 1000, batches: 6, filled: 550, open: 450 });
    });
  });

  describe('pacing', () => {
    it('takes a batch size and a pause changed while it runs, and keeps them for the next tables', async () => {
      await withParents("INSERT INTO children (parent_id) SELECT md5('p' || g)::uuid FROM generate_series(1, 3000) AS g", async (connection, files) => {
        const seen: { table: string; batch: number; pause: number; total: number }[] = [];
        let changed = false;
        const result = await withClient(connection, async (c) => {
          const change = new Promise<void>((resolve, reject) => {
            c.on('notice', (n) => {
              if (n.detail === undefined) return;
              const d = JSON.parse(n.detail) as { event: string; table: string; batch_size?: number; pause_ms?: number; total: number };
              if (d.event !== 'batch') return;
              seen.push({ table: d.table, batch: d.batch_size ?? 0, pause: d.pause_ms ?? 0, total: d.total });
              if (changed) return;
              changed = true;
              // A DBA slowing the backfill down from another session.
              withClient(connection, (other) =>
                other.query("UPDATE rlsgen.backfill_progress SET batch_size = 2000, batch_pause = '20ms' WHERE table_name = 'public.parents'"),
              ).then(() => resolve(), reject);
            });
          });
          await c.query(fileOf(files, '_backfill_parents.sql'));
          await change;
          await c.query(fileOf(files, '_backfill_children.sql'));
          return (await c.query<{ batch: string; pause: string }>("SELECT current_setting('rlsgen.batch_size') AS batch, current_setting('rlsgen.batch_pause') AS pause")).rows[0];
        });
        const parents = seen.filter((s) => s.table === 'public.parents');
        expect(parents[0]).toEqual({ table: 'public.parents', batch: 500, pause: 0, total: 20000 });
        // Batches that began before the change keep the old pace; from the first one after it, the new one.
        const from = parents.findIndex((s) => s.batch === 2000);
        expect(from).toBeGreaterThan(0);
        expect(parents.slice(0, from).every((s) => s.batch === 500 && s.pause === 0)).toBe(true);
        expect(parents.slice(from).every((s) => s.batch === 2000 && s.pause === 20)).toBe(true);
        expect(parents.length).toBeLessThan(20000 / 500);
        expect(seen.filter((s) => s.table === 'public.children').every((s) => s.batch === 2000 && s.pause === 20)).toBe(true);
        expect(result).toEqual({ batch: '2000', pause: '00:00:00.02' });
        await withClient(connection, async (c) => {
          const { rows } = await c.query<{ open: string; progress: string }>(
            "SELECT (SELECT count(*) FROM parents WHERE tenant_id IS NULL) + (SELECT count(*) FROM children WHERE tenant_id IS NULL) AS open, (SELECT count(*) FROM rlsgen.backfill_progress) AS progress",
          );
          expect(rows[0]).toEqual({ open: '0', progress: '0' });
        });
      });
    });

    it('refuses a batch size or a pause that cannot pace a backfill', async () => {
      await withParents('', async (connection) => {
        await withClient(connection, async (c) => {
          await expect(c.query("INSERT INTO rlsgen.backfill_progress (table_name, batch_size) VALUES ('public.parents', 0)")).rejects.toThrow(/check constraint/);
          await expect(c.query("INSERT INTO rlsgen.backfill_progress (table_name, batch_pause) VALUES ('public.parents', '-1s')")).rejects.toThrow(/check constraint/);
        });
      });
    });
  });
});
