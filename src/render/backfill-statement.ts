import type { PlannedPath, TablePlan } from '../plan/plan.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { hopJoins, isUniquePath, pathQuery } from './sql-fragments.js';

/**
 * The statement `rlsgen.backfill` runs for each batch: an `UPDATE ... FROM`
 * that resolves every row's tenant once, by a join, for the rows whose key
 * lies between `$1` and `$2` (the batch's first and last key, of the key's
 * own type, bound by the procedure).
 *
 * One path whose hops all match primary keys (the common case) is the
 * hand-written form, the join in the UPDATE itself:
 *
 * ```sql
 * UPDATE public.calls AS t
 *    SET company_id = h1.company_id
 *   FROM public.users AS h1
 *  WHERE t.id BETWEEN $1 AND $2
 *    AND t.company_id IS NULL
 *    AND h1.id = t.user_id
 *    AND h1.company_id IS NOT NULL
 * ```
 *
 * Several paths (`first_of`, or a hop on a non-key column that must agree on
 * one tenant) need outer joins, which `UPDATE ... FROM` cannot make against
 * its target: the batch is resolved in a sub-select, one LEFT JOIN per path
 * and `COALESCE` in path order, and joined back by key:
 *
 * ```sql
 * UPDATE public.quotes AS t
 *    SET company_id = r.tenant
 *   FROM (SELECT s.id AS row_key, COALESCE(p1h1.company_id, p2h1.company_id) AS tenant
 *           FROM public.quotes AS s
 *           LEFT JOIN public.deals AS p1h1 ON p1h1.id = s.deal_id
 *           LEFT JOIN public.users AS p2h1 ON p2h1.id = s.owner_id
 *          WHERE s.id BETWEEN $1 AND $2
 *            AND s.company_id IS NULL) AS r
 *  WHERE t.id = r.row_key
 *    AND t.id BETWEEN $1 AND $2
 *    AND t.company_id IS NULL
 *    AND r.tenant IS NOT NULL
 * ```
 *
 * Rows no path resolves are not written (no new row version, no row lock).
 * The key is matched by value, never by ctid: a row the application updates
 * meanwhile is re-checked by PostgreSQL and still filled.
 */
export function backfillStatement(table: TablePlan): string {
  const only = table.backfill.length === 1 ? table.backfill[0] : undefined;
  return only !== undefined && isUniquePath(only) ? joinedUpdate(table, only) : resolvedUpdate(table);
}

const range = (table: TablePlan, alias: string): string => `${alias}.${quoteIdent(table.primaryKey)} BETWEEN $1 AND $2`;
const target = (table: TablePlan): string => quoteQualified(table.name.schema, table.name.name);

function joinedUpdate(table: TablePlan, path: PlannedPath): string {
  const first = path.hops[0];
  if (first === undefined) throw new Error('internal: empty backfill path');
  const column = quoteIdent(table.column);
  const tenant = `h${path.hops.length}.${quoteIdent(path.tenantColumn)}`;
  return [
    `UPDATE ${target(table)} AS t`,
    `   SET ${column} = ${tenant}`,
    `  FROM ${quoteQualified(first.table.schema, first.table.name)} AS h1`,
    ...hopJoins(path, 'h').map((j) => `  ${j}`),
    ` WHERE ${range(table, 't')}`,
    `   AND t.${column} IS NULL`,
    `   AND h1.${quoteIdent(first.match)} = t.${quoteIdent(first.column)}`,
    `   AND ${tenant} IS NOT NULL`,
  ].join('\n');
}

/** One LEFT JOIN (a chain for several hops) per path, reading row `s`, and the tenant it yields. */
function pathJoin(path: PlannedPath, index: number): { joins: string[]; tenant: string } {
  const first = path.hops[0];
  if (first === undefined) throw new Error('internal: empty backfill path');
  const prefix = `p${index}h`;
  if (!isUniquePath(path)) {
    // An aggregate per row, in LATERAL so that it is evaluated once.
    const q = pathQuery(path, 's');
    return { joins: [`LEFT JOIN LATERAL (SELECT ${q.value} AS tenant FROM ${q.from} WHERE ${q.where}) AS p${index} ON true`], tenant: `p${index}.tenant` };
  }
  const joins = [
    `LEFT JOIN ${quoteQualified(first.table.schema, first.table.name)} AS ${prefix}1 ON ${prefix}1.${quoteIdent(first.match)} = s.${quoteIdent(first.column)}`,
    ...hopJoins(path, prefix, 'LEFT JOIN'),
  ];
  return { joins, tenant: `${prefix}${path.hops.length}.${quoteIdent(path.tenantColumn)}` };
}

function resolvedUpdate(table: TablePlan): string {
  const column = quoteIdent(table.column);
  const key = quoteIdent(table.primaryKey);
  const paths = table.backfill.map((p, i) => pathJoin(p, i + 1));
  if (paths.length === 0) throw new Error(`internal: ${table.key} has no backfill path`);
  const tenants = paths.map((p) => p.tenant);
  const value = tenants.length === 1 ? (tenants[0] ?? '') : `COALESCE(${tenants.join(', ')})`;
  return [
    `UPDATE ${target(table)} AS t`,
    `   SET ${column} = r.tenant`,
    `  FROM (SELECT s.${key} AS row_key, ${value} AS tenant`,
    `          FROM ${target(table)} AS s`,
    ...paths.flatMap((p) => p.joins).map((j) => `          ${j}`),
    `         WHERE ${range(table, 's')}`,
    `           AND s.${column} IS NULL) AS r`,
    ` WHERE t.${key} = r.row_key`,
    `   AND ${range(table, 't')}`,
    `   AND t.${column} IS NULL`,
    `   AND r.tenant IS NOT NULL`,
  ].join('\n');
}
