import type pg from 'pg';
import type { QualifiedName, SequenceInfo } from '../snapshot.js';
import { aclJson, type GrantRow, groupGrants, queryRows, USER_SCHEMAS } from './catalog-sql.js';

interface SequenceRow {
  schema: string;
  name: string;
  owner: string;
  grants: GrantRow[];
  owned_by: { table: QualifiedName; column: string } | null;
}

/** Sequences, their privileges and the column that owns each (serial, identity, OWNED BY). */
export async function readSequences(client: pg.ClientBase): Promise<SequenceInfo[]> {
  const rows = await queryRows<SequenceRow>(client, `
    SELECT n.nspname AS schema, c.relname AS name, pg_get_userbyid(c.relowner) AS owner,
           ${aclJson('c.relacl')} AS grants,
           (SELECT json_build_object('table', json_build_object('schema', tn.nspname, 'name', t.relname), 'column', a.attname)
              FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
             LIMIT 1) AS owned_by
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'S' AND ${USER_SCHEMAS}
     ORDER BY n.nspname, c.relname`);
  return rows.map((r): SequenceInfo => ({ schema: r.schema, name: r.name, owner: r.owner, grants: groupGrants(r.grants), ownedBy: r.owned_by }));
}
