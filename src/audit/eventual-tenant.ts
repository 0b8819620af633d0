import { type DbSnapshot, findTableInfo, type TableInfo } from '../introspect/snapshot.js';
import { type BackfillPath, type Model, tableByKey } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';

/** True when `column` alone identifies a row of `table` (its primary key or a single-column unique index). */
export function isUniqueColumn(table: TableInfo | undefined, column: string): boolean {
  if (table === undefined) return false;
  if (table.primaryKey?.length === 1 && table.primaryKey[0] === column) return true;
  return table.indexes.some((i) => i.unique && i.valid && !i.partial && i.columns.length === 1 && i.columns[0] === column);
}

/**
 * An SQL expression for the tenant a row of manifest table `key` (as
 * `alias`) will have once the migration has run: its own tenant column when
 * the table has one and it is set, else what its backfill paths resolve, read
 * recursively from the tables they end at (which are filled before it). NULL
 * when nothing resolves; a hop on a column that is not unique resolves only
 * when every row it matches has the same tenant, as the backfill does. Used
 * to count, before migrating, the rows that would stay without a tenant.
 * Sub-select aliases are `prefix` and a number, so that several of these
 * expressions can share one query.
 */
export function eventualTenantSql(model: Model, snapshot: DbSnapshot, key: string, alias: string, prefix = 'e'): string {
  let aliases = 0;
  const nextAlias = (): string => `${prefix}${++aliases}`;
  const eventual = (tableKey: string, row: string, depth: number): string => {
    if (tableKey === model.tenant.table) return `${row}.${quoteIdent(model.tenant.key)}`;
    const table = tableByKey(model, tableKey);
    const info = findTableInfo(snapshot, table.name);
    const own = info?.columns.some((c) => c.name === model.tenant.column) === true ? `${row}.${quoteIdent(model.tenant.column)}` : null;
    if (depth > 6 || table.backfill.length === 0) return own ?? 'NULL';
    const through = table.backfill.map((path) => pathTenantSql(model, snapshot, path, row, depth, nextAlias, eventual));
    return `COALESCE(${[...(own === null ? [] : [own]), ...through].join(', ')})`;
  };
  return eventual(key, alias, 0);
}

type Eventual = (tableKey: string, row: string, depth: number) => string;

/** The tenant one backfill path gives the row `row`, the last table's tenant read by `eventual`. */
function pathTenantSql(model: Model, snapshot: DbSnapshot, path: BackfillPath, row: string, depth: number, nextAlias: () => string, eventual: Eventual): string {
  const first = path[0];
  const last = path[path.length - 1];
  if (first === undefined || last === undefined) return 'NULL';
  const names = path.map(() => nextAlias());
  const joins = path
    .slice(1)
    .map((hop, i) => {
      const target = tableByKey(model, hop.table).name;
      return `JOIN ${quoteQualified(target.schema, target.name)} AS ${names[i + 1]} ON ${names[i + 1]}.${quoteIdent(hop.match)} = ${names[i]}.${quoteIdent(hop.column)}`;
    })
    .join(' ');
  const start = tableByKey(model, first.table).name;
  const from = `FROM ${quoteQualified(start.schema, start.name)} AS ${names[0]} ${joins} WHERE ${names[0]}.${quoteIdent(first.match)} = ${row}.${quoteIdent(first.column)}`;
  const tenant = eventual(last.table, names[names.length - 1] ?? '', depth + 1);
  const unique = path.every((hop) => isUniqueColumn(findTableInfo(snapshot, tableByKey(model, hop.table).name), hop.match));
  if (unique) return `(SELECT ${tenant} ${from} LIMIT 1)`;
  return `(SELECT CASE WHEN count(DISTINCT v) = 1 THEN (array_agg(v) FILTER (WHERE v IS NOT NULL))[1] END FROM (SELECT ${tenant} AS v ${from}) AS ${nextAlias()})`;
}
