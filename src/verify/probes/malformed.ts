import { fail, notApplicable, pass } from '../check.js';
import type { TableProbe } from '../probe.js';
import { malformedValue } from '../probe-session.js';

/** A malformed tenant id is an error or matches nothing; never a match. */
export const malformed: TableProbe = {
  id: 'malformed',
  scope: 'table',
  column: 'unset',
  proves: 'a malformed tenant id is an error or shows nothing',
  async run(t) {
    const s = t.session;
    const bad = malformedValue(s.model.tenant.type);
    if (bad === null) return [notApplicable(this.id, 'a text tenant id has no malformed form')];
    const outcome = await s.asApp(bad, () => s.count(t.visibleSql));
    if (!outcome.ok) return [pass(this.id, `error ${outcome.code}: ${outcome.message}`)];
    return [outcome.value === 0 ? pass(this.id, 'no rows visible') : fail(this.id, `${outcome.value} rows visible with a malformed id`, s.reproduce(bad, t.visibleSql))];
  },
};
