import type pg from 'pg';
import { quoteQualified } from '../sql/quote.js';
import { splitStatements } from '../sql/read-sql.js';
import { ApplyError, adviceFor, CONNECTION_ENDING_CODES, type IndexLeft, isConnectionLoss, isDeadlock, isLockTimeout, type ServerReason, toApplyError } from './apply-errors.js';
import type { FolderMigration } from './migration-folder.js';

/** What the runner reports while a file runs (a subset of apply's events). */
export type RunEvent =
  | { readonly kind: 'invalid-index-dropped'; readonly index: string }
  | { readonly kind: 'retry'; readonly file: FolderMigration; readonly attempt: number; readonly delayMs: number; readonly reason: string };

/** The fields of a server notice that apply reads. */
export interface Notice {
  readonly code?: string | undefined;
  readonly message?: string | undefined;
}

export interface ConnectionWatch {
  /** The first reason the server gave for ending the connection outside a query's error, if any. */
  serverReason(): ServerReason | null;
  /** Warnings received since the last call. */
  takeWarnings(): Notice[];
}

/**
 * Watches a connection for what node-postgres does not hand to the query
 * that suffers it: the server's reason for ending the connection (an
 * ErrorResponse such as 57P01 "terminating connection due to administrator
 * command", delivered as an 'error' event while no query runs; or the
 * WARNING a backend told to quit at once sends before it closes the
 * connection, such as 57P01 "terminating connection due to immediate
 * shutdown command", while the query then fails with no code) and the
 * warnings of GRANT and REVOKE (01007 privilege_not_granted, 01006
 * privilege_not_revoked), which are notices.
 */
export function watchConnection(client: pg.Client): ConnectionWatch {
  let reason: ServerReason | null = null;
  let warnings: Notice[] = [];
  client.on('error', (error: Error) => {
    if (reason === null && (error as Partial<pg.DatabaseError>).code !== undefined) reason = error as pg.DatabaseError;
  });
  client.on('notice', (notice) => {
    if (notice.code === '01007' || notice.code === '01006') warnings.push(notice);
    if (reason === null && notice.code !== undefined && CONNECTION_ENDING_CODES.has(notice.code)) reason = { code: notice.code, message: notice.message ?? '' };
  });
  return {
    serverReason: () => reason,
    takeWarnings: () => {
      const taken = warnings;
      warnings = [];
      return taken;
    },
  };
}

