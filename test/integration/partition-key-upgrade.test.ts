import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyError, applyMigrations } from '../../src/apply/apply-migrations.js';
import { withClient } from '../../src/db/server.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A partitioned table whose first generation built a plain tenant index
 * (nothing referenced it), and whose second makes it the parent of a
 * composite key: the unique index it then needs must contain the partition
 * keys. Checked before any partition builds it.
 */
const schema = (partitioning: 'tenant' | 'date'): string => `
  CREATE TABLE companies (id uuid PRIMARY KEY);
  CREATE TABLE users (id bigint PRIMARY KEY, company_id uuid NOT NULL REFERENCES companies);
  CREATE TABLE events (
    id bigint NOT NULL,
    ${partitioning === 'tenant' ? 'company_id uuid NOT NULL REFERENCES companies,' : ''}
    user_id bigint REFERENCES users,
    created_at date NOT NULL,
    PRIMARY KEY (id, ${partitioning === 'tenant' ? 'company_id' : 'created_at'})
  ) PARTITION BY ${partitioning === 'tenant' ? 'HASH (company_id)' : 'RANGE (created_at)'};
  ${
    partitioning === 'tenant'
      ? `CREATE TABLE events_p0 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE events_p1 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 1);`
      : `CREATE TABLE events_p0 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE events_p1 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`
  }
  CREATE TABLE event_items (id bigint PRIMARY KEY, event_id bigint NOT NULL, user_id bigint REFERENCES users);
  INSERT INTO companies VALUES ('00000000-0000-0000-0000-000000000001'), ('00000000-0000-0000-0000-000000000002');
  INSERT INTO users VALUES (1, '00000000-0000-0000-0000-000000000001'), (2, '00000000-0000-0000-0000-000000000002');
  INSERT INTO events (id, ${partitioning === 'tenant' ? 'company_id, ' : ''}user_id, created_at)
    SELECT g, ${partitioning === 'tenant' ? "('00000000-0000-0000-0000-00000000000' || (g % 2 + 1))::uuid, " : ''}g % 2 + 1, date '2024-03-01' + (g % 500)
      FROM generate_series(1, 200) AS g;
  INSERT INTO event_items SELECT g, g, g % 2 + 1 FROM generate_series(1, 200) AS g;`;

const manifest = (partitioning: 'tenant' | 'date', composite: boolean): string => `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: pkey_app } }
tables:
  companies: { mode: exempt, reason: the tenant table, commands: [select] }
  users: { existing_column: uuid }
  events:
${partitioning === 'tenant' ? '    existing_column: uuid\n    partition_key: [company_id]\n' : '    backfill: user_id -> users\n'}    partitions: [events_p0, events_p1]
    foreign_keys: { user_id: users }
  event_items:
    backfill: user_id -> users
    foreign_keys: { user_id: users${composite ? ', event_id: events' : ''} }
`;

const [server] = testServers();

describe.runIf(server !== undefined)('a partitioned table that a later generation makes the parent of a composite key', () => {
  for (const partitioning of ['tenant', 'date'] as const) {
    it(`partitioned by ${partitioning === 'tenant' ? 'the tenant column: the unique index is built' : 'a date the manifest does not list: stops before building anything'}`, async () => {
      if (server === undefined) return;
      const db = await freshDatabase(server, 'pkey');
      const dir = tempDir('pkey');
      const out = join(dir, 'generated-sql');
      const manifestPath = join(dir, 'policies.yaml');
      const generate = (composite: boolean): void => {
        writeFileSync(manifestPath, manifest(partitioning, composite));
        const result = generateMigrations({ manifestPath, outDir: out });
        if (result.kind !== 'written') throw new Error(`generate: ${result.kind} ${JSON.stringify(result.diagnostics)}`);
      };
      try {
        mkdirSync(dir, { recursive: true });
        await withClient(db.connection, (c) => c.query(schema(partitioning)));
        generate(false);
        await applyMigrations({ connection: db.connection, dir: out });
        generate(true);
        const indexes = async (): Promise<string[]> =>
          withClient(db.connection, async (c) => (await c.query<{ name: string }>("SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid IN ('events'::regclass, 'events_p0'::regclass, 'events_p1'::regclass) AND indisunique AND NOT indisprimary ORDER BY 1")).rows.map((r) => r.name));
        if (partitioning === 'tenant') {
          const later = await applyMigrations({ connection: db.connection, dir: out });
          expect(later.applied.map((f) => f.name).filter((n) => /index|partition_key/.test(n))).toEqual([
            'check_partition_key_events',
            'partition_index_events_p0_2',
            'partition_index_events_p1_2',
            'attach_tenant_index_events_2',
          ]);
          expect(await indexes()).toEqual(['events_company_id_id_key', 'events_p0_company_id_id_key', 'events_p1_company_id_id_key']);
        } else {
          const error = await applyMigrations({ connection: db.connection, dir: out }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ApplyError);
          expect((error as ApplyError).file?.name).toBe('check_partition_key_events');
          expect((error as ApplyError).message).toMatch(/public\.events is partitioned by created_at, which the unique tenant index must include/);
          expect((error as ApplyError).details.hint).toMatch(/tables\.events\.partition_key/);
          expect(await indexes()).toEqual([]);
        }
      } finally {
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
