/**
 * `npm run bench:online [-- --rows 1000000,5000000]`: the prepare stage of
 * rlsgen's generated migration against a careful hand-written online
 * migration doing the same work (bench/hand-migration.sql), side by side in
 * one run, under the load of the not-yet-updated application.
 *
 * For each row count: the seed CRM with that many calls (no company_id) and
 * contacts (company_id present, 1% NULL), loaded once into a template
 * database and copied for every run. Writers and readers of the old
 * application (bench/online-load.ts) run at a fixed rate through each
 * migration; the table reports, per migration, its wall time, the backfill's
 * rows/s, and the application's longest statement (the stall), p99,
 * statements of 100 ms or more, and failed statements. A third run, with no
 * migration, writes WAL as fast as rlsgen's prepare did, for as long
 * (bench/write-floor.ts): the stall the disk alone gives the application at
 * that write rate, which no migration writing as much can go below.
 *
 * At the first row count, two more measurements:
 *   - the backfill alone, without load, on identical copies of calls:
 *     rlsgen.backfill against the hand-written loop, and against the same loop
 *     with the tenant foreign key already in place (the order rlsgen used to
 *     generate), alternated over --rounds rounds (0 skips it);
 *   - rlsgen prepare with a long-running reader: a report query holding ACCESS
 *     SHARE on calls for --reader-seconds, during the first DDL step and again
 *     during the constraint steps after the backfill. lock_timeout and retry
 *     must keep every application statement under lock_timeout + 200 ms.
 *
 * Row counts from --rows or RLSGEN_BENCH_ROWS (comma-separated). The server:
 * embedded PostgreSQL, --pg-bin /usr/lib/postgresql/15/bin for installed
 * binaries, or --database-url. A server the bench starts runs with fsync on
 * (THROWAWAY_DEFAULTS), and --server-setting name=value tunes it further.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations, type ApplyEvent } from '../src/apply/apply-migrations.js';
import { type ConnectionInfo, connectionFor, dropDatabase, type ServerHandle, withClient } from '../src/db/server.js';
import { durationMilliseconds } from '../src/sql/interval.js';
import { quoteIdent, quoteLiteral } from '../src/sql/quote.js';
import { generateMigrations } from '../src/write/generate-migrations.js';
import { benchServer, CRM_SCHEMA, loadCallRows, loadCrmRows, median, walBytesSince, walPosition } from './bench-support.js';
import { readHandSteps, runHandMigration } from './hand-migration.js';
import { type LatencySummary, type Sample, startLoad, summarize } from './online-load.js';
import { attributeStalls, startStallMonitor } from './stall-monitor.js';
import { writeAtRate } from './write-floor.js';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'pg-bin': { type: 'string' },
    rows: { type: 'string', default: process.env['RLSGEN_BENCH_ROWS'] ?? '1000000' },
    writers: { type: 'string', default: '4' },
    readers: { type: 'string', default: '2' },
    rate: { type: 'string', default: '60' },
    'batch-size': { type: 'string', default: '2000' },
    // A pause after each batch, for both migrations (rlsgen's migration.batch_pause).
    'batch-pause': { type: 'string', default: '0ms' },
    'lock-timeout': { type: 'string', default: '1s' },
    'baseline-seconds': { type: 'string', default: '10' },
    'reader-seconds': { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    'no-long-reader': { type: 'boolean', default: false },
    // name=value, repeatable: set on the throwaway server the bench starts (ALTER SYSTEM, reload), as a DBA tunes one for a rollout.
    'server-setting': { type: 'string', multiple: true, default: [] },
  },
});
const ROW_COUNTS = (args.rows ?? '').split(',').map((r) => Number(r.replaceAll('_', '').trim()));
if (ROW_COUNTS.length === 0 || ROW_COUNTS.some((n) => !Number.isSafeInteger(n) || n < 10_000)) {
  throw new Error(`--rows takes row counts of at least 10000, comma-separated (got ${JSON.stringify(args.rows)})`);
}
const SHAPE = { writers: Number(args.writers), readers: Number(args.readers), rate: Number(args.rate), users: 2000 };
const BATCH = Number(args['batch-size']);
const BATCH_PAUSE = args['batch-pause'] ?? '0ms';
const BATCH_PAUSE_MS = durationMilliseconds(BATCH_PAUSE) ?? Number.NaN;
if (Number.isNaN(BATCH_PAUSE_MS)) throw new Error(`--batch-pause takes a duration such as 20ms (got ${JSON.stringify(BATCH_PAUSE)})`);
const LOCK_TIMEOUT = args['lock-timeout'] ?? '1s';
const BASELINE_MS = Number(args['baseline-seconds']) * 1000;
const READER_SECONDS = Number(args['reader-seconds']);
const ROUNDS = Number(args.rounds);
const TENANTS = 100;
const SERVER_SETTINGS = (args['server-setting'] ?? []).map((pair) => {
  const match = /^([a-z_][a-z0-9_.]*)=(.+)$/.exec(pair);
  if (match === null) throw new Error(`--server-setting takes name=value, such as max_wal_size=16GB (got ${JSON.stringify(pair)})`);
  return { name: match[1] ?? '', value: match[2] ?? '' };
});

/**
 * The throwaway server runs with fsync on, as every production server does,
 * unless --server-setting fsync=off asks otherwise. The project's servers from
 * installed binaries start with fsync off, for the tests' speed; with it off
 * PostgreSQL never asks the kernel to write its files (no WAL flush at commit,
 * and backend, bgwriter and checkpoint flush_after do nothing), so a backfill's
 * WAL and pages pile up as dirty page cache, gigabytes at 5M rows, and the
 * kernel writes them in bursts once they are 30 s old (vm.dirty_expire), which
 * stalls the application's writes in a way a production server does not.
 */
