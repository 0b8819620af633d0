import { finding, type LintRule, tableObject } from '../rule.js';

/** A table the manifest neither scopes nor exempts: nobody decided whether it holds tenant data. */
export const requireManifestCoverage: LintRule = {
  id: 'require-manifest-coverage',
  severity: 'error',
  title: 'table neither scoped nor exempted by the manifest',
  fix: 'Add it to policies.yaml: as a tenant or shared table, or as exempt with the reason (rlsgen init proposes an entry).',
  check(context) {
    const model = context.model;
    if (model === null) return [];
    const declared = new Set(model.tables.map((t) => `${t.name.schema}.${t.name.name}`));
    declared.add(`${model.tenant.tableName.schema}.${model.tenant.tableName.name}`);
    return context.snapshot.tables
      .filter((t) => !declared.has(`${t.schema}.${t.name}`) && !(t.parent !== null && declared.has(`${t.parent.schema}.${t.parent.name}`)))
      .map((t) => finding(this, tableObject(t), `${t.schema}.${t.name} is in the database but not in the manifest`));
  },
};
