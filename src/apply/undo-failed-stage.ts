import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import type { Stage } from '../plan/plan.js';
import { ApplyError } from './apply-errors.js';
import type { FolderMigration } from './migration-folder.js';
import type { ConnectionWatch, RunEvent } from './run-migration.js';
import { runRollbackScript } from './run-rollback-script.js';

/**
 * Stages whose failure apply undoes. The enforce stage adds constraints
 * (NOT VALID composite foreign keys, from their first file on) and policies
 * that the running application's writes may not satisfy while a later file
 * of the stage cannot complete; each of its files is one short transaction
 * with an exact rollback script, so the whole stage can be taken back. The
 * prepare stage is written so that the old application keeps working at
 * every file boundary (nullable column, a trigger that fills it, resumable
 * backfills), and the distribute stage moves data: neither is undone.
 */
const UNDONE_STAGES: ReadonlySet<Stage> = new Set<Stage>(['enforce']);

/**
 * The applied files to take back after `failed` failed: the applied files
 * of its stage since the last applied file of another stage, newest first.
 */
export function filesToUndo(failed: FolderMigration, files: readonly FolderMigration[], appliedIds: readonly number[]): FolderMigration[] {
  const stage = failed.meta?.stage;
  if (stage === undefined || !UNDONE_STAGES.has(stage)) return [];
  const out: FolderMigration[] = [];
  for (const id of [...appliedIds].sort((a, b) => b - a)) {
    const file = files.find((f) => f.id === id);
    if (file?.meta?.stage !== stage) break;
    out.push(file);
  }
  return out;
}

export interface UndoOptions {
  readonly client: pg.Client;
  readonly watch: ConnectionWatch;
  readonly role: string;
  readonly retries: number;
  readonly onEvent: (event: RunEvent) => void;
}

/**
 * After `error` failed a file of a stage apply undoes: runs the rollback
 * scripts of the stage's applied files, newest first, so that nothing of the
 * stage stays to reject the running application's writes, and returns the
 * error with the advice that is then true. A failure of the undo itself is
 * reported with the original error.
 */
export async function undoFailedStage(error: ApplyError, files: readonly FolderMigration[], options: UndoOptions): Promise<ApplyError> {
  const failed = error.file;
  if (failed === null || error.kind === 'connection-lost' || error.kind === 'changed' || error.kind === 'missing') return error;
  if (failed.meta?.stage === undefined || !UNDONE_STAGES.has(failed.meta.stage)) return error;
  const { rows } = await options.client.query<{ id: number }>('SELECT id FROM rlsgen.migrations WHERE id > 0 ORDER BY id');
  const undo = filesToUndo(failed, files, rows.map((r) => r.id));
  const stage = failed.meta.stage;
  const start = files.filter((f) => f.id < (undo[undo.length - 1]?.id ?? failed.id) && rows.some((r) => r.id === f.id)).pop();
  const since = start === undefined ? 'the start' : start.fileName;
  const missing = undo.find((f) => !existsSync(f.downPath));
  if (missing !== undefined) {
    return withAdvice(error, `${error.advice ?? ''}; the ${stage} stage could not be taken back: ${missing.downPath} is missing (restore it, then rlsgen rollback --to ${start?.id ?? 0})`);
  }
  const done: FolderMigration[] = [];
  try {
    for (const file of undo) {
      await runRollbackScript(file, readFileSync(file.downPath, 'utf8'), false, options);
      done.push(file);
    }
  } catch (undoError) {
    const reason = undoError instanceof Error ? undoError.message : String(undoError);
    return withAdvice(
      error,
      `the migration was rolled back, but taking back the ${stage} stage stopped after ${done.length} of ${undo.length} file(s): ${reason}; fix that, then rlsgen rollback --to ${start?.id ?? 0}`,
    );
  }
  const what = undo.length === 0 ? 'no earlier file of the stage was applied' : `${undo.length} applied file(s) taken back (${undo[undo.length - 1]?.fileName} .. ${undo[0]?.fileName})`;
  const next =
    error.kind === 'lock-timeout'
      ? 'run apply again when that transaction has ended'
      : error.kind === 'statement'
        ? 'fix the data and run apply again, or fix the manifest, run rlsgen generate --replace-enforce, then apply'
        : 'fix the cause and run apply again';
  return withAdvice(error, `the migration was rolled back, and so was the ${stage} stage: ${what}; the database is as it was after ${since}, so the running application works as before; ${next}`);
}

function withAdvice(error: ApplyError, advice: string): ApplyError {
  return new ApplyError(error.message, error.file, error.details, error.kind, advice);
}
