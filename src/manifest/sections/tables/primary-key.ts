import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `primary_key:` the single-column key that batches the backfill and builds the composite keys. */
export function readPrimaryKey(input: TableKeyInput): Pick<TableModel, 'primaryKey'> {
  const primaryKey = input.entry.raw.primary_key ?? input.section.defaults.primaryKey;
  input.section.report.checkIdentifier(input.at('primary_key'), primaryKey);
  return { primaryKey };
}
