import { objectLabel } from '../../sql/object-label.js';
import { finding, type LintRule } from '../rule.js';

/** The schemas of a function's `search_path` setting, unquoted. */
function schemasOf(searchPath: string): string[] {
  return searchPath
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1').replaceAll('""', '"'))
    .filter((s) => s !== '');
}

/**
 * A SECURITY DEFINER function without a fixed search_path can be tricked
 * into calling the caller's objects; with one that does not end in pg_temp,
 * PostgreSQL still searches the caller's temporary schema first for table
 * and view names (never for functions and operators), so a temporary table
 * shadows an unqualified one (pgrls SEC015).
 */
export const requireDefinerSearchPath: LintRule = {
  id: 'require-definer-search-path',
  severity: 'error',
  title: 'SECURITY DEFINER function without a fixed search_path ending in pg_temp',
  fix: 'ALTER FUNCTION ... SET search_path = pg_catalog, <schemas it needs>, pg_temp (https://www.postgresql.org/docs/current/sql-createfunction.html#SQL-CREATEFUNCTION-SECURITY).',
  check(context) {
    return context.snapshot.functions
      .filter((fn) => fn.securityDefiner && !fn.fromExtension)
      .flatMap((fn) => {
        const label = objectLabel('function', fn.schema, fn.name, fn.argumentTypes);
        if (fn.searchPath === null) return [finding(this, label, `SECURITY DEFINER function ${fn.schema}.${fn.signature} does not pin search_path: a caller can shadow what it calls`)];
        const schemas = schemasOf(fn.searchPath);
        if (schemas[schemas.length - 1] === 'pg_temp') return [];
        return [
          finding(
            this,
            label,
            `SECURITY DEFINER function ${fn.schema}.${fn.signature} pins search_path to ${fn.searchPath} without pg_temp last: the caller's temporary tables come first for its unqualified table names`,
          ),
        ];
      });
  },
};
