import { createHash } from 'node:crypto';
import { type Model, qualifiedKey, type TableModel, tableByKey } from '../manifest/model.js';
import { objectName } from '../sql/quote.js';
import type { PlannedGuard, Step, TablePlan } from './plan.js';

/** The trigger that guards `column` (lint recognises a guarded key by it). */
export const guardTriggerName = (column: string): string => objectName('rlsgen_guard', column);

/** The table's keys into shared tables (`guarded` in the model), as the templates see them. */
export function referenceGuardsOf(model: Model, table: TableModel): PlannedGuard[] {
  return table.foreignKeys
    .filter((fk) => fk.guarded === true)
    .map((fk) => ({
      column: fk.column,
      parent: tableByKey(model, fk.table).name,
      parentKey: fk.references,
      trigger: guardTriggerName(fk.column),
      // Always with a hash of the real names: crm_v2.campaigns and crm.v2_campaigns join alike, and a
      // name chosen only on collision would change when the second table came.
      function: { schema: 'rlsgen', name: objectName('guard', table.name.name, fk.column, createHash('sha256').update(JSON.stringify([table.name.schema, table.name.name, fk.column])).digest('hex').slice(0, 8)) },
      constraint: objectName(table.name.name, fk.column, 'tenant_guard'),
    }));
}

const guardKey = (g: PlannedGuard): string => `${g.column}->${qualifiedKey(g.parent)}(${g.parentKey})`;

/**
 * The enforce steps for keys into shared tables: guards dropped first (a
 * key gone, the table no longer scoped), then the new ones added and the
 * existing rows checked, as the composite keys are (a trigger first, so no
 * new row escapes; then the rows written before it, without a lock).
 */
export function referenceGuardSteps(before: ReadonlyMap<string, TablePlan>, after: ReadonlyMap<string, TablePlan>, offboard: readonly TablePlan[]): Step[] {
  const drops: Step[] = [];
  const adds: { table: TablePlan; guards: PlannedGuard[] }[] = [];
  for (const table of after.values()) {
    const old = before.get(qualifiedKey(table.name));
    const oldKeys = new Set((old?.referenceGuards ?? []).map(guardKey));
    const newKeys = new Set(table.referenceGuards.map(guardKey));
    const added = table.referenceGuards.filter((g) => !oldKeys.has(guardKey(g)));
    const dropped = (old?.referenceGuards ?? []).filter((g) => !newKeys.has(guardKey(g)));
    if (old !== undefined && dropped.length > 0) drops.push({ kind: 'drop-reference-guards', table: old, guards: dropped });
    if (added.length > 0) adds.push({ table, guards: added });
  }
  for (const old of offboard) {
    if (old.referenceGuards.length > 0) drops.push({ kind: 'drop-reference-guards', table: old, guards: [...old.referenceGuards] });
  }
  return [
    ...drops,
    ...adds.map(({ table, guards }): Step => ({ kind: 'add-reference-guards', table, guards })),
    ...adds.map(({ table, guards }): Step => ({ kind: 'validate-reference-guards', table, guards })),
  ];
}
