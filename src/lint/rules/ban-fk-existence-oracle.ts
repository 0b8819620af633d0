import { findTableInfo, qualified } from '../../introspect/snapshot.js';
import { isTenantTable } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';
import { appHolds } from '../tenant-binding.js';

/**
 * The foreign-key check reads the referenced table without row security. A
 * table the application can write that references a tenant table by a key
 * without the tenant column tells the writer whether a guessed id exists in
 * another tenant (the row is accepted, or the key is violated). Keys between
 * tenant tables are `ban-single-column-tenant-fk`; a composite key that
 * includes the tenant column (what rlsgen generates) only finds rows of the
 * writer's own tenant, and is not reported.
 */
export const banFkExistenceOracle: LintRule = {
  id: 'ban-fk-existence-oracle',
  severity: 'warning',
  title: "writable table's foreign key into a tenant table reveals other tenants' ids",
  fix: 'Scope the referencing table by tenant and reference (tenant_column, id), or drop the key and check existence through a tenant-scoped lookup.',
  check(context) {
    const out = [];
    const tenantTable = context.model?.tenant.tableName;
    for (const table of context.snapshot.tables) {
      if (isTenantTable(context, table)) continue;
      const grant = appHolds(context.snapshot, table, context.appRole, ['INSERT', 'UPDATE']);
      if (grant === undefined) continue;
      for (const fk of table.foreignKeys) {
        if (fk.inherited || !isTenantTable(context, fk.references)) continue;
        if (tenantTable !== undefined && fk.references.schema === tenantTable.schema && fk.references.name === tenantTable.name) continue;
        const parent = findTableInfo(context.snapshot, fk.references);
        if (parent === undefined || !parent.rlsEnabled || fk.referencedColumns.includes(context.tenantColumn)) continue;
        out.push(
          finding(
            this,
            tableObject(table),
            `${fk.name}: ${qualified(table)}(${fk.columns.join(', ')}) -> ${qualified(parent)}(${fk.referencedColumns.join(', ')}) is checked without row security, and ${grant.grantee} can write ${qualified(table)}: whether a write is accepted tells whether an id exists in another tenant`,
          ),
        );
      }
    }
    return out;
  },
};
