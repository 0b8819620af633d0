import type { TableName } from '../model.js';
import { isParseError, parseTableRef } from '../reference-syntax.js';
import { section } from '../section.js';

/** `tenant:` the tenant column, its type, the tenant table and its key, and the session variable. */
export const tenantSection = section({
  key: 'tenant',
  build({ raw, report, defaults, tables }) {
    report.checkIdentifier(['tenant', 'column'], raw.tenant.column);
    const tenantRef = parseTableRef(raw.tenant.references);
    let table = '';
    let tableName: TableName = { schema: defaults.schema, name: '' };
    let key = 'id';
    if (isParseError(tenantRef) || tenantRef.column === null) {
      report.error(['tenant', 'references'], 'invalid-reference', `${JSON.stringify(raw.tenant.references)} is not a table reference`, { help: 'write the tenant table and its key, e.g. companies(id)' });
    } else {
      key = tenantRef.column;
      const entry = tables.resolve(tenantRef);
      if (entry !== undefined) {
        table = entry.key;
        tableName = entry.name;
        if (entry.raw.mode === 'shared') {
          report.error(['tables', entry.key, 'mode'], 'tenant-table-shared', `the tenant table ${entry.key} cannot be shared: it has no tenant column`, { help: '`mode: tenant` shows each tenant its own row; `mode: exempt` shows every row' });
        }
      } else {
        tableName = { schema: tenantRef.schema ?? defaults.schema, name: tenantRef.table };
        table = tenantRef.schema === null ? tenantRef.table : `${tenantRef.schema}.${tenantRef.table}`;
      }
    }
    return { column: raw.tenant.column, type: raw.tenant.type, table, tableName, key, setting: raw.tenant.setting ?? 'app.company_id' };
  },
});
