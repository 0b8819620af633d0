import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import type { TenantPool } from '../../src/runtime/index.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { freshDatabase, runSqlFile, type TestServer } from './servers.js';
import { removeTempDir, tempDir } from './temp.js';

/** A fresh database with the stress fixture (100 tenants, 10 items each) and its generated migrations applied. */
export async function stressDatabase(server: TestServer, prefix: string): Promise<{ connection: ConnectionInfo; drop: () => Promise<void> }> {
  const db = await freshDatabase(server, prefix);
  const dir = tempDir('stress');
  try {
    await runSqlFile(db.connection, 'test/fixtures/stress/schema.sql');
    const generated = generateMigrations({ manifestPath: 'test/fixtures/stress/policies.yaml', outDir: join(dir, 'generated-sql') });
    if (generated.kind !== 'written') throw new Error(`stress migrations: ${generated.kind}`);
    await applyMigrations({ connection: db.connection, dir: join(dir, 'generated-sql') });
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  } finally {
    removeTempDir(dir);
  }
}

/** `md5(key)::uuid`, how the fixtures name their rows. */
export function md5Uuid(key: string): string {
  const hex = createHash('md5').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stress fixture's tenants (test/fixtures/stress/schema.sql): md5('tenant:' || n)::uuid, n = 1..100. */
export function stressTenant(n: number): string {
  return md5Uuid(`tenant:${n}`);
}

/** How a request fails on purpose: BEGIN or the set_config statement fails at the server, the callback throws, or a statement in it fails. */
export type Fault = 'begin' | 'set_config' | 'callback' | 'statement';
const FAULTS: readonly Fault[] = ['begin', 'set_config', 'callback', 'statement'];

const current = new AsyncLocalStorage<Fault | undefined>();

/**
 * A pg.Client (for `new pg.Pool({ Client: FaultyClient })`) that makes the
 * current request's fault real: BEGIN goes out malformed, set_config gets a
 * setting name the server rejects. Both fail at the server, as a dropped
 * statement or a bad setting would, with the client in the state the server
 * leaves it in.
 */
export class FaultyClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (text: unknown, values?: unknown[]) => Promise<pg.QueryResult>;
    const faulty = (text: unknown, values?: unknown[]): Promise<pg.QueryResult> => {
      const fault = current.getStore();
      if (fault === 'begin' && text === 'BEGIN') return query('BEGIN ISOLATION LEVEL rlsgen_fault');
      if (fault === 'set_config' && typeof text === 'string' && text.startsWith('SELECT set_config(') && values !== undefined) {
        return query(text, ['rlsgen fault', ...values.slice(1)]);
      }
      return query(text, values);
    };
    // withTenant calls query(text) and query(text, values) only; the other overloads pass through unchanged.
    Object.defineProperty(this, 'query', { value: faulty, writable: true, configurable: true });
  }
}

export interface StressResult {
  readonly requests: number;
  readonly tenants: number;
  readonly violations: readonly string[];
  readonly failed: Readonly<Record<Fault, number>>;
  readonly committed: ReadonlyMap<string, number>;
}

/** The server error (SQLSTATE) each fault must surface as, or the callback's own error. */
const EXPECTED: Readonly<Record<Fault, string>> = { begin: '42601', set_config: '42704', callback: 'injected failure', statement: '22012' };

/**
 * `requests` withTenant requests over the stress fixture's 100 tenants,
 * `concurrency` at a time; each reads its tenant's items, inserts one and
 * updates one, and one in seven fails on purpose (the four faults in turn).
 * Returns every row seen or written for another tenant, and the committed
 * inserts per tenant.
 */
export async function runTenantStress(tenants: TenantPool, requests: number, concurrency: number): Promise<StressResult> {
  const ids = Array.from({ length: 100 }, (_, i) => stressTenant(i + 1));
  const committed = new Map<string, number>(ids.map((t) => [t, 0]));
  const failed: Record<Fault, number> = { begin: 0, set_config: 0, callback: 0, statement: 0 };
  const violations: string[] = [];
  let next = 0;
  const request = async (tenant: string, fault: Fault | undefined): Promise<void> => {
    await tenants.withTenant(tenant, async (client) => {
      const seen = await client.query<{ c: string }>('SELECT DISTINCT company_id AS c FROM items');
      for (const row of seen.rows) if (row.c !== tenant) violations.push(`read ${row.c} as ${tenant}`);
      const inserted = await client.query<{ c: string }>('INSERT INTO items DEFAULT VALUES RETURNING company_id AS c');
      if (inserted.rows[0]?.c !== tenant) violations.push(`inserted for ${inserted.rows[0]?.c} as ${tenant}`);
      const updated = await client.query<{ c: string }>('UPDATE items SET hits = hits + 1 WHERE id = (SELECT id FROM items ORDER BY hits LIMIT 1) RETURNING company_id AS c');
      for (const row of updated.rows) if (row.c !== tenant) violations.push(`updated ${row.c} as ${tenant}`);
      if (fault === 'statement') await client.query('SELECT 1/0');
      if (fault === 'callback') throw new Error('injected failure');
    });
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      if (n >= requests) return;
      const tenant = ids[(n * 37) % 100] ?? '';
      const fault = n % 7 === 3 ? FAULTS[Math.floor(n / 7) % FAULTS.length] : undefined;
      try {
        await current.run(fault, () => request(tenant, fault));
        if (fault !== undefined) violations.push(`request ${n} (${fault}) committed`);
        committed.set(tenant, (committed.get(tenant) ?? 0) + 1);
      } catch (error) {
        const got = (error as { code?: string }).code ?? (error as Error).message;
        if (fault === undefined || got !== EXPECTED[fault]) throw error;
        failed[fault]++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests, tenants: ids.length, violations, failed, committed };
}

/** Items per tenant, as the owner sees them. */
export async function countItems(admin: ConnectionInfo): Promise<Map<string, number>> {
  const rows = await withClient(admin, async (c) => (await c.query<{ c: string; n: number }>('SELECT company_id AS c, count(*)::int AS n FROM items GROUP BY 1')).rows);
  return new Map(rows.map((row) => [row.c, row.n]));
}

/** Tenants whose items are not exactly those before the run plus every committed insert (and none of the failed ones). */
export async function itemCountMismatches(admin: ConnectionInfo, before: ReadonlyMap<string, number>, committed: ReadonlyMap<string, number>): Promise<string[]> {
  const after = await countItems(admin);
  return [...new Set([...before.keys(), ...after.keys()])]
    .map((t) => ({ t, got: after.get(t) ?? 0, want: (before.get(t) ?? 0) + (committed.get(t) ?? 0) }))
    .filter((x) => x.got !== x.want)
    .map((x) => `${x.t}: ${x.got} items, ${x.want} expected`);
}
