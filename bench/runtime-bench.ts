/**
 * `npm run bench`: what the generated policies cost at query time.
 *
 * The seed CRM with 1,000,000 contacts over 1,000 companies (`--contacts`,
 * `--tenants`). Each typical query runs through the same pool in the same
 * transaction shape (BEGIN; SET LOCAL ROLE; set the tenant; the query;
 * ROLLBACK) under five regimes, interleaved in one run:
 *   baseline   a BYPASSRLS role with a hand-written WHERE company_id = $1
 *   generated  the application role with rlsgen's policies, no WHERE
 *   signed     rlsgen's signed-context policies (HMAC verified per statement)
 *   naive-fn   a policy calling a plpgsql function per row
 *   naive-sub  a policy looking up the user's company in users
 * and the query's own time is compared, median against baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../src/apply/apply-migrations.js';
import { setContextSecret } from '../src/apply/set-context-secret.js';
import { createDatabase, withClient } from '../src/db/server.js';
import type { Model } from '../src/manifest/model.js';
import { planSettings, planTables } from '../src/plan/plan-tenancy.js';
import { createPolicy, policiesFor } from '../src/render/sql-fragments.js';
import { renderPlan } from '../src/render/render-plan.js';
import { createTemplateEnv } from '../src/render/template-env.js';
import { signTenantToken } from '../src/runtime/signed-token.js';
import { generateMigrations } from '../src/write/generate-migrations.js';
import { readTemplates } from '../src/write/read-templates.js';
import { benchServer, CRM_SCHEMA, loadCrmRows, median, ms, uuidOf } from './bench-support.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    contacts: { type: 'string', default: '1000000' },
    tenants: { type: 'string', default: '1000' },
    iterations: { type: 'string', default: '400' },
  },
});
const CONTACTS = Number(args.contacts);
const TENANTS = Number(args.tenants);
const ITERATIONS = Number(args.iterations);

type Regime = 'baseline' | 'generated' | 'signed' | 'naive-fn' | 'naive-sub';
const REGIMES: readonly Regime[] = ['baseline', 'generated', 'signed', 'naive-fn', 'naive-sub'];
const ROLE: Record<Regime, string> = {
  baseline: 'bench_baseline',
  generated: 'crm_app',
  signed: 'bench_signed',
  'naive-fn': 'bench_naive_fn',
  'naive-sub': 'bench_naive_sub',
};

interface Query {
  readonly name: string;
  /** SQL with the tenant filter ($1) for the baseline, and without it for the policy regimes. */
  readonly baseline: string;
  readonly scoped: string;
  /** Extra parameters after the tenant ($2...). */
  params(tenant: number): unknown[];
}

const company = (t: number): string => uuidOf(`company:${t}`);
const userOf = (t: number): string => uuidOf(`user:${t}`);

const QUERIES: readonly Query[] = [
  {
    name: 'latest 50 contacts',
    baseline: 'SELECT id, first_name, last_name FROM contacts WHERE company_id = $1 ORDER BY created_at DESC LIMIT 50',
    scoped: 'SELECT id, first_name, last_name FROM contacts ORDER BY created_at DESC LIMIT 50',
    params: () => [],
  },
  {
    name: 'contact by id',
    baseline: "SELECT * FROM contacts WHERE company_id = $1 AND id = md5('contact:' || $2)::uuid",
    scoped: "SELECT * FROM contacts WHERE id = md5('contact:' || $1)::uuid",
    params: (t) => [String(t + TENANTS * 3)],
  },
  {
    name: 'count with a filter',
    baseline: "SELECT count(*) FROM contacts WHERE company_id = $1 AND first_name LIKE 'First1%'",
    scoped: "SELECT count(*) FROM contacts WHERE first_name LIKE 'First1%'",
    params: () => [],
  },
  {
    name: 'contacts-deals join',
    baseline:
      'SELECT c.last_name, d.title, d.value FROM deals AS d JOIN contacts AS c ON c.id = d.contact_id WHERE d.company_id = $1 AND c.company_id = $1 ORDER BY d.created_at DESC LIMIT 20',
    scoped: 'SELECT c.last_name, d.title, d.value FROM deals AS d JOIN contacts AS c ON c.id = d.contact_id ORDER BY d.created_at DESC LIMIT 20',
    params: () => [],
  },
  {
    name: 'insert a contact',
    baseline: "INSERT INTO contacts (company_id, first_name) VALUES ($1, 'bench')",
    scoped: "INSERT INTO contacts (company_id, first_name) VALUES ($1, 'bench')",
    params: () => [],
  },
];

