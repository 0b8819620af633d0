import { qualified } from '../../introspect/snapshot.js';
import { fail, pass, rows } from '../check.js';
import type { ObjectProbe } from '../probe.js';

/**
 * A view reads its tables with its owner's rights unless it is
 * security_invoker (PostgreSQL 15+): owned by a role that bypasses row
 * security, it shows every tenant to whoever may select from it.
 */
export const viewSecurityInvoker: ObjectProbe = {
  id: 'view-security-invoker',
  scope: 'object',
  kinds: ['view'],
  lintRule: 'require-security-invoker-view',
  proves: 'every view over tenant tables the application role can read applies the policies to the reader',
  async run(o) {
    if (o.reached.kind !== 'view') return null;
    const view = o.reached.view;
    const reads = o.data.viewReads(view);
    const unscoped = o.data.viewReadsUnscoped(view);
    if (reads.length === 0 && unscoped.length === 0) return pass(this.id, 'reads no tenant table');
    if (view.securityInvoker) return pass(this.id, `security_invoker: reads ${[...reads, ...unscoped].map(qualified).join(', ')} with the reader's rights and policies`);
    const owner = o.session.snapshot.roles.find((r) => r.name === view.owner);
    const bypass = owner === undefined || owner.superuser || owner.bypassRls;
    const unforced = reads.filter((t) => t.owner === view.owner && !t.rlsForced);
    if (!bypass && unforced.length === 0 && unscoped.length === 0) return pass(this.id, `runs as ${view.owner}, to whom row security applies`);
    if (!o.reached.privileges.includes('SELECT')) return pass(this.id, `${o.session.app} cannot select from it`);
    const tenantColumn = o.session.model.tenant.column;
    const [where, label, tenant] = view.columns.includes(tenantColumn)
      ? [o.notA(), 'as tenant A it returns', o.a]
      : ['true', 'with no tenant set it still returns', undefined];
    const seen = await o.countAs(tenant, where);
    const evidence = seen.ok ? `: ${label} ${rows(seen.value)}${tenant === undefined ? '' : ' of other tenants'}` : '';
    const leaking = bypass ? reads : unforced;
    const why = [
      ...(leaking.length === 0 ? [] : [`it reads ${leaking.map(qualified).join(', ')} with the rights of ${view.owner}, who ${bypass ? 'bypasses row-level security' : 'owns them without FORCE'}`]),
      ...(unscoped.length === 0 ? [] : [`it reads ${unscoped.map(qualified).join(', ')}, tenant rows no policy scopes, with the rights of ${view.owner}`]),
    ].join(', and ');
    return fail(this.id, `not security_invoker, and ${why}; ${o.access}${evidence}`, seen.ok && seen.value > 0 ? o.reproduce(`SELECT count(*) AS n FROM ${o.name} WHERE ${where}`, tenant ?? null) : undefined);
  },
};
