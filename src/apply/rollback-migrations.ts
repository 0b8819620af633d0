import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { type ConnectionInfo, connectClient } from '../db/server.js';
import { ApplyError, isConnectionLoss, toApplyError } from './apply-errors.js';
import { type ApplyEvent, acquireApplyLock, releaseApplyLock } from './apply-migrations.js';
import { type FolderMigration, readMigrationFolder } from './migration-folder.js';
import { assertPrivileges, inspectRlsgenSchema, refuseUntrusted } from './preflight.js';
import { watchConnection } from './run-migration.js';
import { runRollbackScript } from './run-rollback-script.js';

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
  const client = await connectClient(options.connection, 'rlsgen rollback');
  const watch = watchConnection(client);
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
