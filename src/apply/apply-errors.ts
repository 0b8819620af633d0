import type pg from 'pg';
import type { RlsgenProblem } from './check-rlsgen-schema.js';
import type { MissingPrivilege } from './check-privileges.js';
import { quoteQualified } from '../sql/quote.js';
import { lineColumn } from '../sql/read-sql.js';
import type { FolderMigration } from './migration-folder.js';
import { requiredPrivileges } from './required-privileges.js';

/**
 * How a run failed. Each kind has one message and one piece of advice:
 * - `statement`: a statement of a file failed (PostgreSQL's error, mapped to the file's line);
 * - `lock-timeout`: a file hit lock_timeout, or was a deadlock's victim, on every retry;
 * - `connection-lost`: the server ended the connection (its reason and SQLSTATE when it gave one);
 * - `ungranted`: a GRANT or REVOKE that PostgreSQL answered with "no privileges were granted/revoked";
 * - `changed`: an applied file was edited; `missing`: an applied file (or one before a pending file) is gone;
 * - `superseded`: an applied file belongs to an enforce stage that a pending generation replaces.
 */
export type FailureKind = 'statement' | 'lock-timeout' | 'connection-lost' | 'ungranted' | 'changed' | 'missing' | 'superseded';

export interface ApplyErrorDetails {
  readonly code?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  readonly detail?: string;
  readonly where?: string;
  readonly excerpt?: string;
}

/** A migration failed, or the folder does not match the database; positions are mapped back to the file. */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  constructor(
    message: string,
    readonly file: FolderMigration | null,
    readonly details: ApplyErrorDetails = {},
    readonly kind: FailureKind = 'statement',
    /** What is true about the database now and what to do, in one sentence; null when the file never ran. */
    readonly advice: string | null = null,
  ) {
    super(message);
  }
}

export class ApplyLockedError extends Error {
  override readonly name = 'ApplyLockedError';
}

/**
 * Apply refused to start: the connecting role lacks what the pending files
 * need (`preflight`), or the rlsgen schema holds objects apply does not
 * trust (`untrusted`). Nothing was run or recorded.
 */
export class ApplyRefusedError extends Error {
  override readonly name = 'ApplyRefusedError';
  constructor(
    message: string,
    readonly reason: 'preflight' | 'untrusted',
    readonly missing: readonly MissingPrivilege[],
    readonly problems: readonly RlsgenProblem[],
    readonly help: string,
  ) {
    super(message);
  }
}

/** What kind of file it is, for the advice after a failure. */
type FileShape = 'transaction' | 'index' | 'backfill' | 'script';

function shapeOf(file: FolderMigration): FileShape {
  if (file.transactional) return 'transaction';
  if (file.meta?.index !== undefined || /\bCREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i.test(file.sql)) return 'index';
  if (file.meta?.step === 'backfill' || /\bCALL\s+rlsgen\.backfill\b/i.test(file.sql)) return 'backfill';
  return 'script';
}

/**
 * What the failed build of a generated index file left, read after the
 * failure: its index invalid, or no index at all (the build never began:
 * it did not get its lock, or failed before); unknown once the connection
 * is gone.
 */
export type IndexLeft = 'invalid' | 'absent' | 'unknown';

/** The advice after an index file failed: only a generated file names the index that apply drops before building it again. */
function indexAdvice(file: FolderMigration, left: IndexLeft, again: string): string {
  const index = file.meta?.index;
  if (index === undefined) {
    return `an interrupted concurrent build leaves an invalid index, which running the file again does not replace: if pg_index.indisvalid is false for it, DROP INDEX CONCURRENTLY it, then ${again}`;
  }
  const name = quoteQualified(index[0], index[1]);
  switch (left) {
    case 'invalid':
      return `the build left ${name} invalid, and the next apply drops it and builds it again; ${again}`;
    case 'absent':
      return `no index ${name} was created; ${again}`;
    case 'unknown':
      return `if the build had begun, it left ${name} invalid, and the next apply drops it and builds it again; ${again}`;
    default: {
      const never: never = left;
      throw new Error(`unknown index state ${String(never)}`);
    }
  }
}

/** The one piece of advice that is true after `file` failed in this way (`left`: what an index file's build left). */
export function adviceFor(file: FolderMigration, kind: 'statement' | 'lock-timeout' | 'connection-lost' | 'ungranted', left: IndexLeft = 'unknown'): string {
  const shape = shapeOf(file);
  const again = kind === 'connection-lost' ? 'run apply again once the server accepts connections' : kind === 'lock-timeout' ? 'run apply again when that transaction has ended' : 'fix the cause and run apply again';
  switch (shape) {
    case 'transaction':
      return kind === 'connection-lost'
        ? `the server rolls back the open transaction of a lost connection, so this migration is recorded only if its COMMIT had completed; ${again}: it skips what is recorded`
        : `the migration was rolled back: nothing of it remains; ${again}`;
    case 'index':
      return indexAdvice(file, left, again);
    case 'backfill':
      return `the batches committed before the failure stay filled, and the next apply resumes after the last one; ${again}`;
    case 'script':
      return `this file runs outside a transaction: the statements before the failing one stay applied; check them, then ${again}`;
    default: {
      const never: never = shape;
      throw new Error(`unknown file shape ${String(never)}`);
    }
  }
}

