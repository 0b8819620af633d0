import { expressions, userFunctionsIn } from '../policy-analysis.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/**
 * A policy that calls a user-defined function on every row (where a
 * `(SELECT f())` sub-select would call it once per statement) is slow, and
 * keeps the planner from using the tenant index. Built-in STABLE
 * expressions such as NULLIF(current_setting(...), '')::uuid are not
 * function calls in this sense: they are index conditions, evaluated once.
 */
export const preferInitplanFunction: LintRule = {
  id: 'prefer-initplan-function',
  severity: 'warning',
  title: 'policy calls a function per row',
  fix: 'Wrap the call in a sub-select, `(SELECT f())`, so it runs once per statement (an InitPlan), or use the built-in expression.',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      for (const policy of table.policies) {
        for (const expression of expressions(policy)) {
          for (const { fn, wrapped } of userFunctionsIn(expression, context.snapshot)) {
            if (wrapped || fn.schema === 'rlsgen') continue;
            out.push(finding(this, tableObject(table), `policy ${policy.name} on ${table.schema}.${table.name} calls ${fn.schema}.${fn.name}() for every row`));
          }
        }
      }
    }
    return out;
  },
};
