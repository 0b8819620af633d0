import { type DbSnapshot, findTableInfo } from '../introspect/snapshot.js';
import { type BackfillPath, type Model, tableByKey } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';

/**
 * An SQL expression for the tenant a row of manifest table `key` (as
 * `alias`) will have once the migration has run: its own tenant column when
 * the table has one and it is set, else what its backfill paths resolve, read
 * recursively from the tables they end at (which are filled before it). NULL
 * when nothing resolves. Used to count, before migrating, the rows that would
 * stay without a tenant.
 */
export function eventualTenantSql(model: Model, snapshot: DbSnapshot, key: string, alias: string): string {
  const column = quoteIdent(model.tenant.column);
  let aliases = 0;
  const hasColumn = (schema: string, name: string): boolean =>
    findTableInfo(snapshot, { schema, name })?.columns.some((c) => c.name === model.tenant.column) === true;
  const eventual = (tableKey: string, row: string, depth: number): string => {
    const table = tableByKey(model, tableKey);
    const own = hasColumn(table.name.schema, table.name.name) ? `${row}.${column}` : null;
    if (depth > 6 || table.backfill.length === 0) return own ?? 'NULL';
    const through = table.backfill.map((path: BackfillPath) => {
      const first = path[0];
      const last = path[path.length - 1];
      if (first === undefined || last === undefined) return 'NULL';
      const names = path.map(() => `e${++aliases}`);
      const joins = path
        .slice(1)
        .map((hop, i) => {
          const target = tableByKey(model, hop.table).name;
          return `JOIN ${quoteQualified(target.schema, target.name)} AS ${names[i + 1]} ON ${names[i + 1]}.${quoteIdent(hop.match)} = ${names[i]}.${quoteIdent(hop.column)}`;
        })
        .join(' ');
      const start = tableByKey(model, first.table).name;
      return `(SELECT ${eventual(last.table, names[names.length - 1] ?? '', depth + 1)} FROM ${quoteQualified(start.schema, start.name)} AS ${names[0]} ${joins} WHERE ${names[0]}.${quoteIdent(first.match)} = ${row}.${quoteIdent(first.column)} LIMIT 1)`;
    });
    return `COALESCE(${[...(own === null ? [] : [own]), ...through].join(', ')})`;
  };
  return eventual(key, alias, 0);
}
