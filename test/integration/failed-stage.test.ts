import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConnectionInfo, connectionUrl, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { pgDumpFor, schemaDump } from '../helpers/schema-dump.js';
import { comparableSchema, crmDatabase, testServers } from '../helpers/servers.js';

/**
 * A failed enforce stage on inconsistent data: Sunstone's deals use nadan's
 * pipeline (a pipeline the old application shares), so the composite key
 * deals(company_id, pipeline_id) cannot be validated. While the old
 * application keeps inserting and updating such deals, apply fails at that
 * validation, takes the stage back, and the old application's writes keep
 * succeeding; the manifest is fixed (that key stays single-column), a
 * replacing generation is written, and apply completes; rollback to 0 is exact.
 */
const work = mkdtempSync(join(tmpdir(), 'rlsgen-failed-stage-'));
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const SHARED_PIPELINE = `UPDATE public.deals SET pipeline_id = fx_id('pipeline:nadan') WHERE id IN (SELECT fx_id('deal:sunstone:' || g) FROM generate_series(1, 5) g)`;

/** The old application: no tenant variable, Sunstone deals on the shared pipeline, inserted and updated in turn. */
class OldApplication {
  ok = 0;
  failed: string[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(connection: ConnectionInfo, limit: number) {
    const client = new pg.Client({ ...connection, application_name: 'old application' });
    client.on('error', () => undefined);
    this.done = (async () => {
      await client.connect();
      try {
        for (let i = 0; this.running && i < limit; i++) {
          await this.write(client, i);
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    })();
  }

  private async write(client: pg.Client, i: number): Promise<void> {
    try {
      if (i % 2 === 0) {
        await client.query(
          `INSERT INTO public.deals (company_id, owner_id, pipeline_id, contact_id, title, value)
           VALUES (fx_id('company:sunstone'), fx_id('user:sunstone:1'), fx_id('pipeline:nadan'), fx_id('contact:sunstone:1'), $1, 10)`,
          [`old app deal ${i}`],
        );
      } else {
        // Moves a deal between the two pipelines: the key columns change, so every foreign key on them is checked.
        await client.query(
          `UPDATE public.deals SET pipeline_id = CASE WHEN pipeline_id = fx_id('pipeline:nadan') THEN fx_id('pipeline:sunstone') ELSE fx_id('pipeline:nadan') END,
                  value = value + 1
            WHERE id = fx_id('deal:sunstone:' || $1::int)`,
          [1 + (i % 5)],
        );
      }
      this.ok++;
    } catch (error) {
      this.failed.push(`${i}: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

const [server] = testServers();
if (server === undefined) throw new Error('no test server');

describe(`a failed enforce stage on ${server.label}`, () => {
  it('leaves the old application working; fix, generate --replace-enforce and apply complete; rollback to 0 is exact', async () => {
    const db = await crmDatabase(server);
    drops.unshift(db.drop);
    const url = connectionUrl(db.connection);
    await withClient(db.connection, (c) => c.query(SHARED_PIPELINE));
    const found = await pgDumpFor(server);
    const pgDump = 'path' in found ? found.path : null;
    const before = { dump: pgDump === null ? null : await schemaDump(pgDump, db.connection), catalog: comparableSchema(await withClient(db.connection, introspectDatabase)) };

    const manifest = join(work, 'policies.yaml');
    const out = join(work, 'generated-sql');
    writeFileSync(manifest, readFileSync('policies.yaml', 'utf8'));
    expect(runCli(['generate', '-m', manifest, '-o', out]).code).toBe(0);
    const firstGeneration = readdirSync(out).filter((f) => f.endsWith('.sql')).sort();
    const enforce = firstGeneration.filter((f) => readFileSync(join(out, f), 'utf8').includes('"stage":"enforce"'));
    const lastPrepare = firstGeneration.length - enforce.length;

    // The data check sees the crossing deals and refuses to start the rollout; the user goes on anyway.
    expect(runCli(['apply', '-d', out, '-m', manifest, '--stage', 'prepare', '--database-url', url]).code).toBe(1);
    expect(runCli(['apply', '-d', out, '--stage', 'prepare', '--ignore-data-check', '--database-url', url]).code).toBe(0);
    const constraints = (): Promise<string[]> =>
      withClient(db.connection, async (c) => (await c.query<{ n: string }>("SELECT conname AS n FROM pg_constraint WHERE conname LIKE '%tenant_fkey' ORDER BY 1")).rows.map((r) => r.n));
    expect(await constraints()).toEqual([]);

    // The enforce stage, with the old application writing throughout.
    const load = new OldApplication(db.connection, 100_000);
    drops.unshift(() => load.stop());
    await new Promise((r) => setTimeout(r, 200));
    const failed = await runCliAsync(['apply', '-d', out, '--database-url', url], { env: { CI: 'true' } });
    const duringWindow = load.failed.length;
    const okBefore = load.ok;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/\d{4}_validate_composite_foreign_keys_deals\.sql error\[P0001\]: rlsgen: \d+ row\(s\) of public\.deals reference a row of public\.pipelines that belongs to another tenant \(column pipeline_id\)/);
    expect(failed.stderr).toMatch(new RegExp(`and so was the enforce stage: \\d+ applied file\\(s\\) taken back \\(${enforce[0]} \\.\\. \\d{4}_\\w+\\.sql\\); the database is as it was after ${firstGeneration[lastPrepare - 1]}, so the running application works as before`));
    expect(await constraints()).toEqual([]);
    const recorded = async (): Promise<number> => withClient(db.connection, async (c) => Number((await c.query('SELECT count(*) AS n FROM rlsgen.migrations WHERE id > 0')).rows[0]?.n));
    expect(await recorded()).toBe(lastPrepare);

    // Afterwards every write of the old application succeeds.
    await new Promise((r) => setTimeout(r, 1500));
    await load.stop();
    const after = load.failed.slice(duringWindow);
    expect(after).toEqual([]);
    expect(load.ok - okBefore).toBeGreaterThan(20);
    console.log(`old application: ${okBefore} writes before the failure returned (${duringWindow} rejected while the stage ran), ${load.ok - okBefore} after, 0 rejected`);

    // The fix: that key stays single-column (the pipeline is shared); a replacing generation.
    const text = readFileSync(manifest, 'utf8').replace('      pipeline_id: pipelines\n      contact_id: contacts', '      pipeline_id: { references: pipelines, composite: false }\n      contact_id: contacts');
    expect(text).not.toBe(readFileSync(manifest, 'utf8'));
    writeFileSync(manifest, text);
    const regenerated = runCli(['generate', '-m', manifest, '-o', out, '--replace-enforce']);
    expect(regenerated.stderr).toBe('');
    expect(regenerated.code).toBe(0);
    expect(regenerated.stdout).toContain(`replaces    ${enforce.length} enforce-stage migration(s) that never completed (${enforce[0]} .. ${enforce[enforce.length - 1]})`);
    for (const f of firstGeneration) expect(readdirSync(out)).toContain(f);

    const completed = runCli(['apply', '-d', out, '--database-url', url]);
    expect(completed.stderr).toBe('');
    expect(completed.code).toBe(0);
    expect(completed.stdout).toContain(`skipped ${enforce.length} migration(s) never applied here that a later generation replaces (${enforce[0]} .. ${enforce[enforce.length - 1]})`);
    expect(await constraints()).not.toContain('deals_pipeline_id_tenant_fkey');
    expect(await constraints()).toContain('deals_contact_id_tenant_fkey');
    expect(runCli(['apply', '-d', out, '--database-url', url]).stdout).toContain('nothing to apply');

    // Row security is on: the application role sees its tenant's deals only.
    const sunstone = await withClient(db.connection, async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE crm_app');
      await c.query("SELECT set_config('app.company_id', fx_id('company:sunstone')::text, true)");
      const { rows } = await c.query<{ other: number }>("SELECT count(*)::int AS other FROM public.deals WHERE company_id <> fx_id('company:sunstone')");
      await c.query('ROLLBACK');
      return rows[0]?.other;
    });
    expect(sunstone).toBe(0);

    const rollback = runCli(['rollback', '-d', out, '--to', '0', '--database-url', url]);
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    const after0 = { dump: pgDump === null ? null : await schemaDump(pgDump, db.connection), catalog: comparableSchema(await withClient(db.connection, introspectDatabase)) };
    expect(after0).toEqual(before);

    // A database whose data let the replaced stage complete is refused, with the way out, which then works.
    const other = await crmDatabase(server);
    drops.unshift(other.drop);
    const otherUrl = connectionUrl(other.connection);
    const firstOnly = join(work, 'first-generation');
    cpSync(out, firstOnly, { recursive: true, filter: (from) => !/\/\d{4}_[^/]*\.sql$/.test(from) || firstGeneration.some((f) => from.endsWith(`/${f}`) || from.endsWith(`/${f.replace(/\.sql$/, '.down.sql')}`)) });
    expect(runCli(['apply', '-d', firstOnly, '--database-url', otherUrl]).code).toBe(0);
    const refused = runCli(['apply', '-d', out, '--database-url', otherUrl]);
    expect(refused.stderr).toMatch(
      new RegExp(`^error: ${enforce[0]} is applied to this database, but \\d{4}_\\w+\\.sql replaces the enforce stage it belongs to \\(rlsgen generate --replace-enforce, for databases where that stage never completed\\); take that stage back first with rlsgen rollback --to ${lastPrepare}, then apply\\n$`),
    );
    expect(refused.code).toBe(2);
    expect(runCli(['rollback', '-d', out, '--to', String(lastPrepare), '--database-url', otherUrl]).code).toBe(0);
    const redone = runCli(['apply', '-d', out, '--database-url', otherUrl]);
    expect(redone.stderr).toBe('');
    expect(redone.code).toBe(0);
  });
});
