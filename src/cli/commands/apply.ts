import { relative } from 'node:path';
import { applyMigrations } from '../../apply/apply-migrations.js';
import { rollbackMigrations } from '../../apply/rollback-migrations.js';
import { setContextSecret } from '../../apply/set-context-secret.js';
import type { Stage } from '../../plan/plan.js';
import { durationMilliseconds } from '../../sql/interval.js';
import { EXIT, type Output } from '../output.js';
import { progressReporter } from '../progress.js';
import { applyFailureStatus, connectionFrom, printApplyError } from './common.js';
import { DataCheckFailed, dataCheck } from './data-check.js';

export interface ApplyCliOptions {
  readonly dir: string;
  readonly databaseUrl?: string;
  readonly stage: Stage | 'all';
  readonly dryRun: boolean;
  readonly batchSize?: number;
  readonly batchPause?: string;
  readonly lockTimeout: string;
  readonly retries?: number;
  readonly wait: boolean;
  /** The manifest the folder was generated from, for the data check before the prepare stage. */
  readonly manifest?: string;
  /** Start the prepare stage even when the data check says the enforce stage would fail. */
  readonly ignoreDataCheck?: boolean;
  /** How long a file waits for long transactions on its table before it queues for its lock (a duration; default 10min). */
  readonly longTransactionWait?: string;
}

export async function runApply(output: Output, options: ApplyCliOptions): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const progress = progressReporter(output);
  try {
    const result = await applyMigrations({
      ...(options.ignoreDataCheck === true ? {} : { beforeRollout: dataCheck(output, options.manifest) }),
      connection,
      dir: options.dir,
      stage: options.stage,
      dryRun: options.dryRun,
      lockTimeout: options.lockTimeout,
      wait: options.wait,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.longTransactionWait === undefined ? {} : { maxHolderWaitMs: durationMilliseconds(options.longTransactionWait) ?? 600_000 }),
      onEvent: progress.onEvent,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.batchPause === undefined ? {} : { batchPause: options.batchPause }),
    });
    progress.stop();
    const dir = relative(process.cwd(), options.dir) || options.dir;
    const skipped = result.superseded;
    if (skipped.length > 0) {
      output.out(`${options.dryRun ? 'would skip' : 'skipped'} ${skipped.length} migration(s) never applied here that a later generation replaces (${skipped[0]?.fileName} .. ${skipped[skipped.length - 1]?.fileName})`);
    }
    if (options.dryRun) {
      output.out(`${result.alreadyApplied} migration(s) of ${dir} already applied; ${result.pending.length} pending:`);
      for (const file of result.pending) output.out(`  ${file.fileName}  ${file.meta?.stage ?? ''}${file.transactional ? '' : '  (outside a transaction)'}`);
      return EXIT.ok;
    }
    if (result.applied.length === 0) output.out(`nothing to apply: ${result.alreadyApplied} migration(s) of ${dir} already applied`);
    else output.out(`applied ${result.applied.length} migration(s) (${result.applied[0]?.fileName} .. ${result.applied[result.applied.length - 1]?.fileName})`);
    for (const b of result.backfills) {
      output.out(`  backfill ${b.table}: ${b.filled} row(s) filled${b.unresolved > 0 ? `, ${b.unresolved} left without a tenant (rlsgen audit lists them)` : ''}`);
    }
    const enforce = result.pending.filter((f) => f.meta?.stage === 'enforce');
    const distribute = result.pending.filter((f) => f.meta?.stage === 'distribute');
    if (enforce.length > 0) {
      // With a distribute stage behind it, a bare `rlsgen apply` would distribute too.
      const next = distribute.length > 0 ? 'rlsgen apply --stage enforce (the distribute stage comes after, in a maintenance window)' : 'rlsgen apply again';
      output.out('');
      output.out(`${enforce.length} enforce-stage migration(s) pending: deploy the application that sets the tenant variable in every transaction, then run ${next}.`);
    }
    if (distribute.length > 0 && enforce.length === 0) {
      output.out('');
      output.out(`${distribute.length} distribute-stage migration(s) pending: they copy each table into the Citus cluster and block writes to it meanwhile; run rlsgen apply again in a maintenance window.`);
    }
    return EXIT.ok;
  } catch (error) {
    progress.stop();
    if (error instanceof DataCheckFailed) return EXIT.findings;
    printApplyError(output, error);
    return applyFailureStatus(error);
  }
}

export async function runRollback(output: Output, options: { dir: string; databaseUrl?: string; to: number; dryRun: boolean }): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const progress = progressReporter(output);
  try {
    const result = await rollbackMigrations({ connection, dir: options.dir, to: options.to, dryRun: options.dryRun, onEvent: progress.onEvent });
    progress.stop();
    const verb = options.dryRun ? 'would roll back' : 'rolled back';
    output.out(`${verb} ${result.rolledBack.length} migration(s)${result.rolledBack.length > 0 ? `, newest first: ${result.rolledBack.map((f) => f.fileName).join(', ')}` : ''}`);
    return EXIT.ok;
  } catch (error) {
    progress.stop();
    if (error instanceof DataCheckFailed) return EXIT.findings;
    printApplyError(output, error);
    return applyFailureStatus(error);
  }
}

export async function runSecret(output: Output, options: { databaseUrl?: string; fromEnv: boolean }): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const fromEnv = process.env['RLSGEN_CONTEXT_SECRET'];
  if (options.fromEnv && (fromEnv === undefined || fromEnv === '')) {
    output.err('error: --from-env: RLSGEN_CONTEXT_SECRET is not set');
    return EXIT.usage;
  }
  try {
    const hex = await setContextSecret(connection, options.fromEnv ? fromEnv : undefined);
    if (options.fromEnv) output.err('stored the secret from RLSGEN_CONTEXT_SECRET');
    else {
      output.err('stored a new secret; give it to the application (it is not shown again):');
      output.out(hex);
    }
    return EXIT.ok;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.findings;
  }
}
