import { objectLabel } from '../../sql/object-label.js';
import { finding, type LintRule } from '../rule.js';

/** A SECURITY DEFINER function without a fixed search_path can be tricked into calling the caller's objects. */
export const requireDefinerSearchPath: LintRule = {
  id: 'require-definer-search-path',
  severity: 'error',
  title: 'SECURITY DEFINER function without a fixed search_path',
  fix: 'ALTER FUNCTION ... SET search_path = pg_catalog, <schemas it needs> (https://www.postgresql.org/docs/current/sql-createfunction.html#SQL-CREATEFUNCTION-SECURITY).',
  check(context) {
    return context.snapshot.functions
      .filter((fn) => fn.securityDefiner && !fn.fromExtension && fn.searchPath === null)
      .map((fn) => finding(this, objectLabel('function', fn.schema, fn.name, fn.argumentTypes), `SECURITY DEFINER function ${fn.schema}.${fn.signature} does not pin search_path: a caller can shadow what it calls`));
  },
};
