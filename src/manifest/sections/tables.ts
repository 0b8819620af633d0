import type { TableModel } from '../model.js';
import { section } from '../section.js';
import { modeOf } from '../table-index.js';
import { checkBackfillCycle } from './tables/backfill-cycle.js';
import { readBackfill } from './tables/backfill.js';
import { readCommands } from './tables/commands.js';
import { readDistribution } from './tables/distribution.js';
import { readExistingColumn } from './tables/existing-column.js';
import { readForeignKeys } from './tables/foreign-keys.js';
import { readLegacyOwner } from './tables/legacy-owner.js';
import { readMode } from './tables/mode.js';
import { readPartitions } from './tables/partitions.js';
import { readPrimaryKey } from './tables/primary-key.js';
import { isTenantEntry, type TableKeyInput } from './tables/table-key.js';
import { readUnresolved } from './tables/unresolved.js';

/**
 * `tables:` every table of the application. Each key of an entry has its
 * file under sections/tables/; a new key is a new file and one line here.
 */
export const tablesSection = section({
  key: 'tables',
  build(input) {
    const tenant = input.built('tenant');
    const tables = input.tables.entries.map((entry): TableModel => {
      const mode = modeOf(entry);
      const table: TableKeyInput = {
        section: input,
        entry,
        mode,
        scoped: mode !== 'exempt',
        isTenantTable: isTenantEntry(entry, tenant),
        tenant,
        at: (...rest) => ['tables', entry.key, ...rest],
      };
      return {
        key: entry.key,
        name: entry.name,
        ...readMode(table),
        tenantTable: table.isTenantTable,
        ...readExistingColumn(table),
        ...readPrimaryKey(table),
        ...readBackfill(table),
        ...readUnresolved(table),
        ...readLegacyOwner(table),
        ...readForeignKeys(table),
        ...readCommands(table),
        ...readDistribution(table),
        ...readPartitions(table),
      };
    });
    checkBackfillCycle(tables, input.report);
    return tables;
  },
});
