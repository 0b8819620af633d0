import { isTenantTable } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Foreign-key checks ignore row security: a single-column key between two
 * tenant tables lets a row point at another tenant's row, and its error tells
 * whether an id exists in another tenant.
 */
export const banSingleColumnTenantFk: LintRule = {
  id: 'ban-single-column-tenant-fk',
  severity: 'error',
  title: 'single-column foreign key between tenant tables',
  fix: 'Replace it with a composite key (tenant_column, column) -> parent (tenant_column, id) (rlsgen generates it from the manifest).',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const fk of table.foreignKeys) {
        if (fk.columns.includes(context.tenantColumn) || !isTenantTable(context, fk.references)) continue;
        if (fk.references.schema === context.model?.tenant.tableName.schema && fk.references.name === context.model.tenant.tableName.name) continue;
        out.push(
          finding(this, tableObject(table), `${fk.name}: ${table.schema}.${table.name}(${fk.columns.join(', ')}) -> ${fk.references.schema}.${fk.references.name} does not include ${context.tenantColumn}: a row can point at another tenant's row`),
        );
      }
    }
    return out;
  },
};
