import type pg from 'pg';
import type { QualifiedName } from '../introspect/snapshot.js';
import { quoteQualified } from '../sql/quote.js';

/**
 * Why the connecting role cannot count every row of each table, by
 * `schema.name`: no SELECT on it, or row-level security filtering what it
 * sees (row_security_active: it is neither the owner of an unforced table, a
 * superuser nor BYPASSRLS; pg_read_all_data does not lift row security).
 * Tables it reads in full are absent.
 */
export async function unreadableTables(client: pg.ClientBase, tables: readonly QualifiedName[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (tables.length === 0) return out;
  const { rows } = await client.query<{ name: string; role: string; selectable: boolean; filtered: boolean }>(
    `SELECT t.name, current_user AS role, has_table_privilege(t.name::regclass, 'SELECT') AS selectable, row_security_active(t.name::regclass) AS filtered
       FROM unnest($1::text[]) AS t(name)`,
    [tables.map((t) => quoteQualified(t.schema, t.name))],
  );
  tables.forEach((table, i) => {
    const row = rows[i];
    if (row === undefined) return;
    const key = `${table.schema}.${table.name}`;
    if (!row.selectable) out.set(key, `${row.role} has no SELECT on it`);
    else if (row.filtered) out.set(key, `row-level security shows ${row.role} only the rows its policies allow (not the owner of an unforced table, not a superuser, not BYPASSRLS)`);
  });
  return out;
}
