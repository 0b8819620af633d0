import type { ForeignKey, TableModel } from '../../model.js';
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
    const bothTenant = mode === 'tenant' && modeOf(target) === 'tenant';
    if (wantComposite && bothTenant && references !== targetPk) {
      report.warning(fkPath, 'composite-needs-primary-key', `foreign key ${column} references ${target.key}(${references}), not its primary key; it stays single-column`, { help: 'composite (tenant, column) keys are built on the referenced table\'s (tenant, primary key) index' });
    }
    foreignKeys.push({
      column,
      table: target.key,
      references,
      onDelete: typeof spec === 'string' ? 'no_action' : (spec.on_delete ?? 'no_action'),
      composite: wantComposite && bothTenant && references === targetPk,
    });
  }
  return { foreignKeys };
}