async function main(): Promise<void> {
  const server = await benchServer(args['database-url']);
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-bench-'));
  try {
    process.stderr.write(`PostgreSQL ${server.version}: loading ${CONTACTS.toLocaleString('en-US')} contacts over ${TENANTS} companies...\n`);
    const connection = await createDatabase(server, `rlsgen_bench_${process.pid}`);
    const generated = generateMigrations({ manifestPath: 'policies.yaml', outDir: join(work, 'generated-sql') });
    if (generated.kind !== 'written') throw new Error(`generate: ${generated.kind}`);
    const model = generated.model;
    await withClient(connection, (c) => c.query(CRM_SCHEMA));
    await applyMigrations({ connection, dir: join(work, 'generated-sql') });
    await withClient(connection, async (c) => {
      await loadCrmRows(c, { tenants: TENANTS, contacts: CONTACTS, deals: Math.floor(CONTACTS / 5) });
      // Both sides get the index a "latest contacts" page needs.
      await c.query('CREATE INDEX contacts_company_created ON contacts (company_id, created_at)');
      await c.query('CREATE INDEX deals_company_created ON deals (company_id, created_at)');
      await c.query('VACUUM ANALYZE');
      // Regimes beside the generated policies: each is a role with policies of its own.
      await c.query('CREATE ROLE bench_baseline NOLOGIN BYPASSRLS');
      await c.query('CREATE ROLE bench_naive_fn NOLOGIN');
      await c.query('CREATE ROLE bench_naive_sub NOLOGIN');
      for (const role of ['bench_baseline', 'bench_naive_fn', 'bench_naive_sub']) {
        await c.query(`GRANT SELECT, INSERT ON contacts, deals, users TO ${role}`);
      }
      await c.query(`CREATE FUNCTION bench_company() RETURNS uuid LANGUAGE plpgsql AS $$ BEGIN RETURN current_setting('app.company_id')::uuid; END $$`);
      // users has row security of its own now: the naive sub-select regime reads it through a policy of its own.
      await c.query('CREATE POLICY bench_naive_users ON users FOR SELECT TO bench_naive_sub USING (true)');
      for (const table of ['contacts', 'deals']) {
        await c.query(`CREATE POLICY naive_fn ON ${table} FOR ALL TO bench_naive_fn USING (company_id = bench_company())`);
        await c.query(
          `CREATE POLICY naive_sub ON ${table} FOR ALL TO bench_naive_sub USING (company_id IN (SELECT u.company_id FROM users AS u WHERE u.id = current_setting('app.user_id')::uuid))`,
        );
      }
      // The signed regime: rlsgen's own bootstrap and policies, for a signed model.
      const signedModel: Model = { ...model, context: 'signed', roles: { ...model.roles, app: { name: 'bench_signed', create: true, idleInTransactionSessionTimeout: null }, crossTenant: null } };
      const settings = planSettings(signedModel);
      const [bootstrap] = renderPlan(
        { settings, steps: [{ stage: 'prepare', transactional: true, slug: 'bootstrap', step: { kind: 'bootstrap', schemas: ['public'] } }], uniqueTenantIndexes: [] },
        createTemplateEnv(readTemplates(null)),
        1,
      );
      await c.query('BEGIN');
      await c.query(bootstrap?.up ?? '');
      await c.query('COMMIT');
      const tables = planTables(signedModel);
      for (const name of ['public.contacts', 'public.deals']) {
        const table = tables.get(name);
        if (table === undefined) continue;
        for (const policy of policiesFor(table, settings)) await c.query(createPolicy(table, { ...policy, name: `signed_${policy.name}` }));
        await c.query(`GRANT SELECT, INSERT ON ${name} TO bench_signed`);
      }
    });
    const secret = await setContextSecret(connection);

    const pool = new pg.Pool({ ...connection, max: 1 });
    const client = await pool.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    const times = new Map<string, number[]>();
    const wholes = new Map<string, number[]>();
    const runOnce = async (query: Query, regime: Regime, t: number, record: boolean): Promise<void> => {
      const key = `${query.name}|${regime}`;
      const id = company(t);
      const start = process.hrtime.bigint();
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${ROLE[regime]}`);
      const value = regime === 'signed' ? signTenantToken(Buffer.from(secret, 'hex'), { tenant: id, expires: Math.floor(Date.now() / 1000) + 600, backendPid: pid }) : id;
      await client.query('SELECT set_config($1, $2, true), set_config($3, $4, true)', ['app.company_id', value, 'app.user_id', userOf(t)]);
      const params = regime === 'baseline' || query.name === 'insert a contact' ? [id, ...query.params(t)] : query.params(t);
      const q0 = process.hrtime.bigint();
      await client.query(regime === 'baseline' ? query.baseline : query.scoped, params);
      const q1 = process.hrtime.bigint();
      await client.query('ROLLBACK');
      const end = process.hrtime.bigint();
      if (!record) return;
      times.set(key, [...(times.get(key) ?? []), Number(q1 - q0) / 1e6]);
      wholes.set(key, [...(wholes.get(key) ?? []), Number(end - start) / 1e6]);
    };
    process.stderr.write('measuring...\n');
    // Every iteration runs each regime once, for the same tenant, in a
    // shuffled order, so drift and caching hit all regimes alike. The naive
    // per-row function scans the whole table: it runs one iteration in 25.
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = -20; i < ITERATIONS; i++) {
      const t = 1 + ((i + 20) * 13) % TENANTS;
      for (const query of QUERIES) {
        const order = REGIMES.filter((r) => (r !== 'naive-fn' || i % 25 === 0) && (r !== 'naive-sub' || i % 5 === 0)).sort(() => random() - 0.5);
        for (const regime of order) await runOnce(query, regime, t, i >= 0);
      }
    }
    client.release();
    await pool.end();

    const rows: string[][] = [['query', ...REGIMES.map((r) => `${r} (ratio)`)]];
    for (const query of QUERIES) {
      const base = median(times.get(`${query.name}|baseline`) ?? []);
      rows.push([
        query.name,
        ...REGIMES.map((r) => {
          const m = median(times.get(`${query.name}|${r}`) ?? []);
          return r === 'baseline' ? ms(m) : `${ms(m)} (${(m / base).toFixed(2)}x)`;
        }),
      ]);
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    console.log(`\nrlsgen bench: ${CONTACTS.toLocaleString('en-US')} contacts, ${TENANTS} companies, PostgreSQL ${server.version}, median query time, ratio to baseline`);
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
    const wholeBase = median(QUERIES.flatMap((q) => wholes.get(`${q.name}|baseline`) ?? []));
    const wholeGen = median(QUERIES.flatMap((q) => wholes.get(`${q.name}|generated`) ?? []));
    const wholeSigned = median(QUERIES.flatMap((q) => wholes.get(`${q.name}|signed`) ?? []));
    console.log(`\nwhole transaction (BEGIN, role, set_config, query, ROLLBACK), median over all queries: baseline ${ms(wholeBase)}, generated ${ms(wholeGen)}, signed ${ms(wholeSigned)} (+1 round trip for pg_backend_pid() in the runtime, not included)`);
    const worst = Math.max(...QUERIES.map((q) => median(times.get(`${q.name}|generated`) ?? []) / median(times.get(`${q.name}|baseline`) ?? [1])));
    console.log(`target: generated policies within 1.05x of the hand-written filter on every query; worst ${worst.toFixed(2)}x: ${worst <= 1.05 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
