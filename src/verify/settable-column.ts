import type pg from 'pg';

/**
 * The column a probe's `UPDATE ... SET c = c` (or `DO UPDATE SET c =
 * EXCLUDED.c`) names, quoted by the caller: one `role` may UPDATE, so that a
 * refusal (42501) is row security's or the table privilege's, not a column
 * privilege the write did not need (`GRANT UPDATE (status)` lets every
 * row's status be changed); and one PostgreSQL lets a statement set (not an
 * identity or generated column, which take only DEFAULT: 428C9). The
 * preferred column (the key) first, the tenant column last. When the role
 * may update no column, still one PostgreSQL lets a statement set, so that
 * the refusal is the privilege's (PostgreSQL reports 428C9 before 42501).
 */
export async function settableColumn(client: pg.ClientBase, table: string, role: string, preferred: string, tenantColumn: string): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_catalog.pg_attribute AS a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attidentity = '' AND a.attgenerated = ''
      ORDER BY pg_catalog.has_column_privilege($2, a.attrelid, a.attnum, 'UPDATE') DESC, a.attname = $3 DESC, a.attname = $4, a.attnum
      LIMIT 1`,
    [table, role, preferred, tenantColumn],
  );
  return rows[0]?.name ?? preferred;
}
