import pg from 'pg';
import { type ConnectionInfo, connectClient } from '../db/server.js';
import type { Stage } from '../plan/plan.js';
import { durationInterval } from '../sql/interval.js';
import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { ApplyError, ApplyLockedError, ApplyRefusedError, isConnectionLoss, toApplyError } from './apply-errors.js';
import { MIGRATIONS_TABLE, RLSGEN_SCHEMA } from './generated-objects.js';
import { type FolderMigration, folderGaps, readMigrationFolder, supersededFiles } from './migration-folder.js';
import { assertPrivileges, inspectRlsgenSchema, namedOwner, refuseUntrusted } from './preflight.js';
import { type RunEvent, runMigration, watchConnection } from './run-migration.js';
import { undoFailedStage } from './undo-failed-stage.js';
import { type LongHolder, waitForLongHolders } from './wait-for-long-holders.js';
import { formatWalAdvice, walAdvice } from './wal-advice.js';

export { ApplyError, ApplyLockedError, ApplyRefusedError } from './apply-errors.js';

/** One bigint key for every `rlsgen apply`/`rollback` on a database ("rlsgen" in ASCII). */
export const APPLY_LOCK_KEY = '125822483809646';

export type ApplyEvent =
  | { readonly kind: 'waiting-for-lock'; readonly holderPid: number | null }
  | { readonly kind: 'lock-acquired' }
  | { readonly kind: 'file-start'; readonly file: FolderMigration; readonly index: number; readonly total: number }
  | { readonly kind: 'file-done'; readonly file: FolderMigration; readonly ms: number }
  /** `batchSize` and `pauseMs`: the pacing a batch ran with (batch events only). */
  | { readonly kind: 'backfill'; readonly table: string; readonly event: 'start' | 'batch' | 'done'; readonly done: number; readonly total: number; readonly filled: number; readonly unresolved: number | null; readonly batchSize: number | null; readonly pauseMs: number | null }
  /** A NOTICE or WARNING a migration raised (other than backfill progress), with the file that raised it. */
  /** A server notice or warning, with the file running (and its stage) when it came; the CLI decides which to show. */
  | { readonly kind: 'notice'; readonly file: string | null; readonly stage: Stage | null; readonly severity: string; readonly code: string | null; readonly message: string; readonly detail: string | null }
  /** A file waits, without queueing for its lock, while long transactions hold locks on its table. */
  | { readonly kind: 'waiting-for-table'; readonly file: FolderMigration; readonly table: string; readonly holders: readonly LongHolder[] }
  | { readonly kind: 'invalid-index-dropped'; readonly index: string }
  | { readonly kind: 'retry'; readonly file: FolderMigration; readonly attempt: number; readonly delayMs: number; readonly reason: string };

export interface ApplyOptions {
  readonly connection: ConnectionInfo;
  readonly dir: string;
  /** `prepare`: stop before the first pending enforce-stage file; `enforce`: before the first distribute-stage one (Citus). Default: everything pending. */
  readonly stage?: Stage | 'all';
  readonly dryRun?: boolean;
  /** Rows per backfill transaction, overriding the files' own value. */
  readonly batchSize?: number;
  /** Pause between two backfill batches (a duration: `50ms`), overriding the files' own value. */
  readonly batchPause?: string;
  /** How long a file waits for long transactions on its table to end before it queues for its lock anyway (default 10 minutes). */
  readonly maxHolderWaitMs?: number;
  /** lock_timeout for the session (files that SET LOCAL their own keep theirs). */
  readonly lockTimeout?: string;
  /** Retries of a file that hit lock_timeout. */
  readonly retries?: number;
  /** Wait for a concurrent apply to finish (default) or fail at once. */
  readonly wait?: boolean;
  readonly onEvent?: (event: ApplyEvent) => void;
  /**
   * Runs once before the first migration of a rollout (no file of the folder
   * applied yet), in the same run and under the same lock, on the run's
   * connection: the data check. What it throws stops the run with nothing
   * applied.
   */
  readonly beforeRollout?: (client: pg.Client) => Promise<void>;
}

export interface BackfillReport {
  readonly table: string;
  readonly filled: number;
  readonly unresolved: number;
}

export interface ApplyResult {
  /** Files this run applied, in order. */
  readonly applied: readonly FolderMigration[];
  /** Files already applied before this run. */
  readonly alreadyApplied: number;
  /** Files still pending after this run (the enforce stage after `--stage prepare`; all of them after a dry run). */
  readonly pending: readonly FolderMigration[];
  /** Files never applied here that a later generation replaces (`generate --replace-enforce`): skipped, never run. */
  readonly superseded: readonly FolderMigration[];
  readonly backfills: readonly BackfillReport[];
}