const THROWAWAY_DEFAULTS = [{ name: 'fsync', value: 'on' }];

/** --server-setting on the throwaway server (never on a server of yours: --database-url). Reload-time settings only. */
async function applyServerSettings(server: ServerHandle): Promise<void> {
  if (!server.throwaway) {
    if (SERVER_SETTINGS.length > 0) throw new Error('--server-setting changes the server: it is for the throwaway server the bench starts, not --database-url');
    return;
  }
  const settings = [...THROWAWAY_DEFAULTS.filter((d) => !SERVER_SETTINGS.some((s) => s.name === d.name)), ...SERVER_SETTINGS];
  await withClient(server.connection, async (c) => {
    for (const { name, value } of settings) {
      const { rows } = await c.query<{ context: string }>('SELECT context FROM pg_settings WHERE name = $1', [name]);
      const context = rows[0]?.context;
      if (context === undefined) throw new Error(`--server-setting ${name}: no such setting`);
      if (context === 'postmaster') throw new Error(`--server-setting ${name}: takes a server restart, which the bench does not do`);
      await c.query(`ALTER SYSTEM SET ${quoteIdent(name)} = ${quoteLiteral(value)}`);
    }
    await c.query('SELECT pg_reload_conf()');
  });
}

const MANIFEST = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: online_app } }
migration: { lock_timeout: ${LOCK_TIMEOUT}, batch_size: ${BATCH}, batch_pause: ${BATCH_PAUSE} }
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

/** The seed CRM with `rows` calls and contacts, foreign-key checks skipped while loading where the role may. */
async function loadTemplate(connection: ConnectionInfo, rows: number): Promise<void> {
  await withClient(connection, async (c) => {
    await c.query(CRM_SCHEMA);
    await c.query('SET session_replication_role = replica').catch(() => undefined);
    await loadCrmRows(c, { tenants: TENANTS, contacts: rows, deals: 0 });
    await c.query(`UPDATE contacts SET company_id = NULL WHERE id IN (SELECT id FROM contacts ORDER BY id LIMIT ${Math.floor(rows / 100)})`);
    await c.query(
      `INSERT INTO users (id, company_id, email, password_hash) SELECT md5('user:' || g)::uuid, md5('company:' || (1 + g % ${TENANTS}))::uuid, 'x' || g, 'x' FROM generate_series(${TENANTS * 2 + 1}, ${SHAPE.users}) g`,
    );
    await loadCallRows(c, rows, SHAPE.users);
    await c.query('RESET session_replication_role');
    await c.query('CREATE INDEX calls_user_created ON calls (user_id, created_at)');
    await c.query('CREATE INDEX contacts_owner ON contacts (owner_id)');
    await c.query('VACUUM (ANALYZE)');
    await c.query('CHECKPOINT').catch(() => undefined);
  });
}

