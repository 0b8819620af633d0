import type { Model, TableMode } from '../../model.js';
import type { SectionInput } from '../../section.js';
import type { Segment } from '../../source-map.js';
import type { TableEntry } from '../../table-index.js';

/**
 * What the file of one key of a table entry (`backfill`, `foreign_keys`,
 * ...) reads. Each such file under sections/tables/ checks its key and
 * returns its fields of the TableModel; sections/tables.ts puts them together.
 */
export interface TableKeyInput {
  readonly section: SectionInput;
  readonly entry: TableEntry;
  readonly mode: TableMode;
  /** tenant or shared. */
  readonly scoped: boolean;
  /** The entry is the tenant table itself (`companies`). */
  readonly isTenantTable: boolean;
  readonly tenant: Model['tenant'];
  /** The path of a key of this entry: `['tables', key, ...rest]`. */
  at(...rest: Segment[]): Segment[];
}

/** Whether a declared table is the tenant table. */
export function isTenantEntry(entry: TableEntry, tenant: Model['tenant']): boolean {
  return entry.name.schema === tenant.tableName.schema && entry.name.name === tenant.tableName.name;
}
