import type { FunctionInfo } from '../../introspect/snapshot.js';
import { walkExpression } from '../../sql/expression.js';
import { appliesToApp, expressions, readsSetting } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';
import { isSettingCall, policyTree } from '../tenant-binding.js';

/** A helper that reads the tenant variable and raises when it is missing: the loud form of binding. */
function isRaisingHelper(fn: FunctionInfo, setting: string): boolean {
  return fn.language === 'plpgsql' && !fn.fromExtension && readsSetting(fn.source, setting) && /\bRAISE\s+(EXCEPTION|SQLSTATE|USING|')/i.test(fn.source);
}

const silent = (text: string, setting: string): boolean =>
  [...walkExpression(policyTree(text))].some((e) => isSettingCall(e, setting) && e.kind === 'call' && e.args[1] !== undefined && e.args[1].kind === 'const' && e.args[1].value === 'true');

/**
 * Once a database binds the tenant through a helper that raises when the
 * variable is unset, a policy still on the silent `current_setting(..., true)`
 * form answers "no rows" where the others fail: the code path that forgot to
 * set the tenant goes unnoticed there. Databases that use the silent form
 * everywhere (rlsgen's generated policies) are not reported.
 */
export const banMixedTenantBinding: LintRule = {
  id: 'ban-mixed-tenant-binding',
  severity: 'warning',
  title: 'policy reads the tenant silently where the others use a raising helper',
  fix: 'Bind this policy through the same raising helper as the others (or drop the helper everywhere).',
  check(context) {
    const helpers = context.snapshot.functions.filter((f) => isRaisingHelper(f, context.setting));
    if (helpers.length === 0) return [];
    const helpersIn = (text: string): FunctionInfo[] =>
      helpers.filter((h) => [...walkExpression(policyTree(text))].some((e) => e.kind === 'call' && h.name === e.name && (e.schema === null || e.schema === h.schema)));
    const callsHelper = (text: string): boolean => helpersIn(text).length > 0;
    const policies = context.tenantTables.flatMap((table) => table.policies.filter((p) => appliesToApp(p, context)).map((policy) => ({ table, policy })));
    // The helper is adopted schema by schema: a schema that never uses it is not half-converted.
    const adopted = new Map<string, Set<string>>();
    for (const { table, policy } of policies) {
      for (const h of expressions(policy).flatMap(helpersIn)) adopted.set(table.schema, (adopted.get(table.schema) ?? new Set()).add(`${h.schema}.${h.name}()`));
    }
    const out = [];
    for (const { table, policy } of policies) {
      const texts = expressions(policy);
      const helper = [...(adopted.get(table.schema) ?? [])].sort().join(', ');
      if (helper === '' || texts.some(callsHelper) || !texts.some((t) => silent(t, context.setting))) continue;
      out.push(
        finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} reads ${context.setting} with current_setting(..., true), which returns no rows when it is unset, while other policies of schema ${table.schema} bind it through ${helper}, which raises`),
      );
    }
    return out;
  },
};
