import type pg from 'pg';
import type { ColumnInfo } from '../snapshot.js';
import { byOid, queryRows, USER_SCHEMAS } from './catalog-sql.js';

interface ColumnRow {
  oid: number;
  name: string;
  type: string;
  category: string;
  not_null: boolean;
  default: string | null;
  identity: boolean;
  generated: boolean;
  enum_labels: string[] | null;
}

/** Every column of every table, by table oid, in column order. */
export async function readColumns(client: pg.ClientBase): Promise<Map<number, ColumnInfo[]>> {
  const rows = await queryRows<ColumnRow>(client, `
    SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           COALESCE(bt.typcategory, t.typcategory)::text AS category, a.attnotnull AS not_null,
           pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
           (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS enum_labels
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
     ORDER BY a.attrelid, a.attnum`);
  return byOid(rows, (c): ColumnInfo => ({
    name: c.name,
    type: c.type,
    typeCategory: c.category,
    notNull: c.not_null,
    default: c.default,
    identity: c.identity,
    generated: c.generated,
    enumLabels: c.enum_labels,
  }));
}
