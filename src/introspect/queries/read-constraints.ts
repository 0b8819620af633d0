import type pg from 'pg';
import type { ConstraintInfo, ForeignKeyInfo } from '../snapshot.js';
import { queryRows, USER_SCHEMAS } from './catalog-sql.js';

interface ConstraintRow {
  oid: number;
  name: string;
  type: 'p' | 'u' | 'f' | 'c';
  validated: boolean;
  definition: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
  deferrable: boolean;
  deferred: boolean;
  match: string;
  inherited: boolean;
}

/** A table's constraints, by kind. */
export interface TableConstraints {
  readonly primaryKey: readonly string[] | null;
  readonly uniques: readonly ConstraintInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
  readonly checks: readonly ConstraintInfo[];
}

const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

const constraint = (c: ConstraintRow): ConstraintInfo => ({ name: c.name, columns: c.columns, validated: c.validated, definition: c.definition });

const foreignKey = (c: ConstraintRow): ForeignKeyInfo => ({
  name: c.name,
  columns: c.columns,
  references: { schema: c.ref_schema ?? '', name: c.ref_table ?? '' },
  referencedColumns: c.ref_columns,
  onDelete: ON_DELETE[c.on_delete] ?? c.on_delete,
  onUpdate: ON_DELETE[c.on_update] ?? c.on_update,
  deferrable: c.deferrable,
  initiallyDeferred: c.deferred,
  match: c.match === 'f' ? 'full' : c.match === 'p' ? 'partial' : 'simple',
  inherited: c.inherited,
  validated: c.validated,
  definition: c.definition,
});

/** Primary keys, unique constraints, foreign keys and checks, by table oid. */
export async function readConstraints(client: pg.ClientBase): Promise<Map<number, TableConstraints>> {
  const rows = await queryRows<ConstraintRow>(client, `
    SELECT con.conrelid::int AS oid, con.conname AS name, con.contype::text AS type, con.convalidated AS validated,
           pg_get_constraintdef(con.oid) AS definition,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
           rn.nspname AS ref_schema, rc.relname AS ref_table,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
           con.condeferrable AS deferrable, con.condeferred AS deferred, con.confmatchtype::text AS match,
           con.conparentid <> 0 AS inherited
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class rc ON rc.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE con.contype IN ('p', 'u', 'f', 'c') AND ${USER_SCHEMAS}
     ORDER BY con.conrelid, con.conname`);
  const byTable = new Map<number, ConstraintRow[]>();
  for (const row of rows) byTable.set(row.oid, [...(byTable.get(row.oid) ?? []), row]);
  const out = new Map<number, TableConstraints>();
  for (const [oid, cons] of byTable) {
    out.set(oid, {
      primaryKey: cons.find((c) => c.type === 'p')?.columns ?? null,
      uniques: cons.filter((c) => c.type === 'u').map(constraint),
      foreignKeys: cons.filter((c) => c.type === 'f').map(foreignKey),
      checks: cons.filter((c) => c.type === 'c').map(constraint),
    });
  }
  return out;
}
