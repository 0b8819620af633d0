import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWalFacts } from '../../src/apply/wal-advice.js';
import { debianBinDir, hasBinaries, startBinaries } from '../../src/db/binaries.js';
import { connectionUrl, type ServerHandle, withClient } from '../../src/db/server.js';
import { runCliAsync } from '../helpers/cli.js';
import { freshDatabase, type TestServer, testServers } from '../helpers/servers.js';
import { removeTempDir, tempDir } from '../helpers/temp.js';

const SCHEMA = `
CREATE TABLE companies (id bigint PRIMARY KEY);
CREATE TABLE users (id bigint PRIMARY KEY, company_id bigint NOT NULL REFERENCES companies (id));
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), payload text NOT NULL);
INSERT INTO companies SELECT g FROM generate_series(1, 10) g;
INSERT INTO users SELECT g, 1 + g % 10 FROM generate_series(1, 100) g;
INSERT INTO events SELECT g, 1 + g % 100, repeat('x', 60) FROM generate_series(1, 300000) g;
`;

const MANIFEST = `version: 1
tenant: { column: company_id, type: bigint, references: companies(id) }
roles: { app: { name: wal_app } }
tables:
  companies: { mode: exempt, reason: the tenant table, commands: [select] }
  users: { existing_column: bigint }
  events:
    backfill: user_id -> users
    foreign_keys: { user_id: users }
`;

// A server of its own: max_wal_size is server-wide, and the shared test servers keep theirs.
describe.skipIf(!hasBinaries(debianBinDir(15)))('apply before a backfill larger than max_wal_size allows between checkpoints', () => {
  let server: ServerHandle;
  let dir: string;
  beforeAll(async () => {
    server = await startBinaries(debianBinDir(15));
    dir = tempDir('wal-advice');
    await withClient(server.connection, async (c) => {
      await c.query("ALTER SYSTEM SET max_wal_size = '32MB'");
      await c.query('SELECT pg_reload_conf()');
      await c.query(SCHEMA);
    });
    writeFileSync(join(dir, 'policies.yaml'), MANIFEST);
  });
  afterAll(async () => {
    await server.stop();
    removeTempDir(dir);
  });

  it('warns, naming the table, both sizes and the setting to raise for the rollout, and applies', async () => {
    const generated = await runCliAsync(['generate', '--manifest', join(dir, 'policies.yaml'), '--out', join(dir, 'generated-sql')]);
    expect(generated.code, generated.stderr).toBe(0);
    const applied = await runCliAsync(['apply', '--database-url', connectionUrl(server.connection), '--dir', join(dir, 'generated-sql'), '--stage', 'prepare'], { env: { CI: 'true' } });
    expect(applied.code, applied.stderr).toBe(0);
    const size = await withClient(server.connection, async (c) => (await c.query<{ mb: number }>("SELECT round(pg_table_size('events') / 1048576.0)::int AS mb")).rows[0]?.mb);
    expect(size).toBeGreaterThan(17);
    expect(applied.stderr).toMatch(
      new RegExp(`_backfill_events\\.sql: WARNING: public\\.events is \\d+ MB and max_wal_size is 32 MB: filling it writes at least its size in WAL, so the server requests a checkpoint every 17 MB of it`),
    );
    expect(applied.stderr).toContain("ALTER SYSTEM SET max_wal_size = '1GB'; SELECT pg_reload_conf();");
    // users is a few pages: no advice for it.
    expect(applied.stderr).not.toMatch(/public\.users is/);
  });
});

describe.each(testServers())('the size apply weighs on $label', (server: TestServer) => {
  it('is the sum of a partitioned table\'s partitions, and the server\'s own settings', async () => {
    const db = await freshDatabase(server, 'wal');
    try {
      await withClient(db.connection, async (c) => {
        await c.query("CREATE TABLE m (id int, at date) PARTITION BY RANGE (at); CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); CREATE TABLE m_2 PARTITION OF m FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')");
        await c.query("INSERT INTO m SELECT g, date '2020-01-01' + (g % 700) FROM generate_series(1, 20000) g");
        const expected = (await c.query<{ size: string; wal: string }>("SELECT pg_table_size('m_1') + pg_table_size('m_2') AS size, pg_size_bytes(current_setting('max_wal_size')) AS wal")).rows[0];
        const facts = await readWalFacts(c, 'public.m');
        expect(facts).toMatchObject({ tableBytes: Number(expected?.size), maxWalBytes: Number(expected?.wal) });
        expect(facts?.tableBytes).toBeGreaterThan(0);
        expect(await readWalFacts(c, 'public.missing')).toBeNull();
        await c.query('CREATE TABLE plain AS SELECT g FROM generate_series(1, 1000) g');
        const plain = (await c.query<{ size: string }>("SELECT pg_table_size('plain') AS size")).rows[0]?.size;
        expect((await readWalFacts(c, 'public.plain'))?.tableBytes).toBe(Number(plain));
      });
    } finally {
      await db.drop();
    }
  });
});
