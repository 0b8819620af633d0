import { finding, type LintRule, tableObject } from '../rule.js';

/** A tenant table without row-level security: every role with SELECT reads every tenant. */
export const requireRlsEnabled: LintRule = {
  id: 'require-rls-enabled',
  severity: 'error',
  title: 'tenant table without row-level security',
  fix: 'ALTER TABLE ... ENABLE ROW LEVEL SECURITY and FORCE it, with policies on the tenant column (rlsgen generate does all three).',
  check(context) {
    return context.tenantTables
      .filter((t) => !t.rlsEnabled)
      .map((t) => finding(this, tableObject(t), `${t.schema}.${t.name} holds tenant rows but row-level security is off: every role that can read it reads every tenant`));
  },
};
