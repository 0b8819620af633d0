import { isScoped, LOOKUP_SCHEMA, type Model, qualifiedKey, tableByKey } from '../manifest/model.js';
import type { LookupAccess, LookupAccessChange, LookupPlan, LookupState, Step } from './plan.js';

/**
 * The lookups of a model as the migration builds them: one function per
 * lookup, and per table the columns the lookup role may read (the keys and
 * returned columns of every lookup on it) with a SELECT policy of its own
 * where row-level security is on. Null when the model has no lookups.
 */
export function lookupState(model: Model): LookupState | null {
  if (model.lookups.length === 0) return null;
  const lookups: LookupPlan[] = model.lookups.map((l) => ({
    name: l.name,
    function: { schema: LOOKUP_SCHEMA, name: l.name },
    table: l.tableName,
    key: l.key,
    returns: l.returns,
  }));
  const byTable = new Map<string, { table: LookupPlan['table']; columns: Set<string>; policy: boolean }>();
  for (const l of model.lookups) {
    const id = qualifiedKey(l.tableName);
    const entry = byTable.get(id) ?? { table: l.tableName, columns: new Set<string>(), policy: isScoped(tableByKey(model, l.table)) };
    for (const c of [...l.key, ...l.returns]) entry.columns.add(c);
    byTable.set(id, entry);
  }
  const access: LookupAccess[] = [...byTable.keys()].sort().map((id) => {
    const e = byTable.get(id);
    if (e === undefined) throw new Error(`internal: ${id}`);
    return { table: e.table, columns: [...e.columns].sort(), policy: e.policy };
  });
  return {
    role: model.roles.lookup.name,
    createRole: model.roles.lookup.create,
    app: model.roles.app.name,
    lookups,
    access,
    schemas: [...new Set(access.map((a) => a.table.schema))].sort(),
  };
}

/**
 * The `lookups` step from what was generated last to `next`, or null when
 * nothing about the lookups changed. A lookup whose definition, role or
 * application role changed is dropped and created again; a table's access is
 * rewritten only where it changed.
 */
export function planLookups(previous: Model | null, next: Model): Extract<Step, { kind: 'lookups' }> | null {
  const before = previous === null ? null : lookupState(previous);
  const after = lookupState(next);
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  const sameRoles = before !== null && after !== null && before.role === after.role && before.app === after.app;
  const text = (l: LookupPlan): string => JSON.stringify(l);
  const had = new Set((before?.lookups ?? []).map(text));
  const has = new Set((after?.lookups ?? []).map(text));
  const create = (after?.lookups ?? []).filter((l) => !sameRoles || !had.has(text(l)));
  const drop = (before?.lookups ?? []).filter((l) => !sameRoles || !has.has(text(l)));
  const sameRole = before?.role === after?.role;
  const ids = [...new Set([...(before?.access ?? []), ...(after?.access ?? [])].map((a) => qualifiedKey(a.table)))].sort();
  const access: LookupAccessChange[] = [];
  for (const id of ids) {
    const from = before?.access.find((a) => qualifiedKey(a.table) === id) ?? null;
    const to = after?.access.find((a) => qualifiedKey(a.table) === id) ?? null;
    if (sameRole && JSON.stringify(from) === JSON.stringify(to)) continue;
    const table = (to ?? from)?.table;
    if (table !== undefined) access.push({ table, from, to });
  }
  return { kind: 'lookups', next: after, previous: before, create, drop, access };
}