interface AppliedRow {
  id: number;
  name: string;
  hash: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function appliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const table = `${quoteIdent(RLSGEN_SCHEMA)}.${quoteIdent(MIGRATIONS_TABLE)}`;
  const { rows } = await client.query<{ exists: boolean }>('SELECT pg_catalog.to_regclass($1) IS NOT NULL AS exists', [table]);
  if (rows[0]?.exists !== true) return [];
  const result = await client.query<AppliedRow>(`SELECT id, name, hash FROM ${table} WHERE id > 0 ORDER BY id`);
  return result.rows;
}

/** Takes the apply lock, waiting for (or refusing) a concurrent apply. */
export async function acquireApplyLock(client: pg.Client, wait: boolean, onEvent: (e: ApplyEvent) => void): Promise<void> {
  let announced = false;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${APPLY_LOCK_KEY}) AS ok`);
    if (rows[0]?.ok === true) {
      if (announced) onEvent({ kind: 'lock-acquired' });
      return;
    }
    const holder = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND ((classid::bigint << 32) | objid::bigint) = ${APPLY_LOCK_KEY} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const holderPid = holder.rows[0]?.pid ?? null;
    if (!wait) {
      throw new ApplyLockedError(
        `another rlsgen apply or rollback is running on this database${holderPid === null ? '' : ` (backend pid ${holderPid})`}; try again when it has finished`,
      );
    }
    if (!announced) {
      onEvent({ kind: 'waiting-for-lock', holderPid });
      announced = true;
    }
    await sleep(500);
  }
}

export async function releaseApplyLock(client: pg.Client): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${APPLY_LOCK_KEY})`).catch(() => undefined);
}

/**
 * The folder must hold every applied file unchanged, and no gap before a
 * pending one: postgres-migrations' rule, with a message for each case.
 */
function checkAgainstFolder(files: readonly FolderMigration[], applied: readonly AppliedRow[], dir: string): void {
  for (const row of applied) {
    const file = files.find((f) => f.id === row.id);
    if (file === undefined) {
      const place = row.id < (applied[applied.length - 1]?.id ?? 0) ? 'between the applied files' : 'the last applied file';
      throw new ApplyError(
        `migration ${row.id} (${row.name}) is applied to this database but missing from ${dir} (${place}): restore it from version control`,
        null,
        {},
        'missing',
      );
    }
    if (file.hash !== row.hash || file.name !== row.name) {
      throw new ApplyError(
        `${file.path} changed after it was applied to this database; applied migrations must never change (restore it from version control and put the change in a new migration)`,
        file,
        {},
        'changed',
      );
    }
  }
  const gap = folderGaps(files)[0];
  if (gap !== undefined) {
    throw new ApplyError(
      `migration ${gap.id} is missing from ${dir}: the files go from ${gap.before?.fileName ?? 'the start'} to ${gap.after.fileName}; restore it (migrations run in order, without gaps)`,
      null,
      {},
      'missing',
    );
  }
}

/**
 * The files a pending generation replaces. One of them applied here means
 * its enforce stage completed on this database, which the replacement was
 * not planned from: refused, with the rollback that makes it apply.
 */
function checkSuperseded(files: readonly FolderMigration[], appliedIds: ReadonlySet<number>): Map<string, FolderMigration> {
  const superseded = supersededFiles(files);
  const clash = files.find((f) => appliedIds.has(f.id) && superseded.has(f.fileName) && !appliedIds.has(superseded.get(f.fileName)?.id ?? -1));
  if (clash !== undefined) {
    const by = superseded.get(clash.fileName);
    const before = Math.min(...files.filter((f) => appliedIds.has(f.id) && superseded.has(f.fileName)).map((f) => f.id)) - 1;
    throw new ApplyError(
      `${clash.fileName} is applied to this database, but ${by?.fileName ?? 'a later migration'} replaces the enforce stage it belongs to (rlsgen generate --replace-enforce, for databases where that stage never completed); take that stage back first with rlsgen rollback --to ${before}, then apply`,
      null,
      {},
      'superseded',
    );
  }
  return superseded;
}

