import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `existing_column:` the table has the tenant column already, of the tenant's type. */
export function readExistingColumn(input: TableKeyInput): Pick<TableModel, 'existingColumn'> {
  const existing = input.entry.raw.existing_column;
  const tenantType = input.tenant.type;
  if (existing !== undefined && existing !== tenantType) {
    input.section.report.error(input.at('existing_column'), 'type-mismatch', `existing column type ${existing} does not match tenant.type ${tenantType}`, { help: 'the tenant column must have the same type everywhere, or foreign keys and policy comparisons fail' });
  }
  return { existingColumn: existing ?? null };
}
