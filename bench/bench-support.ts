import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { openServer, type ServerSpec } from '../src/db/open-server.js';
import type { ServerHandle } from '../src/db/server.js';

/**
 * `--database-url URL` (or DATABASE_URL) for a server of yours; `--pg-bin DIR`
 * for a throwaway server from installed binaries (Debian's
 * /usr/lib/postgresql/15/bin); embedded PostgreSQL otherwise.
 */
export async function benchServer(databaseUrl: string | undefined, pgBin?: string): Promise<ServerHandle> {
  const spec: ServerSpec =
    databaseUrl !== undefined && databaseUrl !== ''
      ? { kind: 'url', url: databaseUrl }
      : pgBin !== undefined && pgBin !== ''
        ? { kind: 'binaries', binDir: pgBin }
        : { kind: 'embedded' };
  return openServer(spec);
}

/** The server's current WAL position, to measure what a run wrote (walBytesSince). */
export async function walPosition(c: pg.ClientBase): Promise<string> {
  return (await c.query<{ lsn: string }>('SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn ?? '0/0';
}

/** WAL bytes the server wrote since `start` (a walPosition), every session's. */
export async function walBytesSince(c: pg.ClientBase, start: string): Promise<number> {
  const { rows } = await c.query<{ n: string }>('SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), $1::pg_lsn) AS n', [start]);
  return Number(rows[0]?.n ?? 0);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** `md5(key)::uuid`, as the bulk rows derive their ids. */
export function uuidOf(key: string): string {
  const hex = createHash('md5').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 3 : 1)} ms`;

/** The seed CRM schema, empty. */
export const CRM_SCHEMA = readFileSync('test/fixtures/crm-legacy/schema.sql', 'utf8');

/**
 * Bulk rows for the seed CRM: `tenants` companies with two users each,
 * `contacts` contacts spread evenly, a pipeline per company and `deals` deals
 * each pointing at a contact of its own company. Ids are derived from md5 of
 * a readable key so runs are repeatable.
 */
export async function loadCrmRows(client: pg.ClientBase, sizes: { tenants: number; contacts: number; deals: number; callsWithoutCompany?: number }): Promise<void> {
  const { tenants: t, contacts: n, deals: d } = sizes;
  await client.query(`INSERT INTO companies (id, name) SELECT md5('company:' || g)::uuid, 'company ' || g FROM generate_series(1, ${t}) AS g ON CONFLICT DO NOTHING`);
  await client.query(
    `INSERT INTO users (id, company_id, email, password_hash) SELECT md5('user:' || g)::uuid, md5('company:' || (1 + (g - 1) % ${t}))::uuid, 'user' || g || '@example.com', 'x'
       FROM generate_series(1, ${t * 2}) AS g ON CONFLICT DO NOTHING`,
  );
  await client.query(
    `INSERT INTO pipelines (id, company_id, name) SELECT md5('pipeline:' || g)::uuid, md5('company:' || g)::uuid, 'Sales' FROM generate_series(1, ${t}) AS g ON CONFLICT DO NOTHING`,
  );
  await client.query(
    `INSERT INTO contacts (id, company_id, owner_id, first_name, last_name, email, created_at)
     SELECT md5('contact:' || g)::uuid, md5('company:' || (1 + g % ${t}))::uuid, md5('user:' || (1 + g % ${t * 2}))::uuid,
            'First' || (g % 997), 'Last' || (g % 991), 'c' || g || '@example.com', now() - g * interval '1 second'
       FROM generate_series(1, ${n}) AS g`,
  );
  await client.query(
    `INSERT INTO deals (company_id, owner_id, pipeline_id, contact_id, title, value, created_at)
     SELECT md5('company:' || (1 + (g * 7) % ${t}))::uuid, md5('user:' || (1 + (g * 7) % ${t * 2}))::uuid,
            md5('pipeline:' || (1 + (g * 7) % ${t}))::uuid, md5('contact:' || (g * 7))::uuid,
            'Deal ' || g, g % 10000, now() - g * interval '1 second'
       FROM generate_series(1, ${d}) AS g WHERE g * 7 <= ${n}`,
  );
}

/** `n` calls made by the bulk users (no company_id: the seed schema's calls have none). */
export async function loadCallRows(client: pg.ClientBase, n: number, users: number): Promise<void> {
  await client.query(
    `INSERT INTO calls (id, user_id, duration_seconds, created_at)
     SELECT md5('call:' || g)::uuid, md5('user:' || (1 + g % ${users}))::uuid, g % 600, now() - g * interval '1 second'
       FROM generate_series(1, ${n}) AS g`,
  );
}
