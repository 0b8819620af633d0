import { quoteLiteral } from '../../sql/quote.js';
import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';

/** Signed context: tokens the application did not make for this backend and tenant show nothing and write nothing. */
export const signedToken: TableProbe = {
  id: 'signed-token',
  scope: 'table',
  column: 'signed',
  proves: 'edited, expired and replayed tenant tokens see and write nothing',
  async run(t) {
    const s = t.session;
    if (s.sign === null) return [notApplicable(this.id, 'plain context')];
    const valid = s.sign(t.a);
    const forged = `${valid.slice(0, valid.length - t.a.length)}${t.b}`;
    const expired = s.sign(t.a, { expires: 1 });
    const replayed = s.sign(t.a, { backendPid: 1 });
    const withToken = <T>(token: string, fn: () => Promise<T>) =>
      s.run(async () => {
        await s.become(s.app);
        await s.client.query('SELECT set_config($1, $2, true)', [s.setting, token]);
        return fn();
      });
    for (const [label, token] of [['a token edited to name another tenant', forged], ['an expired token', expired], ['a token made for another connection', replayed]] as const) {
      const seen = await withToken(token, () => s.count(t.visibleSql));
      if (seen.ok && seen.value > 0) return [fail(this.id, `${label} showed ${seen.value} rows`, `SELECT set_config(${quoteLiteral(s.setting)}, ${quoteLiteral(token)}, false); ${t.visibleSql}`)];
      const row = await s.rowOf(t.name, t.info, t.b);
      if (row !== null) {
        const copy = { ...row, [t.table.primaryKey]: await s.freshKey(t.name, t.info, t.table.primaryKey) };
        const write = await withToken(token, () => s.client.query(s.insertValues(t.name, t.info, copy)));
        if (write.ok) return [fail(this.id, `${label} could insert a row of ${t.b}`)];
      }
    }
    return [pass(this.id, 'edited, expired and replayed tokens see and write nothing')];
  },
};