/** A fresh copy of the template database (a file copy where the server can: PostgreSQL 15+). */
async function cloneOf(server: ServerHandle, template: string, name: string): Promise<ConnectionInfo> {
  const strategy = server.versionNum >= 150_000 ? ' STRATEGY FILE_COPY' : '';
  await withClient(server.connection, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}${strategy}`));
  return connectionFor(server, name);
}

/** What the migration was doing from `at` on (a file, a step). */
interface Phase {
  readonly name: string;
  readonly at: number;
}

interface Migration {
  readonly backfillRows: number;
  readonly backfillMs: number;
  readonly retries: number;
  readonly phases: readonly Phase[];
}

interface Run extends Migration {
  readonly wallMs: number;
  readonly baseline: LatencySummary;
  readonly during: LatencySummary;
  readonly error: string | null;
  readonly leftWithoutTenant: number;
  /** What the server was doing during the application's long statements (bench/stall-monitor.ts). */
  readonly stalls: string;
  /** Checkpoints the server made during the migration: timed, requested (WAL past max_wal_size). */
  readonly checkpoints: { readonly timed: number; readonly requested: number };
  /** The application's statements of 100 ms or more during the migration. */
  readonly long: readonly Sample[];
  readonly endedAt: number;
  /** WAL the server wrote during the migration (the application's included). */
  readonly walBytes: number;
}

// PostgreSQL 17 moved the checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer.
const CHECKPOINTS = 'SELECT checkpoints_timed AS timed, checkpoints_req AS requested FROM pg_stat_bgwriter';
const CHECKPOINTS_17 = 'SELECT num_timed AS timed, num_requested AS requested FROM pg_stat_checkpointer';

async function checkpointCounts(connection: ConnectionInfo, versionNum: number): Promise<{ timed: number; requested: number }> {
  const sql = versionNum >= 170_000 ? CHECKPOINTS_17 : CHECKPOINTS;
  const row = await withClient(connection, async (c) => (await c.query<{ timed: string; requested: string }>(sql)).rows[0]);
  return { timed: Number(row?.timed ?? 0), requested: Number(row?.requested ?? 0) };
}

/** The old application runs for the baseline, then through `migrate`; its statements are split at the migration's start. */
async function underLoad(connection: ConnectionInfo, versionNum: number, rows: number, migrate: () => Promise<Migration>): Promise<Run> {
  const load = startLoad(connection, { ...SHAPE, rows });
  let monitor: ReturnType<typeof startStallMonitor> | null = null;
  try {
    await new Promise((r) => setTimeout(r, BASELINE_MS));
    monitor = startStallMonitor(connection);
    const checkpointsBefore = await checkpointCounts(connection, versionNum);
    const walStart = await withClient(connection, walPosition);
    const start = performance.now();
    let error: string | null = null;
    let result: Migration = { backfillRows: 0, backfillMs: 0, retries: 0, phases: [] };
    try {
      result = await migrate();
    } catch (e) {
      error = (e as Error).message.split('\n')[0] ?? 'failed';
    }
    const end = performance.now();
    const walBytes = await withClient(connection, (c) => walBytesSince(c, walStart));
    const checkpointsAfter = await checkpointCounts(connection, versionNum);
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();
    const snapshots = await monitor.stop();
    // Rows the migration left without a tenant (none to count where nothing added the column to calls).
    const left = await withClient(connection, async (c) => {
      const added = (await c.query("SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = 'calls'::regclass AND attname = 'company_id' AND NOT attisdropped")).rowCount ?? 0;
      if (added === 0) return 0;
      return Number((await c.query<{ n: string }>('SELECT (SELECT count(*) FROM calls WHERE company_id IS NULL) + (SELECT count(*) FROM contacts WHERE company_id IS NULL) AS n')).rows[0]?.n);
    });
    const within = (s: Sample): boolean => s.at >= start && s.at <= end;
    return {
      ...result,
      wallMs: end - start,
      baseline: summarize(load.samples.filter((s) => s.at < start)),
      during: summarize(load.samples.filter(within)),
      error,
      leftWithoutTenant: left,
      stalls: attributeStalls(load.samples.filter(within), snapshots),
      checkpoints: { timed: checkpointsAfter.timed - checkpointsBefore.timed, requested: checkpointsAfter.requested - checkpointsBefore.requested },
      long: load.samples.filter((s) => within(s) && s.ms >= 100),
      endedAt: end,
      walBytes,
    };
  } finally {
    // Stopping twice is harmless; on a failure above, the load's clients would keep the bench from exiting.
    await load.stop().catch(() => undefined);
    await monitor?.stop();
  }
}

/** Holds ACCESS SHARE on calls for `seconds`, as a long report would; resolves once the lock is held. */
async function longReader(connection: ConnectionInfo, seconds: number): Promise<{ finished: Promise<void> }> {
  const reader = new pg.Client({ ...connection, application_name: 'long report' });
  reader.on('error', () => undefined);
  await reader.connect();
  const pid = (await reader.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const finished = reader
    .query('SELECT pg_sleep($1) FROM calls LIMIT 1', [seconds])
    .then(() => undefined, () => undefined)
    .finally(() => reader.end().catch(() => undefined));
  await withClient(connection, async (c) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await c.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND relation = 'calls'::regclass AND granted", [pid]);
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  return { finished };
}

/** rlsgen apply --stage prepare; `readers` starts the long reader before it and once more before the constraint steps. */
function rlsgenPrepare(connection: ConnectionInfo, dir: string, readers: boolean): () => Promise<Migration> {
  return async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    const firstConstraint = files.findIndex((f) => f.includes('_require_tenant_'));
    const beforeConstraints = files[firstConstraint - 1];
    const pending: Promise<unknown>[] = [];
    if (readers) pending.push((await longReader(connection, READER_SECONDS)).finished);
    let backfillRows = 0;
    let backfillMs = 0;
    let started = 0;
    let retries = 0;
    const phases: Phase[] = [];
    const onEvent = (e: ApplyEvent): void => {
      if (e.kind === 'file-start') phases.push({ name: e.file.fileName, at: performance.now() });
      if (e.kind === 'retry') phases.push({ name: `${e.file.fileName} (waiting ${e.delayMs} ms to retry)`, at: performance.now() });
      if (e.kind === 'waiting-for-table') phases.push({ name: `${e.file.fileName} (waiting for ${e.holders.length} long transaction(s) on ${e.table})`, at: performance.now() });
      if (e.kind === 'backfill' && e.event === 'start') {
        started = performance.now();
        // Before it, the file's pass over the keys that finds the batch ends.
        phases.push({ name: `${phases.at(-1)?.name ?? 'backfill'}, its batches`, at: started });
      }
      if (e.kind === 'backfill' && e.event === 'done') {
        backfillMs += performance.now() - started;
        backfillRows += e.total;
      }
      if (e.kind === 'retry') retries++;
      if (readers && e.kind === 'file-done' && e.file.fileName === beforeConstraints) pending.push(longReader(connection, READER_SECONDS).then((r) => r.finished));
    };
    await applyMigrations({ connection, dir, stage: 'prepare', lockTimeout: LOCK_TIMEOUT, onEvent });
    await Promise.all(pending);
    return { backfillRows, backfillMs, retries, phases };
  };
}

function handScript(connection: ConnectionInfo): () => Promise<Migration> {
  return async () => {
    const rows = await withClient(connection, async (c) =>
      Number((await c.query<{ n: string }>('SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM contacts) AS n')).rows[0]?.n),
    );
    const run = await runHandMigration(connection, { lockTimeout: LOCK_TIMEOUT, batchSize: BATCH, batchPauseMs: BATCH_PAUSE_MS });
    const backfillMs = run.steps.filter((s) => s.name.endsWith(': backfill')).reduce((a, s) => a + s.ms, 0);
    return { backfillRows: rows, backfillMs, retries: run.retries, phases: run.steps.map((s) => ({ name: s.name, at: s.at })) };
  };
}

/** No migration: WAL-logged inserts into a table of their own at `bytesPerSecond` for `durationMs` (bench/write-floor.ts). */
function writeFloor(connection: ConnectionInfo, bytesPerSecond: number, durationMs: number): () => Promise<Migration> {
  return async () => {
    const at = performance.now();
    await writeAtRate(connection, bytesPerSecond, durationMs);
    return { backfillRows: 0, backfillMs: 0, retries: 0, phases: [{ name: 'inserts at the same WAL rate', at }] };
  };
}

type Contestant = 'rlsgen' | 'hand' | 'handWithForeignKey';

interface LoopComparison {
  readonly rows: number;
  /** Wall time of each round. */
  readonly wall: Record<Contestant, number[]>;
  /** CPU time of the server process that ran it, where the server runs on this machine (null elsewhere). */
  readonly cpu: Record<Contestant, (number | null)[]>;
  /** WAL bytes each round wrote (the server's whole WAL: nothing else runs meanwhile). */
  readonly wal: Record<Contestant, number[]>;
}

/** User + system CPU of a local process in ms, from /proc (Linux), or null. */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The backfill of calls alone, without load, on identical copies: each contestant's wall time per round, in alternating order. */
async function compareLoops(server: ServerHandle, template: string, dir: string): Promise<LoopComparison> {
  const files = readdirSync(dir).sort();
  const fileText = (part: string): string => readFileSync(join(dir, files.find((f) => f.includes(part)) ?? part), 'utf8');
  const bootstrap = fileText('_bootstrap.sql');
  const rlsgenBackfill = fileText('_backfill_calls.sql');
  const handBackfill = readHandSteps().find((s) => s.name === 'calls: backfill')?.sql ?? '';
  const contestants: Record<Contestant, (c: pg.Client) => Promise<void>> = {
    rlsgen: async (c) => void (await c.query(rlsgenBackfill)),
    hand: async (c) => void (await c.query(handBackfill)),
    handWithForeignKey: async (c) => void (await c.query(handBackfill)),
  };
  const out: LoopComparison = {
    rows: 0,
    wall: { rlsgen: [], hand: [], handWithForeignKey: [] },
    cpu: { rlsgen: [], hand: [], handWithForeignKey: [] },
    wal: { rlsgen: [], hand: [], handWithForeignKey: [] },
  };
  const names = Object.keys(contestants) as (keyof typeof contestants)[];
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const db = `online_loop_${process.pid}`;
      const connection = await cloneOf(server, template, db);
      try {
        await withClient(connection, async (c) => {
          c.on('notice', () => undefined);
          await c.query('ALTER TABLE calls ADD COLUMN company_id uuid');
          if (name === 'rlsgen') await c.query(bootstrap);
          if (name === 'handWithForeignKey') await c.query('ALTER TABLE calls ADD CONSTRAINT calls_company_id_fkey FOREIGN KEY (company_id) REFERENCES companies (id) NOT VALID');
          await c.query(`SET hand.batch_size = '${BATCH}'`);
          await c.query('CHECKPOINT').catch(() => undefined);
          const pid = Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
          const cpuBefore = cpuMs(pid);
          const lsn = await walPosition(c);
          const started = performance.now();
          await contestants[name](c);
          out.wall[name].push(performance.now() - started);
          out.wal[name].push(await walBytesSince(c, lsn));
          const cpuAfter = cpuMs(pid);
          out.cpu[name].push(cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore);
          const { rows } = await c.query<{ n: string; open: string }>('SELECT count(*) AS n, count(*) FILTER (WHERE company_id IS NULL) AS open FROM calls');
          if (rows[0]?.open !== '0') throw new Error(`${name} left ${rows[0]?.open} calls without a tenant`);
          (out as { rows: number }).rows = Number(rows[0]?.n);
        });
      } finally {
        await dropDatabase(server, db);
      }
    }
  }
  return out;
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`;
const seconds = (n: number): string => `${(n / 1000).toFixed(1)} s`;
const perSecond = (rows: number, msTaken: number): number => (msTaken <= 0 ? 0 : rows / (msTaken / 1000));
const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')}`;
const megabytesPerSecond = (bytes: number, msTaken: number): string => `${(perSecond(bytes, msTaken) / 1e6).toFixed(1)} MB/s`;
const label = (n: number): string => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en-US'));

function checkpointText(run: Run): string {
  return `checkpoints during the migration: ${run.checkpoints.timed} timed, ${run.checkpoints.requested} requested`;
}

/** The index of the phase the migration was in at `at` (-1 before the first). */
const phaseAt = (run: Run, at: number): number => run.phases.findLastIndex((p) => p.at <= at);

/** The longest statement, and what the migration was doing when it was sent. */
function worstOf(run: Run): string {
  const worst = run.during.worst;
  if (worst === null) return '';
  const phase = run.phases[phaseAt(run, worst.at)];
  return `${ms(worst.ms)} ${worst.op}${phase === undefined ? '' : `, during ${phase.name}`}`;
}

/**
 * Each long statement with the time it was sent into the phase it fell in,
 * and that phase's length: a stall at the start of a backfill is its first
 * pass; stalls spread over it are the updates' I/O.
 */
function whenOf(run: Run): string[] {
  return run.long.map((s) => {
    const index = phaseAt(run, s.at);
    const phase = run.phases[index];
    if (phase === undefined) return `${ms(s.ms)} ${s.op}`;
    const ends = run.phases[index + 1]?.at ?? run.endedAt;
    return `${ms(s.ms)} ${s.op} at +${seconds(s.at - phase.at)} of ${phase.name} (${seconds(ends - phase.at)})`;
  });
}

function row(rows: number, name: string, run: Run): string {
  const d = run.during;
  const failed = `${d.failed}${d.reasons.length > 0 ? ` (${d.reasons.join('; ')})` : ''}`;
  const wall = `${seconds(run.wallMs)}${run.error === null ? '' : ` FAILED: ${run.error}`}`;
  return `| ${label(rows)} | ${name} | ${wall} | ${run.backfillRows === 0 ? '-' : rate(perSecond(run.backfillRows, run.backfillMs))} | ${ms(d.maxMs)} | ${d.p99Ms.toFixed(1)} ms | ${d.over100} | ${failed} | ${run.retries} | ${ms(run.baseline.maxMs)} |`;
}

async function main(): Promise<void> {
  const server = await benchServer(args['database-url'], args['pg-bin']);
  await applyServerSettings(server).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const work = mkdtempSync(join(tmpdir(), 'rlsgen-online-'));
  const lockTimeoutMs = durationMilliseconds(LOCK_TIMEOUT) ?? 0;
  const lines: string[] = [];
  const targets: string[] = [];
  const loads: string[] = [];
  const maxStall: number[] = [];
  const worst: string[] = [];
  const stalls: string[] = [];
  const walRates: string[] = [];
  try {
    writeFileSync(join(work, 'policies.yaml'), MANIFEST);
    const dir = join(work, 'generated-sql');
    const generated = generateMigrations({ manifestPath: join(work, 'policies.yaml'), outDir: dir });
    if (generated.kind !== 'written') throw new Error(`generate: ${generated.kind}`);
    const statementsPerSecond = (SHAPE.writers + SHAPE.readers) * SHAPE.rate;
    lines.push(
      `rlsgen bench:online: PostgreSQL ${server.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; old application: ${SHAPE.writers} writers + ${SHAPE.readers} readers at ${statementsPerSecond} statements/s; batch ${BATCH.toLocaleString('en-US')} rows, pause ${BATCH_PAUSE} after each, lock_timeout ${LOCK_TIMEOUT}`,
      '',
      '| rows | migration | prepare wall | backfill rows/s | max stall | p99 | statements >= 100 ms | failed | lock retries | baseline max |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    let loops: LoopComparison | null = null;
    let reader: Run | null = null;
    for (const [index, rows] of ROW_COUNTS.entries()) {
      const before = loadavg();
      const template = `online_tpl_${process.pid}`;
      const names = [template, `online_rlsgen_${process.pid}`, `online_hand_${process.pid}`, `online_reader_${process.pid}`, `online_floor_${process.pid}`];
      try {
        process.stderr.write(`${label(rows)} rows: loading the template database...\n`);
        await withClient(server.connection, (c) => c.query(`CREATE DATABASE ${quoteIdent(template)}`));
        await loadTemplate(connectionFor(server, template), rows);
        process.stderr.write(`${label(rows)} rows: rlsgen apply --stage prepare under load...\n`);
        const ours = await cloneOf(server, template, names[1] ?? '');
        const rlsgen = await underLoad(ours, server.versionNum, rows, rlsgenPrepare(ours, dir, false));
        await dropDatabase(server, names[1] ?? '');
        process.stderr.write(`${label(rows)} rows: the hand-written migration under load...\n`);
        const theirs = await cloneOf(server, template, names[2] ?? '');
        const hand = await underLoad(theirs, server.versionNum, rows, handScript(theirs));
        await dropDatabase(server, names[2] ?? '');
        process.stderr.write(`${label(rows)} rows: no migration, inserts writing WAL as fast as rlsgen's prepare did, under load...\n`);
        const plain = await cloneOf(server, template, names[4] ?? '');
        const walRate = perSecond(rlsgen.walBytes, rlsgen.wallMs);
        const floor = await underLoad(plain, server.versionNum, rows, writeFloor(plain, walRate, rlsgen.wallMs));
        await dropDatabase(server, names[4] ?? '');
        if (index === 0) {
          if (ROUNDS > 0) {
            process.stderr.write(`${label(rows)} rows: the backfill alone, no load, ${ROUNDS} rounds...\n`);
            loops = await compareLoops(server, template, dir);
          }
          if (!args['no-long-reader']) {
            process.stderr.write(`${label(rows)} rows: rlsgen apply --stage prepare under load, with a ${READER_SECONDS} s report holding ACCESS SHARE on calls...\n`);
            const db = await cloneOf(server, template, names[3] ?? '');
            reader = await underLoad(db, server.versionNum, rows, rlsgenPrepare(db, dir, true));
            await dropDatabase(server, names[3] ?? '');
          }
        }
        lines.push(row(rows, 'rlsgen prepare', rlsgen), row(rows, 'hand-written script', hand));
        walRates.push(
          `${label(rows)}: rlsgen ${megabytesPerSecond(rlsgen.walBytes, rlsgen.wallMs)}, hand-written ${megabytesPerSecond(hand.walBytes, hand.wallMs)}, the inserts ${megabytesPerSecond(floor.walBytes, floor.wallMs)} (the application's own WAL included)`,
        );
        worst.push(`${label(rows)}: rlsgen ${worstOf(rlsgen)}; hand-written ${worstOf(hand)}`);
        stalls.push(`${label(rows)}, rlsgen: ${rlsgen.stalls}; ${checkpointText(rlsgen)}`, ...whenOf(rlsgen).map((w) => `  ${w}`));
        stalls.push(`${label(rows)}, hand-written: ${hand.stalls}; ${checkpointText(hand)}`, ...whenOf(hand).map((w) => `  ${w}`));
        stalls.push(`${label(rows)}, no migration: ${floor.stalls}; ${checkpointText(floor)}`, ...whenOf(floor).map((w) => `  ${w}`));
        const wallRatio = hand.wallMs / rlsgen.wallMs;
        const backfillRatio = perSecond(rlsgen.backfillRows, rlsgen.backfillMs) / perSecond(hand.backfillRows, hand.backfillMs);
        lines.push(`| ${label(rows)} | ratio rlsgen / hand | ${wallRatio.toFixed(2)}x as fast | ${backfillRatio.toFixed(2)}x | ${(rlsgen.during.maxMs / Math.max(1, hand.during.maxMs)).toFixed(2)}x | | | | | |`);
        lines.push(row(rows, 'no migration, the same WAL rate', floor));
        maxStall.push(rlsgen.during.maxMs);
        targets.push(
          `${label(rows)}: max application stall ${ms(rlsgen.during.maxMs)} with ${rlsgen.during.failed} failed statements (target <= 100 ms and 0): ${rlsgen.during.maxMs <= 100 && rlsgen.during.failed === 0 && rlsgen.error === null ? 'met' : 'NOT met'}; rows left without a tenant: ${rlsgen.leftWithoutTenant}`,
          `${label(rows)}: this machine's floor, no migration and the same WAL rate for as long: max ${ms(floor.during.maxMs)}, ${floor.during.over100} statements >= 100 ms${floor.error === null ? '' : ` (FAILED: ${floor.error})`}`,
        );
        const after = loadavg();
        loads.push(`${label(rows)}: load average ${before.map((l) => l.toFixed(2)).join(', ')} before, ${after.map((l) => l.toFixed(2)).join(', ')} after`);
      } finally {
        for (const name of names) await dropDatabase(server, name);
      }
    }
    lines.push('');
    if (maxStall.length > 1) {
      const first = maxStall[0] ?? 0;
      const last = maxStall[maxStall.length - 1] ?? 0;
      targets.push(`longest application statement from ${label(ROW_COUNTS[0] ?? 0)} to ${label(ROW_COUNTS[ROW_COUNTS.length - 1] ?? 0)} rows: ${ms(first)} -> ${ms(last)}`);
    }
    if (loops !== null) {
      const wallRate = (c: Contestant): number => perSecond(loops.rows, median(loops.wall[c]));
      const cpus = (c: Contestant): number[] | null => (loops.cpu[c].every((x) => x !== null) ? (loops.cpu[c] as number[]) : null);
      const line = (name: string, c: Contestant): string => {
        const cpu = cpus(c);
        const each = loops.wall[c].map((x) => seconds(x)).join(', ');
        const wal = `${Math.round(median(loops.wal[c]) / Math.max(1, loops.rows))} B`;
        return `| ${name} | ${rate(wallRate(c))} | ${each} | ${cpu === null ? 'n/a' : `${rate(perSecond(loops.rows, median(cpu)))} (${cpu.map((x) => seconds(x)).join(', ')})`} | ${wal} |`;
      };
      lines.push(
        `backfill of ${loops.rows.toLocaleString('en-US')} calls alone, no load, ${ROUNDS} alternated rounds (medians; CPU: the server process that ran it, which other work on the machine disturbs less than wall time):`,
        '| backfill | rows/s | wall per round | rows per CPU second (CPU per round) | WAL per row |',
        '| --- | --- | --- | --- | --- |',
        line('rlsgen.backfill', 'rlsgen'),
        line('hand-written loop', 'hand'),
        line('hand-written loop, tenant foreign key in place', 'handWithForeignKey'),
        '',
      );
      const r = wallRate('rlsgen');
      const h = wallRate('hand');
      const cr = cpus('rlsgen');
      const ch = cpus('hand');
      const cpuRatio = cr === null || ch === null ? '' : `; per CPU second ${(median(ch) / median(cr)).toFixed(2)}x`;
      targets.push(
        `backfill throughput, no load: ${(r / h).toFixed(2)}x the hand-written loop${cpuRatio} (target >= 1.0x): ${r >= h ? 'met' : 'NOT met'}; ${(r / wallRate('handWithForeignKey')).toFixed(2)}x the loop with the foreign key in place`,
      );
    }
    if (reader !== null) {
      lines.push(
        `with a ${READER_SECONDS} s report holding ACCESS SHARE on calls, twice (${label(ROW_COUNTS[0] ?? 0)} rows):`,
        '| rows | migration | prepare wall | backfill rows/s | max stall | p99 | statements >= 100 ms | failed | lock retries | baseline max |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        row(ROW_COUNTS[0] ?? 0, 'rlsgen prepare, long reader', reader),
        '',
      );
      worst.push(`long reader: ${worstOf(reader)}`);
      targets.push(
        `long reader: longest application statement ${ms(reader.during.maxMs)}, ${reader.during.failed} failed, after ${reader.retries} lock_timeout retries (target <= lock_timeout + 200 ms = ${ms(lockTimeoutMs + 200)}): ${reader.during.maxMs <= lockTimeoutMs + 200 && reader.during.failed === 0 && reader.error === null ? 'met' : 'NOT met'}`,
      );
    }
    const settings = await withClient(server.connection, async (c) =>
      (await c.query<{ s: string }>("SELECT string_agg(name || ' ' || setting || coalesce(unit, ''), ', ' ORDER BY name) AS s FROM pg_settings WHERE name IN ('max_wal_size', 'checkpoint_timeout', 'shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes')")).rows[0]?.s,
    );
    console.log([...lines, 'longest application statements:', ...worst.map((w) => `  ${w}`), '',
      `what the server was doing during them (sampled every 20 ms; server: ${settings ?? 'settings unknown'}):`, ...stalls.map((w) => `  ${w}`), '', 'WAL written per second during each run:', ...walRates.map((w) => `  ${w}`), '', 'targets:', ...targets.map((t) => `  ${t}`), ...loads.map((l) => `  ${l}`)].join('\n'));
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}


main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  // The server is stopped by now; a client left open must not keep a failed bench running.
  process.exit(1);
});
