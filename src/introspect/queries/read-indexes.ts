import type pg from 'pg';
import type { IndexInfo } from '../snapshot.js';
import { byOid, queryRows, USER_SCHEMAS } from './catalog-sql.js';

interface IndexRow {
  oid: number;
  name: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  partial: boolean;
  definition: string;
  columns: (string | null)[];
}

/** Every index, by the oid of its table; key columns only (expressions are null). */
export async function readIndexes(client: pg.ClientBase): Promise<Map<number, IndexInfo[]>> {
  const rows = await queryRows<IndexRow>(client, `
    SELECT i.indrelid::int AS oid, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
           i.indisvalid AS valid, i.indpred IS NOT NULL AS partial, pg_get_indexdef(i.indexrelid) AS definition,
           ARRAY(SELECT CASE WHEN k.num = 0 THEN NULL ELSE a.attname::text END
                   FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                  WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_SCHEMAS}
     ORDER BY i.indrelid, ic.relname`);
  return byOid(rows, (i): IndexInfo => ({
    name: i.name,
    columns: i.columns,
    unique: i.unique,
    primary: i.primary,
    valid: i.valid,
    partial: i.partial,
    definition: i.definition,
  }));
}
