import { existsSync } from 'node:fs';
import type pg from 'pg';
import { checkPathConsistency } from '../../audit/path-consistency.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { findTableInfo } from '../../introspect/snapshot.js';
import type { Output } from '../output.js';
import { readModel } from './common.js';
import { formatConsistency } from './format-consistency.js';

/** The data check stopped the rollout; what it found is printed already. */
export class DataCheckFailed extends Error {
  constructor() {
    super('the enforce stage would fail on today\'s data');
    this.name = 'DataCheckFailed';
  }
}

/**
 * Apply's `beforeRollout` hook: before the first migration of a rollout,
 * in the same run and under the apply lock, whether today's data lets the
 * enforce stage through (composite keys validate, NOT NULL holds). When it
 * would fail, the rows are printed and `DataCheckFailed` stops the run
 * before the prepare stage starts. Once a migration of the folder is
 * applied, apply does not call it (the rollout is under way; `rlsgen audit`
 * still reports).
 */
export function dataCheck(output: Output, given: string | undefined): (client: pg.Client) => Promise<void> {
  const manifest = given ?? 'policies.yaml';
  // Without --manifest the check runs when ./policies.yaml describes this database, and is skipped quietly otherwise.
  const note = (text: string): void => {
    if (given !== undefined) output.err(`note: ${text}`);
  };
  return async (client) => {
    if (!existsSync(manifest)) {
      note(`no ${manifest}: the data check before the prepare stage is skipped`);
      return;
    }
    const model = readModel(output, manifest);
    if (model === null) throw new DataCheckFailed();
    const snapshot = await introspectDatabase(client);
    const absent = model.tables.filter((t) => t.mode !== 'exempt' && findTableInfo(snapshot, t.name) === undefined);
    if (absent.length > 0) {
      note(`the database has no table ${absent.map((t) => t.key).join(', ')} of ${manifest}: the data check before the prepare stage is skipped`);
      return;
    }
    const report = await checkPathConsistency(client, model, snapshot);
    if (!report.enforceFails) return;
    for (const line of formatConsistency(report, model.tenant.column)) output.err(line);
    output.err('');
    output.err('error: the enforce stage would fail on today\'s data; the prepare stage was not started. Fix the rows or the manifest, or pass --ignore-data-check to apply it anyway');
    throw new DataCheckFailed();
  };
}
