import { fail, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/**
 * TRUNCATE ignores row security: the privilege itself is the leak, even
 * where a foreign key happens to stop this particular attempt.
 */
export const truncate: TableProbe = {
  id: 'truncate',
  scope: 'table',
  column: 'trunc',
  proves: 'the application role cannot TRUNCATE the table (TRUNCATE ignores row security)',
  async run(t) {
    const s = t.session;
    const sql = `TRUNCATE ${t.name}`;
    const privilege = await s.client.query<{ ok: boolean }>('SELECT has_table_privilege($1, $2, $3) AS ok', [s.app, t.name, 'TRUNCATE']);
    const outcome = await s.asApp(t.a, () => s.client.query(sql));
    return [
      outcome.ok || privilege.rows[0]?.ok === true
        ? fail(this.id, `${s.app} holds TRUNCATE on the table (TRUNCATE ignores row security)`, s.reproduce(t.a, sql))
        : pass(this.id, `denied: ${outcome.code}`),
    ];
  },
};
