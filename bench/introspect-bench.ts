/**
 * `npm run bench:introspect`: init, lint + prove and audit on a database of
 * 300 tables (`--tables`), each with rows, foreign keys and a mix of tables
 * that have the tenant column (with row-level security and policies, a
 * quarter of them hand-written and each different, so that the prover cannot
 * reuse one table's proof for another), reach it through a parent, or do not.
 * Target: each under 5 s.
 */
import { parseArgs } from 'node:util';
import { auditDatabase } from '../src/audit/audit-database.js';
import { createDatabase, withClient } from '../src/db/server.js';
import { initManifest } from '../src/init/init-manifest.js';
import { introspectDatabase } from '../src/introspect/introspect-database.js';
import { lintDatabase } from '../src/lint/lint-database.js';
import { RULES } from '../src/lint/registry.js';
import { loadManifest } from '../src/manifest/load-manifest.js';
import { provePolicies } from '../src/prove/prove-policies.js';
import { benchServer } from './bench-support.js';

const { values: args } = parseArgs({ options: { 'database-url': { type: 'string' }, tables: { type: 'string', default: '300' }, rows: { type: 'string', default: '200' } } });
const TABLES = Number(args.tables);
const ROWS = Number(args.rows);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(36)} ${seconds.toFixed(2)} s  ${seconds < 5 ? 'under 5 s' : 'OVER 5 s'}`);
  return { value, seconds };
}

const TENANT = "NULLIF(current_setting('app.company_id', true), '')::uuid";

/** Row security on a tenant table: rlsgen's four policies, or (every fourth table) a hand-written set that differs per table. */
function policies(table: string, i: number): string[] {
  const on = [`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`, `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`, `GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO bench_app`];
  if (i % 4 !== 0) {
    return [
      ...on,
      `CREATE POLICY rlsgen_tenant_select ON ${table} FOR SELECT TO bench_app USING (company_id = ${TENANT})`,
      `CREATE POLICY rlsgen_tenant_insert ON ${table} FOR INSERT TO bench_app WITH CHECK (company_id = ${TENANT})`,
      `CREATE POLICY rlsgen_tenant_update ON ${table} FOR UPDATE TO bench_app USING (company_id = ${TENANT}) WITH CHECK (company_id = ${TENANT})`,
      `CREATE POLICY rlsgen_tenant_delete ON ${table} FOR DELETE TO bench_app USING (company_id = ${TENANT})`,
    ];
  }
  return [
    ...on,
    `CREATE POLICY rw ON ${table} FOR ALL TO bench_app USING (company_id = ${TENANT} OR note = 'shared ${i}') WITH CHECK (company_id = ${TENANT} AND note <> 'locked ${i}')`,
    `CREATE POLICY fence ON ${table} AS RESTRICTIVE FOR SELECT TO bench_app USING (owner_id IS NOT NULL OR note LIKE 'public ${i}%')`,
  ];
}

async function main(): Promise<void> {
  const server = await benchServer(args['database-url']);
  try {
    const connection = await createDatabase(server, `rlsgen_bench_${process.pid}`);
    process.stderr.write(`PostgreSQL ${server.version}: creating ${TABLES} tables with ${ROWS} rows each...\n`);
    await withClient(connection, async (c) => {
      const statements = [
        "DO $$ BEGIN CREATE ROLE bench_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        'CREATE TABLE companies (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL)',
        `INSERT INTO companies (name) SELECT 'c' || g FROM generate_series(1, 50) g`,
        'CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), company_id uuid REFERENCES companies (id), email text)',
        `INSERT INTO users (company_id, email) SELECT (SELECT id FROM companies ORDER BY id OFFSET g % 50 LIMIT 1), 'u' || g FROM generate_series(1, 500) g`,
      ];
      for (let i = 1; i <= TABLES - 2; i++) {
        const kind = i % 3;
        const parent = i > 3 ? `t${i - 3}` : 'users';
        if (kind === 0) {
          statements.push(`CREATE TABLE t${i} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), company_id uuid REFERENCES companies (id), owner_id uuid REFERENCES users (id), note text)`);
          statements.push(`INSERT INTO t${i} (company_id, owner_id, note) SELECT u.company_id, u.id, 'n' FROM users u, generate_series(1, ${Math.ceil(ROWS / 500)}) LIMIT ${ROWS}`);
          statements.push(...policies(`t${i}`, i));
        } else if (kind === 1) {
          statements.push(`CREATE TABLE t${i} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), parent_id uuid REFERENCES ${parent} (id), note text)`);
          statements.push(`INSERT INTO t${i} (parent_id, note) SELECT id, 'n' FROM ${parent} LIMIT ${ROWS}`);
        } else {
          statements.push(`CREATE TABLE t${i} (id bigserial PRIMARY KEY, label text UNIQUE)`);
          statements.push(`INSERT INTO t${i} (label) SELECT 'l' || g FROM generate_series(1, ${ROWS}) g`);
        }
      }
      await c.query(statements.join(';\n'));
      await c.query('ANALYZE');
    });
    console.log(`\nrlsgen bench:introspect: ${TABLES} tables, ${ROWS} rows each, PostgreSQL ${server.version}`);
    const init = await timed('init (introspect, propose, count)', () =>
      withClient(connection, (c) => initManifest(c, { tenantTable: 'companies', tenantColumn: 'company_id', appRole: 'bench_app', crossRole: 'bench_support' })),
    );
    const loaded = loadManifest(init.value, 'policies.yaml');
    if (!loaded.ok) throw new Error('the proposed manifest does not validate');
    const lint = await timed(`lint + prove (introspect, ${RULES.length} rules)`, async () => {
      const snapshot = await withClient(connection, introspectDatabase);
      return { findings: lintDatabase(snapshot, { model: loaded.model }), proof: provePolicies(snapshot, { model: loaded.model, appRole: 'bench_app' }) };
    });
    await timed('audit (one query per table and key)', () => withClient(connection, (c) => auditDatabase(c, { model: loaded.model })));
    const verdicts = (v: string): number => lint.value.proof.tables.filter((t) => t.verdict === v).length;
    console.log(`(${loaded.model.tables.length} tables in the proposal, ${lint.value.findings.length} lint findings; prove: ${verdicts('PROVEN')} proven, ${verdicts('LEAK')} leak, ${verdicts('UNVERIFIED')} unverified)`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
