import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `distribution:` (target citus) distributed by the tenant column, a reference table, or local. */
export function readDistribution(input: TableKeyInput): Pick<TableModel, 'distribution'> {
  const { entry, mode, section } = input;
  const distribution = entry.raw.distribution;
  if (section.built('target') === 'citus') {
    if (mode === 'shared' && distribution === 'distributed') {
      section.report.error(input.at('distribution'), 'citus-shared-distributed', 'a shared table has rows without a tenant and cannot be distributed by it', { help: 'make it a reference table' });
    }
  } else if (distribution !== undefined) {
    section.report.warning(input.at('distribution'), 'distribution-ignored', '`distribution` applies only with `target: citus`');
  }
  return { distribution: distribution ?? (mode === 'tenant' || input.isTenantTable ? 'distributed' : 'reference') };
}
