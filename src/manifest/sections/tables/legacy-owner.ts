import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `legacy_owner:` while a row's tenant is NULL it stays visible to the user in the user variable. */
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
  if (mode === 'tenant' && (entry.raw.unresolved ?? 'fail') === 'fail') {
    report.warning(input.at('legacy_owner'), 'legacy-owner-unused', '`legacy_owner` has no effect with `unresolved: fail`: every row has a tenant before the policies are on', {
      help: 'remove it, or set `unresolved: keep` to keep unresolved rows visible to their owner',
    });
  }
  if (section.built('context') === 'signed') {
    report.warning(input.at('legacy_owner'), 'unsigned-user', 'with `context: signed` the tenant is signed but the user variable of legacy_owner is not', {
      help: 'rows without a tenant stay reachable by setting the user variable; fill them (unresolved: fail) to close that path',
    });
  }
  return { legacyOwner: owner };
}
