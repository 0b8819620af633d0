import { fail, pass } from '../check.js';
import type { RoleProbe } from '../probe.js';

/**
 * The manifest's target matches the database: a Citus coordinator is proven
 * with SET LOCAL in a transaction per probe whatever the manifest says, but
 * a manifest that does not target Citus generates migrations that never
 * distribute, and the application it describes sets the tenant in a way the
 * workers never see.
 */
export const citusTarget: RoleProbe = {
  id: 'citus-target',
  scope: 'role',
  proves: "the manifest's target is citus exactly when the database is a Citus coordinator",
  async run(s) {
    const citus = s.snapshot.citus !== null;
    const target = s.model.target;
    if (!citus && target !== 'citus') return [];
    if (citus && target === 'citus') return [pass(this.id, 'the database is a Citus coordinator and the manifest targets citus')];
    return [
      citus
        ? fail(this.id, `the database is a Citus coordinator but the manifest's target is ${target}: the proof ran the Citus way (SET LOCAL, a transaction per probe); set target: citus (or --target citus) so the migrations and the application match`)
        : fail(this.id, "the manifest's target is citus but the database has no citus extension: nothing was proven across workers"),
    ];
  },
};
