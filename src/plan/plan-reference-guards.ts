import type { TableName } from '../manifest/model.js';
import type { PlannedGuard, Step, TablePlan } from './plan.js';

const qualifiedKey = (name: TableName): string => `${name.schema}.${name.name}`;
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
