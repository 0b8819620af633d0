import { objectLabel } from '../../sql/object-label.js';
import { finding, type LintRule } from '../rule.js';

/** A LEAKPROOF function runs before the policies filter rows: if it can leak its argument (an error message), rows of other tenants leak. */
export const banLeakproofFunction: LintRule = {
  id: 'ban-leakproof-function',
  severity: 'warning',
  title: 'user function marked LEAKPROOF',
  fix: 'ALTER FUNCTION ... NOT LEAKPROOF unless it provably reveals nothing about its arguments, errors included.',
  check(context) {
    return context.snapshot.functions
      .filter((fn) => fn.leakproof && fn.schema !== 'pg_catalog' && !fn.fromExtension)
      .map((fn) => finding(this, objectLabel('function', fn.schema, fn.name, fn.argumentTypes), `${fn.schema}.${fn.signature} is LEAKPROOF: PostgreSQL may call it on rows of other tenants before the policies filter them`));
  },
};
