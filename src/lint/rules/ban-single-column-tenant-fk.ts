import type { TableInfo } from '../../introspect/snapshot.js';
import { guardTriggerName } from '../../plan/plan-reference-guards.js';
import { isTenantTable } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * Foreign-key checks ignore row security: a single-column key between two
 * tenant tables lets a row point at another tenant's row, and its error tells
 * whether an id exists in another tenant. A key into a shared table keeps one
 * column (its global rows have no tenant) under rlsgen's reference trigger,
 * which refuses another tenant's row as the key refuses a missing one: not
 * reported (apply checks that trigger's function against what rlsgen wrote).
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
        if (fk.columns.length === 1 && hasReferenceGuard(table, fk.columns[0] ?? '')) continue;
        out.push(
          finding(this, tableObject(table), `${fk.name}: ${table.schema}.${table.name}(${fk.columns.join(', ')}) -> ${fk.references.schema}.${fk.references.name} does not include ${context.tenantColumn}: a row can point at another tenant's row`),
        );
      }
    }
    return out;
  },
};

/** rlsgen's trigger keeping `column` within the row's tenant: `rlsgen_guard_<column>`, calling a function in the rlsgen schema. */
function hasReferenceGuard(table: TableInfo, column: string): boolean {
  const name = guardTriggerName(column);
  return table.triggers.some((t) => t.name === name && t.function.schema === 'rlsgen' && /\bBEFORE INSERT OR UPDATE OF\b/.test(t.definition));
}