/** Which of the pending files this run applies. */
export function selectPending(pending: readonly FolderMigration[], stage: Stage | 'all'): FolderMigration[] {
  if (stage === 'all') return [...pending];
  // In folder order, up to the first file of a later stage: never out of order.
  const order: readonly Stage[] = ['prepare', 'enforce', 'distribute'];
  const limit = order.indexOf(stage);
  const firstLater = pending.findIndex((f) => f.meta !== null && f.meta !== undefined && order.indexOf(f.meta.stage) > limit);
  return firstLater < 0 ? [...pending] : pending.slice(0, firstLater);
}

/**
 * Creates rlsgen's schema and bookkeeping table when missing (owned by the
 * role the migrations name, if any) and sets the session up for the files.
 */
async function prepareSession(client: pg.Client, options: ApplyOptions, owner: string | null): Promise<void> {
  const schema = await client.query<{ exists: boolean; table: boolean }>(
    `SELECT pg_catalog.to_regnamespace($1) IS NOT NULL AS exists, pg_catalog.to_regclass($2) IS NOT NULL AS table`,
    [quoteIdent(RLSGEN_SCHEMA), `${quoteIdent(RLSGEN_SCHEMA)}.${quoteIdent(MIGRATIONS_TABLE)}`],
  );
  // No IF NOT EXISTS: a schema someone else creates between the trust check and here fails the run instead of being used.
  if (schema.rows[0]?.exists !== true) await client.query(`CREATE SCHEMA ${quoteIdent(RLSGEN_SCHEMA)}${owner === null ? '' : ` AUTHORIZATION ${quoteIdent(owner)}`}`);
  if (schema.rows[0]?.table !== true) {
    // postgres-migrations' table, so that either tool recognises what the other applied.
    await client.query(`CREATE TABLE rlsgen.migrations (
      id integer PRIMARY KEY,
      name varchar(100) UNIQUE NOT NULL,
      hash varchar(40) NOT NULL,
      executed_at timestamp DEFAULT current_timestamp
    )`);
    if (owner !== null) await client.query(`ALTER TABLE rlsgen.migrations OWNER TO ${quoteIdent(owner)}`);
  }
  // rlsgen's files qualify every name; a hand-written file's unqualified
  // names land in rlsgen, never in the application's schemas. pg_catalog is
  // searched first (implicitly), temporary objects last.
  await client.query('SET search_path TO rlsgen, pg_temp');
  await client.query(`SET lock_timeout = ${quoteLiteral(options.lockTimeout ?? '2s')}`);
  // Non-transactional files (concurrent index builds, batched backfills) run long by design.
  await client.query('SET statement_timeout = 0');
  // GRANT and REVOKE report what they could not do as warnings: they must reach apply.
  await client.query('SET client_min_messages = notice');
  if (options.batchSize !== undefined) {
    if (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1) throw new Error('batch size must be a positive integer');
    await client.query(`SET rlsgen.batch_size = ${quoteLiteral(String(options.batchSize))}`);
  }
  if (options.batchPause !== undefined) {
    const pause = durationInterval(options.batchPause);
    if (pause === null) throw new Error(`batch pause must be a duration such as 50ms, not ${JSON.stringify(options.batchPause)}`);
    await client.query(`SET rlsgen.batch_pause = ${quoteLiteral(pause)}`);
  }
}

/**
 * `rlsgen apply`: applies the pending migrations of `dir`, read in place,
 * one transaction per file (except the files marked to run outside one),
 * under an advisory lock so that two applies never run at once. Before the
 * first file it refuses to run when the rlsgen schema holds anything it does
 * not trust, and when the connecting role lacks a privilege a pending file
 * needs (nothing is applied then). A file that hits lock_timeout is retried
 * with backoff; a file that fails stops the run, with PostgreSQL's error
 * mapped to the file's line.
 */
