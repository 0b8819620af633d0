import { existsSync } from 'node:fs';
import { checkPathConsistency } from '../../audit/path-consistency.js';
import { applyMigrations } from '../../apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../db/server.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { findTableInfo } from '../../introspect/snapshot.js';
import type { Output } from '../output.js';
import { readModel } from './common.js';
import { formatConsistency } from './format-consistency.js';

/**
 * Before the first migration of a rollout: whether today's data lets the
 * enforce stage through (composite keys validate, NOT NULL holds). False,
 * with the rows printed, when it would fail; the prepare stage then does not
 * start. Once a migration of the folder is applied the check is not repeated
 * (the rollout is under way; `rlsgen audit` still reports).
 */
export async function dataAllowsRollout(output: Output, connection: ConnectionInfo, dir: string, given: string | undefined, wait = true): Promise<boolean> {
  const manifest = given ?? 'policies.yaml';
  // Without --manifest the check runs when ./policies.yaml describes this database, and is skipped quietly otherwise.
  const note = (text: string): void => {
    if (given !== undefined) output.err(`note: ${text}`);
  };
  const plan = await applyMigrations({ connection, dir, dryRun: true, wait });
  if (plan.alreadyApplied > 0 || plan.pending.length === 0) return true;
  if (!existsSync(manifest)) {
    note(`no ${manifest}: the data check before the prepare stage is skipped`);
    return true;
  }
  const model = readModel(output, manifest);
  if (model === null) return false;
  const report = await withClient(
    connection,
    async (client) => {
      const snapshot = await introspectDatabase(client);
      const absent = model.tables.filter((t) => t.mode !== 'exempt' && findTableInfo(snapshot, t.name) === undefined);
      if (absent.length === 0) return checkPathConsistency(client, model, snapshot);
      note(`the database has no table ${absent.map((t) => t.key).join(', ')} of ${manifest}: the data check before the prepare stage is skipped`);
      return null;
    },
    'rlsgen apply',
  );
  if (report === null || !report.enforceFails) return true;
  for (const line of formatConsistency(report, model.tenant.column)) output.err(line);
  output.err('');
  output.err('error: the enforce stage would fail on today\'s data; the prepare stage was not started. Fix the rows or the manifest, or pass --ignore-data-check to apply it anyway');
  return false;
}
