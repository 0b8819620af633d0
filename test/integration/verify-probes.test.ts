import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { setContextSecret } from '../../src/apply/set-context-secret.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import type { Model } from '../../src/manifest/model.js';
import { type CheckResult, failures, type VerifyResult } from '../../src/verify/result.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { freshDatabase, runSqlFile, type TestServer, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';
import { HAZARDS, type ProbeHazard, type RolloutRoles } from './verify-probes.hazards.js';

/**
 * Each probe fails on the hazard it catches and passes on the rollout it
 * came from: the WhatsApp CRM rolled out once per server (plain context, and
 * signed in a second database), every hazard of verify-probes.hazards.ts
 * applied in the transaction verify runs in, so verify's rollback takes the
 * hazard away with its own rows.
 */
const tag = Math.random().toString(36).slice(2, 8);
const ROLES: RolloutRoles = { app: `wa_app_${tag}`, cross: `wa_admin_${tag}`, spare: `wa_bypass_${tag}` };
const SIGNED_ROLES: RolloutRoles = { ...ROLES, app: `wa_signed_app_${tag}`, cross: `wa_signed_admin_${tag}` };

interface Rollout {
  readonly model: Model;
  readonly connection: ConnectionInfo;
  readonly drop: () => Promise<void>;
}

/** The golden manifest with this run's role names, generated, applied to the CRM schema of test/golden/modes. */
async function rollOut(server: TestServer, golden: 'modes' | 'signed', roles: RolloutRoles): Promise<Rollout> {
  const text = readFileSync(`test/golden/${golden}/policies.yaml`, 'utf8').replace(/app: \{ name: \w+ \}/, `app: { name: ${roles.app} }`).replace(/cross_tenant: \{ name: \w+ \}/, `cross_tenant: { name: ${roles.cross} }`);
  const dir = tempDir(`probes-${golden}`);
  writeFileSync(join(dir, 'policies.yaml'), text);
  const generated = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
  if (generated.kind !== 'written') throw new Error(`generate ${golden}: ${generated.kind}`);
  const db = await freshDatabase(server, `probes_${golden}`);
  await runSqlFile(db.connection, 'test/golden/modes/schema.sql');
  await applyMigrations({ connection: db.connection, dir: join(dir, 'generated-sql') });
  if (golden === 'signed') await setContextSecret(db.connection);
  return { model: generated.model, ...db };
}

/**
 * verify on a connection of its own (the unset-fresh probe needs one that
 * never set the variable), after `sql` in the same transaction.
 */
const verifyAfter = (rollout: Rollout, sql: string): Promise<VerifyResult> =>
  withClient(rollout.connection, async (client) => {
    await client.query('BEGIN');
    try {
      if (sql !== '') await client.query(sql);
      return await verifyIsolation({ model: rollout.model, client });
    } finally {
      await client.query('ROLLBACK');
    }
  });

/** The checks of `probe` made on `on` (a table key, `(roles)`, an object's label). */
function checksOf(result: VerifyResult, on: string, probe: string): CheckResult[] {
  const all = [
    ...result.roleChecks.map((check) => ({ on: '(roles)', check })),
    ...result.tables.flatMap((t) => t.checks.map((check) => ({ on: t.table, check }))),
    ...result.objects.flatMap((o) => o.checks.map((check) => ({ on: o.object, check }))),
  ];
  return all.filter((c) => c.on === on && c.check.check === probe).map((c) => c.check);
}

const failing = (result: VerifyResult, on: string): string[] => [...new Set(failures(result).filter((f) => f.table === on).map((f) => f.check.check))].sort();

describe.each(testServers())('each verify probe fails on its hazard and passes without it, on $label', (server) => {
  /** Each rollout and what verify finds on it untouched. */
  const proven = new Map<ProbeHazard['rollout'], { readonly rollout: Rollout; readonly baseline: VerifyResult }>();
  beforeAll(async () => {
    for (const [kind, golden, roles] of [['plain', 'modes', ROLES], ['signed', 'signed', SIGNED_ROLES]] as const) {
      const rollout = await rollOut(server, golden, roles);
      proven.set(kind, { rollout, baseline: await verifyAfter(rollout, '') });
    }
  });
  afterAll(async () => {
    for (const { rollout } of proven.values()) await rollout.drop();
  });
  const provenOf = (kind: ProbeHazard['rollout']): { rollout: Rollout; baseline: VerifyResult } => {
    const found = proven.get(kind);
    if (found === undefined) throw new Error(`no ${kind} rollout`);
    return found;
  };

  it('the rollouts prove isolation', () => {
    for (const { baseline } of proven.values()) {
      expect(failures(baseline)).toEqual([]);
      expect(baseline.ok).toBe(true);
    }
  });

  it.each(HAZARDS)('$probe fails on $on: $hazard', async (c) => {
    const { rollout, baseline } = provenOf(c.rollout);
    const safe = checksOf(baseline, c.on, c.probe);
    expect(safe.length, `${c.probe} on ${c.on} without the hazard`).toBeGreaterThan(0);
    expect(safe.map((s) => s.status)).toEqual(safe.map(() => 'pass'));
    const result = await verifyAfter(rollout, c.sql(c.rollout === 'plain' ? ROLES : SIGNED_ROLES));
    expect(result.ok).toBe(false);
    expect(failing(result, c.on), JSON.stringify(failures(result))).toEqual([...c.fails].sort());
    if (c.detail !== undefined) expect(checksOf(result, c.on, c.probe).find((f) => f.status === 'fail')?.detail).toMatch(c.detail);
    expect(failures(result).filter((f) => f.table !== c.on && !(c.alsoOn ?? []).includes(f.table))).toEqual([]);
  });

  it("leaves each rollout as it found it: the hazards went with verify's rollback", async () => {
    for (const { rollout } of proven.values()) expect(failures(await verifyAfter(rollout, ''))).toEqual([]);
  });
});