export interface RunOptions {
  readonly client: pg.Client;
  readonly watch: ConnectionWatch;
  /** Retries of a file that hit lock_timeout, each after a longer wait. */
  readonly retries: number;
  /** The connecting role, for permission hints. */
  readonly role: string;
  readonly onEvent: (event: RunEvent) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 500 ms, 1 s, 2 s... up to 30 s. */
export const defaultBackoff = (attempt: number): number => Math.min(30_000, 250 * 2 ** attempt);

/** A file that hit lock_timeout (or a deadlock) on its first try and on every retry. */
export class LockRetriesExhausted extends Error {
  override readonly name = 'LockRetriesExhausted';
  constructor(
    readonly error: unknown,
    readonly retries: number,
    readonly waitedMs: number,
    /** Where the last timeout happened, when not in the file's own statements. */
    readonly step: string | null,
  ) {
    super((error as Error).message);
  }
}

/**
 * Runs `attempt` again after each lock_timeout it hits, and after each
 * deadlock PostgreSQL breaks by ending it (the application's transactions
 * take the same tables in their own order: a file that drops or adds keys on
 * several tables can close a cycle with them), up to `options.retries` times,
 * waiting longer each time (the wait is when other sessions get the lock they
 * queued for). `attempt` names the step it is in through `at`, for the
 * message. Other errors pass through at once.
 */
export async function retryOnLockConflict(
  file: FolderMigration,
  options: Pick<RunOptions, 'retries' | 'onEvent'>,
  attempt: (at: (step: string | null) => void) => Promise<void>,
): Promise<void> {
  let waited = 0;
  for (let n = 1; ; n++) {
    let step: string | null = null;
    try {
      await attempt((s) => void (step = s));
      return;
    } catch (error) {
      const deadlock = isDeadlock(error);
      if (!(deadlock || isLockTimeout(error)) || isConnectionLoss(error)) throw error;
      if (n > options.retries) throw new LockRetriesExhausted(error, options.retries, waited, step);
      const delayMs = defaultBackoff(n);
      waited += delayMs;
      const cause = deadlock ? 'deadlock detected' : 'lock_timeout';
      const where = step !== null ? ` in ${step}` : deadlock ? ': PostgreSQL ended this transaction to break a lock cycle with another session' : ': another transaction holds a conflicting lock';
      options.onEvent({ kind: 'retry', file, attempt: n, delayMs, reason: `${cause}${where}` });
      await sleep(delayMs);
    }
  }
}

/** The ApplyError of a file that timed out on every retry. */
export function lockTimeoutError(gaveUp: LockRetriesExhausted, file: FolderMigration, failed: ApplyError, advice: string): ApplyError {
  return new ApplyError(
    `${failed.message}, on every one of ${gaveUp.retries} retries over ${Math.round(gaveUp.waitedMs / 1000)} s${gaveUp.step === null ? '' : ` (in ${gaveUp.step})`}`,
    file,
    {
      ...failed.details,
      hint: `another transaction kept a lock that conflicts with this migration${file.meta?.table === undefined ? '' : ` on ${file.meta.table}`}; find it with SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY xact_start`,
    },
    'lock-timeout',
    advice,
  );
}

/**
 * Runs one migration file, as postgres-migrations would (the file's text as
 * one query, its row in rlsgen.migrations with the same name and hash), in
 * one transaction unless the file opts out. Every lock_timeout on the way,
 * the clean-up of an invalid index included, is retried with the same
 * backoff; the file then either completes or fails once, as an ApplyError
 * carrying PostgreSQL's message and SQLSTATE and the advice that holds.
 */
export async function runMigration(file: FolderMigration, options: RunOptions): Promise<void> {
  try {
    await retryOnLockConflict(file, options, async (at) => {
      if (file.transactional) return runInTransaction(file, options);
      at('DROP INDEX CONCURRENTLY of the invalid index left by an interrupted build');
      await dropInvalidIndex(file, options);
      at(null);
      options.watch.takeWarnings();
      await options.client.query(file.sql);
      const warnings = options.watch.takeWarnings();
      if (warnings.length > 0) throw ungranted(file, warnings);
      await record(file, options.client);
    });
  } catch (error) {
    if (error instanceof ApplyError) throw error;
    const cause = error instanceof LockRetriesExhausted ? error.error : error;
    const left = isConnectionLoss(cause) ? 'unknown' : await indexLeft(file, options.client);
    if (error instanceof LockRetriesExhausted) {
      throw lockTimeoutError(error, file, toApplyError(cause, file, options.watch.serverReason(), options.role), adviceFor(file, 'lock-timeout', left));
    }
    throw toApplyError(error, file, options.watch.serverReason(), options.role, left);
  }
}

/** What the failed build of a generated index file left: its index invalid, or none (a build that never began). */
async function indexLeft(file: FolderMigration, client: pg.Client): Promise<IndexLeft> {
  const index = file.meta?.index;
  if (file.transactional || index === undefined) return 'unknown';
  try {
    const valid = await indexValidity(client, quoteQualified(index[0], index[1]));
    return valid === null ? 'absent' : valid ? 'unknown' : 'invalid';
  } catch {
    return 'unknown';
  }
}

/** pg_index.indisvalid of the index `qualified` (quoted), null when there is none. */
async function indexValidity(client: pg.Client, qualified: string): Promise<boolean | null> {
  const { rows } = await client.query<{ valid: boolean }>('SELECT i.indisvalid AS valid FROM pg_catalog.pg_index AS i WHERE i.indexrelid = pg_catalog.to_regclass($1)', [qualified]);
  return rows[0]?.valid ?? null;
}

async function record(file: FolderMigration, client: pg.Client): Promise<void> {
  await client.query('INSERT INTO rlsgen.migrations (id, name, hash) VALUES ($1, $2, $3)', [file.id, file.name, file.hash]);
}

async function runInTransaction(file: FolderMigration, options: RunOptions): Promise<void> {
  const { client, watch } = options;
  await client.query('START TRANSACTION');
  try {
    watch.takeWarnings();
    await client.query(file.sql);
    const warnings = watch.takeWarnings();
    if (warnings.length > 0) throw ungranted(file, warnings);
    await record(file, client);
    await client.query('COMMIT');
  } catch (error) {
    // The first error is the one to report: a ROLLBACK on a broken connection fails too.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A GRANT or REVOKE that PostgreSQL answered with a warning instead of doing it: an error, and the file rolls back. */
export function ungranted(file: FolderMigration, warnings: readonly Notice[]): ApplyError {
  const first = warnings[0] as Notice;
  const verb = first.code === '01007' ? 'grant' : 'revoke';
  const objectOf = (notice: Notice): string => /for (?:column "[^"]*" of relation )?"([^"]+)"/.exec(notice.message ?? '')?.[1] ?? '';
  const object = objectOf(first);
  const statement = splitStatements(file.sql).find((s) => s.tokens[0]?.value === verb && s.text.includes(object));
  // A REVOKE on a table also revokes from each of its columns, system columns included: one warning per column, about the same table.
  const others = new Set(warnings.map(objectOf).filter((o) => o !== object)).size;
  const more = others > 0 ? ` (and the same for ${others} more object(s))` : '';
  return new ApplyError(
    `${verb.toUpperCase()} did nothing: PostgreSQL answered "${first.message ?? ''}"${more}`,
    file,
    {
      code: first.code ?? '',
      ...(statement === undefined ? {} : { line: statement.line, column: 1, excerpt: statement.text.split('\n')[0] ?? '' }),
      hint: `the connecting role may ${verb} only what it holds WITH GRANT OPTION; run apply as the owner of "${object}" or a member of the owning role`,
    },
    'ungranted',
    adviceFor(file, 'ungranted'),
  );
}

/** Drops an index that an interrupted CREATE INDEX CONCURRENTLY left invalid, so the file can build it again. */
async function dropInvalidIndex(file: FolderMigration, options: RunOptions): Promise<void> {
  const index = file.meta?.index;
  if (index === undefined) return;
  const qualified = quoteQualified(index[0], index[1]);
  if ((await indexValidity(options.client, qualified)) === false) {
    await options.client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`);
    options.onEvent({ kind: 'invalid-index-dropped', index: qualified });
  }
}
