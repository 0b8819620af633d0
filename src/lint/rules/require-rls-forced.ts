import { finding, type LintRule, tableObject } from '../rule.js';

/** RLS enabled but not forced: the table's owner (and whatever runs as it) skips every policy. */
export const requireRlsForced: LintRule = {
  id: 'require-rls-forced',
  severity: 'error',
  title: 'row-level security enabled but not forced',
  fix: 'ALTER TABLE ... FORCE ROW LEVEL SECURITY, so the owner is subject to the policies too.',
  check(context) {
    return context.tenantTables
      .filter((t) => t.rlsEnabled && !t.rlsForced)
      .map((t) => finding(this, tableObject(t), `${t.schema}.${t.name} does not FORCE row-level security: its owner ${t.owner}, and views and functions running as ${t.owner}, see every tenant`));
  },
};
