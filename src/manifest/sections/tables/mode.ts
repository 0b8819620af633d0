import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `mode:` and `reason:` tenant, shared, or exempt (which needs its reason and takes no backfill). */
export function readMode(input: TableKeyInput): Pick<TableModel, 'mode' | 'reason'> {
  const { entry, mode, scoped, section } = input;
  const t = entry.raw;
  if (mode === 'exempt' && t.reason === undefined && !input.isTenantTable) {
    section.report.error(['tables'], 'missing-reason', `exempt table ${entry.key} needs a \`reason\``, { help: 'say why the table is not tenant-scoped; the reason is copied into the generated SQL' }, entry.key);
  }
  if (!scoped) {
    for (const field of ['backfill', 'unresolved', 'legacy_owner'] as const) {
      if (t[field] !== undefined) section.report.error(input.at(), 'exempt-field', `\`${field}\` only applies to tenant and shared tables`, {}, field);
    }
  } else if (input.isTenantTable) {
    // Each tenant's row is matched on the tenant key: nothing to add, fill or re-key.
    for (const field of ['backfill', 'unresolved', 'legacy_owner', 'existing_column', 'foreign_keys', 'reason'] as const) {
      if (t[field] !== undefined) {
        section.report.error(input.at(), 'tenant-table-field', `\`${field}\` does not apply to the tenant table: in tenant mode each tenant sees the row whose ${input.tenant.key} is the current tenant`, {}, field);
      }
    }
  }
  return { mode, reason: mode === 'exempt' ? (t.reason ?? (input.isTenantTable ? 'the tenant table itself' : null)) : null };
}
