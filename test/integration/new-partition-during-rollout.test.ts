import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ApplyError, applyMigrations } from '../../src/apply/apply-migrations.js';
import { rollbackMigrations } from '../../src/apply/rollback-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { failures } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { comparableSchema, freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A partition created while the rollout runs (a partition manager making
 * next year's, or the application), after the listed partitions built their
 * tenant index and before the parent's is attached: the parent's index must
 * still become valid, and the partition must not pass the proof until the
 * manifest lists it.
 */
const SCHEMA = `
  CREATE TABLE companies (id uuid PRIMARY KEY);
  CREATE TABLE users (id bigint PRIMARY KEY, company_id uuid NOT NULL REFERENCES companies);
  CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, user_id bigint REFERENCES users, created_at date NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
  CREATE TABLE events_p0 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE events_p1 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  INSERT INTO companies VALUES ('00000000-0000-0000-0000-000000000001'), ('00000000-0000-0000-0000-000000000002');
  INSERT INTO users VALUES (1, '00000000-0000-0000-0000-000000000001'), (2, '00000000-0000-0000-0000-000000000002');
  INSERT INTO events (user_id, created_at) SELECT g % 2 + 1, date '2024-03-01' + (g % 500) FROM generate_series(1, 200) AS g;`;
const MANIFEST = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: newpart_app } }
tables:
  companies: { commands: [select] }
  users: { existing_column: uuid }
  events:
    backfill: user_id -> users
    partition_key: [created_at]
    partitions: [events_p0, events_p1]
    foreign_keys: { user_id: users }
`;
const NEW_PARTITION = "CREATE TABLE events_p2 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')";

/** Partitioned by its key, which carries the tenant already and which a composite key references: its tenant index is unique. */
const KEYED_SCHEMA = `
  CREATE TABLE companies (id uuid PRIMARY KEY);
  CREATE TABLE events (id bigint NOT NULL, company_id uuid NOT NULL REFERENCES companies, user_ref int, PRIMARY KEY (id)) PARTITION BY RANGE (id);
  CREATE TABLE events_p0 PARTITION OF events FOR VALUES FROM (0) TO (500);
  CREATE TABLE events_p1 PARTITION OF events FOR VALUES FROM (500) TO (1000);
  CREATE TABLE event_items (id bigint PRIMARY KEY, company_id uuid NOT NULL REFERENCES companies, event_id bigint NOT NULL REFERENCES events);
  INSERT INTO companies VALUES ('00000000-0000-0000-0000-000000000001'), ('00000000-0000-0000-0000-000000000002');
  INSERT INTO events SELECT g, ('00000000-0000-0000-0000-00000000000' || (g % 2 + 1))::uuid, g FROM generate_series(1, 900) AS g;
  INSERT INTO event_items SELECT g, ('00000000-0000-0000-0000-00000000000' || (g % 2 + 1))::uuid, g FROM generate_series(1, 900) AS g;`;
const KEYED_MANIFEST = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: newpartkey_app } }
tables:
  companies: { commands: [select] }
  events:
    existing_column: uuid
    partition_key: [id]
    partitions: [events_p0, events_p1]
  event_items:
    existing_column: uuid
    foreign_keys: { event_id: events }
`;

/** Applies the files before the parent's attach step, as a first run that stopped there would have. */
async function applyUntilAttach(connection: ConnectionInfo, out: string, dir: string): Promise<void> {
  const files = readdirSync(out).filter((f) => f.endsWith('.sql')).sort();
  const cut = files.findIndex((f) => f.includes('attach_tenant_index_events'));
  const part = join(dir, 'before-attach');
  mkdirSync(join(part, 'down'), { recursive: true });
  for (const f of files.slice(0, cut)) {
    cpSync(join(out, f), join(part, f));
    cpSync(join(out, 'down', f.replace(/\.sql$/, '.down.sql')), join(part, 'down', f.replace(/\.sql$/, '.down.sql')));
  }
  await applyMigrations({ connection, dir: part });
}

const indexOf = async (c: pg.ClientBase, partition: string): Promise<unknown[]> =>
  (
    await c.query(
      `SELECT pg_get_indexdef(ci.indexrelid) AS def, ci.indisvalid AS valid, EXISTS (SELECT FROM pg_inherits AS i WHERE i.inhrelid = ci.indexrelid) AS attached
         FROM pg_index AS ci JOIN pg_attribute AS a ON a.attrelid = ci.indrelid AND a.attnum = ci.indkey[0]
        WHERE ci.indrelid = $1::regclass AND a.attname = 'company_id'`,
      [partition],
    )
  ).rows;

const [server] = testServers();

