import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from 'postgres-migrations';
import { clientConfig, type ConnectionInfo } from '../db/server.js';
import type { Stage } from '../plan/plan.js';
import { durationInterval } from '../sql/interval.js';
import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { type FolderMigration, lineColumn, readMigrationFolder } from './migration-folder.js';
import { type LongHolder, waitForLongHolders } from './wait-for-long-holders.js';

/** One bigint key for every `rlsgen apply`/`rollback` on a database ("rlsgen" in ASCII). */
export const APPLY_LOCK_KEY = '125822483809646';

export type ApplyEvent =
  | { readonly kind: 'waiting-for-lock'; readonly holderPid: number | null }
  | { readonly kind: 'lock-acquired' }
  | { readonly kind: 'file-start'; readonly file: FolderMigration; readonly index: number; readonly total: number }
  | { readonly kind: 'file-done'; readonly file: FolderMigration; readonly ms: number }
  /** `batchSize` and `pauseMs`: the pacing a batch ran with (batch events only). */
  | { readonly kind: 'backfill'; readonly table: string; readonly event: 'start' | 'batch' | 'done'; readonly done: number; readonly total: number; readonly filled: number; readonly unresolved: number | null; readonly batchSize: number | null; readonly pauseMs: number | null }
  | { readonly kind: 'invalid-index-dropped'; readonly index: string }
  /** A file waits, without queueing for its lock, while long transactions hold locks on its table. */
  | { readonly kind: 'waiting-for-table'; readonly file: FolderMigration; readonly table: string; readonly holders: readonly LongHolder[] }
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
  /** lock_timeout for the session (files that SET LOCAL their own keep theirs). */
  readonly lockTimeout?: string;
  /** Retries of a file that hit lock_timeout. */
  readonly retries?: number;
  /** Wait for a concurrent apply to finish (default) or fail at once. */
  readonly wait?: boolean;
  /** How long a file waits for long transactions on its table to end before it queues for its lock anyway (default 10 minutes). */
  readonly maxHolderWaitMs?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
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
  readonly backfills: readonly BackfillReport[];
}

/** A migration failed; positions are mapped back to the file. */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  constructor(
    message: string,
    readonly file: FolderMigration | null,
    readonly details: {
      readonly code?: string;
      readonly line?: number;
      readonly column?: number;
      readonly hint?: string;
      readonly detail?: string;
      readonly where?: string;
      readonly excerpt?: string;
    } = {},
  ) {
    super(message);
  }
}

export class ApplyLockedError extends Error {
  override readonly name = 'ApplyLockedError';
}

