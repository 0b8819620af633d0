import type { TableModel } from '../../model.js';
import type { TableKeyInput } from './table-key.js';

/** `unresolved:` rows no backfill path resolves: fail the migration, or keep them for the cross-tenant role. */
export function readUnresolved(input: TableKeyInput): Pick<TableModel, 'unresolved'> {
  const { entry, mode, section } = input;
  const { report } = section;
  const t = entry.raw;
  if (mode === 'shared' && t.unresolved !== undefined) {
    report.error(input.at(), 'shared-unresolved', '`unresolved` does not apply to shared tables: their rows without a tenant are the global rows', {}, 'unresolved');
  }
  const unresolved = mode === 'shared' ? 'keep' : (t.unresolved ?? 'fail');
  if (mode === 'tenant' && unresolved === 'keep' && !input.isTenantTable && section.built('roles').crossTenant === null) {
    report.warning(input.at('unresolved'), 'unreachable-rows', 'rows kept without a tenant are visible to no role: no roles.cross_tenant is declared');
  }
  // A reference table has no distribution column: its tenant column may stay NULL.
  if (section.built('target') === 'citus' && mode === 'tenant' && unresolved === 'keep' && t.distribution !== 'reference') {
    report.error(input.at('unresolved'), 'citus-nullable', 'with `target: citus` a tenant table cannot keep rows without a tenant: its tenant column becomes the NOT NULL distribution column', {
      help: 'give those rows a tenant first (rlsgen audit lists them), then use `unresolved: fail`; or make it a reference table (`distribution: reference`), whose tenant column may stay NULL',
    });
  }
  return { unresolved };
}
