import { isParseError, parseTableRef } from '../reference-syntax.js';
import { section } from '../section.js';
import { didYouMean } from '../suggest.js';
import { entryHasColumn } from '../table-index.js';

/**
 * `user:` the second session variable, read by `legacy_owner` tables, and
 * the users table (`references: users(id)`) an owner must belong to: a row
 * still without a tenant is visible to its owner only while the current
 * tenant is the owner's.
 */
export const userSection = section({
  key: 'user',
  build({ raw, report, tables, defaults }) {
    const base = { setting: raw.user?.setting ?? 'app.user_id', type: raw.user?.type ?? 'uuid' };
    const text = raw.user?.references;
    if (text === undefined) return { ...base, table: null, key: defaults.primaryKey };
    const ref = parseTableRef(text);
    if (isParseError(ref)) {
      report.error(['user', 'references'], 'invalid-reference', `${JSON.stringify(text)}: ${ref.error}`, { help: 'write the users table and its key, e.g. users(id)' });
      return { ...base, table: null, key: defaults.primaryKey };
    }
    const entry = tables.resolve(ref);
    if (entry === undefined) {
      report.error(['user', 'references'], 'unknown-table', `${JSON.stringify(ref.table)} is not declared in tables`, didYouMean(ref.table, tables.keys()));
      return { ...base, table: null, key: defaults.primaryKey };
    }
    if (!entryHasColumn(entry)) {
      report.error(['user', 'references'], 'path-without-tenant', `the users table ${entry.key} has no ${raw.tenant.column} column, so an owner cannot be tied to the current tenant`, {
        help: `scope ${entry.key} (mode: tenant), or mark it \`existing_column: ${raw.tenant.type}\``,
      });
    }
    return { ...base, table: entry.key, key: ref.column ?? entry.raw.primary_key ?? defaults.primaryKey };
  },
});
