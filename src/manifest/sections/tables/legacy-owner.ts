import type { TableModel } from '../../model.js';
import { modeOf } from '../../table-index.js';
import type { TableKeyInput } from './table-key.js';

/**
 * `legacy_owner:` while a row's tenant is NULL it stays visible to the user
 * in the user variable, provided that user belongs to the current tenant
 * (the users table of `user.references`).
 */
export function readLegacyOwner(input: TableKeyInput): Pick<TableModel, 'legacyOwner'> {
  const { entry, mode, section } = input;
  const { report, raw } = section;
  const owner = entry.raw.legacy_owner;
  if (owner === undefined) return { legacyOwner: null };
  report.checkIdentifier(input.at('legacy_owner'), owner);
  if (owner === raw.tenant.column) report.error(input.at('legacy_owner'), 'invalid-value', 'the owner column cannot be the tenant column');
  if (mode === 'shared') {
    report.error(input.at('legacy_owner'), 'shared-legacy-owner', '`legacy_owner` does not apply to shared tables: their rows without a tenant are already visible to every tenant');
  }
  const users = section.built('user').table;
  if (mode !== 'exempt' && users === null) {
    report.error(input.at('legacy_owner'), 'missing-user-table', '`legacy_owner` needs the users table, so that an owner is visible only to their own tenant', {
      help: 'declare it under `user:`, e.g. `references: users(id)`; without it, setting the user variable would reach any user\'s rows',
    });
  }
  const usersEntry = section.tables.entries.find((e) => e.key === users);
  const readable = usersEntry?.raw.commands ?? (modeOf(usersEntry ?? entry) === 'exempt' ? [] : ['select']);
  if (mode !== 'exempt' && usersEntry !== undefined && !readable.includes('select')) {
    report.error(input.at('legacy_owner'), 'unreadable-user-table', `the policy of ${entry.key} reads ${usersEntry.key} as the application role, which is not granted SELECT on it`, {
      help: `add select to tables.${usersEntry.key}.commands`,
    });
  }
  if (mode === 'tenant' && (entry.raw.unresolved ?? 'fail') === 'fail') {
    report.warning(input.at('legacy_owner'), 'legacy-owner-unused', '`legacy_owner` has no effect with `unresolved: fail`: every row has a tenant before the policies are on', {
      help: 'remove it, or set `unresolved: keep` to keep unresolved rows visible to their owner',
    });
  }
  return { legacyOwner: owner };
}