/**
 * The SQLSTATEs with which the server ends a connection: admin_shutdown
 * (pg_terminate_backend, a fast or immediate stop), crash_shutdown (another
 * server process crashed), cannot_connect_now. A backend told to quit at
 * once sends its reason as a WARNING before it closes the connection.
 */
export const CONNECTION_ENDING_CODES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03']);

/** The reason the server gave for ending a connection: its ErrorResponse, or that WARNING. */
export interface ServerReason {
  readonly code?: string | undefined;
  readonly message: string;
}

/** The SQLSTATE classes and messages of a connection the server ended or that broke. */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || CONNECTION_ENDING_CODES.has(code)) return true;
  if (code !== '') return false;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|not queryable|ECONNRESET|EPIPE|ECONNREFUSED|socket hang up|read ETIMEDOUT/i.test(message);
}

export const isLockTimeout = (error: unknown): boolean => (error as { code?: unknown }).code === '55P03';

/** PostgreSQL broke a lock cycle by ending this transaction (40P01): nothing of it remains, and it can run again. */
export const isDeadlock = (error: unknown): boolean => (error as { code?: unknown }).code === '40P01';

/** The hint for a permission error, naming the privilege that is missing. */
function permissionHint(message: string, file: FolderMigration | null, role: string): { hint: string; line?: number; excerpt?: string } | null {
  const needing = (kind: string): { line?: number; excerpt?: string } => {
    if (file === null) return {};
    const found = requiredPrivileges([{ path: file.path, sql: file.sql, generated: file.meta !== null }], 'INSERT').find((r) => r.path !== null && r.need.kind === kind);
    return found === undefined ? {} : { line: found.line, excerpt: found.statement };
  };
  const database = /^permission denied for database (.+)$/.exec(message);
  if (database !== null) {
    return { hint: `${role} lacks the CREATE privilege on database ${database[1] ?? ''}, which CREATE SCHEMA and CREATE EXTENSION need: GRANT CREATE ON DATABASE ${database[1] ?? ''} TO ${role}`, ...needing('database-create') };
  }
  const owner = /^must be owner of (\w+(?: \w+)?) (.+)$/.exec(message);
  if (owner !== null) return { hint: `only the owner of ${owner[1] ?? ''} ${owner[2] ?? ''} (or a member of the owning role) may do this: run apply as that role` };
  if (/^permission denied to create role/.test(message)) return { hint: `${role} needs CREATEROLE to create the roles the manifest names; or create them beforehand` };
  const object = /^permission denied for (\w+) (.+)$/.exec(message);
  if (object !== null) return { hint: `${role} lacks a privilege on ${object[1] ?? ''} ${object[2] ?? ''} that the statement uses: grant it, or run apply as the owner of ${object[2] ?? ''}` };
  return null;
}

/** PostgreSQL's error (or the reason the server gave for ending the connection) as an ApplyError on `file` (`left`: what an index file's build left). */
export function toApplyError(error: unknown, file: FolderMigration | null, serverReason: ServerReason | null, role: string, left: IndexLeft = 'unknown'): ApplyError {
  if (error instanceof ApplyError) return error;
  if (isConnectionLoss(error)) {
    const reason: ServerReason | null = (error as { code?: unknown }).code === undefined ? serverReason : (error as pg.DatabaseError);
    const message =
      reason === null
        ? `lost the connection to the server (${(error as Error).message}; the server gave no reason: it may have crashed or been stopped, or the network failed)`
        : `lost the connection to the server: ${reason.message}`;
    return new ApplyError(message, file, reason?.code === undefined ? {} : { code: reason.code }, 'connection-lost', file === null ? null : adviceFor(file, 'connection-lost'));
  }
  const e = error as Partial<pg.DatabaseError> & { message?: string };
  const message = e.message ?? String(error);
  const details: { -readonly [K in keyof ApplyErrorDetails]: ApplyErrorDetails[K] } = {};
  if (e.code !== undefined) details.code = e.code;
  if (e.hint !== undefined) details.hint = e.hint;
  if (e.detail !== undefined) details.detail = e.detail;
  if (e.where !== undefined) details.where = e.where;
  const position = e.position === undefined ? null : Number(e.position);
  if (file !== null && position !== null && Number.isFinite(position)) {
    const { line, column } = lineColumn(file.sql, position);
    details.line = line;
    details.column = column;
    details.excerpt = `${file.sql.split('\n')[line - 1] ?? ''}\n${' '.repeat(column - 1)}^`;
  }
  if (e.code === '42501') {
    const permission = permissionHint(message, file, role);
    if (permission !== null) {
      details.hint = permission.hint;
      if (details.line === undefined && permission.line !== undefined) {
        details.line = permission.line;
        if (permission.excerpt !== undefined) details.excerpt = permission.excerpt;
      }
    }
  }
  return new ApplyError(message, file, details, 'statement', file === null ? null : adviceFor(file, 'statement', left));
}
