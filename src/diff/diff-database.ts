import { type DbSnapshot, findTableInfo } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { planSettings, planTables } from '../plan/plan-tenancy.js';
import { isTrue } from '../lint/policy-analysis.js';
import { policiesFor } from '../render/sql-fragments.js';
import { LOOKUP_POLICY } from '../render/lookup-context.js';
import { lookupFunctions } from '../manifest/lookup-functions.js';
import { lookupState } from '../plan/plan-lookups.js';

export interface Drift {
  readonly table: string;
  readonly kind:
    | 'missing-table'
    | 'missing-column'
    | 'nullable-column'
    | 'missing-index'
    | 'rls-disabled'
    | 'rls-not-forced'
    | 'missing-policy'
    | 'changed-policy'
    | 'extra-policy'
    | 'missing-foreign-key'
    | 'exempt-has-policies'
    | 'missing-lookup';
  readonly message: string;
}

const POLICY_COMMANDS: Record<string, string> = { SELECT: 'SELECT', INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE', ALL: 'ALL' };

/**
 * Whether a policy expression in the database is the manifest's: both absent,
 * both the literal true, or both on the tenant column. (PostgreSQL prints
 * expressions its own way, so the text is not compared.)
 */
function sameExpression(expected: string | null, actual: string | null, column: string): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (expected === 'true') return isTrue(actual);
  return !isTrue(actual) && actual.includes(column);
}

/**
 * `rlsgen diff`: what the manifest says against what the database has.
 * Pure: compares the manifest's plan with a catalog snapshot.
 */
export function diffDatabase(model: Model, snapshot: DbSnapshot): Drift[] {
  const drift: Drift[] = [];
  const settings = planSettings(model);
  const lookupPolicies = new Set((lookupState(model)?.access ?? []).filter((a) => a.policy).map((a) => `${a.table.schema}.${a.table.name}`));
  for (const table of planTables(model).values()) {
    const name = `${table.name.schema}.${table.name.name}`;
    const info = findTableInfo(snapshot, table.name);
    const add = (kind: Drift['kind'], message: string): void => void drift.push({ table: name, kind, message });
    if (info === undefined) {
      add('missing-table', `${name} is in the manifest but not in the database`);
      continue;
    }
    const column = info.columns.find((c) => c.name === table.column);
    if (column === undefined) add('missing-column', `${name} has no ${table.column} column`);
    else if (table.mode === 'tenant' && table.unresolved === 'fail' && !column.notNull) add('nullable-column', `${name}.${table.column} is nullable; the manifest makes it NOT NULL`);
    if (!info.indexes.some((i) => i.valid && i.columns[0] === table.column)) add('missing-index', `${name} has no valid index leading with ${table.column}`);
    if (!info.rlsEnabled) add('rls-disabled', `${name}: row-level security is disabled`);
    else if (!info.rlsForced) add('rls-not-forced', `${name}: row-level security is not forced`);
    const expected = policiesFor(table, settings);
    for (const policy of expected) {
      const actual = info.policies.find((p) => p.name === policy.name);
      if (actual === undefined) add('missing-policy', `${name}: policy ${policy.name} (${policy.command} to ${policy.role}) is missing`);
      else if (actual.command !== POLICY_COMMANDS[policy.command] || actual.roles.join(',') !== policy.role || !actual.permissive) {
        add('changed-policy', `${name}: policy ${policy.name} is ${actual.permissive ? 'permissive' : 'restrictive'} ${actual.command} to ${actual.roles.join(', ')}; the manifest makes it permissive ${policy.command} to ${policy.role}`);
      } else if (!sameExpression(policy.using, actual.using, table.column) || !sameExpression(policy.check, actual.check, table.column)) {
        add('changed-policy', `${name}: policy ${policy.name} has other expressions than the manifest's`);
      }
    }
    for (const actual of info.policies) {
      const lookupPolicy = actual.name === LOOKUP_POLICY && lookupPolicies.has(name);
      if (!expected.some((p) => p.name === actual.name) && !lookupPolicy) add('extra-policy', `${name}: policy ${actual.name} is not produced by the manifest`);
    }
    for (const fk of table.compositeForeignKeys) {
      const found = info.foreignKeys.some((f) => f.columns.join(',') === `${table.column},${fk.column}` && f.references.schema === fk.parent.schema && f.references.name === fk.parent.name);
      if (!found) add('missing-foreign-key', `${name}: no composite foreign key (${table.column}, ${fk.column}) -> ${fk.parent.schema}.${fk.parent.name}`);
    }
  }
  for (const table of model.tables.filter((t) => t.mode === 'exempt')) {
    const info = findTableInfo(snapshot, table.name);
    if (info !== undefined && info.policies.length > 0) {
      drift.push({
        table: `${table.name.schema}.${table.name.name}`,
        kind: 'exempt-has-policies',
        message: `${table.name.schema}.${table.name.name} is exempt in the manifest but has ${info.policies.length} policy(ies)`,
      });
    }
  }
  for (const fn of lookupFunctions(model)) {
    const found = snapshot.functions.find((f) => f.schema === fn.function.schema && f.name === fn.function.name);
    const what = `${fn.function.schema}.${fn.function.name}`;
    if (found === undefined) drift.push({ table: `${fn.table.schema}.${fn.table.name}`, kind: 'missing-lookup', message: `lookup function ${what} is missing` });
    else if (found.owner !== fn.owner || !found.securityDefiner) {
      drift.push({ table: `${fn.table.schema}.${fn.table.name}`, kind: 'missing-lookup', message: `lookup function ${what} is owned by ${found.owner}${found.securityDefiner ? '' : ', SECURITY INVOKER'}; the manifest makes it SECURITY DEFINER owned by ${fn.owner}` });
    }
  }
  return drift;
}
