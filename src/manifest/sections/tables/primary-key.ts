import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `primary_key:` the single-column key that batches the backfill and builds the composite keys. */
export function readPrimaryKey(input: TableKeyInput): Pick<TableModel, 'primaryKey'> {
  const own = input.entry.raw.primary_key;
  // The default is checked once, where `defaults:` is read.
  if (own !== undefined) input.section.report.checkIdentifier(input.at('primary_key'), own);
  const primaryKey = own ?? input.section.defaults.primaryKey;
  return { primaryKey };
}
