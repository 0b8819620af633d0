import type pg from 'pg';
import { DISABLE_TRANSACTION_MARKER } from '../render/render-plan.js';
import { ApplyError, toApplyError } from './apply-errors.js';
import type { FolderMigration } from './migration-folder.js';
import { type ConnectionWatch, LockRetriesExhausted, lockTimeoutError, retryOnLockConflict, type RunEvent, ungranted } from './run-migration.js';

export interface ScriptOptions {
  readonly client: pg.Client;
  readonly watch: ConnectionWatch;
  readonly role: string;
  readonly retries: number;
  readonly onEvent: (event: RunEvent) => void;
}

/**
 * Runs one rollback script and removes its migration's row, in one
 * transaction unless the script opts out; lock timeouts are retried as apply
 * retries them, and a REVOKE that PostgreSQL answers with "no privileges
 * could be revoked" fails the script. `last`: the bootstrap's rollback, which
 * drops the bookkeeping table with the schema.
 */
export async function runRollbackScript(file: FolderMigration, sql: string, last: boolean, options: ScriptOptions): Promise<void> {
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
    await retryOnLockConflict(script, options, async () => {
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
