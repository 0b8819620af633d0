import type pg from 'pg';
import type { TriggerInfo } from '../snapshot.js';
import { byOid, queryRows } from './catalog-sql.js';

interface TriggerRow {
  oid: number;
  name: string;
  fschema: string;
  fname: string;
  definition: string;
}

/** User triggers (not the internal ones of foreign keys), by the oid of their table. */
export async function readTriggers(client: pg.ClientBase): Promise<Map<number, TriggerInfo[]>> {
  const rows = await queryRows<TriggerRow>(client, `
    SELECT t.tgrelid::int AS oid, t.tgname AS name, pn.nspname AS fschema, p.proname AS fname, pg_get_triggerdef(t.oid) AS definition
      FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
     WHERE NOT t.tgisinternal ORDER BY t.tgrelid, t.tgname`);
  return byOid(rows, (tr): TriggerInfo => ({ name: tr.name, function: { schema: tr.fschema, name: tr.fname }, definition: tr.definition }));
}
