/**
 * `npm run bench:online`: the prepare stage applied under application load,
 * beside the seed's hand-written migration under the same load.
 *
 * The seed CRM with `--rows` calls (no company_id yet) and `--rows` contacts
 * (company_id present, 1% legacy NULL rows). `--clients` connections play the
 * not-yet-updated application: inserts without company_id, updates by id,
 * selects by owner. After a baseline, each migration runs under that load:
 *   rlsgen     rlsgen apply --stage prepare (lock_timeout, retries, concurrent
 *              indexes, batched backfill, NOT NULL through a validated CHECK)
 *   seed-002   ADD COLUMN ... REFERENCES, CREATE INDEX, one UPDATE, SET NOT NULL
 * and the application's latency (max, p99) and failures are compared. A last
 * section times the batched backfill against a single UPDATE of the same rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../src/apply/apply-migrations.js';
import { type ConnectionInfo, createDatabase, withClient } from '../src/db/server.js';
import { generateMigrations } from '../src/write/generate-migrations.js';
import { benchServer, CRM_SCHEMA, loadCallRows, loadCrmRows, ms, percentile } from './bench-support.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    rows: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '4' },
    'baseline-seconds': { type: 'string', default: '10' },
    'lock-timeout': { type: 'string', default: '1s' },
  },
});
const ROWS = Number(args.rows);
const CLIENTS = Number(args.clients);
const BASELINE_MS = Number(args['baseline-seconds']) * 1000;
const LOCK_TIMEOUT = args['lock-timeout'] ?? '1s';
const TENANTS = 100;
const USERS = 2000;

const MANIFEST = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: online_app } }
migration: { lock_timeout: ${LOCK_TIMEOUT}, batch_size: 5000 }
tables:
  companies: { mode: exempt, reason: the tenant table, commands: [select] }
  users: { mode: exempt, reason: sign-in, existing_column: uuid, commands: [select] }
  calls:
    backfill: user_id -> users
    foreign_keys: { user_id: users }
  contacts:
    existing_column: uuid
    backfill: owner_id -> users
    foreign_keys: { owner_id: users }
`;

const SEED_STYLE = [
  'ALTER TABLE calls ADD COLUMN IF NOT EXISTS company_id uuid REFERENCES companies(id)',
  'CREATE INDEX IF NOT EXISTS idx_calls_company_id ON calls(company_id)',
  'UPDATE calls c SET company_id = u.company_id FROM users u WHERE c.user_id = u.id AND c.company_id IS NULL',
  'ALTER TABLE calls ALTER COLUMN company_id SET NOT NULL',
  'CREATE INDEX IF NOT EXISTS idx_contacts_company_id ON contacts(company_id)',
  'UPDATE contacts c SET company_id = u.company_id FROM users u WHERE c.owner_id = u.id AND c.company_id IS NULL',
  'ALTER TABLE contacts ALTER COLUMN company_id SET NOT NULL',
];

interface Sample {
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly error?: string;
}

async function prepareDatabase(connection: ConnectionInfo): Promise<void> {
  await withClient(connection, async (c) => {
    await c.query(CRM_SCHEMA);
    await loadCrmRows(c, { tenants: TENANTS, contacts: ROWS, deals: 0 });
    // 1% legacy contacts without company_id, as in the seeds.
    await c.query(`UPDATE contacts SET company_id = NULL WHERE id IN (SELECT id FROM contacts ORDER BY id LIMIT ${Math.floor(ROWS / 100)})`);
    await c.query(`INSERT INTO users (id, company_id, email, password_hash) SELECT md5('user:' || g)::uuid, md5('company:' || (1 + g % ${TENANTS}))::uuid, 'x' || g, 'x' FROM generate_series(${TENANTS * 2 + 1}, ${USERS}) g`);
    await loadCallRows(c, ROWS, USERS);
    await c.query('CREATE INDEX calls_user_created ON calls (user_id, created_at)');
    await c.query('CREATE INDEX contacts_owner ON contacts (owner_id)');
    await c.query('VACUUM ANALYZE');
  });
}

/** The old application: random inserts without company_id, updates by id, selects by owner. */
function startLoad(connection: ConnectionInfo): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  let running = true;
  const clients: pg.Client[] = [];
  let n = 0;
  const loop = async (): Promise<void> => {
    const client = new pg.Client({ ...connection, application_name: 'old application' });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    while (running) {
      const k = n++;
      const user = `md5('user:' || ${1 + (k % USERS)})::uuid`;
      const op = k % 5;
      const sql =
        op === 0 || op === 1
          ? `INSERT INTO calls (user_id, duration_seconds) VALUES (${user}, 1)`
          : op === 2
            ? `INSERT INTO contacts (owner_id, first_name) VALUES (${user}, 'new')`
            : op === 3
              ? `UPDATE calls SET duration_seconds = duration_seconds + 1 WHERE id = md5('call:' || ${1 + ((k * 7919) % ROWS)})::uuid`
              : `SELECT id, duration_seconds FROM calls WHERE user_id = ${user} ORDER BY created_at DESC LIMIT 20`;
      const start = performance.now();
      try {
        await client.query(sql);
        samples.push({ at: start, ms: performance.now() - start, ok: true });
      } catch (error) {
        samples.push({ at: start, ms: performance.now() - start, ok: false, error: (error as Error).message });
      }
    }
  };
  const loops = Array.from({ length: CLIENTS }, loop);
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.allSettled(loops);
      await Promise.allSettled(clients.map((c) => c.end()));
    },
  };
}