interface AppliedRow {
  id: number;
  name: string;
  hash: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function appliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('rlsgen.migrations') IS NOT NULL AS exists");
  if (rows[0]?.exists !== true) return [];
  const result = await client.query<AppliedRow>('SELECT id, name, hash FROM rlsgen.migrations WHERE id > 0 ORDER BY id');
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

function checkAgainstFolder(files: readonly FolderMigration[], applied: readonly AppliedRow[], dir: string): void {
  for (const row of applied) {
    const file = files.find((f) => f.id === row.id);
    if (file === undefined) {
      throw new ApplyError(`migration ${row.id} (${row.name}) is applied to this database but missing from ${dir}; restore it`, null);
    }
    if (file.hash !== row.hash || file.name !== row.name) {
      throw new ApplyError(
        `${join(dir, file.fileName)} changed after it was applied to this database; applied migrations must never change (restore it from version control and put the change in a new migration)`,
        file,
      );
    }
  }
}

function toApplyError(error: unknown, file: FolderMigration | null): ApplyError {
  const e = error as Partial<pg.DatabaseError> & { message?: string };
  const message = e.message ?? String(error);
  if (file === null) return new ApplyError(message, null, e.code === undefined ? {} : { code: e.code });
  const position = e.position === undefined ? null : Number(e.position);
  const details: { -readonly [K in keyof ApplyError['details']]: ApplyError['details'][K] } = {};
  if (e.code !== undefined) details.code = e.code;
  if (e.hint !== undefined) details.hint = e.hint;
  if (e.detail !== undefined) details.detail = e.detail;
  if (e.where !== undefined) details.where = e.where;
  if (position !== null && Number.isFinite(position)) {
    const { line, column } = lineColumn(file.sql, position);
    details.line = line;
    details.column = column;
    details.excerpt = `${file.sql.split('\n')[line - 1] ?? ''}\n${' '.repeat(column - 1)}^`;
  }
  return new ApplyError(message, file, details);
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

/** Session settings for the migration run. */
async function prepareSession(client: pg.Client, options: ApplyOptions): Promise<void> {
  // postgres-migrations keeps its bookkeeping table `migrations` in the first
  // schema of search_path. rlsgen's files qualify every name, so the session
  // runs with search_path = rlsgen, keeping that table out of the
  // application's schema (where a `migrations` table of its own may exist).
  await client.query('CREATE SCHEMA IF NOT EXISTS rlsgen');
  await client.query(`CREATE TABLE IF NOT EXISTS rlsgen.migrations (
    id integer PRIMARY KEY,
    name varchar(100) UNIQUE NOT NULL,
    hash varchar(40) NOT NULL,
    executed_at timestamp DEFAULT current_timestamp
  )`);
  await client.query('SET search_path TO rlsgen');
  await client.query(`SET lock_timeout = ${quoteLiteral(options.lockTimeout ?? '2s')}`);
  // Non-transactional files (concurrent index builds, batched backfills) run long by design.
  await client.query('SET statement_timeout = 0');
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

/** Drops an index that an interrupted CREATE INDEX CONCURRENTLY left invalid, so the file can build it again. */
async function dropInvalidIndex(client: pg.Client, file: FolderMigration, onEvent: (e: ApplyEvent) => void): Promise<void> {
  const index = file.meta?.index;
  if (index === undefined) return;
  const qualified = `${quoteIdent(index[0])}.${quoteIdent(index[1])}`;
  const { rows } = await client.query<{ valid: boolean }>(
    'SELECT i.indisvalid AS valid FROM pg_index AS i WHERE i.indexrelid = to_regclass($1)',
    [qualified],
  );
  if (rows[0] !== undefined && !rows[0].valid) {
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`);
    onEvent({ kind: 'invalid-index-dropped', index: qualified });
  }
}

/**
 * `rlsgen apply`: applies the pending migrations of `dir` with
 * postgres-migrations, one transaction per file (except the files marked to
 * run outside one), under an advisory lock so that two applies never run at
 * once. A file that locks a table out of the application's reach first waits,
 * without queueing, while long transactions hold locks on it; a file that
 * hits lock_timeout is retried with backoff; a file that
 * fails rolls back and stops the run, with PostgreSQL's error mapped to the
 * file's line.
 */
export async function applyMigrations(options: ApplyOptions): Promise<ApplyResult> {
  const onEvent = options.onEvent ?? (() => undefined);
  const files = readMigrationFolder(options.dir);
  const client = new pg.Client(clientConfig(options.connection, 'rlsgen apply'));
  client.on('error', () => undefined);
  await client.connect();
  const backfills = new Map<string, BackfillReport>();
  client.on('notice', (notice) => {
    if (!notice.message?.startsWith('rlsgen backfill') || notice.detail === undefined) return;
    try {
      const d = JSON.parse(notice.detail) as { event: 'start' | 'batch' | 'done'; table: string; total: number; done: number; filled: number; unresolved?: number; batch_size?: number; pause_ms?: number };
      onEvent({ kind: 'backfill', table: d.table, event: d.event, done: d.done, total: d.total, filled: d.filled, unresolved: d.unresolved ?? null, batchSize: d.batch_size ?? null, pauseMs: d.pause_ms ?? null });
      if (d.event === 'done') backfills.set(d.table, { table: d.table, filled: d.filled, unresolved: d.unresolved ?? 0 });
    } catch {
      // Not a progress notice of ours.
    }
  });
  let locked = false;
  try {
    await acquireApplyLock(client, options.wait ?? true, onEvent);
    locked = true;
    const applied = await appliedRows(client);
    checkAgainstFolder(files, applied, options.dir);
    const appliedIds = new Set(applied.map((r) => r.id));
    const pending = files.filter((f) => !appliedIds.has(f.id));
    const selected = selectPending(pending, options.stage ?? 'all');
    if (options.dryRun === true || selected.length === 0) {
      return { applied: [], alreadyApplied: applied.length, pending, backfills: [] };
    }
    await prepareSession(client, options);

    // postgres-migrations loads a whole folder: give it the applied files and this run's selection.
    const runDir = mkdtempSync(join(tmpdir(), 'rlsgen-apply-'));
    const bySql = new Map(selected.map((f) => [f.sql, f]));
    const done: FolderMigration[] = [];
    let current: FolderMigration | null = null;
    let lastError: unknown = null;
    let started = 0;
    // postgres-migrations only calls query(); this object forwards to the
    // real client and watches which file runs, so that errors keep their
    // SQLSTATE and position (the library rethrows the message only).
    const watcher = {
      query: async (config: string | pg.QueryConfig) => {
        const text = typeof config === 'string' ? config : config.text;
        const file = bySql.get(text);
        if (file !== undefined) {
          current = file;
          if (!file.transactional) await dropInvalidIndex(client, file, onEvent);
          onEvent({ kind: 'file-start', file, index: done.length + 1, total: selected.length });
          started = Date.now();
          const table = file.meta?.table;
          if (file.transactional && table !== undefined) {
            await waitForLongHolders(client, table, {
              maxWaitMs: options.maxHolderWaitMs ?? 600_000,
              onWait: (holders) => onEvent({ kind: 'waiting-for-table', file, table, holders }),
            });
          }
        }
        try {
          const result = await client.query(config);
          if (file !== undefined) {
            done.push(file);
            onEvent({ kind: 'file-done', file, ms: Date.now() - started });
          }
          return result;
        } catch (error) {
          lastError = error;
          throw error;
        }
      },
    };
    try {
      for (const f of files.filter((f) => appliedIds.has(f.id) || selected.includes(f))) copyFileSync(f.path, join(runDir, f.fileName));
      const retries = options.retries ?? 8;
      for (let attempt = 1; ; attempt++) {
        lastError = null;
        current = null;
        try {
          // The watcher is a stand-in for pg.Client: postgres-migrations types its
          // parameter as a client but only ever calls query() on it.
          await migrate({ client: watcher as unknown as pg.Client }, runDir);
          break;
        } catch (error) {
          const code = (lastError as { code?: string } | null)?.code;
          const failed: FolderMigration | null = current;
          if (code === '55P03' && failed !== null && attempt <= retries) {
            const delayMs = Math.min(30_000, 250 * 2 ** attempt);
            onEvent({ kind: 'retry', file: failed, attempt, delayMs, reason: 'lock_timeout: another transaction holds a conflicting lock' });
            await sleep(delayMs);
            continue;
          }
          throw toApplyError(lastError ?? error, failed);
        }
      }
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
    const doneIds = new Set(done.map((f) => f.id));
    return {
      applied: done,
      alreadyApplied: applied.length,
      pending: pending.filter((f) => !doneIds.has(f.id)),
      backfills: [...backfills.values()],
    };
  } finally {
    if (locked) await releaseApplyLock(client);
    await client.end().catch(() => undefined);
  }
}
