import { LATER_MODEL_FIELDS, type Model } from '../manifest/model.js';
import type { FunctionPlan, Step, TemporaryPlan, ViewPlan } from './plan.js';

const views = (model: Model): ViewPlan[] => model.views.map((v) => ({ name: v.name, commands: v.commands, reason: v.reason }));

const functions = (model: Model): FunctionPlan[] =>
  model.functions.filter((f) => f.revokeExecute).map((f) => ({ schema: f.schema, name: f.name, argumentTypes: f.argumentTypes, reason: f.reason }));

const temporary = (model: Model): TemporaryPlan => model.database.temporary;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The enforce-stage steps for what the application role reaches besides the
 * scoped tables: views made security_invoker and granted, EXECUTE revoked on
 * the manifest's functions, TEMPORARY on the database. Each is one file
 * holding the whole list, written again when the list changes (with the
 * previous list, so entries that left it are undone). Pure.
 */
export function planReach(previous: Model | null, next: Model): Step[] {
  const before = previous ?? { ...next, ...LATER_MODEL_FIELDS };
  const steps: Step[] = [];
  if (!same(views(before), views(next))) {
    const kept = new Set(views(next).map((v) => `${v.name.schema}.${v.name.name}`));
    steps.push({ kind: 'views', views: views(next), previous: views(before).filter((v) => !kept.has(`${v.name.schema}.${v.name.name}`)) });
  }
  if (!same(functions(before), functions(next))) {
    const kept = new Set(functions(next).map((f) => `${f.schema}.${f.name}(${f.argumentTypes})`));
    steps.push({ kind: 'function-privileges', functions: functions(next), previous: functions(before).filter((f) => !kept.has(`${f.schema}.${f.name}(${f.argumentTypes})`)) });
  }
  if (!same(temporary(before), temporary(next))) steps.push({ kind: 'temporary-privileges', temporary: temporary(next), previous: temporary(before) });
  return steps;
}