interface Phase {
  readonly wallMs: number;
  readonly baseline: readonly Sample[];
  readonly during: readonly Sample[];
  readonly migrationError: string | null;
  readonly backfillRowsPerSecond: number | null;
}

async function underLoad(connection: ConnectionInfo, migrate: () => Promise<number | null>): Promise<Phase> {
  const load = startLoad(connection);
  await new Promise((r) => setTimeout(r, BASELINE_MS));
  const split = performance.now();
  let migrationError: string | null = null;
  let backfillRowsPerSecond: number | null = null;
  try {
    backfillRowsPerSecond = await migrate();
  } catch (error) {
    migrationError = (error as Error).message.split('\n')[0] ?? 'failed';
  }
  const end = performance.now();
  await new Promise((r) => setTimeout(r, 500));
  await load.stop();
  return {
    wallMs: end - split,
    baseline: load.samples.filter((s) => s.at < split),
    during: load.samples.filter((s) => s.at >= split && s.at <= end),
    migrationError,
    backfillRowsPerSecond,
  };
}

function report(name: string, phase: Phase): string[] {
  const lat = (samples: readonly Sample[]) => samples.map((s) => s.ms);
  const failed = phase.during.filter((s) => !s.ok);
  const reasons = [...new Set(failed.map((s) => s.error))].slice(0, 3);
  return [
    `${name}:`,
    `  migration wall time           ${(phase.wallMs / 1000).toFixed(1)} s${phase.migrationError === null ? '' : `  (FAILED: ${phase.migrationError})`}`,
    `  app statements                ${phase.baseline.length} in the baseline, ${phase.during.length} during the migration`,
    `  longest statement             baseline ${ms(maxOf(lat(phase.baseline)))}, during ${ms(maxOf(lat(phase.during)))}`,
    `  p99                           baseline ${ms(percentile(lat(phase.baseline), 99))}, during ${ms(percentile(lat(phase.during), 99))}`,
    `  failed app statements         ${failed.length}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
    ...(phase.backfillRowsPerSecond === null ? [] : [`  backfill                      ${Math.round(phase.backfillRowsPerSecond).toLocaleString('en-US')} rows/s`]),
  ];
}

async function main(): Promise<void> {
  const server = await benchServer(args['database-url']);
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-online-'));
  try {
    writeFileSync(join(work, 'policies.yaml'), MANIFEST);
    const generated = generateMigrations({ manifestPath: join(work, 'policies.yaml'), outDir: join(work, 'generated-sql') });
    if (generated.kind !== 'written') throw new Error(`generate: ${generated.kind}`);
    process.stderr.write(`PostgreSQL ${server.version}: two databases with ${ROWS.toLocaleString('en-US')} calls and contacts each...\n`);
    const ours = await createDatabase(server, `online_rlsgen_${process.pid}`);
    const seed = await createDatabase(server, `online_seed_${process.pid}`);
    await prepareDatabase(ours);
    await prepareDatabase(seed);

    process.stderr.write('rlsgen apply --stage prepare under load...\n');
    const rlsgen = await underLoad(ours, async () => {
      let filled = 0;
      let backfillMs = 0;
      let started = 0;
      await applyMigrations({
        connection: ours,
        dir: join(work, 'generated-sql'),
        stage: 'prepare',
        lockTimeout: LOCK_TIMEOUT,
        onEvent: (e) => {
          if (e.kind === 'backfill' && e.event === 'start') started = performance.now();
          if (e.kind === 'backfill' && e.event === 'done') {
            backfillMs += performance.now() - started;
            filled += e.filled;
          }
        },
      });
      return backfillMs === 0 ? null : filled / (backfillMs / 1000);
    });
    const check = await withClient(ours, async (c) =>
      (await c.query<{ n: string }>('SELECT (SELECT count(*) FROM calls WHERE company_id IS NULL) + (SELECT count(*) FROM contacts WHERE company_id IS NULL) AS n')).rows[0]?.n,
    );

    process.stderr.write('seed-002 style migration under load...\n');
    const seedStyle = await underLoad(seed, async () => {
      await withClient(seed, async (c) => {
        for (const statement of SEED_STYLE) await c.query(statement);
      });
      return null;
    });

    process.stderr.write('backfill throughput, no load...\n');
    const throughput = await withClient(ours, async (c) => {
      await c.query('CREATE TABLE calls_a AS SELECT id, user_id, NULL::uuid AS company_id FROM calls');
      await c.query('ALTER TABLE calls_a ADD PRIMARY KEY (id)');
      await c.query('CREATE TABLE calls_b AS SELECT * FROM calls_a');
      await c.query('ALTER TABLE calls_b ADD PRIMARY KEY (id)');
      await c.query('VACUUM ANALYZE calls_a, calls_b');
      const rows = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM calls_a')).rows[0]?.n);
      let t = performance.now();
      await c.query("CALL rlsgen.backfill('public.calls_a', 'id', 'company_id', '(SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = t.user_id)', 5000, '2s')");
      const batched = performance.now() - t;
      t = performance.now();
      await c.query('UPDATE calls_b AS b SET company_id = u.company_id FROM users AS u WHERE u.id = b.user_id AND b.company_id IS NULL');
      const single = performance.now() - t;
      return { rows, batched, single };
    });

    const lines = [
      '',
      `rlsgen bench:online: ${ROWS.toLocaleString('en-US')} calls (no company_id) and contacts (1% without), ${CLIENTS} application connections,`,
      `PostgreSQL ${server.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, lock_timeout ${LOCK_TIMEOUT}`,
      '',
      ...report('rlsgen (prepare stage)', rlsgen),
      `  rows left without a tenant    ${check}`,
      '',
      ...report('seed-002 style (ADD COLUMN REFERENCES, CREATE INDEX, UPDATE, SET NOT NULL)', seedStyle),
      '',
      `longest application statement: seed-002 style ${ms(maxOf(seedStyle.during.map((s) => s.ms)))} vs rlsgen ${ms(maxOf(rlsgen.during.map((s) => s.ms)))} (${(Math.max(1, maxOf(seedStyle.during.map((s) => s.ms))) / Math.max(1, maxOf(rlsgen.during.map((s) => s.ms)))).toFixed(1)}x)`,
      `target: rlsgen with 0 failed statements and none blocked longer than lock_timeout + 200 ms: ${rlsgen.during.every((s) => s.ok) && maxOf(rlsgen.during.map((s) => s.ms)) <= parseDuration(LOCK_TIMEOUT) + 200 ? 'met' : 'NOT met'}`,
      '',
      `backfill of ${throughput.rows.toLocaleString('en-US')} rows, no load: batched ${(throughput.batched / 1000).toFixed(1)} s (${Math.round(throughput.rows / (throughput.batched / 1000)).toLocaleString('en-US')} rows/s), single UPDATE ${(throughput.single / 1000).toFixed(1)} s (${Math.round(throughput.rows / (throughput.single / 1000)).toLocaleString('en-US')} rows/s): ${(throughput.single / throughput.batched).toFixed(2)}x of the single UPDATE's rate (target at least 0.5x)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}

/** The largest value (spreading 10^5 samples into Math.max overflows the stack). */
function maxOf(values: readonly number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), 0);
}

function parseDuration(text: string): number {
  const match = /^(\d+)\s*(ms|s|min)?$/.exec(text.trim());
  const n = Number(match?.[1] ?? 0);
  return match?.[2] === 'ms' ? n : match?.[2] === 'min' ? n * 60_000 : n * 1000;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
