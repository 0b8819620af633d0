import type pg from 'pg';
import type { TableInfo } from '../introspect/snapshot.js';
import type { Model, TableModel } from '../manifest/model.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import type { RowSeeder } from './seed-rows.js';

/**
 * Makes sure every scoped table holds a row of A and of B (and a global row
 * for shared tables, a row without a tenant for legacy_owner tables whose
 * column may be NULL), creating them as the superuser where the data has
 * none. Returns, per table key, why a row could not be created.
 */
export async function seedProofRows(
  client: pg.ClientBase,
  model: Model,
  seeder: RowSeeder,
  tables: ReadonlyMap<string, { readonly table: TableModel; readonly info: TableInfo }>,
  tenants: readonly [string, string],
  isolated: boolean,
): Promise<Map<string, string>> {
  const col = quoteIdent(model.tenant.column);
  const problems = new Map<string, string>();
  const [open, keep, undo] = isolated ? ['BEGIN', 'COMMIT', 'ROLLBACK'] : ['SAVEPOINT rlsgen_seed', 'RELEASE SAVEPOINT rlsgen_seed', 'ROLLBACK TO SAVEPOINT rlsgen_seed'];
  for (const { table, info } of tables.values()) {
    const name = quoteQualified(table.name.schema, table.name.name);
    const needs: (string | null)[] = [...tenants];
    if (table.mode === 'shared') needs.push(null);
    if (table.legacyOwner !== null && !(info.columns.find((c) => c.name === model.tenant.column)?.notNull ?? true)) needs.push(null);
    for (const tenant of needs) {
      const where = tenant === null ? `${col} IS NULL` : `${col}::text = ${quoteLiteral(tenant)}`;
      const have = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} WHERE ${where}`);
      if (Number(have.rows[0]?.n) > 0) continue;
      await client.query(open);
      try {
        const fixed: Record<string, string> = {};
        if (tenant === null && table.legacyOwner !== null) {
          const owner = await client.query<{ o: string }>(`SELECT ${quoteIdent(table.legacyOwner)}::text AS o FROM ${name} WHERE ${quoteIdent(table.legacyOwner)} IS NOT NULL LIMIT 1`);
          if (owner.rows[0] !== undefined) fixed[table.legacyOwner] = quoteLiteral(owner.rows[0].o);
        }
        await seeder.insert(info, tenant, 0, undefined, fixed);
        await client.query(keep);
      } catch (error) {
        await client.query(undo);
        if (!isolated) await client.query('RELEASE SAVEPOINT rlsgen_seed');
        problems.set(table.key, `could not create a row for ${tenant ?? 'no tenant'}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return problems;
}