export async function applyMigrations(options: ApplyOptions): Promise<ApplyResult> {
  const onEvent = options.onEvent ?? (() => undefined);
  const files = readMigrationFolder(options.dir);
  const client = await connectClient(options.connection, 'rlsgen apply');
  const watch = watchConnection(client);
  const backfills = new Map<string, BackfillReport>();
  // The file whose statements run now: a notice it raises is shown with it.
  let running: FolderMigration | null = null;
  client.on('notice', (notice) => {
    if (!notice.message?.startsWith('rlsgen backfill') || notice.detail === undefined) {
      onEvent({
        kind: 'notice',
        file: running?.fileName ?? null,
        stage: running?.meta?.stage ?? null,
        severity: notice.severity ?? 'NOTICE',
        code: notice.code ?? null,
        message: notice.message ?? '',
        detail: notice.detail ?? null,
      });
      return;
    }
    try {
      const d = JSON.parse(notice.detail) as { event: 'start' | 'batch' | 'done'; table: string; total: number; done: number; filled: number; unresolved?: number; batch_size?: number; pause_ms?: number };
      onEvent({ kind: 'backfill', table: d.table, event: d.event, done: d.done, total: d.total, filled: d.filled, unresolved: d.unresolved ?? null, batchSize: d.batch_size ?? null, pauseMs: d.pause_ms ?? null });
      if (d.event === 'done') backfills.set(d.table, { table: d.table, filled: d.filled, unresolved: d.unresolved ?? 0 });
    } catch {
      // Not a progress notice of ours.
    }
  });
  let locked = false;
  let current: FolderMigration | null = null;
  const role = options.connection.user;
  try {
    // Until the rlsgen schema is checked, nothing may resolve a name through it (or through any schema but pg_catalog).
    await client.query('SET search_path = pg_catalog, pg_temp');
    await acquireApplyLock(client, options.wait ?? true, onEvent);
    locked = true;
    // The folder is checked against what is recorded first (a file missing
    // or changed explains any difference in rlsgen's objects), once reading
    // the bookkeeping table is known to run nothing but a table scan.
    const inspection = await inspectRlsgenSchema(client, files, role);
    refuseUntrusted(inspection, true);
    const applied = await appliedRows(client);
    checkAgainstFolder(files, applied, options.dir);
    refuseUntrusted(inspection);
    const appliedIds = new Set(applied.map((r) => r.id));
    const superseded = checkSuperseded(files, appliedIds);
    const skipped = files.filter((f) => !appliedIds.has(f.id) && superseded.has(f.fileName));
    const pending = files.filter((f) => !appliedIds.has(f.id) && !superseded.has(f.fileName));
    const selected = selectPending(pending, options.stage ?? 'all');
    if (selected.length === 0) return { applied: [], alreadyApplied: applied.length, pending, superseded: skipped, backfills: [] };
    // A dry run checks the privileges too: what it lists could then run.
    await assertPrivileges(client, selected.map((f) => ({ path: f.path, sql: f.sql, table: f.meta?.table, generated: f.meta !== null, owner: f.meta?.owner })), 'apply', role);
    if (options.dryRun === true) return { applied: [], alreadyApplied: applied.length, pending, superseded: skipped, backfills: [] };
    if (applied.length === 0) await options.beforeRollout?.(client);
    await prepareSession(client, options, namedOwner(files));
    const done: FolderMigration[] = [];
    for (const file of selected) {
      current = file;
      running = file;
      onEvent({ kind: 'file-start', file, index: done.length + 1, total: selected.length });
      const table = file.meta?.table;
      if (file.transactional && table !== undefined) {
        await waitForLongHolders(client, table, {
          maxWaitMs: options.maxHolderWaitMs ?? 600_000,
          onWait: (holders) => onEvent({ kind: 'waiting-for-table', file, table, holders }),
        });
      }
      if (file.meta?.step === 'backfill' && table !== undefined) {
        const advice = await walAdvice(client, table);
        if (advice !== null) onEvent({ kind: 'notice', file: file.fileName, stage: file.meta.stage, severity: 'WARNING', code: null, ...formatWalAdvice(advice) });
      }
      const started = Date.now();
      const run = { client, watch, retries: options.retries ?? 8, role, onEvent: (e: RunEvent) => onEvent(e) };
      try {
        await runMigration(file, run);
      } catch (error) {
        throw error instanceof ApplyError ? await undoFailedStage(error, files, run) : error;
      }
      running = null;
      done.push(file);
      onEvent({ kind: 'file-done', file, ms: Date.now() - started });
    }
    const doneIds = new Set(done.map((f) => f.id));
    return {
      applied: done,
      alreadyApplied: applied.length,
      pending: pending.filter((f) => !doneIds.has(f.id)),
      superseded: skipped,
      backfills: [...backfills.values()],
    };
  } catch (error) {
    if (error instanceof ApplyError || error instanceof ApplyRefusedError || error instanceof ApplyLockedError) throw error;
    if (isConnectionLoss(error)) throw toApplyError(error, current, watch.serverReason(), role);
    throw error;
  } finally {
    if (locked) await releaseApplyLock(client);
    await client.end().catch(() => undefined);
  }
}