describe.runIf(server !== undefined)('a partition created during the rollout', () => {
  interface Rollout {
    readonly db: Awaited<ReturnType<typeof freshDatabase>>;
    readonly dir: string;
    readonly out: string;
    readonly model: () => Model;
    /** The schema before any migration. */
    readonly before: unknown;
  }
  /** A database with `schema`, the migrations of `manifest` generated beside it, handed to `fn`, then dropped. */
  const withRollout = async (label: string, fn: (r: Rollout) => Promise<void>, schema = SCHEMA, manifest = MANIFEST): Promise<void> => {
    if (server === undefined) throw new Error('no server');
    const db = await freshDatabase(server, label);
    const dir = tempDir(label);
    try {
      const out = join(dir, 'generated-sql');
      writeFileSync(join(dir, 'policies.yaml'), manifest);
      expect(generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: out }).kind).toBe('written');
      await withClient(db.connection, (c) => c.query(schema));
      const before = comparableSchema(await withClient(db.connection, introspectDatabase));
      const model = (): Model => {
        const loaded = loadManifest(readFileSync(join(dir, 'policies.yaml'), 'utf8'), 'policies.yaml');
        if (!loaded.ok) throw new Error('manifest');
        return loaded.model;
      };
      await fn({ db, dir, out, model, before });
    } finally {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('empty: gets its index attached, fails the proof until the manifest lists it, then a new generation secures it; rollback is exact', () =>
    withRollout('newpart', async ({ db, dir, out, model, before }) => {
      await applyUntilAttach(db.connection, out, dir);
      // Made by a partition manager that copies the parent's grants to each new partition.
      await withClient(db.connection, (c) => c.query(`${NEW_PARTITION}; GRANT SELECT, INSERT, UPDATE, DELETE ON events_p2 TO newpart_app`));
      const result = await applyMigrations({ connection: db.connection, dir: out });
      expect(result.applied.map((f) => f.name)).toContain('attach_tenant_index_events');
      await withClient(db.connection, async (c) => {
        expect(await indexOf(c, 'events_p2')).toEqual([{ def: 'CREATE INDEX events_p2_company_id_tenant_idx ON public.events_p2 USING btree (company_id)', valid: true, attached: true }]);
        expect((await c.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.events_company_id_tenant_idx'::regclass")).rows).toEqual([{ indisvalid: true }]);
      });
      const proof = await withClient(db.connection, (client) => verifyIsolation({ model: model(), client }));
      expect(failures(proof).map((f) => [f.table, f.check.check])).toEqual([['table public.events_p2', 'child-policies']]);

      writeFileSync(join(dir, 'policies.yaml'), MANIFEST.replace('[events_p0, events_p1]', '[events_p0, events_p1, events_p2]'));
      expect(generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: out }).kind).toBe('written');
      expect((await applyMigrations({ connection: db.connection, dir: out })).applied.map((f) => f.name)).toEqual(['secure_partitions_events']);
      const again = await withClient(db.connection, (client) => verifyIsolation({ model: model(), client }));
      expect(failures(again)).toEqual([]);

      await rollbackMigrations({ connection: db.connection, dir: out, to: 0 });
      await withClient(db.connection, (c) => c.query('DROP TABLE events_p2'));
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(before);
    }));

  it('with rows: stops at the attach step naming the index to build concurrently; built, applying again completes', () =>
    withRollout('newpartrows', async ({ db, dir, out }) => {
      await applyUntilAttach(db.connection, out, dir);
      // A row written through the parent: the fill trigger stamps its tenant.
      await withClient(db.connection, (c) => c.query(`${NEW_PARTITION}; INSERT INTO events (user_id, created_at) VALUES (1, '2026-02-02')`));
      const error = await applyMigrations({ connection: db.connection, dir: out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      expect((error as ApplyError).file?.name).toBe('attach_tenant_index_events');
      expect((error as ApplyError).message).toMatch(/public\.events_p2 is a partition of public\.events that the manifest does not list, and has rows but no index public\.events_p2_company_id_tenant_idx on \(company_id\)/);
      const hint = /CREATE INDEX CONCURRENTLY [^;]+/.exec((error as ApplyError).details.hint ?? '')?.[0];
      expect(hint).toBe('CREATE INDEX CONCURRENTLY events_p2_company_id_tenant_idx ON public.events_p2 (company_id)');
      await withClient(db.connection, async (c) => expect(await indexOf(c, 'events_p2')).toEqual([]));

      await withClient(db.connection, (c) => c.query(hint ?? ''));
      const result = await applyMigrations({ connection: db.connection, dir: out });
      expect(result.applied[0]?.name).toBe('attach_tenant_index_events');
      await withClient(db.connection, async (c) => {
        expect(await indexOf(c, 'events_p2')).toMatchObject([{ valid: true, attached: true }]);
        expect(Number((await c.query('SELECT count(*) AS n FROM events_p2 WHERE company_id IS NOT NULL')).rows[0].n)).toBe(1);
      });
    }));

  it('partitioned itself: empty, it and its partitions get their index; with rows, it stops with the manifest to change', () =>
    withRollout('newpartsub', async ({ db, dir, out }) => {
      await applyUntilAttach(db.connection, out, dir);
      await withClient(db.connection, (c) =>
        c.query(`CREATE TABLE events_p2 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY RANGE (created_at);
                 CREATE TABLE events_p2_h1 PARTITION OF events_p2 FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
                 CREATE TABLE events_p3 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01') PARTITION BY RANGE (created_at);
                 CREATE TABLE events_p3_h1 PARTITION OF events_p3 FOR VALUES FROM ('2027-01-01') TO ('2027-07-01');
                 INSERT INTO events (user_id, created_at) VALUES (1, '2027-02-02')`),
      );
      const error = await applyMigrations({ connection: db.connection, dir: out }).catch((e: unknown) => e);
      expect((error as ApplyError).file?.name).toBe('attach_tenant_index_events');
      expect((error as ApplyError).message).toMatch(/public\.events_p3 is a partition of public\.events that the manifest does not list, partitioned itself and with rows/);
      expect((error as ApplyError).details.hint).toMatch(/tables\.events\.partitions/);
      // Emptied, applying again completes: both get their index, with their partitions'.
      await withClient(db.connection, (c) => c.query('DELETE FROM events_p3'));
      await applyMigrations({ connection: db.connection, dir: out });
      await withClient(db.connection, async (c) => {
        expect((await c.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.events_company_id_tenant_idx'::regclass")).rows).toEqual([{ indisvalid: true }]);
        expect(Number((await c.query("SELECT count(*) AS n FROM pg_partition_tree('public.events_company_id_tenant_idx') WHERE isleaf")).rows[0].n)).toBe(4);
      });
    }));

  it("unique, with the DBA's own index on the partition: that one is never attached, so the rollback keeps it", () =>
    withRollout('newpartkey', async ({ db, dir, out, before }) => {
      await applyUntilAttach(db.connection, out, dir);
      await withClient(db.connection, (c) =>
        c.query(`CREATE TABLE events_p2 PARTITION OF events FOR VALUES FROM (1000) TO (2000);
                 INSERT INTO events VALUES (1500, '00000000-0000-0000-0000-000000000001', 1);
                 CREATE UNIQUE INDEX events_p2_own_key ON events_p2 (company_id, id)`),
      );
      const error = await applyMigrations({ connection: db.connection, dir: out }).catch((e: unknown) => e);
      expect((error as ApplyError).file?.name).toBe('attach_tenant_index_events');
      const hint = /CREATE UNIQUE INDEX CONCURRENTLY [^;]+/.exec((error as ApplyError).details.hint ?? '')?.[0];
      expect(hint).toBe('CREATE UNIQUE INDEX CONCURRENTLY events_p2_company_id_tenant_idx ON public.events_p2 (company_id, id)');
      await withClient(db.connection, (c) => c.query(hint ?? ''));
      await applyMigrations({ connection: db.connection, dir: out });
      const attached = async (): Promise<unknown[]> =>
        withClient(db.connection, async (c) =>
          (await c.query("SELECT ci.indexrelid::regclass::text AS name, EXISTS (SELECT FROM pg_inherits WHERE inhrelid = ci.indexrelid) AS attached FROM pg_index AS ci WHERE ci.indrelid = 'events_p2'::regclass AND NOT ci.indisprimary ORDER BY 1")).rows,
        );
      expect(await attached()).toEqual([
        { name: 'events_p2_company_id_tenant_idx', attached: true },
        { name: 'events_p2_own_key', attached: false },
      ]);
      await withClient(db.connection, async (c) => {
        // The composite key to events holds on the new partition too.
        await c.query('BEGIN');
        await expect(c.query("INSERT INTO event_items VALUES (9, '00000000-0000-0000-0000-000000000002', 1500)")).rejects.toThrow(/event_items/);
        await c.query('ROLLBACK');
      });

      await rollbackMigrations({ connection: db.connection, dir: out, to: 0 });
      expect(await attached()).toEqual([{ name: 'events_p2_own_key', attached: false }]);
      // (A partition of a table a foreign key references is detached before it is dropped.)
      await withClient(db.connection, (c) => c.query('ALTER TABLE events DETACH PARTITION events_p2; DROP TABLE events_p2'));
      expect(comparableSchema(await withClient(db.connection, introspectDatabase))).toEqual(before);
    }, KEYED_SCHEMA, KEYED_MANIFEST));
});
