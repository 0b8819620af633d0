import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { parseConnectionUrl, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { RULES } from '../../src/lint/registry.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { createTenantPool } from '../../src/runtime/index.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { FIXTURE_DATA, FIXTURE_SCHEMA } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * On a real Citus cluster, when CITUS_URL names a throwaway database on the
 * coordinator (citus extension created, at least one worker added, no shards
 * on the coordinator). Citus is in neither Debian's nor npm's packages here,
 * so CI skips this suite.
 */
const url = process.env['CITUS_URL'];

describe.skipIf(url === undefined || url === '')(`Citus target${url === undefined || url === '' ? ' (skipped: CITUS_URL is not set)' : ''}`, () => {
  it('distributes the seed CRM and proves isolation across workers', async () => {
    const connection = parseConnectionUrl(url ?? '');
    await withClient(connection, async (c) => {
      await c.query(readFileSync(FIXTURE_SCHEMA, 'utf8'));
      await c.query(readFileSync(FIXTURE_DATA, 'utf8'));
      // Citus needs a company on every call: the orphan user's call is given one, as `rlsgen audit` would prompt.
      await c.query("UPDATE users SET company_id = md5('company:testco')::uuid WHERE id = md5('user:orphan')::uuid");
    });
    const dir = tempDir('citus');
    const manifest = readFileSync('test/golden/citus/policies.yaml', 'utf8');
    writeFileSync(join(dir, 'policies.yaml'), manifest);
    const generated = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
    expect(generated.kind).toBe('written');
    // The rollout's stages in turn: nothing is distributed before the last one.
    await applyMigrations({ connection, dir: join(dir, 'generated-sql'), stage: 'prepare' });
    const enforced = await applyMigrations({ connection, dir: join(dir, 'generated-sql'), stage: 'enforce' });
    expect(new Set(enforced.pending.map((f) => f.meta?.stage))).toEqual(new Set(['distribute']));
    const distributedEarly = await withClient(connection, (c) => c.query('SELECT count(*)::int AS n FROM pg_dist_partition'));
    expect(distributedEarly.rows[0]).toEqual({ n: 0 });
    await applyMigrations({ connection, dir: join(dir, 'generated-sql') });
    const loaded = loadManifest(manifest, 'policies.yaml');
    if (!loaded.ok) throw new Error('manifest');
    // Probes run on the workers too, so each role is taken through a login role (NOLOGIN roles cannot connect there).
    await withClient(connection, async (c) => {
      await c.query("DO $$ BEGIN CREATE ROLE crm_probe LOGIN PASSWORD 'probe' IN ROLE crm_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      await c.query("DO $$ BEGIN CREATE ROLE crm_support_probe LOGIN PASSWORD 'probe' IN ROLE crm_support; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    });
    const snapshot = await withClient(connection, introspectDatabase);
    expect(snapshot.citus?.tables.filter((t) => t.method === 'distributed').length).toBe(27);
    expect(lintDatabase(snapshot, { model: loaded.model, rules: RULES.filter((r) => r.id.includes('citus')) })).toEqual([]);
    const proof = await withClient(connection, (client) => verifyIsolation({ model: loaded.model, client, probeRoles: { crm_app: 'crm_probe', crm_support: 'crm_support_probe' } }));
    expect(proof.tables.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.table} ${c.check}: ${c.detail}`))).toEqual([]);
    expect(proof.ok).toBe(true);
    const passed = proof.tables.flatMap((t) => t.checks.filter((c) => c.status === 'pass'));
    expect(passed.length).toBeGreaterThan(27 * 15);
    // The two tenants' rows live on different workers.
    const nodes = await withClient(connection, (c) =>
      c.query<{ port: number }>(
        `SELECT DISTINCT nodeport AS port FROM pg_dist_shard_placement JOIN pg_dist_shard USING (shardid)
          WHERE logicalrelid = 'deals'::regclass AND shardid IN (SELECT get_shard_id_for_distribution_column('deals', t) FROM unnest($1::uuid[]) AS t)`,
        [proof.tenants],
      ),
    );
    expect(nodes.rows.length).toBe(2);
    // The runtime's Citus mode reaches the workers; plain set_config does not (no rows, not a leak).
    const pool = new pg.Pool({ ...connection, user: 'crm_probe', password: 'probe', max: 2 });
    try {
      const sunstone = (await withClient(connection, (c) => c.query<{ id: string }>("SELECT id FROM companies WHERE name = 'Sunstone'"))).rows[0]?.id ?? '';
      const tenants = createTenantPool(pool, { mode: 'citus' });
      const rows = await tenants.withTenant(sunstone, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM deals')).rows[0]);
      expect(rows).toEqual({ n: 96 });
    } finally {
      await pool.end();
    }
  });
});
