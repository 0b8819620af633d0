import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { type ConnectionInfo, connectClient } from '../db/server.js';
import { DISABLE_TRANSACTION_MARKER } from '../render/render-plan.js';
import { type ApplyEvent, ApplyError, acquireApplyLock, releaseApplyLock } from './apply-migrations.js';
import { type FolderMigration, readMigrationFolder } from './migration-folder.js';

export interface RollbackOptions {
  readonly connection: ConnectionInfo;
  readonly dir: string;
  /** Roll back every applied migration with an id above this one (0: all of them). */
  readonly to: number;
  readonly dryRun?: boolean;
  readonly wait?: boolean;
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
  let locked = false;
  try {
    await acquireApplyLock(client, options.wait ?? true, onEvent);
    locked = true;
    const exists = await client.query<{ ok: boolean }>("SELECT to_regclass('rlsgen.migrations') IS NOT NULL AS ok");
    if (exists.rows[0]?.ok !== true) return { rolledBack: [] };
    const { rows } = await client.query<{ id: number; hash: string }>('SELECT id, hash FROM rlsgen.migrations WHERE id > $1 ORDER BY id DESC', [
      options.to,
    ]);
    const targets = rows.map((row) => {
      const file = files.find((f) => f.id === row.id);
      if (file === undefined) throw new ApplyError(`applied migration ${row.id} is missing from ${options.dir}`, null);
      if (file.hash !== row.hash) throw new ApplyError(`${file.path} changed after it was applied; its rollback may not match`, file);
      if (!existsSync(file.downPath)) throw new ApplyError(`${file.downPath} (the rollback of ${file.fileName}) is missing`, file);
      return file;
    });
    if (options.dryRun === true) return { rolledBack: targets };
    const done: FolderMigration[] = [];
    for (const [index, file] of targets.entries()) {
      const sql = readFileSync(file.downPath, 'utf8');
      const last = options.to === 0 && file.id === 1;
      onEvent({ kind: 'file-start', file, index: index + 1, total: targets.length });
      const started = Date.now();
      const transactional = !sql.includes(DISABLE_TRANSACTION_MARKER);
      try {
        if (transactional) {
          await client.query('BEGIN');
          await client.query('DELETE FROM rlsgen.migrations WHERE id = $1', [file.id]);
          // The bootstrap's rollback drops the rlsgen schema, which must be empty by then.
          if (last) await client.query('DROP TABLE rlsgen.migrations');
          await client.query(sql);
          await client.query('COMMIT');
        } else {
          await client.query(sql);
          await client.query('DELETE FROM rlsgen.migrations WHERE id = $1', [file.id]);
        }
      } catch (error) {
        if (transactional) await client.query('ROLLBACK').catch(() => undefined);
        const e = error as { message?: string; code?: string };
        throw new ApplyError(`rollback ${file.downPath} failed: ${e.message ?? String(error)}`, file, e.code === undefined ? {} : { code: e.code });
      }
      done.push(file);
      onEvent({ kind: 'file-done', file, ms: Date.now() - started });
    }
    return { rolledBack: done };
  } finally {
    if (locked) await releaseApplyLock(client);
    await client.end().catch(() => undefined);
  }
}
