import type { ForeignKey, TableModel } from '../../model.js';
import type { RawForeignKeyObject } from '../../raw-manifest.js';
import { isParseError, parseTableRef } from '../../reference-syntax.js';
import { didYouMean } from '../../suggest.js';
import { modeOf } from '../../table-index.js';
import { isTenantEntry, type TableKeyInput } from './table-key.js';

/**
 * `foreign_keys:` and `composite_foreign_keys:` the table's foreign keys;
 * between two tenant tables each becomes a composite (tenant, column) key.
 */
export function readForeignKeys(input: TableKeyInput): Pick<TableModel, 'foreignKeys'> {
  const { entry, mode, section, tenant } = input;
  const { report, tables, defaults } = section;
  const t = entry.raw;
  const foreignKeys: ForeignKey[] = [];
  for (const [column, spec] of Object.entries(t.foreign_keys ?? {})) {
    report.checkIdentifier(input.at('foreign_keys'), column, column);
    const text = typeof spec === 'string' ? spec : spec.references;
    const fkPath = typeof spec === 'string' ? input.at('foreign_keys', column) : input.at('foreign_keys', column, 'references');
    const ref = parseTableRef(text);
    if (isParseError(ref)) {
      report.error(fkPath, 'invalid-reference', `${JSON.stringify(text)}: ${ref.error}`, { help: 'write the referenced table, e.g. contacts or contacts(id)' });
      continue;
    }
    if (ref.column !== null && !report.checkIdentifier(fkPath, ref.column)) continue;
    const target = tables.resolve(ref);
    if (target === undefined) {
      report.error(fkPath, 'unknown-table', `foreign key ${column} references ${JSON.stringify(text)}, which is not declared in tables`, didYouMean(ref.table, tables.keys()));
      continue;
    }
    const targetPk = target.raw.primary_key ?? defaults.primaryKey;
    const references = ref.column ?? (isTenantEntry(target, tenant) ? tenant.key : targetPk);
    const wantComposite = t.composite_foreign_keys !== false && (typeof spec === 'string' || spec.composite !== false);
    // A shared table's tenant rows are checked too; its global rows (NULL
    // tenant) are not, as a MATCH SIMPLE key skips rows with a NULL column.
    // The tenant table is matched on its key by the tenant foreign key already.
    const bothTenant = mode !== 'exempt' && modeOf(target) === 'tenant' && !isTenantEntry(target, tenant);
    if (wantComposite && bothTenant && references !== targetPk) {
      report.warning(fkPath, 'composite-needs-primary-key', `foreign key ${column} references ${target.key}(${references}), not its primary key; it stays single-column`, { help: 'composite (tenant, column) keys are built on the referenced table\'s (tenant, primary key) index' });
    }
    const composite = wantComposite && bothTenant && references === targetPk;
    const outside = (target.raw.partition_key ?? []).filter((c) => c !== tenant.column && c !== targetPk);
    if (composite && outside.length > 0) {
      report.error(fkPath, 'composite-partitioned-target', `${target.key} is partitioned by ${outside.join(', ')}: PostgreSQL allows no unique key on (${tenant.column}, ${targetPk}) there, so no composite key can reference it`, {
        help: 'set `composite: false` on this key, or reference the whole key of the partitioned table',
      });
    }
    // Into a shared table: global rows (NULL tenant) and the row's own tenant's rows only, through a trigger.
    const guarded = wantComposite && mode !== 'exempt' && modeOf(target) === 'shared' && references === targetPk;
    if (guarded && section.built('target') === 'citus') {
      report.error(fkPath, 'citus-shared-reference', `foreign key ${column} references the shared table ${target.key}: rlsgen keeps such a key within the row's tenant by a trigger, and Citus does not run triggers on distributed tables`, {
        help: 'set `composite: false` on this key (lint and verify then report it: accept it under acknowledgements if you must), or make the referenced table a tenant table',
      });
    }
    const behaviour = readBehaviour(input, column, typeof spec === 'string' ? {} : spec, composite);
    if (guarded && behaviour.deferrable) {
      report.error(input.at('foreign_keys', column, behaviour.initiallyDeferred ? 'initially_deferred' : 'deferrable'), 'deferrable-shared-reference', `foreign key ${column} references the shared table ${target.key}: rlsgen checks such a key row by row with a trigger, at once, which a deferred key would not be`, {
        help: 'drop `deferrable` from this key, or set `composite: false` (lint and verify then report it)',
      });
    }
    // Written only when set: state files of manifests without such keys stay as they were.
    foreignKeys.push({ column, table: target.key, references, ...behaviour, composite, ...(guarded ? { guarded } : {}) });
  }
  return { foreignKeys };
}

type Behaviour = Pick<ForeignKey, 'onDelete' | 'onUpdate' | 'deferrable' | 'initiallyDeferred' | 'match'>;

/**
 * What the key does (actions, deferral, MATCH), kept exactly by the
 * composite key that replaces it. ON UPDATE SET NULL / SET DEFAULT cannot be
 * kept: PostgreSQL would null or reset every column of the composite key,
 * the tenant column included, and its column list exists only for ON DELETE.
 */
function readBehaviour(input: TableKeyInput, column: string, spec: Partial<RawForeignKeyObject>, composite: boolean): Behaviour {
  const { report } = input.section;
  const onUpdate = spec.on_update ?? 'no_action';
  if (composite && (onUpdate === 'set_null' || onUpdate === 'set_default')) {
    report.error(input.at('foreign_keys', column, 'on_update'), 'composite-update-action', `on_update: ${onUpdate} cannot be kept by the composite (tenant, ${column}) key: PostgreSQL would ${onUpdate === 'set_null' ? 'null' : 'reset'} the tenant column too (a column list exists only for ON DELETE)`, {
      help: 'set `composite: false` on this key (it stays single-column: lint reports it), or choose on_update: cascade, restrict or no_action',
    });
  }
  if (spec.initially_deferred === true && spec.deferrable !== true) {
    report.error(input.at('foreign_keys', column, 'initially_deferred'), 'deferred-not-deferrable', 'initially_deferred: true needs deferrable: true', { help: 'add `deferrable: true` (INITIALLY DEFERRED implies DEFERRABLE)' });
  }
  return {
    onDelete: spec.on_delete ?? 'no_action',
    onUpdate,
    deferrable: spec.deferrable === true || spec.initially_deferred === true,
    initiallyDeferred: spec.initially_deferred === true,
    match: spec.match ?? 'simple',
  };
}
