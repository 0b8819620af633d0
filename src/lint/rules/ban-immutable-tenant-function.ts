import { objectLabel } from '../../sql/object-label.js';
import { readsSetting, userFunctionsIn } from '../policy-analysis.js';
import { finding, type LintRule } from '../rule.js';

/**
 * A policy helper that reads the session variable must be STABLE: declared
 * IMMUTABLE, PostgreSQL may fold it into a cached plan, which then serves the
 * first tenant's value to the next.
 */
export const banImmutableTenantFunction: LintRule = {
  id: 'ban-immutable-tenant-function',
  severity: 'error',
  title: 'IMMUTABLE function reads the tenant variable',
  fix: 'ALTER FUNCTION ... STABLE.',
  check(context) {
    const used = new Set<number>();
    for (const table of context.snapshot.tables) {
      for (const policy of table.policies) {
        for (const expression of [policy.using, policy.check]) {
          if (expression === null) continue;
          for (const { fn } of userFunctionsIn(expression, context.snapshot)) used.add(fn.oid);
        }
      }
    }
    return context.snapshot.functions
      .filter((fn) => fn.volatility === 'immutable' && !fn.fromExtension && readsSetting(fn.source, context.setting))
      .map((fn) =>
        finding(this, objectLabel('function', fn.schema, fn.name, fn.argumentTypes), `${fn.schema}.${fn.signature} reads the session variable but is IMMUTABLE${used.has(fn.oid) ? ' and a policy calls it' : ''}: a cached plan keeps one tenant's value`),
      );
  },
};
