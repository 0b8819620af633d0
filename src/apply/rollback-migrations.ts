import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { clientConfig, type ConnectionInfo } from '../db/server.js';
import { DISABLE_TRANSACTION_MARKER } from '../render/render-plan.js';
import { ApplyError, isConnectionLoss, toApplyError } from './apply-errors.js';
import { type ApplyEvent, acquireApplyLock, releaseApplyLock } from './apply-migrations.js';
import { type FolderMigration, readMigrationFolder } from './migration-folder.js';
import { assertPrivileges, inspectRlsgenSchema, refuseUntrusted } from './preflight.js';
import { type ConnectionWatch, LockRetriesExhausted, lockTimeoutError, retryOnLockTimeout, ungranted, watchConnection } from './run-migration.js';

export interface RollbackOptions {
  readonly connection: ConnectionInfo;
  readonly dir: string;
  /** Roll back every applied migration with an id above this one (0: all of them). */
  readonly to: number;
  readonly dryRun?: boolean;
  readonly wait?: boolean;
  /** Retries of a script that hit lock_timeout. */
  readonly retries?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
}

export interface RollbackResult {
  readonly rolledBack: readonly FolderMigration[];
}

/**
 * `rlsgen rollback --to N`: runs the rollback scripts (`down/`) of every
 * applied migration above N, newest first, each in one transaction with the
 * removal of its row from rlsgen.migrations (the concurrent-index ones run
 * outside a transaction, as their migration did). Rolling back to 0 also
 * removes rlsgen's bookkeeping table and schema.
 */
export async function rollbackMigrations(options: RollbackOptions): Promise<RollbackResult> {
  const onEvent = options.onEvent ?? (() => undefined);
  const files = readMigrationFolder(options.dir);
  const client = new pg.Client(clientConfig(options.connection, 'rlsgen rollback'));
  const watch = watchConnection(client);
  await client.connect();
  let locked = false;
  const role = options.connection.user;
  try {
    await client.query('SET search_path = pg_catalog, pg_temp');
    await acquireApplyLock(client, options.wait ?? true, onEvent);
    locked = true;
    const inspection = await inspectRlsgenSchema(client, files, role);
    refuseUntrusted(inspection, true);
    const exists = await client.query<{ ok: boolean }>("SELECT pg_catalog.to_regclass('rlsgen.migrations') IS NOT NULL AS ok");
    if (exists.rows[0]?.ok !== true) return { rolledBack: [] };
    const { rows } = await client.query<{ id: number; name: string; hash: string }>('SELECT id, name, hash FROM rlsgen.migrations WHERE id > $1 ORDER BY id DESC', [
      options.to,
    ]);
    const targets = rows.map((row) => {
      const file = files.find((f) => f.id === row.id);
      if (file === undefined) throw new ApplyError(`migration ${row.id} (${row.name}) is applied to this database but missing from ${options.dir}: restore it from version control`, null, {}, 'missing');
      if (file.hash !== row.hash) throw new ApplyError(`${file.path} changed after it was applied; its rollback may not match (restore it from version control)`, file, {}, 'changed');
      if (!existsSync(file.downPath)) throw new ApplyError(`${file.downPath} (the rollback of ${file.fileName}) is missing: restore it from version control`, file, {}, 'missing');
      return file;
    });
    refuseUntrusted(inspection);
    if (options.dryRun === true) return { rolledBack: targets };
    const scripts = new Map(targets.map((f) => [f.id, readFileSync(f.downPath, 'utf8')]));
    await assertPrivileges(client, targets.map((f) => ({ path: f.downPath, sql: scripts.get(f.id) ?? '', table: f.meta?.table, generated: f.meta !== null })), 'rollback', role);
    await client.query('SET client_min_messages = notice');
    const done: FolderMigration[] = [];
    for (const [index, file] of targets.entries()) {
      const sql = scripts.get(file.id) ?? '';
      const last = options.to === 0 && file.id === 1;
      onEvent({ kind: 'file-start', file, index: index + 1, total: targets.length });
      const started = Date.now();
      await runRollbackScript(file, sql, last, { client, watch, role, retries: options.retries ?? 8, onEvent });
      done.push(file);
      onEvent({ kind: 'file-done', file, ms: Date.now() - started });
    }
    return { rolledBack: done };
  } catch (error) {
    if (isConnectionLoss(error) && !(error instanceof ApplyError)) throw toApplyError(error, null, watch.serverReason(), role);
    throw error;
  } finally {
    if (locked) await releaseApplyLock(client);
    await client.end().catch(() => undefined);
  }
}

interface ScriptOptions {
  readonly client: pg.Client;
  readonly watch: ConnectionWatch;
  readonly role: string;
  readonly retries: number;
  readonly onEvent: (event: ApplyEvent) => void;
}

/**
 * Runs one rollback script and removes its migration's row, in one
 * transaction unless the script opts out; lock timeouts are retried as apply
 * retries them, and a REVOKE that PostgreSQL answers with "no privileges
 * could be revoked" fails the script. `last`: the bootstrap's rollback, which
 * drops the bookkeeping table with the schema.
 */
async function runRollbackScript(file: FolderMigration, sql: string, last: boolean, options: ScriptOptions): Promise<void> {
  const { client, watch } = options;
  const transactional = !sql.includes(DISABLE_TRANSACTION_MARKER);
  const script = { ...file, path: file.downPath, sql, transactional };
  const run = async (): Promise<void> => {
    watch.takeWarnings();
    await client.query(sql);
    const warnings = watch.takeWarnings();
    if (warnings.length > 0) throw ungranted(script, warnings);
  };
  try {
    await retryOnLockTimeout(script, options, async () => {
      if (!transactional) {
        await run();
        await client.query('DELETE FROM rlsgen.migrations WHERE id = $1', [file.id]);
        return;
      }
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM rlsgen.migrations WHERE id = $1', [file.id]);
        // The bootstrap's rollback drops the rlsgen schema, which must be empty by then.
        if (last) await client.query('DROP TABLE rlsgen.migrations');
        await run();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  } catch (error) {
    const cause = error instanceof LockRetriesExhausted ? error.error : error;
    let failed = toApplyError(cause, script, watch.serverReason(), options.role);
    const again = failed.kind === 'connection-lost' ? 'run rollback again once the server accepts connections' : 'fix the cause and run rollback again';
    const advice =
      failed.kind === 'connection-lost'
        ? `${again}: it continues with the migrations still recorded`
        : transactional
          ? `the rollback script was rolled back: nothing of it remains; ${again}`
          : `this script runs outside a transaction: the statements before the failing one stay done; check them, then ${again}`;
    if (error instanceof LockRetriesExhausted) failed = lockTimeoutError(error, script, failed, advice);
    throw new ApplyError(`rollback ${file.downPath} failed: ${failed.message}`, failed.file, failed.details, failed.kind, advice);
  }
}
